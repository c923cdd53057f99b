"""Logging a scikit-learn model for :func:`mlops_kit.tracking.registry.register`.

Private helpers: choose a pickle-free serialisation (skops) when possible,
pin the requirements of library-only models (so MLflow does not spend
seconds inferring them in a subprocess), pick the run to log into, and point
MLflow's fluent API at the kit's store for the duration of the call.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import warnings

from mlops_kit.errors import InputError

__all__ = ["fluent_store", "log_sklearn"]

_LIBRARY_ROOTS = {"sklearn", "numpy", "scipy", "builtins"}
REGISTER_EXPERIMENT = "mlops-kit-registry"


def _is_missing(exc) -> bool:
    return getattr(exc, "error_code", "") in ("RESOURCE_DOES_NOT_EXIST", "NOT_FOUND")


@contextlib.contextmanager
def fluent_store(uri: str):
    """Point MLflow's fluent API at ``uri`` for the block, then restore it exactly."""
    import mlflow
    from mlflow.tracking._model_registry import utils as reg_utils
    from mlflow.tracking._tracking_service import utils as trk_utils

    if mlflow.get_tracking_uri() == uri and mlflow.get_registry_uri() == uri:
        yield
        return
    saved = (trk_utils._tracking_uri, reg_utils._registry_uri)
    env = {k: os.environ.get(k) for k in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")}
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    try:
        yield
    finally:
        trk_utils._tracking_uri, reg_utils._registry_uri = saved
        for key, value in env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _choose_format(model, requested):
    """Return (format, skops trusted types or None), checking skops round-trips the model."""
    import mlflow.sklearn

    formats = list(getattr(mlflow.sklearn, "SUPPORTED_SERIALIZATION_FORMATS", ["cloudpickle"]))
    if "serialization_format" not in inspect.signature(mlflow.sklearn.log_model).parameters:
        formats = ["cloudpickle"]
    if requested is not None:
        if requested not in formats:
            raise InputError.invalid("serialization_format", requested, f"one of {formats}")
        if requested != "skops":
            return requested, None
    if "skops" not in formats:
        _warn("This MLflow has no skops format for scikit-learn; saving with cloudpickle.")
        return "cloudpickle", None
    try:
        import skops.io as sio

        data = sio.dumps(model)
        untrusted = sio.get_untrusted_types(data=data)
        sio.loads(data, trusted=untrusted)
    except Exception as exc:
        if requested == "skops":
            raise InputError.invalid(
                "serialization_format",
                "skops",
                "a format that can save this model",
                f"skops cannot save it ({type(exc).__name__}: {exc}); use 'cloudpickle'.",
            ) from None
        _warn(
            f"skops cannot save this model ({type(exc).__name__}: {exc}); saving it with "
            "cloudpickle, which can run arbitrary code when loaded. Load it only from a "
            "registry you trust."
        )
        return "cloudpickle", None
    outside = [t for t in untrusted if t.split(".", 1)[0] not in _LIBRARY_ROOTS]
    if outside:
        _warn(f"Saving with skops; these types will be trusted when the model is loaded: {outside}")
    return "skops", list(untrusted)


def _pip_requirements(fmt, trusted):
    """Pinned requirements for a model made only of library types, else None (MLflow infers)."""
    from importlib.metadata import PackageNotFoundError, version

    if fmt != "skops" or any(t.split(".", 1)[0] not in _LIBRARY_ROOTS for t in trusted):
        return None
    try:
        pkgs = ("mlflow", "scikit-learn", "skops", "numpy", "scipy")
        return [f"{p}=={version(p)}" for p in pkgs]
    except PackageNotFoundError:
        return None


@contextlib.contextmanager
def _run_for(client, uri, run_id, name):
    """Yield (run_id, experiment_id): the given run, the active run or a short new run."""
    import mlflow

    if run_id is not None:
        if not isinstance(run_id, str) or not run_id.strip():
            raise InputError.invalid("run_id", run_id, "an MLflow run id string or None")
        try:
            run = client.get_run(run_id)
        except Exception as exc:
            if _is_missing(exc) or getattr(exc, "error_code", "") == "INVALID_PARAMETER_VALUE":
                raise InputError.invalid("run_id", run_id, "the id of an existing run") from None
            raise
        yield run.info.run_id, run.info.experiment_id
        return
    active = mlflow.active_run()
    if active is not None and _same_store(client, active.info.run_id):
        yield active.info.run_id, active.info.experiment_id
        return
    run = client.create_run(_default_experiment(client, uri), run_name=f"register-{name}")
    try:
        yield run.info.run_id, run.info.experiment_id
    except BaseException:
        client.set_terminated(run.info.run_id, "FAILED")
        raise
    client.set_terminated(run.info.run_id, "FINISHED")


def _default_experiment(client, uri) -> str:
    """The experiment chosen with ``mlflow.set_experiment`` when it is in this store, else
    ``mlops-kit-registry`` (created with its artifacts beside a SQLite store, unlike MLflow's
    ``Default`` experiment whose artifacts go to ``./mlruns`` in the working directory)."""
    import mlflow

    from mlops_kit.tracking.store import ensure_experiment

    with contextlib.suppress(Exception):
        experiment_id = mlflow.tracking.fluent._get_experiment_id()
        active = experiment_id and experiment_id != "0"
        if active and client.get_experiment(experiment_id).lifecycle_stage == "active":
            return experiment_id
    return ensure_experiment(REGISTER_EXPERIMENT, uri)


def _same_store(client, run_id) -> bool:
    try:
        client.get_run(run_id)
    except Exception:
        return False
    return True


def log_sklearn(client, uri, model, name, run_id, input_example, serialization_format):
    """Log ``model`` with the sklearn flavour; return (model URI, serialization format)."""
    import mlflow
    import mlflow.sklearn

    if not hasattr(model, "get_params") or not hasattr(model, "predict"):
        raise InputError.invalid(
            "model", type(model).__name__, "a fitted scikit-learn estimator or a model URI string"
        )
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    try:
        check_is_fitted(model)
    except NotFittedError:
        raise InputError.invalid(
            "model", type(model).__name__, "a fitted estimator", "Call model.fit(X, y) first."
        ) from None
    fmt, trusted = _choose_format(model, serialization_format)
    extra = {"skops_trusted_types": trusted} if trusted else {}
    with _run_for(client, uri, run_id, name) as (rid, experiment_id):
        logged = mlflow.initialize_logged_model(
            name="model", source_run_id=rid, experiment_id=experiment_id
        )
        info = mlflow.sklearn.log_model(
            model,
            name="model",
            model_id=logged.model_id,
            run_id=rid,
            serialization_format=fmt,
            input_example=input_example,
            pip_requirements=_pip_requirements(fmt, trusted or []),
            **extra,
        )
    return info.model_uri, fmt


def _warn(message: str) -> None:
    warnings.warn(message, UserWarning, stacklevel=5)
