"""Buffered metric logging: values go to memory, then to MLflow in batches.

A :class:`MetricBuffer` validates each value when it is logged (so bad input
fails at once, naming the key) and keeps it in memory with its step and a
millisecond timestamp taken at log time. Values are written with
``MlflowClient.log_batch`` (at most 1,000 metrics a call, MLflow's limit):

- when the buffer holds ``max_size`` values, **or** as many values as the
  store can take in ``max_write_seconds`` (measured on this buffer's own
  writes), whichever is fewer (in the logging thread, so a fast loop waits
  for a slow store instead of piling up values it could never write in time);
- every ``flush_interval`` seconds (a background daemon thread);
- on :meth:`MetricBuffer.flush` / :meth:`MetricBuffer.close` (run end,
  exception in a ``with`` block), on a Jupyter kernel's shutdown request, at
  interpreter exit and on SIGTERM (see :mod:`mlops_kit.tracking.exit_hooks`).

The write-time cap is what makes the exit paths safe: a closing kernel gets
SIGTERM 2.5 s and SIGKILL 5 s after the shutdown request, so whatever is
pending must be writable in well under that, whatever ``max_size`` says.

Nothing is dropped: values leave the buffer only after the store confirmed
them (one ``log_batch`` transaction per chunk); a write that fails keeps them,
in order, and raises :class:`~mlops_kit.errors.TrackingError` naming the
cause; the next flush retries them. A flush re-entered from a signal handler
in the same thread returns at once and lets the outer flush finish.

Values: any real number (``int``, ``float``, numpy scalars, ``Decimal``...).
``bool`` is rejected, as MLflow does (log ``int(flag)`` explicitly); strings
such as ``"0.9"`` are rejected; NaN and +/-inf are allowed, as in MLflow.

Examples
--------
>>> import tempfile, mlflow
>>> client = mlflow.MlflowClient(f"sqlite:///{tempfile.mkdtemp()}/mlruns.db")
>>> run_id = client.create_run("0").info.run_id
>>> buf = MetricBuffer(client, run_id, flush_interval=None)
>>> buf.add("loss", 0.5); buf.add("loss", 0.25)
>>> len(buf), buf.flush(), len(buf)
(2, 2, 0)
>>> [m.step for m in client.get_metric_history(run_id, "loss")]
[0, 1]
"""

from __future__ import annotations

import numbers
import posixpath
import re
import threading
import time
import warnings

from mlops_kit._params import Interval, Params
from mlops_kit.errors import InputError, TrackingError
from mlops_kit.tracking import exit_hooks

__all__ = ["BATCH_LIMIT", "MetricBuffer", "check_key", "check_metric_value"]

#: MLflow accepts at most 1,000 metrics in one ``log_batch`` call.
BATCH_LIMIT = 1000

_NAME_RE = re.compile(r"^[/\w.\- :]*$")
_MAX_KEY_LENGTH = 250
_NAME_RULE = (
    "a non-empty string of at most 250 alphanumerics, underscores, dashes, periods, "
    "spaces, colons and slashes that is not a path such as '/x', './x' or 'a//b'"
)


def check_key(key, kind: str = "metric name") -> str:
    """Check that ``key`` is a valid MLflow metric, param or tag name and return it.

    Mirrors MLflow's own rule (``mlflow.utils.validation``).

    Raises
    ------
    InputError
        Naming the key received and the rule.

    Examples
    --------
    >>> check_key("val/acc")
    'val/acc'
    >>> check_key("acc!")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid metric name: got 'acc!'; allowed: ...
    """
    if (
        not isinstance(key, str)
        or not key
        or len(key) > _MAX_KEY_LENGTH
        or not _NAME_RE.match(key)
        or posixpath.normpath(key) != key
        or key == "."
        or key.startswith(("..", "/"))
    ):
        raise InputError.invalid(kind, key, _NAME_RULE)
    return key


def check_metric_value(key: str, value) -> float:
    """Return ``value`` as a float if it is a real number, else raise InputError.

    Examples
    --------
    >>> check_metric_value("acc", 1)
    1.0
    >>> check_metric_value("acc", "0.9")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid value of metric 'acc': got '0.9'; allowed: ...
    """
    if type(value) is float:
        return value
    if (
        isinstance(value, numbers.Number)
        and not isinstance(value, bool)
        and (isinstance(value, numbers.Real) or not isinstance(value, numbers.Complex))
    ):  # int, float, numpy numbers, Fraction, Decimal; not complex
        try:
            return float(value)
        except (TypeError, ValueError, OverflowError):
            pass
    raise InputError.invalid(
        f"value of metric {key!r}",
        value,
        "a real number (int, float, numpy number; NaN and inf allowed; not bool or str)",
        hint="Convert it first, e.g. float(x) or int(flag).",
    )


def _check_step(label: str, step) -> int:
    if isinstance(step, numbers.Integral) and not isinstance(step, bool):
        step = int(step)
        if -(2**63) <= step < 2**63 - 1:  # MLflow stores a 64-bit integer
            return step
    raise InputError.invalid(label, step, "a 64-bit integer or None (auto-increment per key)")


class MetricBuffer(Params):
    """Thread-safe in-memory buffer of metric values for one MLflow run.

    Unlike the kit's analyses, a buffer checks its options when created:
    it is a live object that starts taking values at once.

    Parameters
    ----------
    client : mlflow.MlflowClient
        Client of the store the run lives in.
    run_id : str
        The run the values belong to.
    max_size : int, default 1000
        Number of values that triggers a write from the logging thread.
        The attribute ``written`` counts the values stored so far and
        ``last_error`` holds the cause of the last failed write (or None).
    flush_interval : float or None, default 2.0
        Seconds between background writes; ``None`` or ``0`` disables the
        background thread (values are then written when full or on flush).
        This bounds what a SIGKILL can lose: the values of one interval.
    max_write_seconds : float, default 1.0
        Never hold more values than the store can take in about this many
        seconds (the rate is measured on this buffer's writes; at least one
        batch of 1,000 is always allowed), so a final flush at kernel shutdown
        or SIGTERM finishes before the process is killed.

    Examples
    --------
    >>> import tempfile, mlflow
    >>> client = mlflow.MlflowClient(f"sqlite:///{tempfile.mkdtemp()}/mlruns.db")
    >>> run_id = client.create_run("0").info.run_id
    >>> buf = MetricBuffer(client, run_id, max_size=2, flush_interval=None)
    >>> buf.add("acc", 0.8); buf.add("acc", 0.9)  # full: written now
    >>> len(client.get_metric_history(run_id, "acc"))
    2
    """

    _parameter_constraints = {
        "max_size": [Interval(int, 1, None)],
        "flush_interval": [None, Interval(float, 0, None)],
        "max_write_seconds": [Interval(float, 0, None, closed="neither")],
    }

    def __init__(
        self,
        client,
        run_id: str,
        max_size: int = BATCH_LIMIT,
        flush_interval: float | None = 2.0,
        max_write_seconds: float = 1.0,
    ):
        self.client = client
        self.run_id = run_id
        self.max_size = max_size
        self.flush_interval = flush_interval
        self.max_write_seconds = max_write_seconds
        self._validate_params()
        self.last_error: BaseException | None = None
        self.written = 0
        self.rate: float | None = None  # values per second measured on writes
        self._limit = min(max_size, BATCH_LIMIT)
        self._pending: list[tuple[str, float, int, int]] = []
        self._next_step: dict[str, int] = {}
        self._valid_keys: set[str] = set()
        self._lock = threading.RLock()
        self._flush_lock = threading.RLock()
        self._flushing = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._warned = False

    # -- logging ---------------------------------------------------------------
    def add(self, key: str, value, step: int | None = None, timestamp: int | None = None) -> None:
        """Validate one value and buffer it (written when full, on interval or flush).

        Parameters
        ----------
        key : str
            Metric name (see :func:`check_key`).
        value : real number
            The value (see :func:`check_metric_value`).
        step : int, optional
            Step; by default the next step of this key (0, 1, 2, ...).
        timestamp : int, optional
            Milliseconds since the epoch; by default the time of this call.

        Examples
        --------
        >>> buf = MetricBuffer(None, "r", flush_interval=None)
        >>> buf.add("loss", 1.0); buf.add("loss", 0.5, step=10); buf.add("loss", 0.4)
        >>> [p[3] for p in buf.pending()]
        [0, 10, 11]
        """
        if key not in self._valid_keys:
            check_key(key)
            self._valid_keys.add(key)
        value = check_metric_value(key, value)
        if step is not None:
            step = _check_step(f"step of metric {key!r}", step)
        if timestamp is None:
            timestamp = int(time.time() * 1000)
        elif (
            not isinstance(timestamp, numbers.Integral)
            or isinstance(timestamp, bool)
            or not 0 <= timestamp < 2**63
        ):
            raise InputError.invalid("timestamp", timestamp, "milliseconds since the epoch")
        with self._lock:
            if self._closed:
                raise TrackingError(
                    f"Cannot log metric {key!r}: run {self.run_id} has ended. Start a new run."
                )
            nxt = self._next_step.get(key, 0)
            if step is None:
                step = nxt
            self._next_step[key] = max(nxt, step + 1)
            self._pending.append((key, value, int(timestamp), step))
            full = len(self._pending) >= self._limit
        if exit_hooks._SIGTERM_DEFERRED:  # a SIGTERM arrived while the lock was held
            exit_hooks.run_deferred()
        if full:
            self.flush()

    def add_many(self, metrics: dict, step: int | None = None) -> None:
        """Validate every value of ``metrics`` first, then buffer them all.

        Nothing is buffered if any key or value is invalid.

        Examples
        --------
        >>> buf = MetricBuffer(None, "r", flush_interval=None)
        >>> buf.add_many({"acc": 0.9, "loss": 0.1})
        >>> len(buf)
        2
        """
        if not isinstance(metrics, dict):
            raise InputError.invalid("metrics", type(metrics).__name__, "a dict of name -> number")
        for key, value in metrics.items():
            check_key(key)
            check_metric_value(key, value)
        if step is not None:
            _check_step("step", step)
        timestamp = int(time.time() * 1000)
        for key, value in metrics.items():
            self.add(key, value, step=step, timestamp=timestamp)

    def pending(self) -> list[tuple[str, float, int, int]]:
        """Return a copy of the buffered ``(key, value, timestamp, step)`` tuples."""
        with self._lock:
            return list(self._pending)

    def __len__(self) -> int:
        return len(self._pending)

    @property
    def limit(self) -> int:
        """The number of pending values that triggers a write now (``max_size`` or less).

        Examples
        --------
        >>> MetricBuffer(None, "r", max_size=10, flush_interval=None).limit
        10
        """
        return self._limit

    # -- writing ---------------------------------------------------------------
    def _write(self, chunk) -> None:
        from mlflow.entities import Metric

        metrics = [Metric(k, v, t, s) for k, v, t, s in chunk]
        self.client.log_batch(self.run_id, metrics=metrics, synchronous=True)

    def _measured(self, n: int, seconds: float) -> None:
        if n < 100 or seconds <= 0:
            return
        sample = n / seconds
        self.rate = sample if self.rate is None else 0.5 * self.rate + 0.5 * sample
        by_time = max(BATCH_LIMIT, int(self.rate * self.max_write_seconds))
        self._limit = min(self.max_size, by_time)

    def flush(self) -> int:
        """Write every value buffered when called; return how many were written.

        Values leave the buffer only once the store has confirmed them.

        Raises
        ------
        TrackingError
            If the store rejects or cannot take a batch. The values not yet
            written stay in the buffer (in order) for the next flush.

        Examples
        --------
        >>> MetricBuffer(None, "r", flush_interval=None).flush()
        0
        """
        written = 0
        with exit_hooks.busy(), self._flush_lock:
            if self._flushing:  # re-entered in this thread (a signal handler): outer one writes
                return 0
            self._flushing = True
            try:
                with self._lock:
                    target = len(self._pending)
                while written < target:
                    with self._lock:
                        chunk = self._pending[: min(BATCH_LIMIT, target - written)]
                    if not chunk:
                        break
                    t0 = time.perf_counter()
                    self._write(chunk)
                    elapsed = time.perf_counter() - t0
                    with self._lock:
                        del self._pending[: len(chunk)]
                        written += len(chunk)
                        self.written += len(chunk)
                    self._measured(len(chunk), elapsed)
            except Exception as exc:
                self.last_error = exc
                raise TrackingError(
                    f"Could not write metrics of run {self.run_id} to the tracking store: "
                    f"{type(exc).__name__}: {exc}. {len(self._pending)} value(s) are kept in the "
                    "buffer; fix the store and call flush() again."
                ) from exc
            finally:
                self._flushing = False
            self.last_error = None
            self._warned = False
        return written

    # -- background thread -----------------------------------------------------
    def start(self) -> MetricBuffer:
        """Start the background flush thread (if ``flush_interval`` is set); return self."""
        if self.flush_interval and self._thread is None:
            self._thread = threading.Thread(
                target=self._loop, name=f"mlops-kit-flush-{self.run_id[:8]}", daemon=True
            )
            self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(self.flush_interval):
            if not self._pending:
                continue
            try:
                self.flush()
            except TrackingError as exc:  # kept in the buffer; retried next interval
                if not self._warned:
                    self._warned = True
                    warnings.warn(str(exc), RuntimeWarning, stacklevel=1)

    def close(self) -> int:
        """Stop the background thread, write what is left and refuse new values.

        Returns the number of values written. Raises TrackingError (values
        kept; :meth:`flush` may be called again) if the final write fails.
        """
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=max(30.0, 2 * (self.flush_interval or 0)))
        with self._lock:
            self._closed = True
        return self.flush()

    @property
    def closed(self) -> bool:
        """True once :meth:`close` was called."""
        return self._closed
