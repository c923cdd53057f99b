"""Bootstrap confidence intervals for a metric and for the difference B - A.

Resamples are drawn as vectorised numpy index matrices (a chunk of
resamples at a time, to bound memory) and the metric is computed for the
whole chunk at once (the bootstrap forms of :mod:`mlops_kit.metrics`). With
``paired=True`` both arms use the same resampled rows (the two models scored
the same rows), which removes the row-to-row variation they share and gives a
narrower interval.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(1)
>>> y = rng.integers(0, 2, 500)
>>> a = np.where(rng.random(500) < 0.70, y, 1 - y)
>>> b = np.where(rng.random(500) < 0.80, y, 1 - y)
>>> out = bootstrap_difference("accuracy", y, a, y, b, paired=True, n_boot=500, seed=0)
>>> out["ci_difference"][0] > 0
True
"""

from __future__ import annotations

from mlops_kit._params import Interval, check_param
from mlops_kit.metrics import as_array, described, get_metric
from mlops_kit.validation.abtest.stats import PROBABILITY

__all__ = ["BOOTSTRAP_CONSTRAINTS", "bootstrap_difference"]

_CELLS = 1_000_000  # resample-matrix cells per chunk (memory bound)
#: the bootstrap settings, declared once (the A/B test classes reuse them)
BOOTSTRAP_CONSTRAINTS = {
    "n_boot": [Interval(int, 100, None)],
    "seed": [None, Interval(int)],
    "alpha": PROBABILITY,
}


def _draws(metric, rows_a, rows_b, *, paired, n_boot, seed):
    import numpy as np

    rng = np.random.default_rng(seed)
    n_a, n_b = rows_a["size"], rows_b["size"]
    k = max(1, min(n_boot, _CELLS // max(n_a, n_b)))
    out_a, out_b = [], []
    done = 0
    while done < n_boot:
        step = min(k, n_boot - done)
        idx_a = rng.integers(0, n_a, size=(step, n_a))
        idx_b = idx_a if paired else rng.integers(0, n_b, size=(step, n_b))
        out_a.append(metric.resampled(idx_a, rows_a))
        out_b.append(metric.resampled(idx_b, rows_b))
        done += step
    return np.concatenate(out_a), np.concatenate(out_b)


def bootstrap_difference(
    metric,
    y_true_a,
    y_pred_a,
    y_true_b,
    y_pred_b,
    *,
    paired: bool,
    n_boot: int = 2000,
    seed: int | None = 0,
    alpha: float = 0.05,
    pos_label=1,
) -> dict:
    """Bootstrap the metric of each arm and their difference ``B - A``.

    Parameters
    ----------
    metric : str
        A registry metric with a bootstrap form (:mod:`mlops_kit.metrics`):
        ``"accuracy"``, ``"precision"``, ``"recall"``, ``"f1"``, ``"roc_auc"``
        (``y_pred`` are scores), ``"mae"``, ``"mse"`` or ``"rmse"``.
    y_true_a, y_pred_a, y_true_b, y_pred_b : array-like
        Labels (or values) and predictions (or scores) of each arm.
    paired : bool
        Same rows in both arms: resample rows jointly.
    n_boot : int, default 2000
        Number of resamples.
    seed : int or None, default 0
        Seed of the resampling; the same seed gives the same interval.
    alpha : float, default 0.05
        ``1 - alpha`` is the confidence level.
    pos_label : default 1
        Positive class for precision, recall, ``f1`` and ``roc_auc``.

    Returns
    -------
    dict
        ``value_a``, ``value_b``, ``difference`` (B - A), ``ci_a``, ``ci_b``,
        ``ci_difference`` (percentile intervals), ``se_difference``,
        ``p_value`` (two-sided, from the share of resampled differences on
        either side of 0), ``n_boot``, ``n_valid`` (resamples where the metric
        was defined), ``samples_difference`` (numpy array).

    Examples
    --------
    Two regression models scored on different rows (unpaired); B's errors are smaller:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y_a, y_b = rng.normal(size=200), rng.normal(size=200)
    >>> pred_a = y_a + rng.normal(0, 1.0, 200)
    >>> pred_b = y_b + rng.normal(0, 0.5, 200)
    >>> out = bootstrap_difference("mae", y_a, pred_a, y_b, pred_b, paired=False, n_boot=1000)
    >>> round(out["difference"], 2), [round(v, 2) for v in out["ci_difference"]]
    (-0.38, [-0.48, -0.29])
    >>> out["p_value"] < 0.05, out["n_valid"]
    (True, 1000)
    """
    import numpy as np

    for name, value in (("n_boot", n_boot), ("seed", seed), ("alpha", alpha)):
        check_param(name, value, BOOTSTRAP_CONSTRAINTS[name])
    m = get_metric(metric, bootstrap=True)
    arrays = {}
    for name, values in (
        ("y_true_a", y_true_a),
        ("y_pred_a", y_pred_a),
        ("y_true_b", y_true_b),
        ("y_pred_b", y_pred_b),
    ):
        arrays[name] = as_array(values, name)
    for arm in "ab":
        t, p = arrays[f"y_true_{arm}"], arrays[f"y_pred_{arm}"]
        if len(t) != len(p):
            raise described(
                f"y_pred_{arm}", f"{len(p)} rows", f"as many rows as y_true_{arm} ({len(t)})"
            )
    if paired and len(arrays["y_true_a"]) != len(arrays["y_true_b"]):
        raise described(
            "y_pred_b",
            f"{len(arrays['y_true_b'])} rows",
            f"as many rows as arm A ({len(arrays['y_true_a'])}) for a paired test",
        )
    rows_a = m.prepare(arrays["y_true_a"], arrays["y_pred_a"], "a", pos_label)
    rows_b = m.prepare(arrays["y_true_b"], arrays["y_pred_b"], "b", pos_label)
    value_a, value_b = m.point_of(rows_a), m.point_of(rows_b)
    boot_a, boot_b = _draws(m, rows_a, rows_b, paired=paired, n_boot=n_boot, seed=seed)
    diff = boot_b - boot_a
    ok = np.isfinite(diff)
    q = [alpha / 2, 1 - alpha / 2]

    def interval(x):
        x = x[np.isfinite(x)]
        return [float(v) for v in np.quantile(x, q)] if len(x) else [float("nan")] * 2

    d = diff[ok]
    n_valid = int(ok.sum())
    below, above = int((d <= 0).sum()), int((d >= 0).sum())
    p_value = min(1.0, 2 * min(below + 1, above + 1) / (n_valid + 1))
    return {
        "value_a": value_a,
        "value_b": value_b,
        "difference": value_b - value_a,
        "ci_a": interval(boot_a),
        "ci_b": interval(boot_b),
        "ci_difference": interval(diff),
        "se_difference": float(d.std(ddof=1)) if n_valid > 1 else float("nan"),
        "p_value": p_value,
        "n_boot": n_boot,
        "n_valid": n_valid,
        "samples_difference": diff,
    }
