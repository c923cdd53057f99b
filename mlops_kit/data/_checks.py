"""Argument checks shared by the sample-data generators and drift injection.

Every check raises :class:`~mlops_kit.errors.InputError` (or
:class:`~mlops_kit.errors.ColumnError` for columns) naming the parameter, the
value received and what is allowed.

Examples
--------
>>> from mlops_kit.data._checks import check_int
>>> check_int("n_rows", 5, minimum=1)
5
"""

from __future__ import annotations

import numbers

from mlops_kit._params import Interval, check_param
from mlops_kit.errors import ColumnError, InputError


def check_int(name: str, value: object, *, minimum: int | None = None) -> int:
    """Return ``value`` as ``int`` if it is an integer (not a bool) >= ``minimum``.

    Examples
    --------
    >>> check_int("seed", 3, minimum=0)
    3
    """
    return int(check_param(name, value, [Interval(int, minimum, None)]))


def check_seed(seed: object) -> int:
    """Return ``seed`` if it is a non-negative integer (what numpy accepts).

    Examples
    --------
    >>> check_seed(0)
    0
    """
    return check_int("seed", seed, minimum=0)


def check_severity(severity: object) -> float:
    """Return ``severity`` as ``float`` if it is a finite number in [0, 1].

    Examples
    --------
    >>> check_severity(0.25)
    0.25
    """
    return float(check_param("severity", severity, [Interval(float, 0, 1)]))


def check_timestamp(name: str, value: object):
    """Parse ``value`` (a string, date or Timestamp) into a :class:`pandas.Timestamp`.

    Examples
    --------
    >>> check_timestamp("start", "2023-01-01")
    Timestamp('2023-01-01 00:00:00')
    """
    import pandas as pd

    allowed = "a date or timestamp such as '2023-01-01'"
    if isinstance(value, (bool, numbers.Number)) or value is None:
        raise InputError.invalid(name, value, allowed)
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise InputError.invalid(name, value, allowed) from exc
    if stamp is pd.NaT:
        raise InputError.invalid(name, value, allowed)
    return stamp


def check_frame(df: object):
    """Raise :class:`InputError` unless ``df`` is a non-empty :class:`pandas.DataFrame`.

    Examples
    --------
    >>> import pandas as pd
    >>> check_frame(pd.DataFrame({"a": [1]})).shape
    (1, 1)
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise InputError.invalid("df", type(df).__name__, "a pandas DataFrame")
    if len(df) == 0:
        raise InputError.invalid("df", "an empty DataFrame", "a DataFrame with at least one row")
    return df


def require_columns(df, columns) -> None:
    """Raise :class:`ColumnError` naming the first of ``columns`` missing from ``df``.

    Examples
    --------
    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a"])
    """
    for column in columns:
        if column not in df.columns:
            raise ColumnError(
                f"Column {column!r} is not in the frame; the frame's columns are "
                f"{list(map(str, df.columns))}."
            )


def is_numeric_column(series) -> bool:
    """True for int/float columns (bools and datetimes are not numeric here).

    Examples
    --------
    >>> import pandas as pd
    >>> is_numeric_column(pd.Series([1.0])), is_numeric_column(pd.Series([True]))
    (True, False)
    """
    from pandas.api import types

    return bool(types.is_numeric_dtype(series) and not types.is_bool_dtype(series))


def is_categorical_column(series) -> bool:
    """True for object, string, category and bool columns.

    Examples
    --------
    >>> import pandas as pd
    >>> is_categorical_column(pd.Series(["a"])), is_categorical_column(pd.Series([1]))
    (True, False)
    """
    import pandas as pd
    from pandas.api import types

    return bool(
        types.is_object_dtype(series)
        or types.is_string_dtype(series)
        or isinstance(series.dtype, pd.CategoricalDtype)
        or types.is_bool_dtype(series)
    )


def draw_dates(n: int, rng, start, months):
    """Draw ``n`` sorted calendar days uniformly in ``[start, start + months)``.

    Examples
    --------
    >>> import numpy as np
    >>> d = draw_dates(3, np.random.default_rng(0), "2023-01-01", 12)
    >>> bool(d.is_monotonic_increasing), str(d.dtype)
    (True, 'datetime64[ns]')
    """
    import numpy as np
    import pandas as pd

    begin = check_timestamp("start", start).normalize()
    months = check_int("months", months, minimum=1)
    end = begin + pd.DateOffset(months=months)
    days = int((end - begin).days)
    offsets = np.sort(rng.integers(0, days, size=n))
    stamps = begin + pd.to_timedelta(offsets, unit="D")
    return pd.Series(pd.DatetimeIndex(stamps).as_unit("ns"))
