"""Input checks on per-row arrays and the vectorised bootstrap forms of the registry's metrics.

Each bootstrap form is a pair: ``prepare(y_true, y_pred, arm, pos_label)``
checks the inputs of one arm and builds per-row arrays, and
``resampled(idx, rows)`` computes the metric for a whole ``(k, n)`` matrix of
drawn row indices at once (a gather and a sum per resample; ROC AUC as a
weighted Mann-Whitney statistic on draw counts) instead of thousands of calls
to :mod:`sklearn.metrics`. On the rows themselves the same formula gives the
point estimate (tests check it equals sklearn's). The registry in
:mod:`mlops_kit.metrics` attaches them to its metrics; use it, not this module.

Examples
--------
>>> rows = _b_correct(np.array([1, 0, 1, 1]), np.array([1, 0, 0, 1]), "a")
>>> _r_accuracy(np.array([[0, 0, 1, 3]]), rows).tolist()
[1.0]
"""

from __future__ import annotations

import numpy as np

from mlops_kit.errors import InputError

__all__ = ["as_array", "counts", "described"]


def described(name: str, description: str, allowed: str, hint: str | None = None) -> InputError:
    """Build an InputError whose "got" part is a description, not a value (no quotes).

    Examples
    --------
    >>> str(described("y_pred_a", "3 rows", "as many rows as y_true_a (4)"))
    'Invalid y_pred_a: got 3 rows; allowed: as many rows as y_true_a (4).'
    """
    msg = f"Invalid {name}: got {description}; allowed: {allowed}."
    return InputError(f"{msg} {hint}" if hint else msg)


def as_array(values, name: str, *, numeric: bool = False):
    """Return ``values`` as a non-empty 1-D numpy array, or raise InputError naming ``name``.

    Examples
    --------
    >>> as_array([1, 2], "y_true").tolist()
    [1, 2]
    """
    if values is None:
        raise InputError.invalid(name, None, "a 1-D array-like of labels or values")
    arr = np.asarray(getattr(values, "values", values))
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise described(name, f"an array of shape {arr.shape}", "a 1-D array-like")
    if arr.size == 0:
        raise described(name, "an empty array", "at least one row")
    if numeric:
        if arr.dtype.kind not in "biuf":
            raise described(name, f"values of dtype {arr.dtype}", "numbers")
        arr = arr.astype(float)
        if not np.isfinite(arr).all():
            raise described(name, "NaN or infinite values", "finite numbers")
    elif arr.dtype.kind == "f" and np.isnan(arr).any():
        raise described(name, "NaN values", "no missing values (drop or impute them first)")
    return arr


def _binary(y, name: str, pos_label):
    labels = np.unique(y)
    if len(labels) > 2 or (len(labels) == 2 and pos_label not in labels.tolist()):
        raise described(
            name,
            f"labels {labels.tolist()[:10]}",
            f"binary labels containing pos_label={pos_label!r}",
            "Pass pos_label=..., or use metric='accuracy' for multi-class labels.",
        )
    return (y == pos_label).astype(float)


def _b_correct(y_true, y_pred, arm, pos_label=1):
    if y_true.dtype.kind in "biu" and y_pred.dtype.kind == "f" and (y_pred % 1 != 0).any():
        raise described(
            f"y_pred_{arm}",
            "non-integer floats (scores or probabilities?)",
            "predicted labels",
            "Threshold the scores first, or use metric='roc_auc' to compare scores.",
        )
    if (y_true.dtype.kind in "USO") != (y_pred.dtype.kind in "USO"):
        raise described(
            f"y_pred_{arm}",
            f"values of dtype {y_pred.dtype} against y_true_{arm} of dtype {y_true.dtype}",
            "predicted labels of the same kind as the true labels",
        )
    return {"correct": np.asarray(y_true == y_pred, dtype=float), "size": len(y_true)}


def _b_confusion(y_true, y_pred, arm, pos_label=1):
    t = _binary(y_true, f"y_true_{arm}", pos_label)
    p = _binary(y_pred, f"y_pred_{arm}", pos_label)
    return {"tp": t * p, "fp": (1 - t) * p, "fn": t * (1 - p), "size": len(t)}


def _b_ranks(y_true, y_score, arm, pos_label=1):
    t = _binary(y_true, f"y_true_{arm}", pos_label)
    score = as_array(y_score, f"y_pred_{arm}", numeric=True)
    if t.min() == t.max():
        raise described(
            f"y_true_{arm}", "a single class", "both classes present (roc_auc needs both)"
        )
    order = np.argsort(score, kind="mergesort")
    s, t = score[order], t[order]
    _, start, n_tied = np.unique(s, return_index=True, return_counts=True)
    group = np.repeat(np.arange(len(start)), n_tied)
    # positions (in a zero-padded cumulative sum) of each row's tie group bounds
    lo, hi = start[group], (start + n_tied)[group]
    return {"order": order, "pos": t, "lo": lo, "hi": hi, "size": len(t)}


def _b_errors(y_true, y_pred, arm, pos_label=1):
    t = as_array(y_true, f"y_true_{arm}", numeric=True)
    p = as_array(y_pred, f"y_pred_{arm}", numeric=True)
    err = p - t
    return {"abs": np.abs(err), "sq": err * err, "size": len(t)}


def _sums(idx, arr):
    """Sum of ``arr`` over each resample (row of ``idx``): a gather, no BLAS."""
    return np.take(arr, idx).sum(axis=1)


def counts(idx):
    """Turn a ``(k, n)`` index matrix into a ``(k, n)`` matrix of draw counts.

    Examples
    --------
    >>> counts(np.array([[0, 0, 2], [1, 2, 0]])).tolist()
    [[2.0, 0.0, 1.0], [1.0, 1.0, 1.0]]
    """
    k, n = idx.shape
    flat = (idx + (np.arange(k) * n)[:, None]).ravel()
    return np.bincount(flat, minlength=k * n).reshape(k, n).astype(float)


def _ratio(num, den):
    return np.where(den > 0, num / np.where(den > 0, den, 1), 0.0)


def _r_accuracy(idx, r):
    return _sums(idx, r["correct"]) / r["size"]


def _r_precision(idx, r):
    tp = _sums(idx, r["tp"])
    return _ratio(tp, tp + _sums(idx, r["fp"]))


def _r_recall(idx, r):
    tp = _sums(idx, r["tp"])
    return _ratio(tp, tp + _sums(idx, r["fn"]))


def _r_f1(idx, r):
    tp, fp, fn = _sums(idx, r["tp"]), _sums(idx, r["fp"]), _sums(idx, r["fn"])
    return _ratio(2 * tp, 2 * tp + fp + fn)


def _r_roc_auc(idx, r):
    ws = counts(idx)[:, r["order"]]
    pos = r["pos"]
    neg_w = ws * (1 - pos)
    cum = np.zeros((ws.shape[0], ws.shape[1] + 1))
    np.cumsum(neg_w, axis=1, out=cum[:, 1:])
    below = cum[:, r["lo"]]
    ties = cum[:, r["hi"]] - below
    pos_w = ws * pos
    num = (pos_w * (below + 0.5 * ties)).sum(axis=1)
    n_pos, n_neg = pos_w.sum(axis=1), neg_w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((n_pos > 0) & (n_neg > 0), num / (n_pos * n_neg), np.nan)


def _r_mae(idx, r):
    return _sums(idx, r["abs"]) / r["size"]


def _r_mse(idx, r):
    return _sums(idx, r["sq"]) / r["size"]


def _r_rmse(idx, r):
    return np.sqrt(_r_mse(idx, r))
