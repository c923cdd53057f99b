"""The two calls monitoring borrows from Steps 1-2, each in one place.

:func:`window_metric` computes one model metric through the kit's one metric
registry (:mod:`mlops_kit.metrics`); :func:`window_drift` runs the drift check
of one window against the reference fitted once (Step 2's drift engine).

Examples
--------
>>> import numpy as np
>>> window_metric("mae", np.array([1.0, 3.0]), np.array([2.0, 2.0]), None)
1.0
"""

from __future__ import annotations

import warnings

import numpy as np

from mlops_kit.metrics import MetricUndefined, compute_metric, get_metric

__all__ = [
    "MetricUndefined",
    "check_metrics",
    "window_drift",
    "window_metric",
    "window_metrics",
]

#: the model metrics a window shows by default
DEFAULT_WINDOW_METRICS = {
    "classification": ["accuracy", "precision", "recall", "roc_auc"],
    "regression": ["mae", "rmse"],
}


def check_metrics(metrics, task: str) -> list[str]:
    """Return the registry names of ``metrics``, or raise if one does not fit ``task``.

    Examples
    --------
    >>> check_metrics(None, "regression")
    ['mae', 'rmse']
    >>> check_metrics(["mae"], "classification")
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid metrics: got 'mae' (a regression metric); ...
    """
    if metrics is None:
        return list(DEFAULT_WINDOW_METRICS[task])
    return [get_metric(name, where="metrics", task=task).name for name in metrics]


def window_metric(name, y_true, y_pred, scores, pos_label=None) -> float:
    """One metric on one window's labelled rows, from the metric registry.

    Binary and regression metrics use the registry's vectorised form on the
    rows (``Metric.prepare`` then ``Metric.point_of``: the same numbers as
    scikit-learn without its per-call validation, which would otherwise cost
    more than reading the window); anything else goes through
    :func:`~mlops_kit.metrics.compute_metric`.

    Raises :class:`~mlops_kit.metrics.MetricUndefined` when the rows do not allow it.

    Examples
    --------
    >>> import numpy as np
    >>> window_metric("precision", np.array([0, 1, 1]), np.array([1, 1, 0]), None)
    0.5
    """
    metric = get_metric(name)
    values = scores if metric.needs_scores else y_pred
    if metric.has_bootstrap and values is not None and len(y_true):
        if metric.task == "regression":
            return metric.point_of(metric.prepare(y_true, values, "window"))
        labels = np.unique(np.concatenate([y_true, y_pred]))
        if y_true.dtype.kind == "f" and len(labels) <= 2:
            positive = labels[-1] if pos_label is None else pos_label
            if metric.needs_scores and len(np.unique(y_true)) < 2:
                raise MetricUndefined(f"{name} needs both classes and the rows hold only one")
            return metric.point_of(metric.prepare(y_true, values, "window", positive))
    return compute_metric(name, y_true, y_pred=y_pred, y_score=scores, pos_label=pos_label)


#: metrics a window computes from aggregates (confusion counts, error sums), not rows
_FROM_COUNTS = {"accuracy", "precision", "recall", "f1"}
_FROM_SUMS = {"mae", "mse", "rmse"}


def _ratio(num: float, den: float) -> float:
    return float(num / den) if den > 0 else 0.0  # the registry's zero-division rule


def window_metrics(names, y_true, y_pred, scores, pos_label=None) -> dict:
    """Every metric in ``names`` on one window's labelled rows, aggregates computed once.

    Binary classification metrics come from the window's confusion counts and
    regression ones from its error sums, computed once for all of them (the
    registry's bootstrap forms at weight 1, same numbers); metrics that need
    the rows themselves (ROC AUC), and anything else, go through
    :func:`window_metric`. A metric the rows do not allow maps to the
    :class:`~mlops_kit.metrics.MetricUndefined` raised for it.

    Examples
    --------
    >>> import numpy as np
    >>> y, p = np.array([0.0, 1.0, 1.0, 1.0]), np.array([1.0, 1.0, 0.0, 1.0])
    >>> window_metrics(["accuracy", "precision", "recall"], y, p, None)
    {'accuracy': 0.5, 'precision': 0.6666666666666666, 'recall': 0.6666666666666666}
    >>> out = window_metrics(["mae", "rmse"], y, p, None)
    >>> round(out["mae"], 2), round(out["rmse"], 2)
    (0.5, 0.71)
    """
    out = {}
    n = len(y_true)
    counts = sums = None
    for name in names:
        if name in _FROM_SUMS and y_true.dtype.kind == "f" and y_pred.dtype.kind == "f" and n:
            if sums is None:
                err = y_pred - y_true
                sums = (float(np.abs(err).sum()), float((err * err).sum()))
            mse = sums[1] / n
            out[name] = {"mae": sums[0] / n, "mse": mse, "rmse": float(np.sqrt(mse))}[name]
            continue
        if name in _FROM_COUNTS and counts is None:
            counts = _confusion(y_true, y_pred, pos_label)
        if name in _FROM_COUNTS and counts is not None:
            tp, fp, fn, correct = counts
            out[name] = {
                "accuracy": correct / n,
                "precision": _ratio(tp, tp + fp),
                "recall": _ratio(tp, tp + fn),
                "f1": _ratio(2 * tp, 2 * tp + fp + fn),
            }[name]
            continue
        try:
            out[name] = window_metric(name, y_true, y_pred, scores, pos_label)
        except MetricUndefined as exc:
            out[name] = exc
    return out


def _confusion(y_true, y_pred, pos_label):
    """``(tp, fp, fn, correct)`` of binary float labels, or None when that does not fit."""
    if not len(y_true) or y_true.dtype.kind != "f" or y_pred.dtype.kind != "f":
        return None
    labels = np.unique(np.concatenate([y_true, y_pred]))
    if len(labels) > 2 or (pos_label is not None and pos_label not in labels.tolist()):
        return None  # multi-class, or a pos_label to check: the registry says what is wrong
    positive = labels[-1] if pos_label is None else pos_label
    t, p = y_true == positive, y_pred == positive
    tp = int(np.count_nonzero(t & p))
    return (
        tp,
        int(np.count_nonzero(p)) - tp,
        int(np.count_nonzero(t)) - tp,
        int(np.count_nonzero(y_true == y_pred)),
    )


def window_drift(check, current):
    """The drift of ``current`` against the reference ``check`` was fitted on.

    ``check`` is a fitted :class:`~mlops_kit.validation.drift.DriftCheck`
    (``DriftCheck(...).fit(reference)``, once). Large-sample warnings are kept
    in the result, not printed once per window.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return check.run(current)
