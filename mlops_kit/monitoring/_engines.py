"""The two calls monitoring borrows from Step 2, each in one place.

:func:`window_drift` runs the drift check of one window against the fitted
reference; :func:`window_metric` computes one model metric through the kit's
metric registry. When Step 2's ``DriftCheck.fit`` and the shared
``mlops_kit.metrics`` registry land, switching is a one-line change in each.

Examples
--------
>>> import numpy as np
>>> window_metric("mae", np.array([1.0, 3.0]), np.array([2.0, 2.0]), None)
1.0
"""

from __future__ import annotations

import warnings

__all__ = ["Undefined", "check_metrics", "window_drift", "window_metric"]


class Undefined(Exception):
    """A metric that cannot be computed on a window's rows (the message says why)."""


def check_metrics(metrics, task: str) -> list[str]:
    """Return the canonical metric names, or raise if one does not fit ``task``.

    Examples
    --------
    >>> check_metrics(None, "regression")
    ['mae', 'rmse']
    >>> check_metrics(["mae"], "classification")
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid metrics: got 'mae'; allowed: classification metrics ...
    """
    from mlops_kit.errors import InputError
    from mlops_kit.validation.performance.metrics import METRICS, canonical_metric

    if metrics is None:
        return (
            ["accuracy", "precision", "recall", "roc_auc"]
            if task == "classification"
            else ["mae", "rmse"]
        )
    names = []
    for name in metrics:
        key = canonical_metric(name, "metrics")
        if METRICS[key].task != task:
            allowed = sorted(k for k, s in METRICS.items() if s.task == task)
            raise InputError.invalid(
                "metrics",
                name,
                f"{task} metrics {allowed}",
                f"{key!r} is a {METRICS[key].task} metric",
            )
        names.append(key)
    return names


def window_metric(name, y_true, y_pred, scores, pos_label=None) -> float:
    """One metric on one window's labelled rows (the metric registry; see the module doc).

    Raises :class:`Undefined` when the rows do not allow it.
    """
    from mlops_kit.validation.performance import metrics as registry

    try:
        return registry.compute_metric(
            name, y_true, registry.Predictions(y_pred, scores), pos_label=pos_label
        )
    except registry.Undefined as exc:
        raise Undefined(str(exc)) from None


def window_drift(check, reference, current):
    """The drift of ``current`` against ``reference`` with ``check`` (a ``DriftCheck``).

    Large-sample warnings are kept in the result, not printed once per window.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return check.run(reference, current)
