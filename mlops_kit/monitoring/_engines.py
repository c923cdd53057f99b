"""The two calls monitoring borrows from Steps 1-2, each in one place.

:func:`window_metric` computes one model metric through the kit's one metric
registry (:mod:`mlops_kit.metrics`); :func:`window_drift` runs the drift check
of one window against the reference (Step 2's drift engine).

Examples
--------
>>> import numpy as np
>>> window_metric("mae", np.array([1.0, 3.0]), np.array([2.0, 2.0]), None)
1.0
"""

from __future__ import annotations

import warnings

from mlops_kit.metrics import MetricUndefined, compute_metric, get_metric

__all__ = ["MetricUndefined", "check_metrics", "window_drift", "window_metric"]

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

    Raises :class:`~mlops_kit.metrics.MetricUndefined` when the rows do not allow it.
    """
    return compute_metric(name, y_true, y_pred=y_pred, y_score=scores, pos_label=pos_label)


def window_drift(check, reference, current):
    """The drift of ``current`` against ``reference`` with ``check`` (a ``DriftCheck``).

    Large-sample warnings are kept in the result, not printed once per window.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return check.run(reference, current)
