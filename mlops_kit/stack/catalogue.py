"""The MLOps tool catalogue: loaded from ``catalogue.yaml`` and checked on load.

Each tool has its categories, licence, a cost model evaluated at a team size,
the team-size range and complexity it fits, its cloud and a short note. Costs
are approximate list prices or planning estimates (``as_of`` the catalogue's
date), never exact quotes.

Examples
--------
>>> from mlops_kit.stack.catalogue import load_catalogue
>>> cat = load_catalogue()
>>> cat.tool("Databricks").monthly_cost(team_size=5)
1000.0
>>> "feature_store" in cat.categories
True
"""

from __future__ import annotations

import functools
import numbers
from dataclasses import dataclass, field
from pathlib import Path

from mlops_kit.errors import ConfigError, InputError

__all__ = [
    "CATALOGUE_FILE",
    "CATEGORIES",
    "COMPLEXITIES",
    "COST_KINDS",
    "Catalogue",
    "CostModel",
    "Tool",
    "load_catalogue",
]

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yaml")
#: the categories a catalogue must describe, in display order
CATEGORIES = (
    "tracking",
    "registry",
    "orchestration",
    "serving",
    "monitoring",
    "data_validation",
    "feature_store",
    "ci",
)
COMPLEXITIES = ("low", "medium", "high")
COST_KINDS = ("open_source", "per_user", "per_experiment", "usage", "subscription", "quote")
CLOUDS = ("any", "aws", "azure", "gcp")
_BASES = ("list", "estimate")


@dataclass(frozen=True)
class CostModel:
    """How a tool's monthly cost grows with the team (US dollars, approximate).

    ``monthly = base_monthly + per_user_monthly * team + per_experiment *
    experiments_per_user_month * team``.
    """

    kind: str
    base_monthly: float = 0.0
    per_user_monthly: float = 0.0
    per_experiment: float = 0.0
    basis: str = "estimate"

    def monthly(self, team_size: float, experiments_per_user_month: float) -> float:
        """The monthly cost at ``team_size`` users."""
        per_exp = self.per_experiment * experiments_per_user_month * team_size
        return float(self.base_monthly + self.per_user_monthly * team_size + per_exp)


@dataclass(frozen=True)
class Tool:
    """One catalogued tool.

    Examples
    --------
    >>> tool = Tool(
    ...     name="Tracker",
    ...     categories=("tracking",),
    ...     licence="MIT",
    ...     open_source=True,
    ...     cloud="any",
    ...     cost=CostModel("per_user", base_monthly=50.0, per_user_monthly=20.0),
    ...     team_size=(1, 50),
    ...     complexity={"tracking": ("low", "medium")},
    ...     note="A made-up tool.",
    ... )
    >>> tool.monthly_cost(team_size=5)
    150.0
    >>> tool.fits_team(100), tool.fits_complexity("low", "tracking")
    (False, True)
    """

    name: str
    categories: tuple[str, ...]
    licence: str
    open_source: bool
    cloud: str
    cost: CostModel
    team_size: tuple[int, int]
    complexity: dict[str, tuple[str, ...]]
    note: str
    experiments_per_user_month: float = 10.0
    versioning: str | None = None

    def monthly_cost(self, team_size: float) -> float:
        """Approximate monthly cost (USD) for a team of ``team_size``."""
        return self.cost.monthly(team_size, self.experiments_per_user_month)

    def fits_team(self, team_size: float) -> bool:
        """Whether ``team_size`` is within the tool's range."""
        return self.team_size[0] <= team_size <= self.team_size[1]

    def fits_complexity(self, complexity: str, category: str) -> bool:
        """Whether the tool suits ``complexity`` in ``category``."""
        return complexity in self.complexity.get(category, ())


@dataclass(frozen=True)
class Catalogue:
    """The tools, category rules and versioning options of a catalogue file.

    Build it with :func:`load_catalogue`.

    Examples
    --------
    >>> cat = load_catalogue()
    >>> list(cat.categories)[:3]
    ['tracking', 'registry', 'orchestration']
    >>> "MLflow" in [t.name for t in cat.in_category("tracking")]
    True
    >>> cat.tool("MLflow").open_source
    True
    """

    as_of: str
    currency: str
    disclaimer: str
    categories: dict[str, dict]
    versioning: dict
    tools: tuple[Tool, ...] = field(default_factory=tuple)

    def tool(self, name: str) -> Tool:
        """The tool called ``name`` (InputError if none)."""
        for t in self.tools:
            if t.name == name:
                return t
        raise InputError.invalid("tool", name, "one of " + ", ".join(t.name for t in self.tools))

    def in_category(self, category: str) -> list[Tool]:
        """The tools that cover ``category``."""
        return [t for t in self.tools if category in t.categories]


class _Checker:
    def __init__(self, path):
        self.path = path

    def fail(self, where, msg):
        return ConfigError(f"{self.path}: {where}: {msg}")

    def mapping(self, value, where, required=(), optional=()):
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a mapping, got {type(value).__name__}")
        missing = [k for k in required if k not in value]
        if missing:
            raise self.fail(where, f"missing keys {missing}")
        extra = sorted(set(value) - set(required) - set(optional))
        if extra:
            raise self.fail(where, f"unknown keys {extra}")
        return value

    def text(self, value, where):
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"expected a non-empty string, got {value!r}")
        return value.strip()

    def number(self, value, where):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or value < 0:
            raise self.fail(where, f"expected a number >= 0, got {value!r}")
        return float(value)

    def choices(self, value, where, allowed):
        if not isinstance(value, list) or not value or any(v not in allowed for v in value):
            raise self.fail(where, f"expected a non-empty list from {list(allowed)}, got {value!r}")
        return tuple(value)


def _parse_tool(c: _Checker, raw, i, epum) -> Tool:
    keys = ("name", "categories", "licence", "open_source", "cloud", "cost")
    raw = c.mapping(raw, f"tools[{i}]", (*keys, "team_size", "complexity", "note"), ("versioning",))
    name = c.text(raw["name"], f"tools[{i}].name")
    where = f"tools[{name}]"
    cats = c.choices(raw["categories"], f"{where}.categories", CATEGORIES)
    if not isinstance(raw["open_source"], bool):
        raise c.fail(f"{where}.open_source", f"expected true or false, got {raw['open_source']!r}")
    if raw["cloud"] not in CLOUDS:
        raise c.fail(f"{where}.cloud", f"expected one of {list(CLOUDS)}, got {raw['cloud']!r}")
    cost = c.mapping(
        raw["cost"],
        f"{where}.cost",
        ("kind",),
        ("base_monthly", "per_user_monthly", "per_experiment", "basis"),
    )
    if cost["kind"] not in COST_KINDS:
        raise c.fail(
            f"{where}.cost.kind", f"expected one of {list(COST_KINDS)}, got {cost['kind']!r}"
        )
    basis = cost.get("basis", "estimate")
    if basis not in _BASES:
        raise c.fail(f"{where}.cost.basis", f"expected one of {list(_BASES)}, got {basis!r}")
    if cost["kind"] in ("usage", "quote", "per_experiment") and basis != "estimate":
        raise c.fail(f"{where}.cost.basis", f"a {cost['kind']} cost can only be an estimate")
    amounts = {
        k: c.number(cost.get(k, 0), f"{where}.cost.{k}")
        for k in CostModel.__dataclass_fields__
        if k not in ("kind", "basis")
    }
    team = raw["team_size"]
    ok = (
        isinstance(team, list)
        and len(team) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in team)
    )
    if not ok or not 1 <= team[0] <= team[1]:
        raise c.fail(
            f"{where}.team_size", f"expected [min, max] integers with 1 <= min <= max, got {team!r}"
        )
    comp = raw["complexity"]
    if isinstance(comp, list):
        comp = {cat: c.choices(comp, f"{where}.complexity", COMPLEXITIES) for cat in cats}
    else:
        comp = c.mapping(comp, f"{where}.complexity", cats)
        comp = {
            cat: c.choices(v, f"{where}.complexity.{cat}", COMPLEXITIES) for cat, v in comp.items()
        }
    versioning = raw.get("versioning")
    if versioning not in (None, "git", "database"):
        raise c.fail(f"{where}.versioning", f"expected 'git' or 'database', got {versioning!r}")
    return Tool(
        name=name,
        categories=cats,
        licence=c.text(raw["licence"], f"{where}.licence"),
        open_source=raw["open_source"],
        cloud=raw["cloud"],
        cost=CostModel(kind=cost["kind"], basis=basis, **amounts),
        team_size=(team[0], team[1]),
        complexity=comp,
        note=c.text(raw["note"], f"{where}.note"),
        experiments_per_user_month=epum,
        versioning=versioning,
    )


def _parse(data, path) -> Catalogue:
    c = _Checker(path)
    top = (
        "version",
        "as_of",
        "currency",
        "disclaimer",
        "assumptions",
        "categories",
        "versioning",
        "tools",
    )
    data = c.mapping(data, "top level", top)
    if data["version"] != 1:
        raise c.fail("version", f"expected 1, got {data['version']!r}")
    assumptions = c.mapping(data["assumptions"], "assumptions", ("experiments_per_user_month",))
    epum = c.number(
        assumptions["experiments_per_user_month"], "assumptions.experiments_per_user_month"
    )
    cats = c.mapping(data["categories"], "categories", CATEGORIES)
    for name, body in cats.items():
        c.mapping(body, f"categories.{name}", ("description", "needed_from"))
        c.text(body["description"], f"categories.{name}.description")
        if body["needed_from"] not in COMPLEXITIES:
            raise c.fail(f"categories.{name}.needed_from", f"expected one of {list(COMPLEXITIES)}")
    ver = c.mapping(data["versioning"], "versioning", ("git_when", "options"))
    rule = c.mapping(ver["git_when"], "versioning.git_when", ("max_team_size", "complexity"))
    c.number(rule["max_team_size"], "versioning.git_when.max_team_size")
    c.choices(rule["complexity"], "versioning.git_when.complexity", COMPLEXITIES)
    options = c.mapping(ver["options"], "versioning.options", ("git", "database"))
    for key, opt in options.items():
        c.mapping(opt, f"versioning.options.{key}", ("label", "tools", "pros", "cons"))
        for part in ("tools", "pros", "cons"):
            items = opt[part]
            if not isinstance(items, list) or not items:
                raise c.fail(f"versioning.options.{key}.{part}", "expected a non-empty list")
            for j, item in enumerate(items):
                c.text(item, f"versioning.options.{key}.{part}[{j}]")
    raw_tools = data["tools"]
    if not isinstance(raw_tools, list) or not raw_tools:
        raise c.fail("tools", "expected a non-empty list")
    tools = tuple(_parse_tool(c, raw, i, epum) for i, raw in enumerate(raw_tools))
    names = [t.name for t in tools]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise c.fail("tools", f"duplicate names {dupes}")
    empty = [cat for cat in CATEGORIES if not any(cat in t.categories for t in tools)]
    if empty:
        raise c.fail("tools", f"no tool in categories {empty}")
    return Catalogue(
        as_of=str(data["as_of"]),
        currency=c.text(data["currency"], "currency"),
        disclaimer=c.text(data["disclaimer"], "disclaimer"),
        categories={k: dict(cats[k]) for k in CATEGORIES},
        versioning=ver,
        tools=tools,
    )


def load_catalogue(path=None) -> Catalogue:
    """Load and check a catalogue file (default: the one inside the package).

    Parameters
    ----------
    path : str or Path, optional
        A YAML file in the format of ``mlops_kit/stack/catalogue.yaml``.

    Raises
    ------
    ConfigError
        The file is missing, not YAML or breaks a rule (the message names where).

    Examples
    --------
    >>> len(load_catalogue().tools) >= 20
    True
    """
    if path is None:
        return _default()
    return _load(Path(path))


@functools.lru_cache(maxsize=1)
def _default() -> Catalogue:
    return _load(CATALOGUE_FILE)


def _load(path: Path) -> Catalogue:
    from mlops_kit._yaml import read_yaml

    return _parse(read_yaml(path, "catalogue"), path)
