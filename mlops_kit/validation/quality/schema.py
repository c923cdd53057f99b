"""The pandera part of a quality check: build the schema, run it, read its failures.

pandera checks column presence, extra columns, dtypes (with its dtype
equivalences, so ``"int"`` matches ``int64``), numeric ranges and allowed
categories, collecting every failure with ``lazy=True``. This module
translates pandera's ``failure_cases`` table into one entry per
``(column, expectation kind)``.

Examples
--------
>>> import pandas as pd
>>> from mlops_kit.validation.quality.spec import normalise_spec
>>> spec = normalise_spec({"columns": {"age": {"max": 95}}})
>>> failures, cases = run_schema(spec, pd.DataFrame({"age": [20, 99, 120]}))
>>> failures[("age", "max")]["count"], failures[("age", "max")]["values"]
(2, [99, 120])
"""

from __future__ import annotations

from mlops_kit.errors import ConfigError

__all__ = ["build_schema", "run_schema"]

_MAX_VALUES = 1000  # distinct failing values kept per expectation


def build_schema(spec: dict):
    """Build a ``pandera.DataFrameSchema`` from a normalised spec.

    Returns
    -------
    (schema, kinds)
        ``kinds[column]`` lists the expectation kind of each column check, in
        pandera's ``check_number`` order.
    """
    import pandera.pandas as pa

    columns, kinds = {}, {}
    for name, col in spec["columns"].items():
        checks, names = [], []
        if col["min"] is not None:
            checks.append(pa.Check.ge(col["min"]))
            names.append("min")
        if col["max"] is not None:
            checks.append(pa.Check.le(col["max"]))
            names.append("max")
        if col["categories"] is not None:
            checks.append(pa.Check.isin(col["categories"]))
            names.append("categories")
        try:
            columns[name] = pa.Column(
                col["dtype"], checks=checks, nullable=True, required=col["required"]
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(
                f"Invalid expectation spec at columns.{name}.dtype: got {col['dtype']!r}; "
                f"allowed: a pandas/numpy dtype name such as 'int64', 'float64', 'object', "
                f"'category', 'bool', 'datetime64[ns]' ({exc})."
            ) from exc
        kinds[name] = names
    strict = not spec["table"]["allow_extra_columns"]
    return pa.DataFrameSchema(columns, strict=strict), kinds


def _kind(context, column, check, number, kinds: dict) -> str | None:
    check = str(check)
    if context == "DataFrameSchema":
        return {"column_in_dataframe": "present", "column_in_schema": "extra_column"}.get(check)
    if check.startswith("dtype("):
        return "dtype"
    names = kinds.get(column, [])
    if number is not None and number == number and 0 <= int(number) < len(names):
        return names[int(number)]
    return None


def _summarise(kind: str, group) -> dict:
    import pandas as pd

    element = group["index"].notna()
    errors = group.loc[~element, "failure_case"]
    error = None
    if kind in ("min", "max", "categories") and len(errors):
        error = str(errors.iloc[0])
    values = group.loc[element, "failure_case"]
    entry = {"count": int(element.sum()), "values": [], "error": error}
    if kind == "categories" and len(values):
        counts = values.astype(str).value_counts()
        first = values.groupby(values.astype(str), sort=False).first()
        entry["values"] = [first[k] for k in counts.index[:_MAX_VALUES]]
        entry["counts"] = [int(c) for c in counts.to_numpy()[:_MAX_VALUES]]
    elif kind in ("min", "max") and len(values):
        numeric = pd.to_numeric(values, errors="coerce").dropna()
        if len(numeric):  # the extremes: lowest and highest failing value
            entry["values"] = sorted({numeric.min().item(), numeric.max().item()})
    return entry


def run_schema(spec: dict, data):
    """Validate ``data`` with pandera (lazy) and group the failures.

    Parameters
    ----------
    spec : dict
        A normalised spec.
    data : pandas.DataFrame

    Returns
    -------
    (failures, failure_cases)
        ``failures[(column, kind)]`` is a dict with ``count`` (failing rows),
        ``values`` (the lowest and highest out-of-range number, or the unseen
        categories most frequent first, with ``counts``) and ``error``
        (why a check could not run, else None). ``failure_cases`` is pandera's
        table (one row per failing cell, with its index) or None.
    """
    from pandera.errors import SchemaErrors

    schema, kinds = build_schema(spec)
    try:
        schema.validate(data, lazy=True, inplace=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return {}, None
    failures = {}
    keys = ["schema_context", "column", "check", "check_number"]
    for (context, column, check, number), group in cases.groupby(keys, sort=False, dropna=False):
        kind = _kind(context, column, check, number, kinds)
        if kind is None:
            continue
        if context == "DataFrameSchema":  # one row per missing or extra column
            for name in group["failure_case"]:
                failures[(name, kind)] = {"count": 0, "values": [], "error": None}
        else:
            failures[(column, kind)] = _summarise(kind, group)
    return failures, cases
