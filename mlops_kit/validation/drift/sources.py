"""Where streamed current data comes from: a Parquet or CSV file, or DataFrame chunks.

Every source yields pandas DataFrames of at most ``batch_size`` rows (Parquet
is read with pyarrow one record batch at a time; CSV with pandas'
``chunksize``), so memory is bounded by the batch size. Lists and tuples of
frames and files can be read twice; a one-shot iterator (a generator) can
not, and the few statistics that need a second pass (PSI/Jensen-Shannon bins of
a numeric column, which depend on the range of all current data) spool the
columns they need to a temporary Parquet file instead (see :class:`Spool`).

Examples
--------
>>> import pandas as pd
>>> src = open_source([pd.DataFrame({"a": [1]}), pd.DataFrame({"a": [2]})], 10)
>>> src.columns, src.reiterable, [len(c) for c in src.chunks(["a"])]
(['a'], True, [1, 1])
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from mlops_kit.errors import ColumnError, InputError

__all__ = ["Spool", "check_chunk", "open_source", "read_frame"]

_FILE_HINT = "a Parquet (.parquet, .pq) or CSV (.csv) file"


def read_frame(path, side: str):
    """Read a whole Parquet or CSV file into a DataFrame."""
    import pandas as pd

    path = _existing(path, side)
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            return pd.read_parquet(path)
        return pd.read_csv(path)
    except (ValueError, OSError) as exc:  # pyarrow/pandas parse errors
        raise InputError.invalid(
            side, str(path), _FILE_HINT, f"Reading failed: {_one_line(exc)}"
        ) from exc


def _one_line(exc) -> str:
    return " ".join(str(exc).split())[:300]


@contextlib.contextmanager
def _reading(path, side: str = "current"):
    """Turn a decode or parse failure while reading ``path`` into the standard error."""
    try:
        yield
    except (ValueError, OSError, UnicodeError) as exc:  # pandas/pyarrow parse and IO errors
        if isinstance(exc, InputError):
            raise
        raise InputError.invalid(
            side, str(path), _FILE_HINT, f"Reading failed: {_one_line(exc)}"
        ) from exc


def _existing(path, side: str) -> Path:
    path = Path(path)
    if not path.is_file():
        raise InputError.invalid(side, str(path), f"the path of {_FILE_HINT} that exists")
    if path.suffix.lower() not in (".parquet", ".pq", ".csv"):
        raise InputError.invalid(side, str(path), _FILE_HINT)
    return path


def check_chunk(chunk, index: int) -> None:
    """Raise unless ``chunk`` is a DataFrame with unique column names (it may be empty)."""
    import pandas as pd

    where = f"current chunk {index}"
    if not isinstance(chunk, pd.DataFrame):
        raise InputError.invalid(where, type(chunk).__name__, "a pandas DataFrame")
    dup = chunk.columns[chunk.columns.duplicated()].unique().tolist()
    if dup:
        raise ColumnError(f"Duplicate column names in {where}: {dup[:10]}.")


class _ParquetSource:
    reiterable = True

    def __init__(self, path: Path, batch_size: int):
        import pyarrow.parquet as pq

        try:
            self._file = pq.ParquetFile(path, pre_buffer=False)  # pre-buffering holds row groups
        except Exception as exc:  # pyarrow raises ArrowInvalid for non-Parquet files
            raise InputError.invalid("current", str(path), _FILE_HINT, _one_line(exc)) from exc
        self._path = path
        self.columns = list(self._file.schema_arrow.names)
        self.batch_size = batch_size

    def chunks(self, columns):
        with _reading(self._path):
            batches = self._file.iter_batches(batch_size=self.batch_size, columns=list(columns))
            for batch in batches:
                yield batch.to_pandas()


class _CsvSource:
    reiterable = True

    def __init__(self, path: Path, batch_size: int):
        import pandas as pd

        self._path = path
        with _reading(path):
            self.columns = list(pd.read_csv(path, nrows=0).columns)
        self.batch_size = batch_size

    def chunks(self, columns):
        import pandas as pd

        with _reading(self._path):
            yield from pd.read_csv(self._path, usecols=list(columns), chunksize=self.batch_size)


class _IterSource:
    def __init__(self, iterable):
        self.reiterable = isinstance(iterable, (list, tuple))
        self._items = iterable if self.reiterable else None
        self._iter = None if self.reiterable else iter(iterable)
        try:
            self._first = iterable[0] if self.reiterable else next(self._iter)
        except (IndexError, StopIteration):
            raise InputError.invalid(
                "current", "an empty iterable", "at least one DataFrame chunk"
            ) from None
        check_chunk(self._first, 0)
        self.columns = list(self._first.columns)
        self._used = False

    def chunks(self, columns):
        if self.reiterable:
            yield from self._items
            return
        if self._used:  # pragma: no cover - guarded by the caller (Spool)
            raise InputError("A one-shot iterator of chunks can only be read once.")
        self._used = True
        yield self._first
        yield from self._iter


def open_source(current, batch_size: int):
    """Return a source for a Parquet/CSV path or an iterable of DataFrame chunks."""
    if isinstance(current, (str, os.PathLike)):
        path = _existing(current, "current")
        if path.suffix.lower() == ".csv":
            return _CsvSource(path, batch_size)
        return _ParquetSource(path, batch_size)
    if hasattr(current, "__iter__") and not isinstance(current, (dict, bytes)):
        return _IterSource(current)
    raise InputError.invalid(
        "current",
        type(current).__name__,
        "a pandas DataFrame, a Parquet/CSV path or an iterable of DataFrame chunks",
    )


class Spool:
    """Float columns written to a temporary Parquet file during the first pass."""

    def __init__(self, names):
        self.names = list(names)
        self._dir = tempfile.TemporaryDirectory(prefix="mlops-kit-drift-")
        self.path = Path(self._dir.name) / "spool.parquet"
        self._writer = None

    def write(self, arrays) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({f"c{i}": a for i, a in enumerate(arrays)})
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, table.schema)
        self._writer.write_table(table)

    def read(self, batch_size: int):
        """Yield lists of float arrays (one per spooled column)."""
        import pyarrow.parquet as pq

        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if not self.path.exists():
            return
        for batch in pq.ParquetFile(self.path).iter_batches(batch_size=batch_size):
            yield [batch.column(i).to_numpy(zero_copy_only=False) for i in range(len(self.names))]

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._dir.cleanup()
