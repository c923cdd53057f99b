"""Notebook-safe runs and fluent logging functions.

:func:`start_run` opens an MLflow run in the kit's store and records, without
being asked, the params given, the dataset fingerprints (as MLflow dataset
inputs and tags), the git commit and dirty flag, the Python and key package
versions, and the seed. A run left active by an earlier notebook cell (a kit
run or a plain ``mlflow.start_run``) is ended as ``FAILED`` with a warning
naming it, instead of MLflow's "Run ... is already active" error.

The module-level functions (:func:`log_metric`, :func:`log_metrics`, ...)
act on the current kit run.

Examples
--------
>>> import tempfile
>>> uri = f"sqlite:///{tempfile.mkdtemp()}/mlruns.db"
>>> with start_run("credit", params={"lr": 0.1}, seed=0, tracking_uri=uri) as run:
...     for epoch in range(3):
...         log_metric("loss", 1.0 / (epoch + 1))
>>> run.status
'FINISHED'
"""

from __future__ import annotations

import warnings

from mlops_kit._params import InstanceOf, check_param
from mlops_kit.errors import InputError, TrackingError
from mlops_kit.tracking import exit_hooks
from mlops_kit.tracking.buffer import BATCH_LIMIT, MetricBuffer
from mlops_kit.tracking.environment import TAG_PREFIX, environment_tags
from mlops_kit.tracking.inputs import apply_seed, check_options, prepare_datasets
from mlops_kit.tracking.run import Run, to_params, to_tags

__all__ = [
    "DATASET_TAG_PREFIX",
    "SEED_TAG",
    "current_run",
    "end_run",
    "flush",
    "log_metric",
    "log_metrics",
    "log_param",
    "log_params",
    "set_tag",
    "set_tags",
    "start_run",
]

#: Run tag ``mlops_kit.fingerprint.<name>`` holds the full fingerprint of dataset ``<name>``.
DATASET_TAG_PREFIX = f"{TAG_PREFIX}fingerprint."
#: Run tag holding the seed given to :func:`start_run`.
SEED_TAG = f"{TAG_PREFIX}seed"

_CURRENT: Run | None = None


def current_run() -> Run | None:
    """Return the kit run started by :func:`start_run` and not yet ended, or None.

    Examples
    --------
    >>> current_run() is None
    True
    """
    return None if _CURRENT is None or _CURRENT.ended else _CURRENT


def _require_run() -> Run:
    if _CURRENT is None or _CURRENT.ended:
        raise TrackingError(
            "No active mlops-kit run. Start one with "
            "`with mlops_kit.tracking.start_run('my-experiment') as run:` "
            "(runs started with plain mlflow.start_run are not buffered by the kit)."
        )
    return _CURRENT


def _end_stale_runs() -> None:
    import mlflow

    for _ in range(100):  # bounded: nested stacks are short
        active = mlflow.active_run()
        if active is None:
            break
        run_id = active.info.run_id
        warnings.warn(
            f"Run {active.info.run_name!r} ({run_id}) was still active, probably left by an "
            "earlier cell that failed; ending it as FAILED before starting a new run.",
            RuntimeWarning,
            stacklevel=3,
        )
        kit = _CURRENT if _CURRENT is not None and _CURRENT.run_id == run_id else None
        if kit is not None:
            try:
                kit.end("FAILED")
            except TrackingError as exc:
                warnings.warn(str(exc), RuntimeWarning, stacklevel=3)
        still = mlflow.active_run()
        if still is not None and still.info.run_id == run_id:
            mlflow.end_run("FAILED")
    if _CURRENT is not None and not _CURRENT.ended:  # ended behind the kit's back
        _CURRENT.end("FINISHED")


def start_run(
    experiment: str,
    run_name: str | None = None,
    params: dict | None = None,
    seed: int | None = None,
    dataset=None,
    tags: dict | None = None,
    tracking_uri: str | None = None,
    *,
    repo_path=None,
    flush_interval: float | None = 2.0,
    buffer_size: int = BATCH_LIMIT,
    max_write_seconds: float = 1.0,
) -> Run:
    """Start a run in the kit's store and return its handle (also a context manager).

    Every input is validated before anything is written, so bad input never
    leaves a half-made run. Recorded automatically: ``params``; ``seed`` (param
    ``seed`` and tag ``mlops_kit.seed``; it also seeds Python's ``random`` and
    NumPy's global generator); each dataset as an MLflow input whose digest is
    the start of its :func:`~mlops_kit.tracking.fingerprint.fingerprint`, plus
    tag ``mlops_kit.fingerprint.<name>`` with the full fingerprint; the tags of
    :func:`~mlops_kit.tracking.environment.environment_tags` (git commit,
    branch and dirty flag, Python and package versions).

    The tracking URI also becomes MLflow's global one (``mlflow.set_tracking_uri``)
    so plain ``mlflow.log_*`` calls inside the block reach the same run.

    Parameters
    ----------
    experiment : str
        Experiment name; created (artifacts beside the SQLite DB) if needed.
    run_name : str, optional
        Run name; MLflow generates one if omitted.
    params : dict, optional
        Hyperparameters (values are stored as strings).
    seed : int, optional
        Random seed to record and apply.
    dataset : DataFrame or dict of name -> DataFrame, optional
        Training data (a single frame is named ``"dataset"``, context
        ``"training"``; with a dict the key is the name and the context).
    tags : dict, optional
        Extra run tags (they win over the automatic ones).
    tracking_uri : str, optional
        Store URI; default :func:`~mlops_kit.tracking.store.resolve_tracking_uri`.
    repo_path : str or Path, optional
        Folder inside the git repo to describe; the current directory by default.
    flush_interval : float or None, default 2.0
        Seconds between background writes of buffered metrics (None or 0: off).
    buffer_size : int, default 1000
        Buffered values that trigger a write.
    max_write_seconds : float, default 1.0
        Never buffer more than the store can take in about this many seconds
        (measured), so the final flush at kernel shutdown or SIGTERM fits in
        the time the process is given (see
        :class:`~mlops_kit.tracking.buffer.MetricBuffer`).

    Returns
    -------
    Run

    Raises
    ------
    InputError
        Bad argument (named in the message); nothing was written.
    StoreUnreachableError
        The store cannot be opened.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> uri = f"sqlite:///{tempfile.mkdtemp()}/mlruns.db"
    >>> df = pd.DataFrame({"x": [1, 2, 3]})
    >>> with start_run("demo", seed=42, dataset=df, tracking_uri=uri) as run:
    ...     run.log_metric("acc", 0.93)
    >>> run.client.get_run(run.run_id).data.params["seed"]
    '42'
    """
    from mlops_kit.tracking.store import (
        ensure_experiment,
        get_client,
        resolve_tracking_uri,
        use_store,
    )

    params = to_params(params)
    user_tags = to_tags(tags)
    check_options(seed, flush_interval, buffer_size, max_write_seconds)
    check_param("run_name", run_name, [None, InstanceOf(str, description="a string")])
    if seed is not None:
        if params.get("seed", str(seed)) != str(seed):
            raise InputError.invalid(
                "seed", seed, f"the same value as params['seed'] ({params['seed']!r})"
            )
        params["seed"] = str(seed)
    datasets = prepare_datasets(dataset)

    uri = resolve_tracking_uri(tracking_uri)
    client = get_client(uri)  # StoreUnreachableError before anything is written
    experiment_id = ensure_experiment(experiment, uri)
    _end_stale_runs()

    import mlflow

    all_tags = environment_tags(repo_path)
    all_tags.update({f"{DATASET_TAG_PREFIX}{d.name}": d.fingerprint for d in datasets})
    if seed is not None:
        all_tags[SEED_TAG] = str(seed)
    all_tags.update(user_tags)
    use_store(uri)
    active = mlflow.start_run(experiment_id=experiment_id, run_name=run_name, tags=all_tags)
    run_id = active.info.run_id
    buffer = MetricBuffer(
        client,
        run_id,
        max_size=buffer_size,
        flush_interval=flush_interval,
        max_write_seconds=max_write_seconds,
    )
    run = Run(run_id, experiment_id, uri, client, buffer, name=active.info.run_name)
    try:
        if params:
            run.log_params(params)
        if datasets:
            mlflow.log_inputs(
                datasets=[d.mlflow_dataset for d in datasets],
                contexts=[d.context for d in datasets],
                tags_list=[None] * len(datasets),
            )
    except Exception as exc:
        run.end("FAILED")
        if isinstance(exc, TrackingError):
            raise
        raise TrackingError(
            f"Recording the inputs of run {run_id} failed: {type(exc).__name__}: {exc}"
        ) from exc
    if seed is not None:
        apply_seed(seed)
    global _CURRENT
    _CURRENT = run
    exit_hooks.register(run)
    buffer.start()
    return run


def log_metric(key: str, value, step: int | None = None) -> None:
    """Buffer one metric value on the current kit run (see :meth:`Run.log_metric`).

    Raises :class:`~mlops_kit.errors.TrackingError` if no kit run is active.

    Examples
    --------
    >>> import tempfile
    >>> with start_run("d", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/m.db"):
    ...     log_metric("loss", 0.4)
    """
    _require_run().log_metric(key, value, step)


def log_metrics(metrics: dict, step: int | None = None) -> None:
    """Buffer several metrics on the current kit run (see :meth:`Run.log_metrics`).

    Examples
    --------
    >>> import tempfile
    >>> with start_run("d", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/m.db"):
    ...     log_metrics({"acc": 0.9, "f1": 0.8}, step=0)
    """
    _require_run().log_metrics(metrics, step)


def log_params(params: dict) -> None:
    """Log params on the current kit run (written now).

    Examples
    --------
    >>> import tempfile
    >>> with start_run("d", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/m.db") as run:
    ...     log_params({"lr": 0.1, "depth": 3})
    >>> params = run.client.get_run(run.run_id).data.params
    >>> params["lr"], params["depth"]
    ('0.1', '3')
    """
    _require_run().log_params(params)


def log_param(key: str, value) -> None:
    """Log one param on the current kit run (written now).

    Examples
    --------
    >>> import tempfile
    >>> with start_run("d", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/m.db") as run:
    ...     log_param("model", "gbm")
    >>> run.client.get_run(run.run_id).data.params["model"]
    'gbm'
    """
    _require_run().log_param(key, value)


def set_tags(tags: dict) -> None:
    """Set tags on the current kit run (written now).

    Examples
    --------
    >>> import tempfile
    >>> with start_run("d", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/m.db") as run:
    ...     set_tags({"team": "risk", "stage": "dev"})
    >>> tags = run.client.get_run(run.run_id).data.tags
    >>> tags["team"], tags["stage"]
    ('risk', 'dev')
    """
    _require_run().set_tags(tags)


def set_tag(key: str, value) -> None:
    """Set one tag on the current kit run (written now).

    Examples
    --------
    >>> import tempfile
    >>> with start_run("d", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/m.db") as run:
    ...     set_tag("owner", "ana")
    >>> run.client.get_run(run.run_id).data.tags["owner"]
    'ana'
    """
    _require_run().set_tag(key, value)


def flush() -> int:
    """Write the current kit run's buffered metrics now; return how many.

    Examples
    --------
    >>> import tempfile
    >>> uri = f"sqlite:///{tempfile.mkdtemp()}/m.db"
    >>> with start_run("d", tracking_uri=uri, flush_interval=None) as run:
    ...     log_metrics({"loss": 0.5, "acc": 0.9})
    ...     n_written = flush()
    >>> n_written
    2
    >>> run.client.get_run(run.run_id).data.metrics["acc"]
    0.9
    """
    return _require_run().flush()


def end_run(status: str = "FINISHED") -> str | None:
    """End the current kit run (no-op returning None if there is none).

    Examples
    --------
    >>> import tempfile
    >>> _ = start_run("d", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/m.db")
    >>> end_run()
    'FINISHED'
    """
    run = current_run()
    return None if run is None else run.end(status)
