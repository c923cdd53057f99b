"""Input checks and column typing shared by both drift engines.

Everything a drift check could trip over is caught here, before any
statistics (native) or Evidently run, and reported with a clear error:

- ``reference``/``current`` not DataFrames, or with no rows or no columns:
  :class:`~mlops_kit.errors.InputError`;
- duplicate column names, a column missing from one side, a column that holds
  numbers on one side and strings on the other, or one column mixing Python
  types (``"a"`` and ``1``): :class:`~mlops_kit.errors.ColumnError`, naming the
  column, the side and the dtypes;
- infinite values in a numeric column: :class:`~mlops_kit.errors.InputError`
  (replace them with NaN to have them treated as missing).

Columns that cannot be tested are *skipped* with a reason (reported in the
result, never counted in the drifted share): all values missing on a side,
free text or IDs (a string column where more than half the current values are
distinct, Evidently's "text" rule; force ``column_types={"col": "cat"}`` to
test it), and datetime or other unsupported dtypes.

Column types follow Evidently 0.7's inference on the *current* data: floats are
``num``; integers are ``cat`` when the current data has at most 10 distinct
values, else ``num``; bool, category and string columns are ``cat``. Two
deliberate extensions, where Evidently silently drops the column: object
columns holding only numbers are ``num``, object columns of booleans and the
pandas nullable dtypes (``Int64``, ``Float64``, ``boolean``) are typed like
their numpy counterparts. Constant columns are tested normally (identical
constants give no drift, a changed constant is drift), as Evidently does.

Examples
--------
>>> import pandas as pd
>>> from mlops_kit.validation.drift.families import family_of
>>> cur = pd.Series(["a", "b", "a", "a"])
>>> infer_kind(family_of(cur, "c", "current"), cur.dtype, n_unique=2, n_count=4)
('cat', None)
"""

from __future__ import annotations

from dataclasses import dataclass

from mlops_kit.errors import ColumnError, InputError
from mlops_kit.validation.drift.families import (
    Family,
    check_compatible,
    check_finite,
    describe,
    family_of,
    to_float,
)

__all__ = [
    "INTEGER_CARDINALITY_LIMIT",
    "ColumnSpec",
    "Family",
    "check_column_types",
    "check_compatible",
    "check_finite",
    "check_frame",
    "decide",
    "family_of",
    "has_values",
    "infer_kind",
    "is_integer_dtype",
    "pick_columns",
    "to_float",
    "unique_count",
]

#: Evidently: integer columns with at most this many distinct current values are categorical.
INTEGER_CARDINALITY_LIMIT = 10


@dataclass
class ColumnSpec:
    """What the checks decided for one column."""

    name: object
    kind: str | None  # "num" | "cat"; None when skipped
    skip_reason: str | None = None
    is_int: bool = False  # both sides use numpy integer dtypes (matters for histogram bins)
    cur_counts: object = None  # current value counts, when typing needed them (reused)
    role: str = "feature"  # "feature" | "target" | "prediction" | "id"


def check_frame(df, side: str) -> None:
    """Raise unless ``df`` is a non-empty DataFrame with unique column names.

    Examples
    --------
    >>> import pandas as pd
    >>> check_frame(pd.DataFrame({"a": []}), "current")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid current: got 'a DataFrame with 0 rows and 1 columns'; ...
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise InputError.invalid(
            side,
            type(df).__name__,
            "a pandas DataFrame (current may also be a Parquet path "
            "or an iterable of DataFrame chunks)",
        )
    if df.shape[1] == 0 or df.shape[0] == 0:
        raise InputError.invalid(
            side,
            f"a DataFrame with {df.shape[0]} rows and {df.shape[1]} columns",
            "a DataFrame with at least one row and one column",
        )
    dup = df.columns[df.columns.duplicated()].unique().tolist()
    if dup:
        raise ColumnError(
            f"Duplicate column names in {side}: {dup[:10]}. Column names must be unique; "
            "rename or drop the duplicates."
        )


def pick_columns(ref_columns, cur_columns, columns=None) -> list:
    """Return the columns to check; raise ColumnError naming any missing one and its side.

    Examples
    --------
    >>> pick_columns(["a", "b"], ["a"], ["a"])
    ['a']
    >>> pick_columns(["a", "b"], ["a"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mlops_kit.errors.ColumnError: Column 'b' is missing from current ...
    """
    ref_set, cur_set = set(ref_columns), set(cur_columns)
    if columns is None:
        wanted = list(ref_columns) + [c for c in cur_columns if c not in ref_set]
    else:
        if isinstance(columns, str) or not hasattr(columns, "__iter__"):
            raise InputError.invalid("columns", columns, "a list of column names or None")
        wanted = list(columns)
        if not wanted:
            raise InputError.invalid("columns", columns, "a non-empty list of column names")
        dup = sorted({str(c) for c in wanted if wanted.count(c) > 1})
        if dup:
            raise ColumnError(f"Duplicate names in columns: {dup}.")
    for col in wanted:
        for side, present in (("reference", ref_set), ("current", cur_set)):
            if col not in present:
                raise ColumnError(
                    f"Column {col!r} is missing from {side} (present there: "
                    f"{sorted(map(str, present))[:20]}). Drift needs the column on both sides; "
                    "pass columns=[...] to check a subset."
                )
    return wanted


def infer_kind(family: Family, dtype, n_unique: int, n_count: int) -> tuple[str | None, str | None]:
    """Return ``(kind, skip_reason)`` from the current column, as Evidently 0.7 types it.

    Examples
    --------
    >>> infer_kind(Family("numeric", "int64"), "int64", n_unique=3, n_count=100)
    ('cat', None)
    >>> infer_kind(Family("string", "object"), object, n_unique=90, n_count=100)[0] is None
    True
    """
    if family.categorical_dtype or family.name == "bool":
        return "cat", None
    if family.name == "numeric":
        if is_integer_dtype(dtype):
            return ("cat" if n_unique <= INTEGER_CARDINALITY_LIMIT else "num"), None
        return "num", None
    if family.name == "string":
        if n_unique > 0.5 * n_count:
            return None, (
                f"free text or IDs ({n_unique} distinct values in {n_count} current rows); "
                "pass column_types={col: 'cat'} to test it as categorical"
            )
        return "cat", None
    if family.name == "empty":
        return None, "all values missing in current"
    return (
        None,
        f"unsupported dtype {family.dtype}: only numeric and categorical columns are tested",
    )


def unique_count(series, family: Family, cache: dict) -> tuple[int, int]:
    """``(distinct, non-missing)`` of a current column, cached; string value counts too."""
    if "unique" in cache:
        return cache["unique"]
    if family.name == "string":
        counts = series.value_counts(dropna=True, sort=False)
        counts = counts[counts > 0]
        cache["counts"] = counts
        cache["unique"] = len(counts), int(counts.sum())
    else:
        cache["unique"] = int(series.nunique()), int(series.count())
    return cache["unique"]


def has_values(series, family: Family, name, side: str) -> bool:
    """Whether any value is present (numeric columns are also checked for infinities)."""
    import numpy as np

    if family.name == "empty":
        return False
    if family.name == "numeric" and not family.categorical_dtype:
        values = to_float(series)
        check_finite(name, side, values)
        return not np.isnan(values).all()
    if series.dtype == object:  # infer_dtype found at least one value
        return True
    return bool(series.count())


def check_column_types(column_types, names) -> dict:
    """Validate ``column_types`` (``{column: "num" | "cat"}``) against the checked columns."""
    if column_types is None:
        return {}
    if not isinstance(column_types, dict):
        raise InputError.invalid("column_types", column_types, "a dict {column: 'num' | 'cat'}")
    for col, kind in column_types.items():
        if col not in names:
            raise ColumnError(
                f"column_types names column {col!r}, which is not among the checked columns "
                f"{[str(n) for n in names][:20]}."
            )
        if kind not in ("num", "cat"):
            raise InputError.invalid(f"column_types[{col!r}]", kind, "'num' or 'cat'")
    return dict(column_types)


def decide(name, fam_ref, fam_cur, cur_dtype, forced, ref_has, cur_has, unique_count):
    """Type one column, or give the reason it is skipped.

    ``ref_has``/``cur_has`` say whether any value is present on each side;
    ``unique_count()`` returns the current ``(distinct values, values)`` and is
    called only when the inference needs it.
    """
    if not ref_has or fam_ref.name == "empty":
        return ColumnSpec(name, None, "all values missing in reference")
    if not cur_has or fam_cur.name == "empty":
        return ColumnSpec(name, None, "all values missing in current")
    if forced is not None:
        if forced == "num" and fam_cur.name != "numeric":
            raise ColumnError(
                f"column_types[{name!r}] is 'num' but the column holds {describe(fam_cur.name)} "
                f"(dtype {fam_cur.dtype}); only numeric columns can be tested as 'num'."
            )
        if fam_cur.name in ("datetime", "other"):
            return ColumnSpec(name, None, f"unsupported dtype {fam_cur.dtype}")
        return ColumnSpec(name, forced)
    needs_unique = (fam_cur.name == "string" and not fam_cur.categorical_dtype) or (
        fam_cur.name == "numeric" and is_integer_dtype(cur_dtype)
    )
    n_unique, n_count = unique_count() if needs_unique else (0, 0)
    kind, reason = infer_kind(fam_cur, cur_dtype, n_unique, n_count)
    return ColumnSpec(name, kind, reason)


def is_integer_dtype(dtype) -> bool:
    import numpy as np

    np_dtype = getattr(dtype, "numpy_dtype", dtype)
    try:
        return np.dtype(np_dtype).kind in "iu"
    except TypeError:
        return False
