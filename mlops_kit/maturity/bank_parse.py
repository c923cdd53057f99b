"""Validation of a question bank read from YAML (used by :func:`~mlops_kit.maturity.load_bank`).

Every problem is collected and reported at once in one
:class:`~mlops_kit.errors.ConfigError`: missing fields, duplicate ids, levels
out of range, unknown dimensions, gates without a cap, unknown evidence rules,
missing levels or top-level keys.

Examples
--------
>>> try:
...     parse_bank({"items": []}, source="demo.yaml")
... except Exception as exc:
...     print(str(exc).splitlines()[0])
Invalid question bank demo.yaml: 8 problem(s)
"""

from __future__ import annotations

from mlops_kit.errors import ConfigError
from mlops_kit.maturity.bank import Dimension, Item, Level, QuestionBank
from mlops_kit.maturity.rules import RULES

__all__ = ["parse_bank"]

_ITEM_REQUIRED = (
    "id",
    "dimension",
    "text",
    "level",
    "how",
    "next_step",
    "tutorial",
    "tools",
    "effort_weeks",
)
_ITEM_OPTIONAL = ("weight", "gate", "cap", "na", "evidence")
_TOP_REQUIRED = ("scoring", "levels", "dimensions", "items", "timeline")


def _is_num(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _parse_levels(raw, errors: list[str]) -> dict[int, Level]:
    levels: dict[int, Level] = {}
    if not isinstance(raw, dict):
        errors.append("'levels' must be a mapping of level number (1-5) to its definition")
        return levels
    for key, spec in raw.items():
        if not isinstance(key, int) or isinstance(key, bool) or not 1 <= key <= 5:
            errors.append(f"level {key!r}: level numbers must be integers 1-5")
            continue
        if not isinstance(spec, dict) or "name" not in spec or "team_size" not in spec:
            errors.append(f"level {key}: missing field 'name' or 'team_size'")
            continue
        ts = spec["team_size"]
        if not isinstance(ts, dict) or not _is_num(ts.get("min")):
            errors.append(f"level {key}: team_size needs 'min' (and 'max', null for no limit)")
            continue
        hi = ts.get("max")
        label = ts.get("label") or (f"{ts['min']}-{hi} people" if hi else f"{ts['min']}+ people")
        levels[key] = Level(
            key, str(spec["name"]), int(ts["min"]), hi, label, str(spec.get("description", ""))
        )
    missing = sorted(set(range(1, 6)) - set(levels))
    if isinstance(raw, dict) and missing:
        errors.append(f"levels: missing level(s) {missing}; all five levels 1-5 are needed")
    return levels


def _parse_dimensions(raw, errors: list[str]) -> tuple[Dimension, ...]:
    dims: list[Dimension] = []
    if not isinstance(raw, list):
        errors.append("'dimensions' must be a list")
        return ()
    for n, spec in enumerate(raw):
        if not isinstance(spec, dict) or any(k not in spec for k in ("id", "name", "tutorial")):
            errors.append(f"dimension #{n + 1}: needs 'id', 'name' and 'tutorial'")
            continue
        if any(d.id == spec["id"] for d in dims):
            errors.append(f"duplicate dimension id {spec['id']!r}")
            continue
        dims.append(
            Dimension(
                str(spec["id"]),
                str(spec["name"]),
                int(spec.get("step", n + 1)),
                str(spec["tutorial"]),
            )
        )
    return tuple(dims)


def _parse_item(n: int, spec, dim_ids: set[str], errors: list[str]) -> Item | None:
    if not isinstance(spec, dict):
        errors.append(f"item #{n + 1}: must be a mapping, got {type(spec).__name__}")
        return None
    name = f"item {spec['id']!r}" if "id" in spec else f"item #{n + 1}"
    bad = len(errors)
    for field in _ITEM_REQUIRED:
        if field not in spec or spec[field] is None or spec[field] == "":
            errors.append(f"{name}: missing field {field!r}")
    unknown = sorted(set(spec) - set(_ITEM_REQUIRED) - set(_ITEM_OPTIONAL))
    if unknown:
        errors.append(f"{name}: unknown field(s) {unknown}")
    if len(errors) > bad:
        return None
    level = spec["level"]
    if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 5:
        errors.append(f"{name}: level {level!r} out of range; allowed: an integer 1-5")
    if spec["dimension"] not in dim_ids:
        errors.append(
            f"{name}: unknown dimension {spec['dimension']!r}; allowed: {sorted(dim_ids)}"
        )
    weight = spec.get("weight", 1.0)
    if not _is_num(weight) or weight <= 0:
        errors.append(f"{name}: weight {weight!r} must be a number > 0")
    if not _is_num(spec["effort_weeks"]) or spec["effort_weeks"] < 0:
        errors.append(f"{name}: effort_weeks {spec['effort_weeks']!r} must be a number >= 0")
    tools = spec["tools"]
    if not isinstance(tools, list) or not all(isinstance(t, str) for t in tools):
        errors.append(f"{name}: tools must be a list of strings")
    gate, cap, na = bool(spec.get("gate", False)), spec.get("cap"), bool(spec.get("na", False))
    if gate and (not isinstance(cap, int) or isinstance(cap, bool) or not 1 <= cap <= 4):
        errors.append(f"{name}: a gate item needs 'cap', the highest level without it (1-4)")
    if not gate and cap is not None:
        errors.append(f"{name}: 'cap' is only allowed on gate items (gate: true)")
    if gate and na:
        errors.append(f"{name}: a gate item cannot be answered 'na'")
    evidence = spec.get("evidence")
    if evidence is not None and evidence not in RULES:
        errors.append(f"{name}: unknown evidence rule {evidence!r}; allowed: {sorted(RULES)}")
    if len(errors) > bad:
        return None
    return Item(
        id=str(spec["id"]),
        dimension=spec["dimension"],
        text=str(spec["text"]),
        level=level,
        how=str(spec["how"]),
        next_step=str(spec["next_step"]),
        tutorial=str(spec["tutorial"]),
        tools=tuple(tools),
        effort_weeks=float(spec["effort_weeks"]),
        weight=float(weight),
        gate=gate,
        cap=cap,
        na=na,
        evidence=evidence,
    )


def parse_bank(data, source: str = "<memory>") -> QuestionBank:
    """Validate an already-parsed bank (a dict as read from YAML).

    Raises :class:`~mlops_kit.errors.ConfigError` listing every problem.
    """
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the question bank must be a YAML mapping")
    errors: list[str] = [f"missing top-level key {k!r}" for k in _TOP_REQUIRED if k not in data]
    levels = _parse_levels(data.get("levels", {}), errors)
    dims = _parse_dimensions(data.get("dimensions", []), errors)
    dim_ids = {d.id for d in dims}
    items: list[Item] = []
    seen: set[str] = set()
    raw_items = data.get("items", [])
    if not isinstance(raw_items, list):
        errors.append("'items' must be a list")
        raw_items = []
    for n, spec in enumerate(raw_items):
        if isinstance(spec, dict) and "id" in spec:
            if spec["id"] in seen:
                errors.append(f"duplicate item id {spec['id']!r}")
                continue
            seen.add(spec["id"])
        item = _parse_item(n, spec, dim_ids, errors)
        if item is not None:
            items.append(item)
    for d in dims:
        if raw_items and not any(
            s.get("dimension") == d.id for s in raw_items if isinstance(s, dict)
        ):
            errors.append(f"dimension {d.id!r} has no items")
    pass_mark = (data.get("scoring") or {}).get("pass_mark", 0.5)
    if not _is_num(pass_mark) or not 0 < pass_mark <= 1:
        errors.append(f"scoring.pass_mark {pass_mark!r} must be a number in (0, 1]")
    timeline = data.get("timeline") or {}
    for key in ("reference_team_size", "exponent", "max_factor"):
        if not _is_num(timeline.get(key)) or timeline.get(key) <= 0:
            errors.append(f"timeline.{key} must be a number > 0")
    if errors:
        listed = "\n".join(f"  - {e}" for e in errors)
        raise ConfigError(f"Invalid question bank {source}: {len(errors)} problem(s)\n{listed}")
    return QuestionBank(
        tuple(items),
        dims,
        levels,
        float(pass_mark),
        dict(data.get("scale") or {}),
        dict(timeline),
        source,
    )
