"""The model metrics a performance gate can check, computed with scikit-learn.

Classification: ``accuracy``, ``precision``, ``recall``, ``f1`` and ``roc_auc``
(from scores: ``predict_proba`` when the model has it). Regression: ``mae``,
``rmse`` and ``r2``. Binary precision/recall/F1 are for the positive label
(the larger class label unless given); multiclass ones are macro averages and
multiclass ROC AUC is one-vs-rest.

Examples
--------
>>> spec = METRICS["rmse"]
>>> spec.task, spec.higher_is_better
('regression', False)
>>> infer_task([0, 1, 1, 0])
'classification'
>>> infer_task([1.5, 2.25, 3.0, 4.75])
'regression'
"""

from __future__ import annotations

from dataclasses import dataclass

from mlops_kit.errors import InputError

__all__ = [
    "DEFAULT_METRICS",
    "METRICS",
    "TASKS",
    "MetricSpec",
    "Predictions",
    "canonical_metric",
    "compute_metric",
    "infer_task",
    "predict",
]

TASKS = ("classification", "regression")
#: a numeric target with at most this many distinct values is taken as class labels
MAX_CLASSES = 20


@dataclass(frozen=True)
class MetricSpec:
    """A metric: its task, its direction and whether it needs scores.

    Examples
    --------
    >>> METRICS["roc_auc"].needs_scores
    True
    """

    name: str
    task: str
    higher_is_better: bool
    needs_scores: bool = False


METRICS: dict[str, MetricSpec] = {
    "accuracy": MetricSpec("accuracy", "classification", True),
    "precision": MetricSpec("precision", "classification", True),
    "recall": MetricSpec("recall", "classification", True),
    "f1": MetricSpec("f1", "classification", True),
    "roc_auc": MetricSpec("roc_auc", "classification", True, needs_scores=True),
    "mae": MetricSpec("mae", "regression", False),
    "rmse": MetricSpec("rmse", "regression", False),
    "r2": MetricSpec("r2", "regression", True),
}
_ALIASES = {
    "auc": "roc_auc",
    "f1_score": "f1",
    "mean_absolute_error": "mae",
    "root_mean_squared_error": "rmse",
    "r_squared": "r2",
}
DEFAULT_METRICS = {
    "classification": ["accuracy", "precision", "recall", "f1", "roc_auc"],
    "regression": ["mae", "rmse", "r2"],
}


def canonical_metric(name, where: str = "metric") -> str:
    """Return the canonical name of metric ``name`` (case-insensitive, a few aliases).

    Raises :class:`~mlops_kit.errors.InputError` naming ``where`` and listing
    the known metrics.

    Examples
    --------
    >>> canonical_metric("AUC")
    'roc_auc'
    """
    key = name.strip().lower() if isinstance(name, str) else None
    key = _ALIASES.get(key, key)
    if key not in METRICS:
        raise InputError.invalid(where, name, f"one of {sorted(METRICS)}")
    return key


def infer_task(y, task=None) -> str:
    """Return ``"classification"`` or ``"regression"`` for target ``y``.

    Text, boolean and categorical targets, and numeric ones with at most 20
    distinct integer values, are classification; other numbers regression.

    Examples
    --------
    >>> infer_task(["yes", "no"])
    'classification'
    >>> infer_task([0, 1], task="regression")
    'regression'
    """
    if task is not None:
        if task not in TASKS:
            raise InputError.invalid("task", task, f"one of {list(TASKS)} or None (inferred)")
        return task
    import numpy as np
    import pandas as pd

    values = pd.Series(np.asarray(y).ravel()) if not isinstance(y, pd.Series) else y
    if not (pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)):
        return "classification"
    finite = values.dropna().to_numpy(dtype=float)
    whole = bool(np.all(np.mod(finite, 1) == 0))
    return "classification" if whole and len(np.unique(finite)) <= MAX_CLASSES else "regression"


@dataclass
class Predictions:
    """A model's outputs on the rows of a check (computed once, then sliced)."""

    labels: object
    scores: object = None  # 1-D positive-class scores (binary) or 2-D probabilities
    classes: object = None
    note: str | None = None

    def take(self, mask) -> Predictions:
        """Return the predictions of the rows where ``mask`` is true."""
        scores = None if self.scores is None else self.scores[mask]
        return Predictions(self.labels[mask], scores, self.classes, self.note)


def _flat(values):
    import numpy as np

    arr = np.asarray(getattr(values, "values", values))
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    return arr


def predict(model, X, task: str, pos_label=None) -> Predictions:
    """Run ``model`` on ``X``: labels, and scores for classification when available.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> clf = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    >>> predict(clf, [[0.5], [2.5]], "classification").scores.shape
    (2,)
    """
    import numpy as np

    labels = _flat(model.predict(X))
    if task == "regression":
        return Predictions(labels.astype(float))
    if not hasattr(model, "predict_proba"):
        return Predictions(labels, note="the model has no predict_proba, so no scores")
    proba = np.asarray(model.predict_proba(X))
    classes = np.asarray(getattr(model, "classes_", np.arange(proba.shape[1])))
    if proba.ndim == 2 and proba.shape[1] == 2:
        column = 1
        if pos_label is not None:
            hits = np.flatnonzero(classes == pos_label)
            if not len(hits):
                raise InputError.invalid("pos_label", pos_label, f"one of {classes.tolist()}")
            column = int(hits[0])
        return Predictions(labels, proba[:, column], classes)
    return Predictions(labels, proba, classes)


class Undefined(Exception):
    """The metric cannot be computed on these rows (the message says why)."""


def _positive(y_true, y_pred, classes, pos_label):
    import numpy as np

    labels = np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)]))
    if classes is not None and len(classes) == 2:
        labels = np.asarray(classes)
    if len(labels) > 2:
        return None
    if pos_label is not None:
        return pos_label
    return labels[-1] if len(labels) else 1


def compute_metric(name: str, y_true, pred: Predictions, pos_label=None) -> float:
    """Compute metric ``name`` from the true values and a model's :class:`Predictions`.

    Raises :class:`Undefined` when the rows do not allow it (one class only,
    no scores).

    Examples
    --------
    >>> import numpy as np
    >>> compute_metric("rmse", np.array([1.0, 3.0]), Predictions(np.array([2.0, 2.0])))
    1.0
    """
    import numpy as np
    from sklearn import metrics as skm

    y_pred = pred.labels
    if name == "mae":
        return float(skm.mean_absolute_error(y_true, y_pred))
    if name == "rmse":
        return float(np.sqrt(skm.mean_squared_error(y_true, y_pred)))
    if name == "r2":
        if len(y_true) < 2:
            raise Undefined("r2 needs at least 2 rows")
        return float(skm.r2_score(y_true, y_pred))
    if name == "accuracy":
        return float(skm.accuracy_score(y_true, y_pred))
    if name in ("precision", "recall", "f1"):
        fn = {"precision": skm.precision_score, "recall": skm.recall_score, "f1": skm.f1_score}
        positive = _positive(y_true, y_pred, pred.classes, pos_label)
        kwargs = {"average": "macro"} if positive is None else {"pos_label": positive}
        return float(fn[name](y_true, y_pred, zero_division=0, **kwargs))
    if name == "roc_auc":
        if pred.scores is None:
            raise Undefined(f"roc_auc needs scores and {pred.note or 'none were given'}")
        if len(np.unique(y_true)) < 2:
            raise Undefined("roc_auc needs both classes and the rows hold only one")
        try:
            if np.ndim(pred.scores) == 1:
                positive = _positive(y_true, y_pred, pred.classes, pos_label)
                return float(skm.roc_auc_score(np.asarray(y_true) == positive, pred.scores))
            return float(
                skm.roc_auc_score(y_true, pred.scores, multi_class="ovr", labels=pred.classes)
            )
        except ValueError as exc:
            raise Undefined(f"roc_auc: {exc}") from None
    raise InputError.invalid("metric", name, f"one of {sorted(METRICS)}")  # pragma: no cover
