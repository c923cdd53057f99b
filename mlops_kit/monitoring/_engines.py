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


def window_drift(check, current):
    """The drift of ``current`` against the reference ``check`` was fitted on.

    ``check`` is a fitted :class:`~mlops_kit.validation.drift.DriftCheck`
    (``DriftCheck(...).fit(reference)``, once). Large-sample warnings are kept
    in the result, not printed once per window.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return check.run(current)
