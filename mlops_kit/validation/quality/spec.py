"""The expectation spec: its keys, its defaults and its validation.

An expectation spec is plain data (a ``dict`` or a YAML file)::

    columns:
      age: {dtype: int64, max_missing: 0.01, min: 18, max: 95, max_out_of_range: 0.0}
      region: {dtype: object, categories: [north, south]}
    table:
      row_count: {min: 100}
      max_duplicate_share: 0.01
      allow_extra_columns: true
    severity: {max_duplicate_share: warning}

:func:`normalise_spec` checks every key and value and returns the canonical
form used everywhere else (all keys present, ``None`` where unset). Unknown
keys raise :class:`~mlops_kit.errors.ConfigError` naming the key and what is
allowed.

Examples
--------
>>> spec = normalise_spec({"columns": {"age": {"min": 0}}})
>>> spec["columns"]["age"]["min"], spec["columns"]["age"]["required"]
(0, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real

from mlops_kit.errors import ConfigError

__all__ = [
    "COLUMN_KEYS",
    "DEFAULT_SEVERITY",
    "KINDS",
    "SEVERITIES",
    "TABLE",
    "TABLE_KEYS",
    "empty_spec",
    "normalise_spec",
]

#: Label used in the ``column`` field of table-level expectations.
TABLE = "(table)"
SEVERITIES = ("error", "warning")
#: Every expectation kind, in report order, with its default severity.
DEFAULT_SEVERITY = {
    "present": "error",
    "extra_column": "warning",
    "dtype": "error",
    "max_missing": "error",
    "min": "error",
    "max": "error",
    "categories": "error",
    "row_count": "error",
    "max_duplicate_share": "error",
}
KINDS = tuple(DEFAULT_SEVERITY)
COLUMN_KEYS = (
    "dtype",
    "required",
    "max_missing",
    "min",
    "max",
    "max_out_of_range",
    "categories",
    "severity",
)
TABLE_KEYS = ("row_count", "max_duplicate_share", "allow_extra_columns")
_TOP_KEYS = ("columns", "table", "severity")


def _bad(path: str, got: object, allowed: str) -> ConfigError:
    shown = repr(got)
    if len(shown) > 200:
        shown = shown[:197] + "..."
    return ConfigError(f"Invalid expectation spec at {path}: got {shown}; allowed: {allowed}.")


def _check_keys(mapping: object, allowed: tuple[str, ...], path: str) -> Mapping:
    if mapping is None:
        return {}
    if not isinstance(mapping, Mapping):
        raise _bad(path, mapping, f"a mapping with keys {list(allowed)}")
    unknown = [k for k in mapping if k not in allowed]
    if unknown:
        raise ConfigError(
            f"Invalid expectation spec at {path}: unknown key(s) {unknown}; "
            f"allowed: {list(allowed)}."
        )
    return mapping


def _number(value: object, path: str, lo: float | None = None, hi: float | None = None):
    if value is None:
        return None
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()  # numpy scalar -> Python
    ok = isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)
    if ok and lo is not None and value < lo:
        ok = False
    if ok and hi is not None and value > hi:
        ok = False
    if not ok:
        rng = "" if lo is None and hi is None else f" in [{lo}, {hi if hi is not None else 'inf'}]"
        raise _bad(path, value, f"a finite number{rng} or null")
    return value


def _bool(value: object, path: str, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _bad(path, value, "true or false")
    return value


def _severity(value: object, path: str) -> str | None:
    if value is None:
        return None
    if value not in SEVERITIES:
        raise _bad(path, value, f"one of {list(SEVERITIES)}")
    return value


def _scalar(value: object):
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return value.item()
    return value


def _column(name: object, raw: object) -> dict:
    path = f"columns.{name}"
    raw = _check_keys(raw, COLUMN_KEYS, path)
    dtype = raw.get("dtype")
    if dtype is not None and (not isinstance(dtype, str) or not dtype.strip()):
        raise _bad(f"{path}.dtype", dtype, "a dtype name such as 'int64', 'float64', 'object'")
    lo = _number(raw.get("min"), f"{path}.min")
    hi = _number(raw.get("max"), f"{path}.max")
    if lo is not None and hi is not None and lo > hi:
        raise _bad(f"{path}.min", lo, f"a number <= max ({hi})")
    cats = raw.get("categories")
    if cats is not None:
        if isinstance(cats, (str, bytes)) or not hasattr(cats, "__iter__"):
            raise _bad(f"{path}.categories", cats, "a list of allowed values")
        cats = [_scalar(c) for c in cats]
        bad = [c for c in cats if not isinstance(c, (str, int, float, bool))]
        if bad:
            raise _bad(f"{path}.categories", bad[0], "strings, numbers or booleans")
    return {
        "dtype": dtype,
        "required": _bool(raw.get("required"), f"{path}.required", True),
        "max_missing": _number(raw.get("max_missing"), f"{path}.max_missing", 0.0, 1.0),
        "min": lo,
        "max": hi,
        "max_out_of_range": _number(
            raw.get("max_out_of_range"), f"{path}.max_out_of_range", 0.0, 1.0
        ),
        "categories": cats,
        "severity": _severity(raw.get("severity"), f"{path}.severity"),
    }


def _table(raw: object) -> dict:
    raw = _check_keys(raw, TABLE_KEYS, "table")
    rc = _check_keys(raw.get("row_count"), ("min", "max"), "table.row_count")
    lo = _number(rc.get("min"), "table.row_count.min", 0)
    hi = _number(rc.get("max"), "table.row_count.max", 0)
    if lo is not None and hi is not None and lo > hi:
        raise _bad("table.row_count.min", lo, f"a number <= max ({hi})")
    share = _number(raw.get("max_duplicate_share"), "table.max_duplicate_share", 0.0, 1.0)
    return {
        "row_count": {"min": lo, "max": hi},
        "max_duplicate_share": share,
        "allow_extra_columns": _bool(
            raw.get("allow_extra_columns"), "table.allow_extra_columns", True
        ),
    }


def empty_spec() -> dict:
    """Return the canonical spec with no expectations.

    Examples
    --------
    >>> empty_spec()["table"]["allow_extra_columns"]
    True
    """
    return normalise_spec({})


def normalise_spec(spec: object) -> dict:
    """Validate an expectation spec and return its canonical form.

    Parameters
    ----------
    spec : mapping
        Keys ``columns`` (column name -> expectations: ``dtype``, ``required``,
        ``max_missing`` (share), ``min``, ``max``, ``max_out_of_range`` (share of
        non-missing values allowed outside ``[min, max]``, default 0),
        ``categories``, ``severity``), ``table`` (``row_count``,
        ``max_duplicate_share``, ``allow_extra_columns``) and ``severity``
        (expectation kind -> ``"error"`` or ``"warning"``).

    Returns
    -------
    dict
        The same spec with every key present (``None`` where unset).

    Raises
    ------
    ConfigError
        If a key is unknown or a value is not allowed; the message names the
        path of the offending key (for example ``columns.age.maximum``).

    Examples
    --------
    >>> normalise_spec({"columns": {"age": {"maximum": 3}}})
    Traceback (most recent call last):
    ...
    mlops_kit.errors.ConfigError: Invalid expectation spec at columns.age: unknown key(s) \
['maximum']; allowed: ['dtype', 'required', 'max_missing', 'min', 'max', 'max_out_of_range', \
'categories', 'severity'].
    """
    if not isinstance(spec, Mapping):
        raise _bad("<root>", spec, f"a mapping with keys {list(_TOP_KEYS)}")
    spec = _check_keys(spec, _TOP_KEYS, "<root>")
    cols = spec.get("columns") or {}
    if not isinstance(cols, Mapping):
        raise _bad("columns", cols, "a mapping of column name -> expectations")
    severity = _check_keys(spec.get("severity"), KINDS, "severity")
    return {
        "columns": {name: _column(name, raw) for name, raw in cols.items()},
        "table": _table(spec.get("table")),
        "severity": {k: _severity(v, f"severity.{k}") for k, v in severity.items()},
    }
