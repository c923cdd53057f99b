"""What a column holds: numbers, booleans, strings, ... (shared by both engines).

:func:`family_of` classifies a column's values (raising for a column that mixes
Python types), :func:`check_compatible` compares the two sides and
:func:`check_finite` rejects infinities; :mod:`.validate` builds on them.

Examples
--------
>>> import pandas as pd
>>> family_of(pd.Series(["a", None, "b"]), "c", "current").name
'string'
>>> family_of(pd.Series([1, 2.5]), "x", "reference").name
'numeric'
"""

from __future__ import annotations

from dataclasses import dataclass

from mlops_kit.errors import ColumnError, InputError

__all__ = ["Family", "check_compatible", "check_finite", "describe", "family_of", "to_float"]


@dataclass(frozen=True)
class Family:
    """The kind of values a column holds: numeric, bool, string, empty, datetime, other."""

    name: str
    dtype: str  # for messages, e.g. "object (strings)"
    categorical_dtype: bool = False


def describe(kind_name: str) -> str:
    return {
        "numeric": "numbers",
        "bool": "booleans",
        "string": "strings",
        "empty": "only missing values",
        "datetime": "datetimes",
    }.get(kind_name, "unsupported values")


def family_of(series, name, side: str) -> Family:
    """Classify a column's values; raise ColumnError when it mixes Python types."""
    import pandas as pd
    from pandas.api import types as pdt

    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        inner = family_of(pd.Series(dtype.categories), name, side)
        return Family(inner.name, f"category of {inner.dtype}", categorical_dtype=True)
    if pdt.is_bool_dtype(dtype):
        return Family("bool", str(dtype))
    if pdt.is_numeric_dtype(dtype) and not pdt.is_complex_dtype(dtype):
        return Family("numeric", str(dtype))
    if pdt.is_datetime64_any_dtype(dtype) or pdt.is_timedelta64_dtype(dtype):
        return Family("datetime", str(dtype))
    if pdt.is_string_dtype(dtype) or pdt.is_object_dtype(dtype):
        inferred = pdt.infer_dtype(series, skipna=True)
        if inferred == "string":
            if _dates_as_text(series):
                return Family("datetime", f"{dtype} (ISO dates as text)")
            return Family("string", f"{dtype} (strings)")
        if inferred == "empty":
            return Family("empty", str(dtype))
        if inferred in ("integer", "floating", "mixed-integer-float", "decimal"):
            return Family("numeric", f"{dtype} (numbers)")
        if inferred == "boolean":
            return Family("bool", f"{dtype} (booleans)")
        if inferred.startswith("mixed"):
            sample = series.dropna()
            kinds = sorted({type(v).__name__ for v in sample.iloc[:10_000]})
            if len(kinds) < 2:
                kinds = sorted({type(v).__name__ for v in sample})
            raise ColumnError(
                f"Column {name!r} in {side} mixes value types ({', '.join(kinds)}). A column must "
                "hold one kind of value; convert it, e.g. df[col].astype(str) for categories or "
                "pd.to_numeric(df[col], errors='coerce') for numbers."
            )
        if inferred in ("datetime", "datetime64", "date", "time", "timedelta", "period"):
            return Family("datetime", f"{dtype} ({inferred})")
        return Family("other", f"{dtype} ({inferred})")
    return Family("other", str(dtype))


_ISO_DATE = r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$"


def _dates_as_text(series) -> bool:
    """Whether every value is an ISO date or timestamp (as a CSV file stores datetimes).

    Examples
    --------
    >>> import pandas as pd
    >>> _dates_as_text(pd.Series(["2024-01-31", None, "2024-02-01 10:00:00"]))
    True
    >>> _dates_as_text(pd.Series(["2024-01-31", "soon"]))
    False
    """
    values = series.dropna()
    head = values.iloc[:50].astype(str)
    if head.empty or not head.str.match(_ISO_DATE).all():
        return False
    return bool(values.astype(str).str.match(_ISO_DATE).all())


def check_compatible(name, ref: Family, cur: Family) -> None:
    """Raise ColumnError when the two sides hold different kinds of values."""
    if "empty" in (ref.name, cur.name) or ref.name == cur.name:
        return
    hint = ""
    if {ref.name, cur.name} == {"numeric", "string"}:
        hint = (
            " If the strings are numbers, convert them first: "
            f"df[{name!r}] = pd.to_numeric(df[{name!r}])."
        )
    raise ColumnError(
        f"Column {name!r} holds {describe(ref.name)} in reference (dtype {ref.dtype}) but "
        f"{describe(cur.name)} in current (dtype {cur.dtype}); both sides must hold the same "
        f"kind of values.{hint}"
    )


def to_float(series):
    """Return the values of a numeric column as a float64 array (missing values as NaN)."""
    import numpy as np
    import pandas as pd

    if series.dtype == np.float64:
        return series.to_numpy()  # no copy
    if series.dtype == object:
        series = pd.to_numeric(series)
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


def check_finite(name, side: str, values) -> None:
    """Raise InputError naming the column when ``values`` holds +/-inf."""
    import numpy as np

    n_inf = int(np.isinf(values).sum())
    if n_inf:
        raise InputError(
            f"Invalid column {name!r} in {side}: got {n_inf} infinite value(s); allowed: finite "
            "numbers or NaN (missing values are dropped before testing). Replace them with "
            "df.replace([np.inf, -np.inf], np.nan) to treat them as missing."
        )
