"""Times as UTC milliseconds: the one clock of the prediction log and its Parquet days."""

from __future__ import annotations

import pandas as pd

from mlops_kit.errors import InputError

__all__ = ["to_ms"]


def to_ms(value, name: str = "time") -> int:
    """Return ``value`` (datetime, Timestamp, ISO string) as UTC milliseconds since the epoch.

    Naive times are taken as UTC.

    Examples
    --------
    >>> to_ms("1970-01-02")
    86400000
    """
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if isinstance(value, (bool, int, float)) or stamp is pd.NaT:
        raise InputError.invalid(name, value, "a datetime, pandas Timestamp or ISO 8601 string")
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return int(stamp.value // 1_000_000)
