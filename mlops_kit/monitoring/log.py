"""The prediction log: an embedded, append-only store of served predictions.

One SQLite file in WAL mode (the engine chosen by ``benchmarks/bench_prediction_log.py``;
see ``docs/monitoring.md``). Each append is one transaction: several processes
append at once (SQLite serialises the writers, nothing is lost) and a process
killed mid-append leaves every committed row readable. Labels arrive later and
are stored in their own append-only table, joined to the predictions by id.
:meth:`PredictionLog.compact` copies closed days to Parquet for fast windowed
analytics (:mod:`mlops_kit.monitoring.partitions`); the SQLite file stays the authority.

Bad rows never vanish: with ``on_error="raise"`` (the default) a batch with a
bad row writes nothing and raises one clear :class:`~mlops_kit.errors.InputError`
(the caller still holds the data); with ``on_error="record"`` the good rows
are written and each bad one (a duplicate or late row, and equally a row with
no prediction, a NaN one, or a value the log cannot hold) is kept, whole, in
the ``rejected`` table with its reason (:meth:`PredictionLog.rejected`).

Examples
--------
>>> import tempfile, os
>>> log = PredictionLog(os.path.join(tempfile.mkdtemp(), "predictions.db"))
>>> log.append([{"id": "a", "time": "2024-01-01T10:00", "features": {"x": 1.0},
...              "prediction": 1, "probability": 0.8, "latency_ms": 3.0}])
1
>>> log.add_labels({"a": 1})
1
>>> log.read()[["id", "prediction", "label"]].to_dict("records")
[{'id': 'a', 'prediction': 1, 'label': 1}]
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pandas as pd

from mlops_kit._params import Interval, Options, check_param
from mlops_kit.errors import InputError
from mlops_kit.monitoring._time import to_ms
from mlops_kit.monitoring.log_rows import _iso, _now_ms, _plain, _prepare, _records
from mlops_kit.monitoring.partitions import SCHEMA as _PARTITIONS_SCHEMA

__all__ = ["SCHEMA_VERSION", "PredictionLog", "to_ms"]

#: the log's schema version; a log written by a newer version is never opened for writing
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS predictions (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    ts INTEGER NOT NULL,
    model TEXT,
    version TEXT,
    features TEXT,
    prediction,
    probability REAL,
    latency_ms REAL
);
CREATE INDEX IF NOT EXISTS predictions_ts ON predictions (ts);
CREATE TABLE IF NOT EXISTS labels (
    seq INTEGER PRIMARY KEY REFERENCES predictions (seq),
    label,
    ts INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS rejected (
    n INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    payload TEXT NOT NULL,
    ts INTEGER NOT NULL
);
"""


class PredictionLog:
    """An append-only log of predictions with late labels, in one SQLite file (WAL mode).

    Parameters
    ----------
    path : str or os.PathLike
        The log file; created (with its folder) on first use.
    max_delay : str or pandas.Timedelta or None, default "1D"
        A prediction older than the newest logged one by more than this is
        late (its window may already have been reported): rejected, never
        silently merged. ``None`` accepts any order.

    Examples
    --------
    >>> import tempfile, os
    >>> log = PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db"))
    >>> log.log_one("r1", {"x": 0.5}, prediction=0, probability=0.1, time="2024-01-01")
    'r1'
    >>> len(log)
    1
    """

    def __init__(self, path, max_delay="1D"):
        self.path = Path(path)
        self.max_delay = max_delay
        self._con = None
        self._pid = None

    # --- connection and schema -------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self._con is not None and self._pid == os.getpid():
            return self._con
        exists = self.path.exists()
        if exists:
            self._check_version()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute("PRAGMA busy_timeout=60000")
        # every statement is idempotent and atomic: processes creating the log at once agree
        con.executescript(_SCHEMA + _PARTITIONS_SCHEMA)
        con.execute(
            "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
        self._con, self._pid = con, os.getpid()
        return con

    def _check_version(self) -> None:
        con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=60)
        try:
            has_meta = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
            ).fetchone()
            row = (
                has_meta
                and con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            )
        except sqlite3.DatabaseError as exc:
            raise InputError.invalid(
                "path", str(self.path), "a prediction log (SQLite file)", f"it is not: {exc}"
            ) from None
        finally:
            con.close()
        if row and int(row[0]) > SCHEMA_VERSION:
            raise InputError.invalid(
                "path",
                f"{self.path} (schema version {row[0]})",
                f"a prediction log of schema version <= {SCHEMA_VERSION}",
                "it was written by a newer mlops-kit: upgrade mlops-kit to read it",
            )

    def close(self) -> None:
        """Close this process's connection (it reopens on the next call)."""
        if self._con is not None and self._pid == os.getpid():
            self._con.close()
        self._con = None

    def __len__(self) -> int:
        return self._connect().execute("SELECT count(*) FROM predictions").fetchone()[0]

    def __repr__(self) -> str:
        return f"PredictionLog({str(self.path)!r})"

    # --- appends ----------------------------------------------------------
    def log_one(
        self,
        id,
        features,
        prediction,
        probability=None,
        latency_ms=None,
        time=None,
        model=None,
        version=None,
    ) -> str:
        """Append one prediction (one transaction) and return its id.

        Examples
        --------
        >>> import tempfile, os
        >>> log = PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db"))
        >>> log.log_one("r1", {"x": 1.0}, prediction=2.5, time="2024-01-01", latency_ms=4.0)
        'r1'
        """
        self.append(
            [
                {
                    "id": id,
                    "time": time,
                    "model": model,
                    "version": version,
                    "features": features,
                    "prediction": prediction,
                    "probability": probability,
                    "latency_ms": latency_ms,
                }
            ]
        )
        return str(id)

    def append(self, rows, on_error="raise") -> int:
        """Append predictions in one transaction and return how many were written.

        Parameters
        ----------
        rows : pandas.DataFrame or list of dict
            Fields ``id`` (unique), ``features`` (a dict, or feature columns
            in a DataFrame: every column that is not a field), ``prediction``
            and optional ``time`` (default: now), ``model``, ``version``,
            ``probability`` and ``latency_ms``.
        on_error : {"raise", "record"}
            ``"raise"``: a bad row (duplicate id, time in the future or late,
            no prediction or a NaN one, a bad value) writes nothing and raises;
            ``"record"``: good rows are written, bad ones kept in
            :meth:`rejected` with the reason (the one-line error the row
            would have raised).

        Examples
        --------
        >>> import tempfile, os, pandas as pd
        >>> log = PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db"))
        >>> frame = pd.DataFrame({"id": ["a", "b"], "time": ["2024-01-01", "2024-01-01"],
        ...                       "x": [1.0, 2.0], "prediction": [0, 1]})
        >>> log.append(frame)
        2
        >>> log.append(frame.assign(id=["b", "c"]), on_error="record")
        1
        >>> log.rejected()["reason"].tolist()
        ["duplicate id 'b': already in the log"]
        """
        check_param("on_error", on_error, [Options("raise", "record")])
        records = _records(rows)
        now = _now_ms()
        good, bad, seen = [], [], set()
        for rec in records:
            try:
                row, reason = _prepare(rec, now, seen)
            except InputError as exc:  # this row only: kept aside whole, never the batch
                if on_error == "raise":
                    raise
                row, reason = None, str(exc)
            (bad if reason else good).append((rec, row, reason))
        con = self._connect()
        con.execute("BEGIN IMMEDIATE")
        try:
            good, late = self._check_against_log(con, good)
            bad += late
            if bad and on_error == "raise":
                rec, _, reason = bad[0]
                more = f" (and {len(bad) - 1} more bad rows)" if len(bad) > 1 else ""
                raise InputError.invalid(
                    "rows",
                    f"a row with {reason}{more}",
                    "unique ids, times not in the future nor late",
                    "nothing was written; pass on_error='record' to keep the bad rows aside",
                )
            con.executemany(
                "INSERT INTO predictions (id, ts, model, version, features, prediction,"
                " probability, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [row for _, row, _ in good],
            )
            self._record(con, "prediction", [(rec, reason) for rec, _, reason in bad], now)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return len(good)

    def _check_against_log(self, con, good):
        if not good:
            return good, []
        ids = [row[0] for _, row, _ in good]
        existing = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            existing.update(
                r[0]
                for r in con.execute(f"SELECT id FROM predictions WHERE id IN ({marks})", chunk)
            )
        newest = con.execute("SELECT max(ts) FROM predictions").fetchone()[0]
        limit = None
        if self.max_delay is not None and newest is not None:
            limit = newest - int(pd.Timedelta(self.max_delay).total_seconds() * 1000)
        kept, bad = [], []
        for rec, row, _ in good:
            if row[0] in existing:
                bad.append((rec, row, f"duplicate id {row[0]!r}: already in the log"))
            elif limit is not None and row[1] < limit:
                bad.append(
                    (
                        rec,
                        row,
                        f"late time {_iso(row[1])}: more than {self.max_delay}"
                        f" before the newest logged {_iso(newest)}",
                    )
                )
            else:
                kept.append((rec, row, None))
        return kept, bad

    @staticmethod
    def _record(con, kind, items, now) -> None:
        con.executemany(
            "INSERT INTO rejected (kind, reason, payload, ts) VALUES (?, ?, ?, ?)",
            [(kind, reason, json.dumps(rec, default=str), now) for rec, reason in items],
        )

    # --- labels -----------------------------------------------------------
    def add_labels(self, labels, time=None, on_error="raise") -> int:
        """Record true outcomes for logged predictions (joined by id); return how many.

        Parameters
        ----------
        labels : dict or pandas.DataFrame
            ``{id: label}``, or a frame with columns ``id`` and ``label``.
        time : optional
            When the labels arrived (default: now).
        on_error : {"raise", "record"}
            Unknown ids and ids already labelled: raise and write nothing, or
            keep them in :meth:`rejected`.

        Examples
        --------
        >>> import tempfile, os
        >>> log = PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db"))
        >>> log.add_labels({"nope": 1})
        Traceback (most recent call last):
        ...
        mlops_kit.errors.InputError: Invalid labels: got "1 unknown prediction id ('nope')"; ...
        """
        check_param("on_error", on_error, [Options("raise", "record")])
        if isinstance(labels, pd.DataFrame):
            for column in ("id", "label"):
                if column not in labels.columns:
                    raise InputError.invalid(
                        "labels", list(labels.columns), "columns 'id', 'label'"
                    )
            pairs = list(zip(labels["id"].astype(str), labels["label"].map(_plain), strict=True))
        elif isinstance(labels, dict):
            pairs = [(str(k), _plain(v)) for k, v in labels.items()]
        else:
            raise InputError.invalid("labels", type(labels).__name__, "a dict or a DataFrame")
        stamp = _now_ms() if time is None else to_ms(time)
        con = self._connect()
        con.execute("BEGIN IMMEDIATE")
        try:
            seqs, unknown, again = {}, [], []
            for start in range(0, len(pairs), 500):
                chunk = [p[0] for p in pairs[start : start + 500]]
                marks = ",".join("?" * len(chunk))
                for seq, pid, has in con.execute(
                    "SELECT p.seq, p.id, l.seq IS NOT NULL FROM predictions p"
                    f" LEFT JOIN labels l ON l.seq = p.seq WHERE p.id IN ({marks})",
                    chunk,
                ):
                    seqs[pid] = (seq, has)
            rows, done = [], set()
            for pid, label in pairs:
                if pid not in seqs:
                    unknown.append((pid, label))
                elif seqs[pid][1] or pid in done:
                    again.append((pid, label))
                else:
                    done.add(pid)
                    rows.append((seqs[pid][0], label, stamp))
            if (unknown or again) and on_error == "raise":
                what = unknown or again
                kind = "unknown prediction id" if unknown else "id already labelled"
                shown = ", ".join(repr(p) for p, _ in what[:3])
                raise InputError.invalid(
                    "labels",
                    f"{len(what)} {kind}{'s' if len(what) > 1 else ''} ({shown})",
                    "ids of logged predictions, each labelled once",
                    "Nothing was written; pass on_error='record' to keep them aside",
                )
            con.executemany("INSERT INTO labels (seq, label, ts) VALUES (?, ?, ?)", rows)
            self._record(
                con,
                "label",
                [({"id": p, "label": v}, "unknown prediction id") for p, v in unknown]
                + [({"id": p, "label": v}, "id already labelled") for p, v in again],
                _now_ms(),
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return len(rows)

    # --- reading ----------------------------------------------------------
    def rejected(self) -> pd.DataFrame:
        """Return the rows set aside (kind, reason, the whole payload, when).

        Examples
        --------
        >>> import tempfile, os
        >>> PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db")).rejected().shape
        (0, 4)
        """
        con = self._connect()
        frame = pd.read_sql("SELECT kind, reason, payload, ts FROM rejected ORDER BY n", con)
        frame["ts"] = pd.to_datetime(frame["ts"], unit="ms", utc=True)
        return frame.rename(columns={"ts": "time"})

    def span(self):
        """Return the first and last prediction times (UTC Timestamps), or ``(None, None)``.

        Examples
        --------
        >>> import tempfile, os
        >>> PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db")).span()
        (None, None)
        """
        lo, hi = self._connect().execute("SELECT min(ts), max(ts) FROM predictions").fetchone()
        if lo is None:
            return None, None
        return pd.Timestamp(lo, unit="ms", tz="UTC"), pd.Timestamp(hi, unit="ms", tz="UTC")

    def read(self, start=None, end=None, features=True) -> pd.DataFrame:
        """Return the predictions with ``start <= time < end`` and their labels, by time.

        Columns: ``id``, ``time``, ``model``, ``version``, ``prediction``,
        ``probability``, ``latency_ms``, ``label`` (missing until it arrives)
        and, with ``features=True``, one column per feature.

        Examples
        --------
        >>> import tempfile, os
        >>> PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db")).read().shape[0]
        0
        """
        cols = ["id", "time", "model", "version", "prediction", "probability", "latency_ms"]
        sql, args = self._select(
            start,
            end,
            [
                "p.id",
                "p.ts",
                "p.model",
                "p.version",
                "p.prediction",
                "p.probability",
                "p.latency_ms",
                "l.label",
                "p.features",
            ],
        )
        rows = self._connect().execute(sql, args).fetchall()
        frame = (
            pd.DataFrame([r[:-1] for r in rows], columns=[*cols, "label"], dtype=object)
            if rows
            else pd.DataFrame(columns=[*cols, "label"])
        )
        frame["time"] = pd.to_datetime(frame["time"].astype("int64"), unit="ms", utc=True)
        for column in ("probability", "latency_ms"):
            frame[column] = pd.to_numeric(frame[column])
        frame = frame.infer_objects()
        if features and rows:
            feats = pd.DataFrame.from_records([json.loads(r[-1] or "{}") for r in rows])
            frame = pd.concat([frame, feats], axis=1)
        return frame

    def _select(self, start, end, columns):
        where, args = [], []
        if start is not None:
            where.append("p.ts >= ?")
            args.append(to_ms(start, "start"))
        if end is not None:
            where.append("p.ts < ?")
            args.append(to_ms(end, "end"))
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        sql = (
            f"SELECT {', '.join(columns)} FROM predictions p"
            f" LEFT JOIN labels l ON l.seq = p.seq{clause} ORDER BY p.ts, p.seq"
        )
        return sql, args

    def compact(self, before=None) -> int:
        """Copy closed days to Parquet for fast windowed analytics; return how many days.

        The SQLite file stays the authority (nothing is deleted); see
        :func:`mlops_kit.monitoring.partitions.compact`. Idempotent and
        crash-safe: run it whenever convenient (say, once a day).

        Examples
        --------
        >>> import tempfile, os
        >>> log = PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db"))
        >>> _ = log.append([{"id": "a", "time": "2024-01-01", "prediction": 1},
        ...                 {"id": "b", "time": "2024-01-03", "prediction": 0}])
        >>> log.compact(), log.compact()
        (1, 0)
        """
        from mlops_kit.monitoring.partitions import compact

        return compact(self, before=before)

    def scan_columns(
        self,
        columns=("ts", "prediction", "probability", "label", "latency_ms"),
        start=None,
        end=None,
        batch_size=65_536,
    ):
        """Yield the log in time order as ``{column: numpy array}`` batches.

        Compacted days are read from Parquet, the rest from SQLite (see
        :func:`mlops_kit.monitoring.partitions.scan_columns`); the same rows
        in the same order as :meth:`scan`, column-wise.

        Examples
        --------
        >>> import tempfile, os
        >>> log = PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db"))
        >>> log.log_one("a", {"x": 1.0}, prediction=1, time="2024-01-01")
        'a'
        >>> [b["prediction"].tolist() for b in log.scan_columns(["prediction"])]
        [[1.0]]
        """
        from mlops_kit.monitoring.partitions import scan_columns

        check_param("batch_size", batch_size, [Interval(int, 1, None)])
        return scan_columns(self, columns, start=start, end=end, batch_size=batch_size)

    def scan(
        self,
        columns=("ts", "prediction", "probability", "label", "latency_ms"),
        start=None,
        end=None,
        batch_size=65_536,
    ):
        """Yield the log in time order as lists of row tuples, ``batch_size`` rows at a time.

        Memory is bounded by the batch, whatever the size of the log; the
        columns are ``ts`` (ms), ``id``, ``prediction``, ``probability``,
        ``label``, ``latency_ms``, ``features`` (JSON text).

        Examples
        --------
        >>> import tempfile, os
        >>> list(PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db")).scan())
        []
        """
        check_param("batch_size", batch_size, [Interval(int, 1, None)])
        names = {"label": "l.label"}
        sql, args = self._select(start, end, [names.get(c, f"p.{c}") for c in columns])
        # a separate read connection: a long scan never blocks this process's appends
        self._connect()  # creates the log, or checks its schema version
        con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=60)
        try:
            cursor = con.execute(sql, args)
            while batch := cursor.fetchmany(batch_size):
                yield batch
        finally:
            con.close()
