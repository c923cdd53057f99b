"""Drift on a PySpark DataFrame: the statistics are computed in Spark, summaries come back.

``DriftCheck(...).fit(spark_df)`` and ``.run(spark_df)`` take this path (the
``[spark]`` extra: ``pip install 'mlops-kit[spark]'``, Java 17). The same code
runs in local mode, on a cluster or on Databricks: each Spark partition is
reduced, in the executors (``mapInPandas``), to the fixed-size summary the
streamed engine (:mod:`.chunked`) keeps per column, and only these partial
summaries travel to the driver, which adds them up and decides exactly as
the streamed engine does. What is exact and what is bounded is therefore the
streamed engine's (see :mod:`.chunked` and :mod:`.grid`), restated:

- categorical columns (strings, booleans, numbers tested by value):
  counts per value - chi-square, Z-test, Jensen-Shannon and PSI are **exact**,
  equal to the pandas path;
- numeric Jensen-Shannon / PSI over Evidently's Sturges bins: a second Spark
  pass counts values on the final bins - **exact**;
- K-S: counts at every distinct reference value - **exact** (scipy's exact
  test below 10 000 current values: those values are brought back whole);
- Wasserstein (normed): counts and offset sums on the reference's grid -
  **bounded** by the column's ``error_bound`` (about ``2 * range / (65 536 *
  std)``, ~3e-4 on normal data); the verdict can differ from the pandas one only
  when the statistic lies within that bound of the threshold, and the column's
  note then says so.

Fitting a Spark reference counts the values of each column in Spark (numbers
per distinct value, categories per category), so the fitted summary equals
the pandas one and can be saved and used on pandas windows too; a continuous
reference column has as many distinct values as rows, so the *reference* must
fit on the driver as a summary (8 bytes a value); the windows need not.

Columns of Spark types the engine cannot test (map, array, struct, binary,
...) are a clear :class:`~mlops_kit.errors.InputError` naming the column and
its type, raised before any Spark job runs.

Examples
--------
>>> is_spark_frame([1, 2]), spark_type_allowed("map<string,int>")
(False, False)
"""

from __future__ import annotations

import pickle

import numpy as np

from mlops_kit.errors import ColumnError, InputError, MlopsKitError

__all__ = [
    "INSTALL_HINT",
    "is_spark_frame",
    "require_pyspark",
    "spark_type_allowed",
    "summary_from_spark",
]

INSTALL_HINT = "install the Spark extra: pip install 'mlops-kit[spark]' (pyspark needs Java 17)"

#: Spark SQL types the drift engine tests (by their simple-string name, without parameters)
ALLOWED_TYPES = (
    "tinyint",
    "smallint",
    "int",
    "bigint",
    "float",
    "double",
    "decimal",
    "string",
    "char",
    "varchar",
    "boolean",
    "date",
    "timestamp",
    "timestamp_ntz",
    "void",
)


def is_spark_frame(obj) -> bool:
    """Whether ``obj`` is a PySpark DataFrame (classic or Connect), without importing pyspark.

    Examples
    --------
    >>> import pandas as pd
    >>> is_spark_frame(pd.DataFrame())
    False
    """
    for cls in type(obj).__mro__:
        if cls.__name__ == "DataFrame" and cls.__module__.split(".")[0] == "pyspark":
            return True
    return False


def require_pyspark(side: str) -> None:
    """Raise a one-line :class:`InputError` saying how to install the extra if pyspark is missing.

    Examples
    --------
    >>> import importlib.util
    >>> require_pyspark("current") if importlib.util.find_spec("pyspark") else None
    """
    try:
        import pyspark
        import pyspark.sql  # noqa: F401
    except ImportError:
        raise InputError.invalid(
            side,
            "a Spark DataFrame, but pyspark cannot be imported",
            "a pandas DataFrame, a Parquet/CSV path or DataFrame chunks",
            INSTALL_HINT,
        ) from None


def spark_type_allowed(type_name: str) -> bool:
    """Whether a Spark type (its ``simpleString()``) is one the drift engine can test.

    Examples
    --------
    >>> spark_type_allowed("decimal(10,2)"), spark_type_allowed("array<double>")
    (True, False)
    """
    return type_name.split("(")[0] in ALLOWED_TYPES


def _check_frame(df, side: str, names=None) -> dict:
    """Validate a Spark frame's columns (unique names, testable types); return ``{name: type}``."""
    require_pyspark(side)
    types = {f.name: f.dataType.simpleString() for f in df.schema.fields}
    columns = [f.name for f in df.schema.fields]
    dup = sorted({c for c in columns if columns.count(c) > 1})
    if dup:
        raise ColumnError(f"Duplicate column names in {side}: {dup}.")
    if not columns:
        raise InputError.invalid(side, "a Spark DataFrame with no columns", "at least one column")
    for name in columns if names is None else names:
        if name in types and not spark_type_allowed(types[name]):
            raise InputError.invalid(
                f"column {name!r} in {side}",
                f"Spark type {types[name]}",
                "numeric, string, boolean, date or timestamp columns",
                "flatten or convert it first (e.g. F.size, F.col('s.field')), or leave it out "
                "with columns=[...]",
            )
    return types


def _select(df, names):
    from pyspark.sql import functions as F

    return df.select(*[F.col("`" + n.replace("`", "``") + "`") for n in names])


def _collect_states(df, names, fn, side: str) -> list:
    """Run ``fn`` (batches -> state) on every partition; re-raise the kit's errors on the driver."""
    import pandas as pd

    def per_partition(batches):
        try:
            state = fn(batches)
        except MlopsKitError as exc:  # raised in an executor: carried back as data, re-raised
            state = {"__error__": (type(exc), str(exc))}
        yield pd.DataFrame({"state": [pickle.dumps(state)]})

    rows = _select(df, names).mapInPandas(per_partition, "state binary").collect()
    states = [pickle.loads(r.state) for r in rows]  # our own executors' output, never a file
    for s in states:
        if "__error__" in s:
            kind, message = s["__error__"]
            raise kind(message)
    return states


# --- fit --------------------------------------------------------------------------
class _RefPartial:
    """What one partition contributes to the reference summary of one column."""

    def __init__(self, name):
        self.name = name
        self.fam = None
        self.np_int = True
        self.is_int = True
        self.present = False
        self.n_rows = 0
        self.count = 0
        self.keys = np.empty(0)
        self.key_counts = np.zeros(0, dtype=np.int64)
        self.counts = None

    def add(self, series) -> None:
        from mlops_kit.validation.drift.columns import has_values, is_integer_dtype
        from mlops_kit.validation.drift.families import check_compatible, family_of, to_float
        from mlops_kit.validation.drift.native import CatStats

        fam = family_of(series, self.name, "reference")
        if fam.name != "empty":
            if self.fam is None:
                self.fam = fam
            else:
                check_compatible(self.name, self.fam, fam)
        dtype = series.dtype
        self.np_int &= isinstance(dtype, np.dtype) and dtype.kind in "iu"
        self.is_int &= is_integer_dtype(dtype)
        self.n_rows += len(series)
        self.count += int(series.count())
        self.present |= has_values(series, fam, self.name, "reference")
        if fam.name == "numeric":
            values = to_float(series)
            keys, counts = np.unique(values[~np.isnan(values)], return_counts=True)
            self._add_keys(keys, counts)
        elif fam.name in ("string", "bool"):
            vc = CatStats.counts(series)
            self.counts = vc if self.counts is None else self.counts.add(vc, fill_value=0)

    def _add_keys(self, keys, counts) -> None:
        from mlops_kit.validation.drift.native import _align

        self.keys, mine, more = _align(self.keys, self.key_counts, keys, counts)
        self.key_counts = mine + more

    def merge(self, other: _RefPartial) -> None:
        from mlops_kit.validation.drift.families import check_compatible

        if other.fam is not None:
            if self.fam is None:
                self.fam = other.fam
            else:
                check_compatible(self.name, self.fam, other.fam)
        self.np_int &= other.np_int
        self.is_int &= other.is_int
        self.n_rows += other.n_rows
        self.count += other.count
        self.present |= other.present
        self._add_keys(other.keys, other.key_counts)
        if other.counts is not None:
            self.counts = (
                other.counts if self.counts is None else self.counts.add(other.counts, fill_value=0)
            )

    def ref_column(self, role: str):
        from mlops_kit.validation.drift.families import Family
        from mlops_kit.validation.drift.reference import ID_MIN_ROWS, RefColumn

        fam = self.fam or Family("empty", "empty")
        all_unique = (
            self.is_int
            and self.n_rows >= ID_MIN_ROWS
            and self.count == self.n_rows
            and int(self.key_counts.sum()) == self.n_rows
            and self.keys.size == self.n_rows
        )
        col = RefColumn(
            self.name, role, fam, self.np_int, self.present, self.n_rows, bool(all_unique)
        )
        if not self.present or fam.name == "empty":
            return col
        if fam.name == "numeric":
            col.values = np.repeat(self.keys.astype(np.float64), self.key_counts)
        elif fam.name in ("string", "bool"):
            counts = self.counts.astype(np.int64)
            col.counts = counts[counts > 0]
        return col


def summary_from_spark(
    reference,
    columns=None,
    column_types=None,
    target=None,
    prediction=None,
    id_columns=None,
    params=None,
):
    """The :class:`~.reference.ReferenceSummary` of a Spark DataFrame, counted in Spark.

    Same arguments and result as :meth:`ReferenceSummary.from_frame`.

    Examples
    --------
    >>> summary_from_spark([1, 2])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid reference: got 'list'; allowed: a Spark DataFrame...
    """
    from mlops_kit.validation.drift.columns import check_column_types
    from mlops_kit.validation.drift.reference import ReferenceSummary, column_roles

    if not is_spark_frame(reference):
        raise InputError.invalid("reference", type(reference).__name__, "a Spark DataFrame")
    _check_frame(reference, "reference", [])
    roles, names = column_roles(list(reference.columns), columns, id_columns, target, prediction)
    check_column_types(column_types, names)
    _check_frame(reference, "reference", names)

    def fit_partition(batches):
        parts = [_RefPartial(n) for n in names]
        for batch in batches:
            for part in parts:
                part.add(batch[part.name])
        return {"parts": parts}

    merged = [_RefPartial(n) for n in names]
    for state in _collect_states(reference, names, fit_partition, "reference"):
        for mine, theirs in zip(merged, state["parts"]):
            mine.merge(theirs)
    if merged[0].n_rows == 0:
        raise InputError.invalid("reference", "a Spark DataFrame with 0 rows", "at least one row")
    cols = [m.ref_column(roles.get(m.name, "feature")) for m in merged]
    return ReferenceSummary(cols, params, explicit_columns=columns is not None)
