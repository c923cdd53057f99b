"""Closed days of the prediction log, compacted to Parquet for fast windowed analytics.

The SQLite file stays the log's one authority: every append, every label and
every uniqueness check goes there. :func:`compact` copies each *closed* day
(a UTC day that ends before the newest prediction less the log's ``max_delay``,
so late rows can no longer land in it) into one Parquet file, sorted as the log
is read (time, then insertion order), labels included. :func:`scan_columns`
then reads those days column-wise from Parquet and only the rest (the open
tail, and any day changed since it was compacted) from SQLite.

Crash safety: a day is written to a temporary file, fsynced, renamed over its
final name (atomic) and only then registered in the log's ``compacted`` table,
all inside one SQLite write transaction (appends wait for it, a day at a
time). A process killed at any point leaves either the old registration or the
new one; a file that is not registered is never read, so nothing is lost and
nothing is counted twice, and running :func:`compact` again finishes the job.

Staleness: triggers in the log mark a compacted day ``stale`` when a prediction
or a label for it arrives later (a late label is the common case). A stale day
is read from SQLite until the next :func:`compact` rewrites it, so the
analytics never miss a row.

Examples
--------
>>> import tempfile, os
>>> from mlops_kit.monitoring.log import PredictionLog
>>> log = PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db"))
>>> _ = log.append([{"id": str(i), "time": f"2024-01-0{1 + i}", "prediction": i % 2}
...                 for i in range(4)])
>>> compact(log)
2
>>> [len(batch["ts"]) for batch in scan_columns(log, ["ts", "prediction"])]
[1, 1, 2]
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

__all__ = ["DAY_MS", "compact", "partitions_dir", "scan_columns"]

DAY_MS = 86_400_000
#: day start of a time in ms (floor, also before 1970), as SQL
_DAY_SQL = "({ts} - ((({ts}) % 86400000) + 86400000) % 86400000)"

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS compacted (
    day_start INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    n_rows INTEGER NOT NULL,
    stale INTEGER NOT NULL DEFAULT 0
);
CREATE TRIGGER IF NOT EXISTS compacted_stale_prediction AFTER INSERT ON predictions
BEGIN
    UPDATE compacted SET stale = 1 WHERE day_start = {_DAY_SQL.format(ts="NEW.ts")};
END;
CREATE TRIGGER IF NOT EXISTS compacted_stale_label AFTER INSERT ON labels
BEGIN
    UPDATE compacted SET stale = 1 WHERE day_start = (
        SELECT {_DAY_SQL.format(ts="ts")} FROM predictions WHERE seq = NEW.seq
    );
END;
"""

#: the columns a partition holds, as read from SQLite
_STORED = ("seq", "ts", "id", "model", "version", "features", "prediction", "probability",
           "latency_ms", "label")  # fmt: skip
_SQL = {"label": "l.label"}
_FLOAT = {"probability", "latency_ms"}
_INT = {"seq", "ts"}
#: columns returned as floats (missing as NaN) when every value is a number
_NUMERIC = {"prediction", "label"}
_NUMBER = (int, float, type(None))


def partitions_dir(log) -> Path:
    """The folder of ``log``'s Parquet partitions (beside the SQLite file).

    Examples
    --------
    >>> from mlops_kit.monitoring.log import PredictionLog
    >>> partitions_dir(PredictionLog("/tmp/x/p.db")).name
    'p.db.parts'
    """
    return log.path.with_name(log.path.name + ".parts")


def _closed_before(log, con):
    import pandas as pd

    newest = con.execute("SELECT max(ts) FROM predictions").fetchone()[0]
    if newest is None:
        return None
    delay = 0 if log.max_delay is None else int(pd.Timedelta(log.max_delay).total_seconds() * 1e3)
    cutoff = newest - delay
    return cutoff - cutoff % DAY_MS  # days that end at or before it are closed


def compact(log, before=None) -> int:
    """Write every closed, not yet compacted (or stale) day of ``log`` to Parquet.

    Parameters
    ----------
    log : PredictionLog
        The log (its SQLite file stays the authority; nothing is deleted).
    before : datetime-like, optional
        Compact only days that end at or before this time (rounded down to a
        day). Default and upper bound: the newest prediction less the log's
        ``max_delay``: a day later rows may still land in is never compacted
        (with ``max_delay=None``, days before the newest prediction's day).

    Returns
    -------
    int
        How many days were written (0 when all closed days are up to date:
        running it twice does nothing the second time).

    Examples
    --------
    >>> import tempfile, os
    >>> from mlops_kit.monitoring.log import PredictionLog
    >>> log = PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db"))
    >>> compact(log)
    0
    """
    from mlops_kit.monitoring._time import to_ms

    con = log._connect()
    cutoff = _closed_before(log, con)
    if cutoff is None:
        return 0
    if before is not None:
        limit = to_ms(before, "before")
        cutoff = min(cutoff, limit - limit % DAY_MS)
    first = con.execute("SELECT min(ts) FROM predictions").fetchone()[0]
    folder = partitions_dir(log)
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob(".*.tmp"):  # from a process killed mid-write
        leftover.unlink(missing_ok=True)
    fresh = {  # a registered file that went missing is written again
        d
        for d, f in con.execute("SELECT day_start, file FROM compacted WHERE stale = 0")
        if not f or (folder / f).exists()
    }
    written = 0
    for day in range(first - first % DAY_MS, cutoff, DAY_MS):
        if day not in fresh and _compact_day(con, folder, day):
            written += 1
    return written


def _compact_day(con, folder: Path, day: int) -> bool:
    """Copy one day to Parquet and register it, in one write transaction."""
    con.execute("BEGIN IMMEDIATE")
    try:
        row = con.execute(
            "SELECT stale, file FROM compacted WHERE day_start = ?", (day,)
        ).fetchone()
        if row is not None and row[0] == 0 and (not row[1] or (folder / row[1]).exists()):
            # another process did it meanwhile
            con.execute("ROLLBACK")
            return False
        rows = con.execute(
            f"SELECT {', '.join(_SQL.get(c, 'p.' + c) for c in _STORED)} FROM predictions p"
            " LEFT JOIN labels l ON l.seq = p.seq WHERE p.ts >= ? AND p.ts < ?"
            " ORDER BY p.ts, p.seq",
            (day, day + DAY_MS),
        ).fetchall()
        name = ""
        if rows:
            name = f"day={_iso_day(day)}.parquet"
            _write_atomic(folder, name, _to_table(rows))
        con.execute(
            "INSERT OR REPLACE INTO compacted (day_start, file, n_rows, stale) VALUES (?, ?, ?, 0)",
            (day, name, len(rows)),
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return True


def _iso_day(ms: int) -> str:
    import datetime as dt

    return (dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ms)).date().isoformat()


def _write_atomic(folder: Path, name: str, table) -> None:
    import pyarrow.parquet as pq

    tmp = folder / f".{name}.{os.getpid()}.tmp"
    pq.write_table(table, tmp, row_group_size=65_536)
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, folder / name)
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _to_table(rows):
    import pyarrow as pa

    raw = list(zip(*rows, strict=True))
    arrays, fields = [], []
    for name, values in zip(_STORED, raw, strict=True):
        array, encoded = _to_arrow(name, values)
        arrays.append(array)
        meta = {b"encoding": b"json"} if encoded else None
        fields.append(pa.field(name, array.type, metadata=meta))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _to_arrow(name, values):
    """One column as Arrow; values of mixed Python types are kept exactly, as JSON text."""
    import pyarrow as pa

    if name in _INT:
        return pa.array(values, type=pa.int64()), False
    if name in _FLOAT:
        return pa.array(values, type=pa.float64()), False
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {str} or kinds == {int} or kinds == {float}:
        try:
            return pa.array(values, type=pa.string() if kinds <= {str} else None), False
        except OverflowError:  # integers beyond int64: kept exactly as JSON text
            pass
    return pa.array([None if v is None else json.dumps(v) for v in values], pa.string()), True


# --- reading ---------------------------------------------------------------------
def scan_columns(log, columns, start=None, end=None, batch_size=65_536):
    """Yield the log in time order as ``{column: numpy array}`` batches.

    Closed, compacted days come from Parquet (only the ``columns`` asked for);
    the rest from SQLite. The arrays: ``ts`` and ``seq`` int64, ``probability``
    and ``latency_ms`` float (missing as NaN); ``prediction`` and ``label``
    float (missing as NaN) when the batch's values are all numbers, else an
    object array like any other column: the values as logged, ``None`` when
    missing (``features`` is JSON text).
    Memory is bounded by ``batch_size`` rows (a Parquet row group).

    Examples
    --------
    >>> import tempfile, os
    >>> from mlops_kit.monitoring.log import PredictionLog
    >>> list(scan_columns(PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db")), ["ts"]))
    []
    """
    import sqlite3

    from mlops_kit.monitoring._time import to_ms

    columns = list(columns)
    lo = None if start is None else to_ms(start, "start")
    hi = None if end is None else to_ms(end, "end")
    log._connect()  # creates the log, or checks its schema version
    folder = partitions_dir(log)
    # one read transaction: the manifest and the SQLite rows are one snapshot
    con = sqlite3.connect(f"file:{log.path}?mode=ro", uri=True, timeout=60)
    try:
        con.execute("BEGIN")
        days = [
            (d, f)
            for d, f in con.execute(
                "SELECT day_start, file FROM compacted WHERE stale = 0 ORDER BY day_start"
            )
            if (lo is None or d + DAY_MS > lo) and (hi is None or d < hi)
            and (not f or (folder / f).exists())
        ]  # fmt: skip
        cursor = lo
        for day, name in days:
            gap_hi = day if hi is None else min(day, hi)
            if cursor is None or cursor < gap_hi:
                yield from _sqlite_batches(con, columns, cursor, gap_hi, batch_size)
            if name:
                yield from _parquet_batches(folder / name, columns, lo, hi, batch_size)
            cursor = day + DAY_MS if lo is None else max(lo, day + DAY_MS)
        if hi is None or cursor is None or cursor < hi:
            yield from _sqlite_batches(con, columns, cursor, hi, batch_size)
    finally:
        con.close()


def _sqlite_batches(con, columns, lo, hi, batch_size):
    where, args = [], []
    if lo is not None:
        where.append("p.ts >= ?")
        args.append(lo)
    if hi is not None:
        where.append("p.ts < ?")
        args.append(hi)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    cursor = con.execute(
        f"SELECT {', '.join(_SQL.get(c, 'p.' + c) for c in columns)} FROM predictions p"
        f" LEFT JOIN labels l ON l.seq = p.seq{clause} ORDER BY p.ts, p.seq",
        args,
    )
    while batch := cursor.fetchmany(batch_size):
        raw = list(zip(*batch, strict=True))
        yield {name: _from_python(name, values) for name, values in zip(columns, raw, strict=True)}


def _from_python(name, values):
    if name in _INT:
        return np.array(values, dtype=np.int64)
    if name in _FLOAT or (name in _NUMERIC and all(type(v) in _NUMBER for v in values)):
        return np.array([np.nan if v is None else v for v in values], dtype=float)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _parquet_batches(path, columns, lo, hi, batch_size):
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    handle = pq.ParquetFile(path)
    encoded = {f.name for f in handle.schema_arrow if f.metadata and f.metadata.get(b"encoding")}
    wanted = list(dict.fromkeys([*columns, "ts"]))
    for batch in handle.iter_batches(batch_size=batch_size, columns=wanted, use_threads=False):
        if lo is not None or hi is not None:
            ts = batch.column("ts")
            keep = None
            if lo is not None:
                keep = pc.greater_equal(ts, lo)
            if hi is not None:
                upper = pc.less(ts, hi)
                keep = upper if keep is None else pc.and_(keep, upper)
            batch = batch.filter(keep)
            if batch.num_rows == 0:
                continue
        yield {name: _from_arrow(name, batch.column(name), name in encoded) for name in columns}


def _from_arrow(name, array, encoded):
    if name in _INT:
        return array.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    if name in _FLOAT:
        return array.to_numpy(zero_copy_only=False).astype(float, copy=False)
    import pyarrow as pa

    if encoded:
        return _from_python(name, [None if v is None else json.loads(v) for v in array.to_pylist()])
    if name in _NUMERIC and (pa.types.is_integer(array.type) or pa.types.is_floating(array.type)):
        return array.cast(pa.float64()).to_numpy(zero_copy_only=False)  # nulls as NaN
    if pa.types.is_null(array.type) and name in _NUMERIC:
        return np.full(len(array), np.nan)
    out = np.empty(len(array), dtype=object)
    out[:] = array.to_pylist()
    return out
