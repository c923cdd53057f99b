"""The metric registry: one place that knows every model metric of the kit.

Performance gates, A/B tests, run comparison, and later deploy gates, canary
comparison and monitoring windows all look metrics up here, so a name means
the same thing (and is computed the same way) everywhere.

Each :class:`Metric` records

- ``name`` and ``aliases`` (looked up case-insensitively: ``"AUC"`` is ``roc_auc``);
- ``task``: ``"classification"`` or ``"regression"``;
- ``higher_is_better``: the direction (``mae`` and ``rmse`` are lower-is-better);
- ``needs``: ``"labels"`` (predicted labels or values, ``y_pred``) or ``"scores"``
  (positive-class scores or class probabilities, ``y_score``);
- ``point``: the value on the rows, computed with :mod:`sklearn.metrics`;
- ``prepare`` and ``resampled``: the vectorised bootstrap form the A/B test
  uses (one gather and a sum per resample; ``roc_auc`` as a weighted
  Mann-Whitney statistic), or None when the metric has none (``r2``, ``log_loss``).

The registry:

==========  ==============  ================  ======  =========
name        task            higher is better  needs   bootstrap
==========  ==============  ================  ======  =========
accuracy    classification  yes               labels  yes
precision   classification  yes               labels  yes
recall      classification  yes               labels  yes
f1          classification  yes               labels  yes
roc_auc     classification  yes               scores  yes
log_loss    classification  no                scores  no
mae         regression      no                labels  yes
mse         regression      no                labels  yes
rmse        regression      no                labels  yes
r2          regression      yes               labels  no
==========  ==============  ================  ======  =========

Binary precision, recall and F1 are for the positive label (``pos_label``,
default the larger label); with more than two labels they are macro averages
and ROC AUC is one-vs-rest.

Use :func:`get_metric` to look a metric up (a clear error lists the choices),
:func:`compute_metric` to compute one (it checks the task: MAE on class labels
is an :class:`~mlops_kit.errors.InputError`, a metric that the rows do not
allow, such as ROC AUC on one class, raises :class:`MetricUndefined`), and
:func:`metric_for_key` / :func:`lower_is_better` to read the direction of a
logged metric key such as ``"val_rmse"``.

Examples
--------
>>> get_metric("AUC").name, get_metric("rmse").higher_is_better
('roc_auc', False)
>>> compute_metric("accuracy", [0, 1, 1, 0], y_pred=[0, 1, 0, 0])
0.75
>>> compute_metric("roc_auc", [0, 0, 1, 1], y_score=[0.1, 0.4, 0.35, 0.8])
0.75
>>> metric_names("regression")
['mae', 'mse', 'rmse', 'r2']
>>> lower_is_better("val_rmse"), lower_is_better("valid_auc_by_rows")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from mlops_kit._resampling import (
    _b_confusion,
    _b_correct,
    _b_errors,
    _b_ranks,
    _r_accuracy,
    _r_f1,
    _r_mae,
    _r_mse,
    _r_precision,
    _r_recall,
    _r_rmse,
    _r_roc_auc,
    as_array,
    counts,
    described,
)
from mlops_kit.errors import InputError

__all__ = [
    "DEFAULT_METRICS",
    "METRICS",
    "TASKS",
    "Metric",
    "MetricUndefined",
    "as_array",
    "compute_metric",
    "counts",
    "described",
    "get_metric",
    "infer_task",
    "lower_is_better",
    "metric_for_key",
    "metric_names",
]

TASKS = ("classification", "regression")
#: a numeric target with at most this many distinct whole values is taken as class labels
MAX_CLASSES = 20


class MetricUndefined(InputError):
    """The metric cannot be computed on these rows (one class only, no scores, one row).

    A subclass of :class:`~mlops_kit.errors.InputError`: left uncaught, a
    command-line tool reports it as bad input (exit 2). Gates catch it to
    report the metric as skipped.
    """


def infer_task(y, task=None) -> str:
    """Return ``"classification"`` or ``"regression"`` for target ``y``.

    Text, boolean and categorical targets, and numeric ones with at most 20
    distinct whole values, are classification; other numbers regression.
    An explicit ``task`` is checked and returned.

    Examples
    --------
    >>> infer_task(["yes", "no"]), infer_task([1.5, 2.25, 3.0])
    ('classification', 'regression')
    >>> infer_task([0, 1], task="regression")
    'regression'
    """
    if task is not None:
        if task not in TASKS:
            raise InputError.invalid("task", task, f"one of {list(TASKS)} or None (inferred)")
        return task
    arr = np.asarray(getattr(y, "values", y)).ravel()
    if arr.dtype.kind not in "iuf":  # text, bool, object, categorical
        import pandas as pd

        series = pd.Series(getattr(y, "values", y)).reset_index(drop=True)
        if not (pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)):
            return "classification"
        arr = series.to_numpy(dtype=float, na_value=np.nan)
    finite = arr[~np.isnan(arr)] if arr.dtype.kind == "f" else arr
    whole = bool(np.all(np.mod(finite, 1) == 0))
    return "classification" if whole and len(np.unique(finite)) <= MAX_CLASSES else "regression"


# --- point values (sklearn) ---------------------------------------------------------


def _positive(y_true, y_pred, classes, pos_label):
    """The positive label of a binary problem, or None when there are more than two labels."""
    if classes is not None and len(classes) == 2:
        labels = np.asarray(classes)
    else:
        parts = [np.asarray(y_true)] + ([] if y_pred is None else [np.asarray(y_pred)])
        labels = np.unique(np.concatenate(parts))
    if len(labels) > 2:
        return None
    if pos_label is not None:
        return pos_label
    return labels[-1] if len(labels) else 1


def _p_accuracy(y_true, y_pred, y_score, pos_label, classes):
    from sklearn.metrics import accuracy_score

    return accuracy_score(y_true, y_pred)


def _by_label(fn_name):
    def point(y_true, y_pred, y_score, pos_label, classes):
        from sklearn import metrics as skm

        positive = _positive(y_true, y_pred, classes, pos_label)
        kwargs = {"average": "macro"} if positive is None else {"pos_label": positive}
        return getattr(skm, fn_name)(y_true, y_pred, zero_division=0, **kwargs)

    return point


def _p_roc_auc(y_true, y_pred, y_score, pos_label, classes):
    from sklearn.metrics import roc_auc_score

    if len(np.unique(y_true)) < 2:
        raise MetricUndefined("roc_auc needs both classes and the rows hold only one")
    try:
        if np.ndim(y_score) == 1:
            positive = _positive(y_true, None, classes, pos_label)
            return roc_auc_score(np.asarray(y_true) == positive, y_score)
        return roc_auc_score(y_true, y_score, multi_class="ovr", labels=classes)
    except ValueError as exc:
        raise MetricUndefined(f"roc_auc: {exc}") from None


def _p_log_loss(y_true, y_pred, y_score, pos_label, classes):
    from sklearn.metrics import log_loss

    try:
        if np.ndim(y_score) == 1:
            positive = _positive(y_true, None, classes, pos_label)
            return log_loss(np.asarray(y_true) == positive, y_score, labels=[False, True])
        return log_loss(y_true, y_score, labels=classes)
    except ValueError as exc:
        raise MetricUndefined(f"log_loss: {exc}") from None


def _p_mae(y_true, y_pred, y_score, pos_label, classes):
    return np.mean(np.abs(np.asarray(y_pred, float) - np.asarray(y_true, float)))


def _p_mse(y_true, y_pred, y_score, pos_label, classes):
    return np.mean((np.asarray(y_pred, float) - np.asarray(y_true, float)) ** 2)


def _p_rmse(y_true, y_pred, y_score, pos_label, classes):
    return np.sqrt(_p_mse(y_true, y_pred, y_score, pos_label, classes))


def _p_r2(y_true, y_pred, y_score, pos_label, classes):
    from sklearn.metrics import r2_score

    if len(y_true) < 2:
        raise MetricUndefined("r2 needs at least 2 rows")
    return r2_score(y_true, y_pred)


# --- the registry -------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """One metric of the registry (see the module docstring for the fields).

    Examples
    --------
    >>> m = get_metric("f1")
    >>> m.task, m.higher_is_better, m.needs, m.in_points, m.has_bootstrap
    ('classification', True, 'labels', True, True)
    >>> rows = get_metric("accuracy").prepare(np.array([1, 0, 1, 1]), np.array([1, 0, 0, 1]), "a")
    >>> get_metric("accuracy").point_of(rows)
    0.75
    """

    name: str
    task: str
    higher_is_better: bool
    needs: str
    point: Callable = field(repr=False)
    aliases: tuple[str, ...] = ()
    prepare: Callable | None = field(default=None, repr=False)
    resampled: Callable | None = field(default=None, repr=False)

    @property
    def needs_scores(self) -> bool:
        """True when the metric is computed from scores (``y_score``), not labels."""
        return self.needs == "scores"

    @property
    def in_points(self) -> bool:
        """True for metrics in [0, 1] whose differences read as percentage points."""
        return self.task == "classification" and self.higher_is_better

    @property
    def has_bootstrap(self) -> bool:
        """True when the metric has a vectorised bootstrap form (usable in an A/B test)."""
        return self.resampled is not None

    def point_of(self, rows) -> float:
        """The bootstrap form on the rows themselves (every row weight 1)."""
        return float(self.resampled(np.arange(rows["size"])[None, :], rows)[0])


_C, _R = "classification", "regression"
_REGISTRY = (
    Metric("accuracy", _C, True, "labels", _p_accuracy, ("acc", "accuracy_score"),
           _b_correct, _r_accuracy),
    Metric("precision", _C, True, "labels", _by_label("precision_score"),
           ("precision_score",), _b_confusion, _r_precision),
    Metric("recall", _C, True, "labels", _by_label("recall_score"),
           ("recall_score", "sensitivity", "tpr"), _b_confusion, _r_recall),
    Metric("f1", _C, True, "labels", _by_label("f1_score"), ("f1_score",),
           _b_confusion, _r_f1),
    Metric("roc_auc", _C, True, "scores", _p_roc_auc,
           ("auc", "roc_auc_score", "auroc"), _b_ranks, _r_roc_auc),
    Metric("log_loss", _C, False, "scores", _p_log_loss, ("logloss", "cross_entropy")),
    Metric("mae", _R, False, "labels", _p_mae, ("mean_absolute_error",), _b_errors, _r_mae),
    Metric("mse", _R, False, "labels", _p_mse, ("mean_squared_error",), _b_errors, _r_mse),
    Metric("rmse", _R, False, "labels", _p_rmse, ("root_mean_squared_error",),
           _b_errors, _r_rmse),
    Metric("r2", _R, True, "labels", _p_r2, ("r_squared", "r2_score", "rsquared")),
)  # fmt: skip

#: name -> Metric
METRICS: dict[str, Metric] = {m.name: m for m in _REGISTRY}
_LOOKUP = {key: m for m in _REGISTRY for key in (m.name, *m.aliases)}
#: the metrics a gate checks when none are named
DEFAULT_METRICS = {
    "classification": ["accuracy", "precision", "recall", "f1", "roc_auc"],
    "regression": ["mae", "rmse", "r2"],
}
# words that mark a logged key as lower-is-better when no registry metric matches it
_LOWER_WORDS = ("loss", "error", "err", "deviance", "mape", "brier")


def metric_names(task: str | None = None, *, bootstrap: bool = False) -> list[str]:
    """The registry's metric names, optionally of one task or with a bootstrap form only.

    Examples
    --------
    >>> metric_names("classification", bootstrap=True)
    ['accuracy', 'precision', 'recall', 'f1', 'roc_auc']
    """
    if task is not None and task not in TASKS:
        raise InputError.invalid("task", task, f"one of {list(TASKS)} or None")
    return [
        m.name
        for m in _REGISTRY
        if (task is None or m.task == task) and (not bootstrap or m.has_bootstrap)
    ]


def get_metric(name, *, where: str = "metric", task: str | None = None, bootstrap=False) -> Metric:
    """Return the registry's metric ``name`` (case-insensitive; aliases such as ``"auc"``).

    Parameters
    ----------
    name : str or Metric
        The metric's name or an alias; a :class:`Metric` is returned as is.
    where : str, default "metric"
        The parameter named in the error (``"thresholds['auc']"``, ``"--metric"``).
    task : {"classification", "regression"}, optional
        Also require the metric to be of this task.
    bootstrap : bool, default False
        Also require a bootstrap form (the metrics an A/B test can compare).

    Raises
    ------
    InputError
        Naming ``where``, the value received and the metrics allowed.

    Examples
    --------
    >>> get_metric(" ROC_AUC ").name
    'roc_auc'
    >>> get_metric("mape")
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid metric: got 'mape'; allowed: one of ['accuracy', \
'precision', 'recall', 'f1', 'roc_auc', 'log_loss', 'mae', 'mse', 'rmse', 'r2'].
    >>> get_metric("mae", task="classification")
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid metric: got 'mae' (a regression metric); allowed: \
a classification metric, one of ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss'].
    """
    if isinstance(name, Metric):
        metric = name
    else:
        key = name.strip().lower() if isinstance(name, str) else None
        metric = _LOOKUP.get(key)
        if metric is None:
            allowed = metric_names(bootstrap=bootstrap)
            raise InputError.invalid(where, name, f"one of {allowed}")
    if task is not None and metric.task != task:
        raise described(
            where,
            f"{name!r} (a {metric.task} metric)",
            f"a {task} metric, one of {metric_names(task, bootstrap=bootstrap)}",
        )
    if bootstrap and not metric.has_bootstrap:
        raise InputError.invalid(where, name, f"one of {metric_names(bootstrap=True)}")
    return metric


def _check_task(metric: Metric, y_true, values, values_name: str, task) -> None:
    if task is not None:
        get_metric(metric, task=infer_task(y_true, task))
    if metric.task == "regression":
        for arr, which in ((y_true, "y_true"), (values, values_name)):
            if arr.dtype.kind not in "biuf":
                raise described(
                    which,
                    f"values of dtype {arr.dtype} (class labels?)",
                    f"numbers: {metric.name} is a regression metric",
                    "Use a classification metric such as accuracy for labels.",
                )
    elif y_true.dtype.kind == "f" and bool(np.any(np.mod(y_true[np.isfinite(y_true)], 1))):
        raise described(
            "y_true",
            "continuous values",
            f"class labels: {metric.name} is a classification metric",
            "Use a regression metric such as mae or rmse, or pass task=... if this is wrong.",
        )


def compute_metric(
    name, y_true, y_pred=None, y_score=None, *, pos_label=None, classes=None, task=None
) -> float:
    """Compute metric ``name`` on the rows: the one function every step uses.

    Parameters
    ----------
    name : str or Metric
        A registry metric (see :func:`get_metric`).
    y_true : array-like
        True labels or values.
    y_pred : array-like, optional
        Predicted labels or values (metrics that need ``"labels"``).
    y_score : array-like, optional
        Positive-class scores (1-D) or class probabilities (2-D, columns in
        the order of ``classes``) for metrics that need ``"scores"``.
    pos_label : optional
        Positive class of a binary problem (default: the larger label).
    classes : array-like, optional
        The model's classes (``model.classes_``).
    task : {"classification", "regression"}, optional
        Check the metric is of this task (default: only checks that the values
        allow it: MAE on text labels or accuracy on continuous values is an error).

    Returns
    -------
    float

    Raises
    ------
    InputError
        Unknown metric, wrong task, missing ``y_pred``/``y_score``, lengths that differ.
    MetricUndefined
        The rows do not allow the metric (ROC AUC on one class, r2 on one row).

    Examples
    --------
    >>> compute_metric("rmse", [1.0, 3.0], y_pred=[2.0, 2.0])
    1.0
    >>> compute_metric("mae", ["a", "b"], y_pred=["a", "a"])
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid y_true: got values of dtype <U1 (class labels?); \
allowed: numbers: mae is a regression metric. Use a classification metric such as accuracy \
for labels.
    >>> compute_metric("roc_auc", [1, 1], y_score=[0.2, 0.9])
    Traceback (most recent call last):
    ...
    mlops_kit.metrics.MetricUndefined: roc_auc needs both classes and the rows hold only one
    """
    metric = get_metric(name)
    y_true = as_array(y_true, "y_true")
    values_name = "y_score" if metric.needs_scores else "y_pred"
    values = y_score if metric.needs_scores else y_pred
    if values is None:
        what = "scores (predict_proba)" if metric.needs_scores else "predicted labels or values"
        raise MetricUndefined(f"{metric.name} needs {what} in {values_name} and none were given")
    values = np.asarray(getattr(values, "values", values))
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if len(values) != len(y_true):
        raise described(
            values_name, f"{len(values)} rows", f"as many rows as y_true ({len(y_true)})"
        )
    _check_task(metric, y_true, values, values_name, task)
    if metric.needs_scores:
        value = metric.point(y_true, y_pred, values, pos_label, classes)
    else:
        value = metric.point(y_true, values, None, pos_label, classes)
    return float(value)


_SPLIT = re.compile(r"[^a-z0-9]+")


def metric_for_key(key: str) -> Metric | None:
    """Return the registry metric a logged key names, or None (``"val_rmse"`` is ``rmse``).

    The whole key is looked up first, then its parts split on ``_``, ``.``,
    ``-`` and ``/`` (longest runs of parts first).

    Examples
    --------
    >>> metric_for_key("valid_auc_by_rows").name, metric_for_key("train_loss")
    ('roc_auc', None)
    """
    parts = [p for p in _SPLIT.split(str(key).lower()) if p]
    for size in range(len(parts), 0, -1):
        for start in range(len(parts) - size + 1):
            found = _LOOKUP.get("_".join(parts[start : start + size]))
            if found is not None:
                return found
    return None


def lower_is_better(key: str) -> bool:
    """Direction of a logged metric key: from the registry, else from words like "loss".

    Examples
    --------
    >>> lower_is_better("val_MAE"), lower_is_better("log_loss"), lower_is_better("train_loss")
    (True, True, True)
    >>> lower_is_better("precision"), lower_is_better("throughput")
    (False, False)
    """
    metric = metric_for_key(key)
    if metric is not None:
        return not metric.higher_is_better
    parts = _SPLIT.split(str(key).lower())
    return any(word in parts for word in _LOWER_WORDS)
