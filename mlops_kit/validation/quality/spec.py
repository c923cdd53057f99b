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

:func:`normalise_spec` checks every key and value against the schema
(:class:`QualitySpec`, a :class:`mlops_kit._yaml.ConfigModel`, the kit's one
mechanism for configuration files) and returns the canonical form used
everywhere else (all keys present, ``None`` where unset). Every problem is
reported at once in one :class:`~mlops_kit.errors.ConfigError`, each with its
key path (``columns.age.maximum``) and what is allowed.

Examples
--------
>>> spec = normalise_spec({"columns": {"age": {"min": 0}}})
>>> spec["columns"]["age"]["min"], spec["columns"]["age"]["required"]
(0, True)
"""

from __future__ import annotations

import typing
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from mlops_kit._yaml import ConfigModel, parse_config, problem

__all__ = [
    "COLUMN_KEYS",
    "DEFAULT_SEVERITY",
    "KINDS",
    "SEVERITIES",
    "TABLE",
    "TABLE_KEYS",
    "QualitySpec",
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

Severity = Literal["error", "warning"]
Kind = Literal[KINDS]  # type: ignore[valid-type]
Finite = Annotated[float, Field(allow_inf_nan=False)]
Number = int | Finite
Share = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Category = str | int | float | bool


def _python(value):
    """numpy scalars (as a learned spec or a user's frame gives them) -> Python values."""
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return value.item()
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        return [_python(v) for v in value]
    return value


class _Spec(ConfigModel):
    @field_validator("*", mode="before")
    @classmethod
    def _numpy_to_python(cls, value):
        return _python(value)


class ColumnSpec(_Spec):
    """The expectations of one column."""

    dtype: Annotated[str, Field(min_length=1)] | None = None
    required: bool = True
    max_missing: Share | None = None
    min: Number | None = None
    max: Number | None = None
    max_out_of_range: Share | None = None
    categories: list[Category] | None = None
    severity: Severity | None = None

    @model_validator(mode="after")
    def _min_below_max(self):
        if self.min is not None and self.max is not None and self.min > self.max:
            raise problem(f"min ({self.min}) must be <= max ({self.max})")
        return self


class RowCount(_Spec):
    """Bounds on the number of rows."""

    min: Annotated[int | Finite, Field(ge=0)] | None = None
    max: Annotated[int | Finite, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _min_below_max(self):
        if self.min is not None and self.max is not None and self.min > self.max:
            raise problem(f"min ({self.min}) must be <= max ({self.max})")
        return self


class TableSpec(_Spec):
    """Table-level expectations."""

    row_count: RowCount = RowCount()
    max_duplicate_share: Share | None = None
    allow_extra_columns: bool = True


class QualitySpec(_Spec):
    """The schema of an expectation spec (dict or YAML file)."""

    columns: dict[typing.Hashable, ColumnSpec] = {}
    table: TableSpec = TableSpec()
    severity: dict[Kind, Severity | None] = {}

    @field_validator("columns", "table", "severity", mode="before")
    @classmethod
    def _null_is_empty(cls, value):
        return {} if value is None else value


COLUMN_KEYS = tuple(ColumnSpec.model_fields)
TABLE_KEYS = tuple(TableSpec.model_fields)


def empty_spec() -> dict:
    """Return the canonical spec with no expectations.

    Examples
    --------
    >>> empty_spec()["table"]["allow_extra_columns"]
    True
    """
    return normalise_spec({})


def normalise_spec(spec: object, source="<memory>") -> dict:
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
    source : str or Path
        Where the spec comes from (a file), named in the error.

    Returns
    -------
    dict
        The same spec with every key present (``None`` where unset).

    Raises
    ------
    ConfigError
        Listing every unknown key and every value not allowed, each with its
        key path (for example ``columns.age.maximum``).

    Examples
    --------
    >>> normalise_spec({"columns": {"age": {"maximum": 3, "max_missing": 2}}})
    Traceback (most recent call last):
    ...
    mlops_kit.errors.ConfigError: Invalid expectation spec <memory>: 2 problem(s)
      - columns.age.max_missing: got 2; allowed: less than or equal to 1
      - columns.age.maximum: unknown key; allowed keys: ['dtype', 'required', 'max_missing', ...]
    """
    model = parse_config(spec, QualitySpec, "expectation spec", source=source)
    return model.model_dump()
