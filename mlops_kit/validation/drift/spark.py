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

Fitting a Spark reference is :mod:`.spark_fit`: exact (the pandas summary)
for columns with at most ``max_reference_values`` distinct values, a
bounded-size sketch (:mod:`.ref_sketch`) above; a window run on a sketched
column gets the sketch's grid and bounds.

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

from mlops_kit.errors import ColumnError, InputError, MlopsKitError

__all__ = [
    "INSTALL_HINT",
    "is_spark_frame",
    "require_pyspark",
    "spark_type_allowed",
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


def _mapped_states(df, names, fn):
    """A Spark DataFrame of one pickled ``state`` per partition: ``fn`` (batches -> state).

    A kit error raised in an executor is carried back as data (``{"__error__": ...}``)
    and re-raised on the driver by :func:`_raise_carried`.
    """
    import pandas as pd

    def per_partition(batches):
        try:
            state = fn(batches)
        except MlopsKitError as exc:  # raised in an executor: carried back as data, re-raised
            state = {"__error__": (type(exc), str(exc))}
        yield pd.DataFrame({"state": [pickle.dumps(state)]})

    return _select(df, names).mapInPandas(per_partition, "state binary")


def _raise_carried(state: dict) -> None:
    """Re-raise, on the driver, a kit error an executor carried back in ``state``."""
    if "__error__" in state:
        kind, message = state["__error__"]
        raise kind(message)


def _collect_states(df, names, fn, side: str) -> list:
    """Run ``fn`` (batches -> state) on every partition; re-raise the kit's errors on the driver."""
    rows = _mapped_states(df, names, fn).collect()
    states = [pickle.loads(r.state) for r in rows]  # our own executors' output, never a file
    for s in states:
        _raise_carried(s)
    return states
