"""Learn an expectation spec from a reference DataFrame (:meth:`Expectations.learn` wraps it).

Examples
--------
>>> import pandas as pd
>>> ref = pd.DataFrame({"age": [20, 30, None], "region": ["n", "s", "n"]})
>>> spec = learn_spec(ref, missing_tolerance=0.0, range_tolerance=0.0)
>>> {k: v for k, v in spec["columns"]["age"].items() if v is not None}
{'dtype': 'float64', 'required': True, 'max_missing': 0.333333, 'min': 20.0, 'max': 30.0}
"""

from __future__ import annotations

import math

from mlops_kit._params import Interval, check_param
from mlops_kit.errors import ColumnError, InputError
from mlops_kit.validation.quality.spec import normalise_spec

__all__ = ["LEARN_CONSTRAINTS", "learn_spec", "require_frame"]

#: the learning options, declared once
LEARN_CONSTRAINTS = {
    "categorical_max_unique": [Interval(int, 0, None)],
    "range_margin": [Interval(float, 0, None)],
    "missing_tolerance": [Interval(float, 0, None)],
    "range_tolerance": [Interval(float, 0, 1)],
    "duplicate_tolerance": [Interval(float, 0, None)],
}


def require_frame(data, name: str = "data"):
    """Check that ``data`` is a non-empty DataFrame with unique column names.

    Raises
    ------
    InputError
        Not a DataFrame, or no rows or no columns.
    ColumnError
        Duplicated column names (they are listed).

    Examples
    --------
    >>> import pandas as pd
    >>> require_frame(pd.DataFrame({"a": [1]})).shape
    (1, 1)
    """
    import pandas as pd

    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"Invalid {name}: got a {type(data).__name__}; allowed: a pandas DataFrame."
        )
    if data.shape[0] == 0 or data.shape[1] == 0:
        raise InputError(
            f"Invalid {name}: got an empty DataFrame of shape {data.shape}; "
            "allowed: a DataFrame with at least one row and one column."
        )
    dupes = data.columns[data.columns.duplicated()].unique().tolist()
    if dupes:
        raise ColumnError(
            f"Invalid {name}: duplicated column names {dupes}; allowed: unique column names. "
            "Rename or drop the duplicates."
        )
    return data


def _share(x: float) -> float:
    return round(min(1.0, max(0.0, float(x))), 6)


def _categorical(series) -> bool:
    import pandas as pd

    dtype = series.dtype
    return (
        isinstance(dtype, pd.CategoricalDtype)
        or pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
    )


def _numeric(series) -> bool:
    import pandas as pd

    dtype = series.dtype
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _row_id(values) -> bool:
    """A strictly increasing integer column of some length: a row id or sequence number."""
    import pandas as pd

    return (
        pd.api.types.is_integer_dtype(values.dtype)
        and len(values) >= 20
        and bool(values.is_monotonic_increasing)
        and values.is_unique
    )


def _py(value):
    return value.item() if hasattr(value, "item") else value


def _sort_key(value):
    return (type(value).__name__, str(value))


def learn_spec(
    reference,
    *,
    categorical_max_unique: int = 50,
    range_margin: float = 0.0,
    missing_tolerance: float = 0.01,
    range_tolerance: float = 0.01,
    duplicate_tolerance: float = 0.01,
    row_count_ratio: tuple[float, float] | None = None,
):
    """Learn an expectation spec (the canonical dict) from a reference DataFrame.

    Parameters
    ----------
    reference : pandas.DataFrame
        Data known to be good (for example the training set).
    categorical_max_unique : int, default 50
        Text and categorical columns with at most this many distinct values get
        an allowed-categories expectation; columns with more (ids, free text)
        do not.
    range_margin : float, default 0.0
        Widen each numeric range by this fraction of its width on both sides
        (``0.1`` turns ``[0, 100]`` into ``[-10, 110]``).
    missing_tolerance : float, default 0.01
        Allowed missing share = reference missing share + this.
    range_tolerance : float, default 0.01
        Share of non-missing values allowed below ``min`` (and, separately,
        above ``max``) before the range expectation fails (``max_out_of_range``).
        A new sample of the same data lands a value or two beyond the reference
        extremes by chance; a unit change or a broken feed moves far more than
        1%. Use 0 to fail on any single value out of range.
    duplicate_tolerance : float, default 0.01
        Allowed share of duplicated rows = reference share + this.
    row_count_ratio : (float, float), optional
        Expect between ``lo * len(reference)`` and ``hi * len(reference)`` rows.
        By default only "at least one row" is expected, since new batches are
        usually smaller than the reference.

    Returns
    -------
    dict
        The canonical spec (see :func:`~.spec.normalise_spec`);
        :meth:`Expectations.learn` wraps it in an :class:`~.expectations.Expectations`.

    Notes
    -----
    Numeric columns get a range, except strictly increasing integer columns
    (row ids, sequence numbers), whose new values are always beyond the
    reference maximum. Boolean and datetime columns get dtype and missing-share
    expectations only.

    Examples
    --------
    >>> import pandas as pd
    >>> ref = pd.DataFrame({"x": [0.0, 10.0]})
    >>> learn_spec(ref, range_margin=0.1)["columns"]["x"]["min"]
    -1.0
    """
    import pandas as pd

    require_frame(reference, "reference")
    for name, value in (
        ("categorical_max_unique", categorical_max_unique),
        ("range_margin", range_margin),
        ("missing_tolerance", missing_tolerance),
        ("range_tolerance", range_tolerance),
        ("duplicate_tolerance", duplicate_tolerance),
    ):
        check_param(name, value, LEARN_CONSTRAINTS[name])
    n = len(reference)
    row_count = {"min": 1, "max": None}
    if row_count_ratio is not None:
        try:
            lo, hi = (float(v) for v in row_count_ratio)
        except (TypeError, ValueError):
            lo, hi = -1.0, -2.0
        if not (0 <= lo <= hi):
            raise InputError.invalid(
                "row_count_ratio", row_count_ratio, "a pair (lo, hi) with 0 <= lo <= hi"
            )
        row_count = {"min": max(1, math.ceil(lo * n)), "max": math.floor(hi * n)}

    missing = reference.isna().mean()
    columns = {}
    for name in reference.columns:
        series = reference[name]
        col = {
            "dtype": str(series.dtype),
            "max_missing": _share(missing[name] + missing_tolerance),
        }
        values = series.dropna()
        if _numeric(series) and len(values) and not _row_id(values):
            lo, hi = values.min(), values.max()
            pad = range_margin * float(hi - lo)
            col["min"] = _py((lo - pad) if pad else lo)
            col["max"] = _py((hi + pad) if pad else hi)
            if range_tolerance:
                col["max_out_of_range"] = float(range_tolerance)
        elif _categorical(series) and len(values):
            try:
                uniques = pd.unique(values.to_numpy(dtype=object))
            except TypeError:  # unhashable cells (lists, dicts): no category expectation
                uniques = None
            if uniques is not None and len(uniques) <= categorical_max_unique:
                cats = [_py(u) for u in uniques]
                if all(isinstance(c, (str, int, float, bool)) for c in cats):
                    col["categories"] = sorted(cats, key=_sort_key)
        columns[name] = col

    try:
        dup_share = float(reference.duplicated().mean())
    except TypeError:  # unhashable cells
        dup_share = None
    table = {
        "row_count": row_count,
        "max_duplicate_share": None
        if dup_share is None
        else _share(dup_share + duplicate_tolerance),
    }
    return normalise_spec({"columns": columns, "table": table})
