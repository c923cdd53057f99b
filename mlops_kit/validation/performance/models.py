"""Find, load and run the models a performance gate compares.

A model is a fitted estimator (anything with ``predict``), a
:class:`~mlops_kit.tracking.registry.ModelVersionInfo` or a model URI
(``models:/credit/3``, ``models:/credit@champion``, ``runs:/<id>/model``).
Registered models are loaded with ``mlflow.sklearn`` (so ``predict_proba``
gives ROC AUC scores) and, for other flavours, with ``mlflow.pyfunc``.

Examples
--------
>>> from sklearn.dummy import DummyClassifier
>>> clf = DummyClassifier().fit([[0], [1]], [0, 1])
>>> resolve_model(clf)[0] is clf
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mlops_kit.errors import AliasNotFoundError, InputError, ModelNotFoundError

__all__ = ["Predictions", "load_model", "predict", "resolve_champion", "resolve_model"]

_VERSION_URI = re.compile(r"^models:/(?P<name>[^/@]+)/(?P<version>\d+)$")
_ALIAS_URI = re.compile(r"^models:/(?P<name>[^/@]+)@(?P<alias>[\w\-]+)$")
_ALLOWED = (
    "a fitted model with predict(), a ModelVersionInfo from register()/current(), or a model "
    "URI such as 'models:/credit/3', 'models:/credit@champion' or 'runs:/<run_id>/model'"
)


def load_model(model_uri: str, tracking_uri: str | None = None):
    """Load ``model_uri`` with mlflow.sklearn, else mlflow.pyfunc, from the kit's store."""
    import mlflow

    from mlops_kit.tracking._model_log import fluent_store
    from mlops_kit.tracking.store import resolve_tracking_uri

    with fluent_store(resolve_tracking_uri(tracking_uri)):
        try:
            import mlflow.sklearn

            return mlflow.sklearn.load_model(model_uri)
        except mlflow.exceptions.MlflowException as exc:
            if "flavor" not in str(exc).lower():
                raise InputError.invalid(
                    "model", model_uri, _ALLOWED, f"Loading failed: {exc}"
                ) from None
        import mlflow.pyfunc

        return mlflow.pyfunc.load_model(model_uri)


def _registry_info(uri: str, tracking_uri):
    from mlops_kit.tracking.store import get_client

    client = get_client(tracking_uri)
    try:
        if match := _VERSION_URI.match(uri):
            mv = client.get_model_version(match["name"], match["version"])
        elif match := _ALIAS_URI.match(uri):
            mv = client.get_model_version_by_alias(match["name"], match["alias"])
        else:
            return {}
    except Exception:
        return {}
    return {"name": mv.name, "version": int(mv.version), "run_id": mv.run_id or None}


def resolve_model(model, tracking_uri: str | None = None, where: str = "model"):
    """Return ``(predictor, info)``: a model with ``predict`` and what is known about it.

    ``info`` holds ``model_uri``, ``run_id``, ``name`` and ``version`` when
    the model came from the tracking store, and ``tracking_uri``.
    """
    from mlops_kit.tracking.store import resolve_tracking_uri

    if hasattr(model, "model_uri") and hasattr(model, "run_id"):
        info = {
            "model_uri": model.model_uri,
            "run_id": model.run_id,
            "name": getattr(model, "name", None),
            "version": getattr(model, "version", None),
        }
        uri = model.model_uri
    elif isinstance(model, str):
        if not model.startswith(("models:/", "runs:/")):
            raise InputError.invalid(where, model, _ALLOWED)
        uri = model
        info = {"model_uri": uri, **_registry_info(uri, tracking_uri)}
        if uri.startswith("runs:/"):
            info["run_id"] = uri[len("runs:/") :].split("/", 1)[0]
    elif callable(getattr(model, "predict", None)):
        return model, {}
    else:
        raise InputError.invalid(where, type(model).__name__, _ALLOWED)
    info["tracking_uri"] = resolve_tracking_uri(tracking_uri)
    return load_model(uri, tracking_uri), info


def resolve_champion(name, alias: str, tracking_uri: str | None = None):
    """Return ``(model, info)`` for the version ``alias`` points to on model ``name``.

    Raises :class:`~mlops_kit.errors.AliasNotFoundError` (alias not set) or
    :class:`~mlops_kit.errors.ModelNotFoundError` (no such registered model).
    """
    from mlops_kit.tracking.registry import current

    if callable(getattr(name, "predict", None)):
        return name, {"name": None, "alias": None, "version": None, "run_id": None}
    if not isinstance(name, str) or not name.strip():
        raise InputError.invalid(
            "champion", name, "a registered model name, a fitted model, or None"
        )
    version = current(name, alias, tracking_uri=tracking_uri)
    model = load_model(version.model_uri, tracking_uri)
    info = {"name": name, "alias": alias, "version": version.version, "run_id": version.run_id}
    return model, info


NO_CHAMPION = (AliasNotFoundError, ModelNotFoundError)


@dataclass
class Predictions:
    """A model's outputs on the rows of a check (computed once, then sliced).

    Examples
    --------
    >>> import numpy as np
    >>> Predictions(np.array([0, 1, 1])).take(np.array([True, False, True])).labels.tolist()
    [0, 1]
    """

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
