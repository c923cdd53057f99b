"""Log a validation Result to an MLflow run: a few metrics and the full JSON.

Shared by every validation Result (quality, A/B test, performance, drift), so
that they all resolve the run, check it exists before writing anything, batch
metrics by MLflow's limit of 1,000 and report failures the same way.

Examples
--------
>>> import tempfile
>>> from mlops_kit.results import TableResult
>>> from mlops_kit.tracking import start_run
>>> with start_run("demo", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/mlruns.db") as run:
...     rid = log_result(TableResult("t", [{"n": 1.0}]), {"n": 1.0}, "table.json")
>>> run.client.get_run(rid).data.metrics
{'n': 1.0}
"""

from __future__ import annotations

import math
import time

from mlops_kit.errors import InputError, TrackingError

__all__ = ["log_result"]


def _resolve(run_id, tracking_uri, fallback=None) -> tuple[str, str]:
    """The one run resolution of every validation Result: ``(run_id, tracking_uri)``.

    ``run_id`` if given, else the active MLflow run, else ``fallback``
    (``(run_id, tracking_uri)``, e.g. the run of a registered candidate model).
    """
    import mlflow

    from mlops_kit.tracking.store import resolve_tracking_uri

    if run_id is not None:
        if not isinstance(run_id, str) or not run_id.strip():
            raise InputError.invalid("run_id", run_id, "an MLflow run id string or None")
        if tracking_uri is None and mlflow.active_run() is not None:
            tracking_uri = mlflow.get_tracking_uri()
        return run_id, resolve_tracking_uri(tracking_uri)
    active = mlflow.active_run()
    if active is not None:
        return active.info.run_id, tracking_uri or mlflow.get_tracking_uri()
    if fallback is not None and fallback[0]:
        return fallback[0], resolve_tracking_uri(tracking_uri or fallback[1])
    raise TrackingError(
        "No active MLflow run to log to. Pass run_id=..., or call this inside "
        "`with mlops_kit.tracking.start_run('my-experiment'):` (or mlflow.start_run())."
    )


def log_result(
    result,
    metrics: dict,
    artifact_file: str,
    *,
    run_id: str | None = None,
    params: dict | None = None,
    tags: dict | None = None,
    tracking_uri: str | None = None,
    fallback_run: tuple[str | None, str | None] | None = None,
) -> str:
    """Log ``metrics`` (and ``params``) plus ``result.to_dict()`` as a JSON artifact.

    Every validation Result's ``log_to_mlflow(run_id=None, *, prefix=..., tracking_uri=None)``
    calls this.

    Parameters
    ----------
    result : Result
        Any mlops-kit Result.
    metrics : dict
        Metric name -> number (non-finite values are skipped).
    artifact_file : str
        Artifact path of the JSON file, e.g. ``"quality/report.json"``.
    run_id : str, optional
        Run to log to; default the active MLflow run.
    params : dict, optional
        Params (stored as strings).
    tags : dict, optional
        Run tags (stored as strings).
    tracking_uri : str, optional
        Store of ``run_id``; default the active run's store, else the kit's
        :func:`~mlops_kit.tracking.store.resolve_tracking_uri`.
    fallback_run : (run_id, tracking_uri), optional
        The run used when no ``run_id`` is given and no run is active.

    Returns
    -------
    str
        The run id.

    Raises
    ------
    TrackingError
        No run to log to, or the run does not exist (nothing is written).
    """
    from mlflow.entities import Metric, Param, RunTag

    from mlops_kit.results import jsonable
    from mlops_kit.tracking.store import get_client

    run_id, uri = _resolve(run_id, tracking_uri, fallback_run)
    client = get_client(uri)
    try:
        client.get_run(run_id)
    except Exception as exc:
        raise TrackingError(
            f"Cannot log to run {run_id!r} in store {uri!r}: {type(exc).__name__}: {exc}"
        ) from exc
    payload = jsonable(result.to_dict())  # computed before writing anything
    now = int(time.time() * 1000)
    entries = [
        Metric(key, float(value), now, 0)
        for key, value in metrics.items()
        if value is not None and math.isfinite(float(value))
    ]
    param_entries = [Param(k, str(v)) for k, v in (params or {}).items()]
    tag_entries = [RunTag(k, str(v)) for k, v in (tags or {}).items()]
    try:
        client.log_dict(run_id, payload, artifact_file)
        for start in range(0, max(len(entries), 1), 1000):
            client.log_batch(run_id, metrics=entries[start : start + 1000])
        client.log_batch(run_id, params=param_entries, tags=tag_entries)
    except Exception as exc:
        raise TrackingError(
            f"Logging {type(result).__name__} to run {run_id!r} failed: {type(exc).__name__}: {exc}"
        ) from exc
    return run_id
