"""Cut a sample frame at a time into the reference and current windows.

Examples
--------
>>> from mlops_kit.data import make_credit, split_reference_current
>>> reference, current = split_reference_current(make_credit(n_rows=1_000), at="2023-07-01")
>>> str(reference["application_date"].max().date()), str(current["application_date"].min().date())
('2023-06-30', '2023-07-01')
"""

from __future__ import annotations

from mlops_kit.data._checks import check_frame, check_timestamp, require_columns
from mlops_kit.data.concept import ATTR_DRIFT, dataset_of, get_concept
from mlops_kit.errors import ColumnError, InputError

__all__ = ["split_reference_current"]


def time_of(df):
    """Return ``(concept, times)``: the frame's base concept and its checked time column.

    Examples
    --------
    >>> from mlops_kit.data import make_demand
    >>> concept, times = time_of(make_demand(n_rows=5))
    >>> times.name
    'date'
    """
    from pandas.api.types import is_datetime64_any_dtype

    check_frame(df)
    concept = get_concept(dataset_of(df))
    column = concept.time_column
    require_columns(df, [column])
    times = df[column]
    if not is_datetime64_any_dtype(times):
        raise ColumnError(
            f"Column {column!r} must hold timestamps (datetime64); it has dtype {times.dtype}. "
            f"Convert it with pandas.to_datetime."
        )
    if times.isna().any():
        raise ColumnError(f"Column {column!r} has {int(times.isna().sum())} missing timestamps.")
    return concept, times


def middle_of(times):
    """The middle of the time span, moved back to midnight when that stays after the start.

    Examples
    --------
    >>> import pandas as pd
    >>> middle_of(pd.Series(pd.to_datetime(["2023-01-01", "2023-01-04"])))
    Timestamp('2023-01-02 00:00:00')
    """
    first, last = times.min(), times.max()
    middle = first + (last - first) / 2
    day = middle.floor("D")
    return day if day > first else middle


def as_time(name, value, times):
    """Parse ``value`` into a Timestamp comparable with ``times`` (tz-aware or not).

    Examples
    --------
    >>> import pandas as pd
    >>> as_time("at", "2023-01-02", pd.Series(pd.to_datetime(["2023-01-01"])))
    Timestamp('2023-01-02 00:00:00')
    """
    stamp = check_timestamp(name, value)
    try:
        _ = times.iloc[:1] >= stamp
    except TypeError as exc:
        zone = getattr(times.dt, "tz", None)
        raise InputError.invalid(
            name, value, f"a timestamp in the time zone of the data ({zone or 'no time zone'})"
        ) from exc
    return stamp


def split_reference_current(df, at=None):
    """Split ``df`` into rows before ``at`` (reference) and at/after ``at`` (current).

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from :func:`make_credit` or :func:`make_demand` (possibly drifted).
    at : str or pandas.Timestamp, optional
        The cut. By default the earliest ``start`` recorded by
        :func:`inject_drift` in ``df.attrs["mlops_kit_drift"]`` that falls inside
        the data, or else the middle of the time span.

    Returns
    -------
    tuple of pandas.DataFrame
        ``(reference, current)``, new frames with a fresh ``RangeIndex`` that keep
        ``df.attrs``.

    Raises
    ------
    InputError
        If ``at`` leaves either window empty or cannot be read as a time.

    Examples
    --------
    >>> from mlops_kit.data import inject_drift, make_credit, split_reference_current
    >>> df = inject_drift(make_credit(n_rows=1_000), "concept", start="2024-01-01")
    >>> reference, current = split_reference_current(df)
    >>> str(current["application_date"].min().date())
    '2024-01-01'
    >>> len(reference) + len(current) == len(df)
    True
    """
    _, times = time_of(df)
    if at is None:
        starts = [r.get("start") for r in df.attrs.get(ATTR_DRIFT, []) if isinstance(r, dict)]
        starts = [as_time("at", s, times) for s in starts if s is not None]
        starts = [s for s in starts if times.min() < s <= times.max()]
        at = min(starts) if starts else middle_of(times)
    cut = as_time("at", at, times)
    before = (times < cut).to_numpy()
    if before.all() or not before.any():
        raise InputError.invalid(
            "at",
            at if isinstance(at, str) else str(cut),
            f"a time after the first row ({times.min()}) and at or before the last ({times.max()})",
            "Both windows need at least one row.",
        )
    reference = df.loc[before].reset_index(drop=True)
    current = df.loc[~before].reset_index(drop=True)
    return reference, current
