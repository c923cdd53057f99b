"""Served predictions written to the prediction log without user code, in batches.

:func:`~mlops_kit.deploy.serving.serve` and :class:`~mlops_kit.deploy.router.Router`
take ``prediction_log=`` (a :class:`~mlops_kit.monitoring.log.PredictionLog` or a
path) and hand every answered request to a :class:`PredictionRecorder` in
the client or router process: one row per input row, with its features, the
prediction, the model name and version, the request's latency and an id
``<request id>:<row>`` (the request id is the caller's, so labels can be joined
later, or a random one).

The recorder never slows a request down nor loses a row:

- ``record`` only appends to an in-memory buffer; one writer thread (with its
  own SQLite connection) writes the buffer as one transaction when it holds
  ``batch_size`` rows or every ``flush_interval`` seconds;
- a batch the log refuses as a whole (the file locked for longer than its busy
  timeout, a full disk) goes back to the front of the buffer and is retried,
  with ``last_error`` set; bad rows (a duplicate id, no prediction or a NaN
  one) are kept in the log's ``rejected`` table (``on_error="record"``) and
  counted in ``rejected``, never dropped, and never hold up the rest;
- a row that makes the whole batch fail while the log itself takes writes (a
  value SQLite cannot store) is found by writing that batch row by row: the
  other rows are written, and the row is kept in :meth:`dead_letter` with its
  error, counted in ``failed`` and logged (logger ``mlops_kit.deploy``), so it
  is never retried forever;
- ``flush()`` waits until everything recorded so far is written; ``close()``
  flushes and stops the thread, and raises with the rows still held
  (``pending()``) if the log cannot take them. Recorders still open at
  interpreter exit are closed.

Examples
--------
>>> import tempfile, os
>>> import numpy as np, pandas as pd
>>> from mlops_kit.monitoring.log import PredictionLog
>>> log = PredictionLog(os.path.join(tempfile.mkdtemp(), "served.db"))
>>> recorder = PredictionRecorder(log, model="credit-risk", version="3")
>>> recorder.record(pd.DataFrame({"x": [1.0, 2.0]}), np.array([0, 1]), latency_ms=4.2,
...                 request_id="req-7")
'req-7'
>>> recorder.close()
>>> log.read()[["id", "model", "version", "prediction", "latency_ms", "x"]].values.tolist()
[['req-7:0', 'credit-risk', '3', 0, 4.2, 1.0], ['req-7:1', 'credit-risk', '3', 1, 4.2, 2.0]]

A row without a prediction is set aside, visibly, and the rest is written:

>>> recorder = PredictionRecorder(log)
>>> _ = recorder.record(pd.DataFrame({"x": [3.0, 4.0]}), [1.0, np.nan], request_id="req-8")
>>> recorder.close()
>>> recorder.written, recorder.rejected, log.rejected()["reason"].str[:32].tolist()
(1, 1, ['Invalid rows: got "a row without'])
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import sqlite3
import threading
import uuid
import weakref
from datetime import UTC, datetime

from mlops_kit._params import InstanceOf, Interval, Predicate, check_param
from mlops_kit.errors import DeploymentError, InputError

__all__ = ["PredictionRecorder", "is_log_target", "rows_from_request"]

_OPEN: weakref.WeakSet = weakref.WeakSet()
_RETRY_SECONDS = (0.1, 0.5, 1.0, 2.0, 5.0)
_LOGGER = logging.getLogger("mlops_kit.deploy")
#: errors of the log itself (locked, disk full, I/O): the rows are kept and retried
_LOG_WIDE = (sqlite3.OperationalError, OSError)


def is_log_target(value) -> bool:
    """True for a PredictionLog, a path (str or os.PathLike) or a PredictionRecorder."""
    import os

    if isinstance(value, (str, os.PathLike, PredictionRecorder)):
        return True
    from mlops_kit.monitoring.log import PredictionLog

    return isinstance(value, PredictionLog)


LOG_TARGET = Predicate(is_log_target, "a PredictionLog, a path to one, or a PredictionRecorder")


class PredictionRecorder:
    """Buffer served predictions and write them to a prediction log from one writer thread.

    Parameters
    ----------
    log : PredictionLog or str or os.PathLike
        The log (a path is opened, and created, as a PredictionLog).
    batch_size : int, default 256
        Rows that trigger a write.
    flush_interval : float, default 1.0
        Seconds after which buffered rows are written anyway.
    model, version : str, optional
        Recorded on every row unless ``record`` is given its own.

    Examples
    --------
    >>> import tempfile, os
    >>> PredictionRecorder(os.path.join(tempfile.mkdtemp(), "p.db")).pending()
    []
    """

    def __init__(self, log, batch_size=256, flush_interval=1.0, model=None, version=None):
        from mlops_kit.monitoring.log import PredictionLog

        check_param("log", log, [LOG_TARGET])
        check_param("batch_size", batch_size, [Interval(int, 1, None)])
        check_param("flush_interval", flush_interval, [Interval(float, 0, None, closed="neither")])
        if isinstance(log, PredictionRecorder):
            raise InputError.invalid("log", "a PredictionRecorder", "a PredictionLog or a path")
        given = log if isinstance(log, PredictionLog) else PredictionLog(log)
        self.path = given.path
        self._max_delay = given.max_delay
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.model = None if model is None else str(model)
        self.version = None if version is None else str(version)
        self.written = 0  # rows the log accepted
        self.rejected = 0  # rows the log kept aside in its rejected table
        self.failed = 0  # rows the log could not hold at all: in dead_letter()
        self.last_error: Exception | None = None
        self._dead: list = []
        self._rows: list = []
        self._queued = 0
        self._done = 0
        self._cond = threading.Condition()
        self._flush_wanted = False
        self._closing = False
        self._thread: threading.Thread | None = None
        _OPEN.add(self)

    def __repr__(self) -> str:
        return f"PredictionRecorder({str(self.path)!r}, written={self.written})"

    # --- recording ----------------------------------------------------------------
    def record(
        self, frame, predictions, latency_ms=None, request_id=None, model=None, version=None
    ) -> str:
        """Buffer one answered request (one row per input row); return its request id.

        Parameters
        ----------
        frame : pandas.DataFrame
            The request's input rows (their columns are the logged features).
        predictions : array-like or pandas.DataFrame
            The answer, one per row; a DataFrame answer gives ``prediction``
            (its ``prediction`` column, else its first) and ``probability``
            (its ``probability`` column, when there is one).
        latency_ms : float, optional
            The request's latency, recorded on each of its rows.
        request_id : str, optional
            Row ids are ``<request_id>:<row>``; default a random id.
        model, version : str, optional
            Default the recorder's.
        """
        rows = rows_from_request(
            frame,
            predictions,
            latency_ms=latency_ms,
            request_id=request_id,
            model=self.model if model is None else model,
            version=self.version if version is None else version,
        )
        request_id = rows[0]["id"].rsplit(":", 1)[0] if rows else str(request_id or "")
        with self._cond:
            if self._closing:
                raise DeploymentError(
                    f"The prediction recorder of {self.path} is closed: the request's "
                    f"{len(rows)} rows were not recorded"
                )
            self._rows.extend(rows)
            self._queued += len(rows)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._write_loop, name="mlops-kit-prediction-log", daemon=True
                )
                self._thread.start()
            if len(self._rows) >= self.batch_size:
                self._cond.notify_all()
        return request_id

    def pending(self) -> list:
        """The rows recorded but not written yet (a copy)."""
        with self._cond:
            return list(self._rows)

    def dead_letter(self) -> list:
        """The rows the log could not hold, each ``{"row": ..., "error": ...}`` (a copy).

        A row lands here when the whole batch failed with it and, written
        alone to a log that takes other writes, it still failed (a value
        SQLite cannot store). Rows the log refuses with a reason (no
        prediction, a duplicate id) are in the log's ``rejected`` table instead.
        """
        with self._cond:
            return list(self._dead)

    def flush(self, timeout: float = 60.0) -> int:
        """Write everything recorded so far and return how many rows the log holds from us.

        Raises :class:`~mlops_kit.errors.DeploymentError` (the rows stay in
        :meth:`pending`) when the log cannot take them within ``timeout`` seconds.
        """
        with self._cond:
            target = self._queued
            if self._done >= target:
                return self.written
            self._flush_wanted = True
            self._cond.notify_all()
            ok = self._cond.wait_for(lambda: self._done >= target, timeout=timeout)
            if not ok:
                raise DeploymentError(
                    f"The prediction log {self.path} did not take {target - self._done} rows "
                    f"within {timeout:g} s (kept in memory, retried): {self.last_error}"
                )
            return self.written

    def close(self, timeout: float = 60.0) -> None:
        """Flush, stop the writer thread (idempotent); raise if rows could not be written."""
        with self._cond:
            if self._thread is None:
                self._closing = True
                return
        try:
            self.flush(timeout)
        finally:
            with self._cond:
                self._closing = True
                self._cond.notify_all()
            self._thread.join(timeout)
            _OPEN.discard(self)

    # --- the writer thread ----------------------------------------------------------
    def _write_loop(self) -> None:
        from mlops_kit.monitoring.log import PredictionLog

        log = PredictionLog(self.path, max_delay=self._max_delay)  # this thread's connection
        failures = 0
        try:
            while True:
                with self._cond:
                    self._cond.wait_for(
                        lambda: (
                            self._closing
                            or self._flush_wanted
                            or len(self._rows) >= self.batch_size
                        ),
                        timeout=self.flush_interval,
                    )
                    batch, self._rows = self._rows, []
                    self._flush_wanted = False
                    if not batch and self._closing:
                        return
                if not batch:
                    continue
                try:
                    written, dead, rest, error = log.append(batch, on_error="record"), [], [], None
                except Exception as exc:  # find the rows at fault; the rest is kept and retried
                    written, dead, rest, error = _write_singly(log, batch, exc)
                self._account(batch, written, dead, rest, error)
                if not rest:
                    failures = 0
                    continue
                with self._cond:
                    if self._closing:
                        return
                wait = _RETRY_SECONDS[min(failures, len(_RETRY_SECONDS) - 1)]
                failures += 1
                with self._cond:
                    self._cond.wait_for(lambda: self._closing, timeout=wait)
                log.close()
        finally:
            log.close()

    def _account(self, batch, written, dead, rest, error) -> None:
        """Count what became of ``batch``; ``rest`` goes back to the front of the buffer.

        The set-aside rows are logged before ``flush()`` can return.
        """
        done = len(batch) - len(rest)
        rejected = done - written - len(dead)
        if rejected:
            _LOGGER.warning(
                "%d served rows kept in the rejected table of the prediction log %s "
                "(see PredictionLog.rejected())",
                rejected,
                self.path,
            )
        for row, exc in dead:
            _LOGGER.error(
                "Served row %r could not be written to the prediction log %s, kept in "
                "dead_letter(): %s",
                row.get("id"),
                self.path,
                exc,
            )
        with self._cond:
            self.written += written
            self.rejected += rejected
            self.failed += len(dead)
            self._dead.extend({"row": row, "error": str(exc)} for row, exc in dead)
            self._done += done
            self._rows[:0] = rest
            self.last_error = error
            self._cond.notify_all()


def _write_singly(log, batch, exc):
    """After ``batch`` failed with ``exc``: write it row by row to find the rows at fault.

    Returns ``(written, dead, rest, error)``: rows written, ``(row, error)`` pairs
    the log takes no other way, the rows to keep and retry, and the error to show.
    An error of the log itself (locked, full, I/O, a newer schema) keeps them all.
    """
    if isinstance(exc, _LOG_WIDE):
        return 0, [], batch, exc
    try:
        log.append([], on_error="record")  # does the log take writes at all?
    except Exception as probe:
        return 0, [], batch, probe
    written, dead = 0, []
    for i, row in enumerate(batch):
        try:
            written += log.append([row], on_error="record")
        except _LOG_WIDE as wide:
            return written, dead, batch[i:], wide
        except Exception as alone:  # this row only, on a log that takes writes
            dead.append((row, alone))
    return written, dead, [], None


def rows_from_request(
    frame, predictions, latency_ms=None, request_id=None, model=None, version=None, time=None
) -> list[dict]:
    """The prediction-log rows of one answered request (what :meth:`record` buffers).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = rows_from_request(pd.DataFrame({"x": [3.0]}), [0.7], request_id="r", model="m")
    >>> rows[0]["id"], rows[0]["features"], rows[0]["prediction"], rows[0]["model"]
    ('r:0', {'x': 3.0}, 0.7, 'm')
    """
    import numpy as np
    import pandas as pd

    from mlops_kit.results import jsonable

    check_param("frame", frame, [InstanceOf(pd.DataFrame, description="a pandas DataFrame")])
    probability = None
    if isinstance(predictions, pd.DataFrame):
        column = "prediction" if "prediction" in predictions else predictions.columns[0]
        if "probability" in predictions:
            probability = predictions["probability"].to_numpy(dtype=float)
        values = predictions[column].to_numpy()
    else:
        values = np.asarray(predictions)
    if len(values) != len(frame):
        raise InputError.invalid(
            "predictions", f"{len(values)} predictions", f"one per input row ({len(frame)})"
        )
    request_id = uuid.uuid4().hex if request_id is None else str(request_id)
    now = time or datetime.now(UTC)
    features = jsonable(frame.to_dict("records"))
    rows = []
    for i, (feats, value) in enumerate(zip(features, values, strict=True)):
        if pd.api.types.is_scalar(value) and not isinstance(value, str) and pd.isna(value):
            value = None  # NaN, NA, NaT: no prediction (the log keeps such a row aside)
        value = jsonable(value)
        if isinstance(value, (list, dict)):  # a multi-output answer: kept whole, as JSON text
            value = json.dumps(value)
        rows.append(
            {
                "id": f"{request_id}:{i}",
                "time": now,
                "model": model,
                "version": None if version is None else str(version),
                "features": feats,
                "prediction": value,
                "probability": None if probability is None else jsonable(probability[i]),
                "latency_ms": None if latency_ms is None else float(latency_ms),
            }
        )
    return rows


def recorder_for(target, model=None, version=None):
    """A PredictionRecorder for ``target`` (a recorder is used as it is), or None."""
    if target is None or isinstance(target, PredictionRecorder):
        return target
    return PredictionRecorder(target, model=model, version=version)


@atexit.register
def _close_all() -> None:
    for recorder in list(_OPEN):
        with contextlib.suppress(Exception):
            recorder.close(timeout=10.0)
