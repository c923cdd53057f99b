"""The run handle returned by :func:`mlops_kit.tracking.start_run`.

A :class:`Run` wraps one MLflow run: metrics go through a
:class:`~mlops_kit.tracking.buffer.MetricBuffer` (fast, batched), params and
tags are written at once. Used as a context manager it ends the run
``FINISHED`` on normal exit and ``FAILED`` (after writing every buffered
value) when the block raises; the exception is re-raised.

Examples
--------
>>> import tempfile
>>> from mlops_kit.tracking.fluent import start_run
>>> uri = f"sqlite:///{tempfile.mkdtemp()}/mlruns.db"
>>> with start_run("demo", tracking_uri=uri) as run:
...     run.log_metric("loss", 0.5)
>>> run.status
'FINISHED'
"""

from __future__ import annotations

import threading
import warnings

from mlops_kit.errors import InputError, TrackingError
from mlops_kit.tracking import exit_hooks
from mlops_kit.tracking.buffer import check_key

__all__ = ["Run", "to_params", "to_tags"]

_MAX_PARAM_VALUE = 6000
_MAX_TAG_VALUE = 8000


def _as_dict(name: str, value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError.invalid(name, type(value).__name__, "a dict of name -> value")
    return value


def _as_strings(kind: str, values, limit: int) -> dict[str, str]:
    out = {}
    for key, value in _as_dict(f"{kind}s", values).items():
        check_key(key, f"{kind} name")
        text = str(value)
        if len(text) > limit:
            raise InputError.invalid(
                f"value of {kind} {key!r}", f"{len(text)} characters", f"at most {limit} characters"
            )
        out[key] = text
    return out


def to_params(params) -> dict[str, str]:
    """Validate params (names and lengths, as MLflow will) and return them as strings.

    Examples
    --------
    >>> to_params({"lr": 0.1, "depth": 3})
    {'lr': '0.1', 'depth': '3'}
    """
    return _as_strings("param", params, _MAX_PARAM_VALUE)


def to_tags(tags) -> dict[str, str]:
    """Validate tags (names and lengths) and return them as strings.

    Examples
    --------
    >>> to_tags({"team": "risk"})
    {'team': 'risk'}
    """
    return _as_strings("tag", tags, _MAX_TAG_VALUE)


def _store_error(what: str, exc: Exception) -> TrackingError:
    from mlflow.exceptions import MlflowException

    if isinstance(exc, MlflowException) and exc.error_code == "INVALID_PARAMETER_VALUE":
        return InputError(f"{what} rejected by MLflow: {exc.message}")
    return TrackingError(f"{what} failed: {type(exc).__name__}: {exc}")


class Run:
    """Handle on an active MLflow run with buffered metric logging.

    Create it with :func:`mlops_kit.tracking.start_run`, not directly.

    Parameters
    ----------
    run_id : str
        The MLflow run id.
    experiment_id : str
        Its experiment.
    tracking_uri : str
        The store it lives in.
    client : mlflow.MlflowClient
        Client of that store.
    buffer : MetricBuffer
        The metric buffer of this run.
    name : str, optional
        The run name.

    Examples
    --------
    >>> import tempfile
    >>> from mlops_kit.tracking.fluent import start_run
    >>> run = start_run("demo", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/mlruns.db")
    >>> run.log_metrics({"acc": 0.9, "loss": 0.1}); run.log_params({"lr": 0.1})
    >>> run.end()
    'FINISHED'
    """

    def __init__(self, run_id, experiment_id, tracking_uri, client, buffer, name=None):
        self.run_id = run_id
        self.experiment_id = experiment_id
        self.tracking_uri = tracking_uri
        self.client = client
        self.buffer = buffer
        self.name = name
        self.status = "RUNNING"
        self._end_lock = threading.RLock()
        self._ending = False

    def __repr__(self) -> str:
        return f"Run(name={self.name!r}, run_id={self.run_id!r}, status={self.status!r})"

    @property
    def ended(self) -> bool:
        """True once the run was ended."""
        return self.status != "RUNNING"

    # -- metrics (buffered) ----------------------------------------------------
    def log_metric(self, key: str, value, step: int | None = None) -> None:
        """Buffer one metric value (validated now; written in batches).

        ``step`` defaults to the next step of ``key`` (0, 1, 2, ...).
        Raises :class:`~mlops_kit.errors.InputError` for a bad name or value.

        Examples
        --------
        >>> import tempfile
        >>> from mlops_kit.tracking.fluent import start_run
        >>> with start_run("d", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/m.db") as run:
        ...     for v in (0.3, 0.2):
        ...         run.log_metric("loss", v)
        """
        self.buffer.add(key, value, step)

    def log_metrics(self, metrics: dict, step: int | None = None) -> None:
        """Buffer several metrics at one step; nothing is buffered if any is invalid.

        Examples
        --------
        >>> import tempfile
        >>> from mlops_kit.tracking.fluent import start_run
        >>> with start_run("d", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/m.db") as run:
        ...     run.log_metrics({"acc": 0.91, "auc": 0.95})
        """
        self.buffer.add_many(metrics, step)

    def flush(self) -> int:
        """Write every buffered metric now; return how many were written.

        Examples
        --------
        >>> import tempfile
        >>> from mlops_kit.tracking.fluent import start_run
        >>> with start_run("d", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/m.db") as run:
        ...     run.log_metric("acc", 0.9)
        ...     run.flush()
        1
        """
        return self.buffer.flush()

    # -- params and tags (written at once) -------------------------------------
    def _log_batch(self, what: str, params=None, tags=None) -> None:
        from mlflow.entities import Param, RunTag

        params = [Param(k, v) for k, v in (params or {}).items()]
        tags = [RunTag(k, v) for k, v in (tags or {}).items()]
        try:
            self.client.log_batch(self.run_id, params=params, tags=tags, synchronous=True)
        except Exception as exc:
            raise _store_error(what, exc) from exc

    def log_params(self, params: dict) -> None:
        """Log params (written now). MLflow params cannot change once logged.

        Examples
        --------
        >>> import tempfile
        >>> from mlops_kit.tracking.fluent import start_run
        >>> with start_run("d", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/m.db") as run:
        ...     run.log_params({"lr": 0.01, "depth": 4})
        """
        self._log_batch(f"Logging params {sorted(params or {})}", params=to_params(params))

    def log_param(self, key: str, value) -> None:
        """Log one param (written now)."""
        self.log_params({key: value})

    def set_tags(self, tags: dict) -> None:
        """Set tags on the run (written now).

        Examples
        --------
        >>> import tempfile
        >>> from mlops_kit.tracking.fluent import start_run
        >>> with start_run("d", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/m.db") as run:
        ...     run.set_tags({"team": "risk"})
        """
        self._log_batch(f"Setting tags {sorted(tags or {})}", tags=to_tags(tags))

    def set_tag(self, key: str, value) -> None:
        """Set one tag (written now)."""
        self.set_tags({key: value})

    # -- lifecycle -------------------------------------------------------------
    def end(self, status: str = "FINISHED") -> str:
        """Write buffered metrics, then end the run with ``status``; return the status.

        Ending twice is a no-op, and so is an end re-entered while this one
        runs (a signal handler in the same thread, or another thread, which
        waits for this one). If the final write fails the run is still ended
        (as ``FAILED``) and :class:`~mlops_kit.errors.TrackingError` is
        raised; the values stay in ``run.buffer`` and ``run.flush()`` retries.

        Examples
        --------
        >>> import tempfile
        >>> from mlops_kit.tracking.fluent import start_run
        >>> start_run("d", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/m.db").end("KILLED")
        'KILLED'
        """
        allowed = ("FINISHED", "FAILED", "KILLED")
        if status not in allowed:
            raise InputError.invalid("status", status, " or ".join(allowed))
        with exit_hooks.busy(), self._end_lock:
            if self.ended or self._ending:  # ended, or re-entered by a signal handler
                return self.status
            self._ending = True
            try:
                return self._end(status)
            finally:
                self._ending = False

    def _end(self, status: str) -> str:
        error = None
        try:
            self.buffer.close()
        except TrackingError as exc:
            error = exc
            status = "FAILED"
        try:
            self._terminate(status)
        except Exception as exc:
            if error is None:
                error = _store_error(f"Ending run {self.run_id}", exc)
        self.status = status
        exit_hooks.unregister(self)
        if error is not None:
            raise error
        return status

    def _terminate(self, status: str) -> None:
        import mlflow

        active = mlflow.active_run()
        if active is not None and active.info.run_id == self.run_id:
            mlflow.end_run(status)
        else:
            self.client.set_terminated(self.run_id, status)

    def __enter__(self) -> Run:
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None:
            self.end("FINISHED")
            return False
        try:
            self.end("FAILED")
        except Exception as end_exc:  # never hide the user's exception
            warnings.warn(f"While ending run {self.run_id}: {end_exc}", RuntimeWarning, 2)
        return False
