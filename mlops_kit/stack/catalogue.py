"""The MLOps tool catalogue: loaded from ``catalogue.yaml`` and checked on load.

Each tool has its categories, licence, a cost model evaluated at a team size,
the team-size range and complexity it fits, its cloud and a short note. Costs
are approximate list prices or planning estimates (``as_of`` the catalogue's
date), never exact quotes. The file is validated with the kit's one schema
mechanism (:mod:`mlops_kit._yaml`): every problem at once, each with the file
and its key path (``tools[Feast].cost.kind``).

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from mlops_kit._yaml import ConfigModel, Problems, load_config, problem
from mlops_kit.errors import InputError

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


# --- the file's schema (mlops_kit._yaml) ------------------------------------------------

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_Complexity = Literal["low", "medium", "high"]
_Category = Literal[CATEGORIES]
_Amount = Annotated[float, Field(ge=0)]


class _Cost(ConfigModel):
    kind: Literal[COST_KINDS]
    base_monthly: _Amount = 0.0
    per_user_monthly: _Amount = 0.0
    per_experiment: _Amount = 0.0
    basis: Literal[_BASES] = "estimate"

    @model_validator(mode="after")
    def _estimate_only(self):
        if self.kind in ("usage", "quote", "per_experiment") and self.basis != "estimate":
            raise problem(f"a {self.kind} cost can only be an estimate (basis: estimate)")
        return self


class _Tool(ConfigModel):
    name: _Text
    versioning: Literal["git", "database"] | None = None
    categories: list[_Category] = Field(min_length=1)
    licence: _Text
    open_source: bool
    cloud: Literal[CLOUDS]
    cost: _Cost
    team_size: list[int] = Field(min_length=2, max_length=2)
    complexity: dict[_Category, list[_Complexity]]
    note: _Text

    @field_validator("complexity", mode="before")
    @classmethod
    def _one_list_for_all(cls, value, info):
        # one list applies to every category of the tool
        if isinstance(value, list):
            return {cat: value for cat in info.data.get("categories") or []}
        return value

    @field_validator("complexity")
    @classmethod
    def _per_category(cls, value, info):
        cats = info.data.get("categories")
        if cats is not None and set(value) != set(cats):
            raise problem(
                f"got categories {sorted(value)}; allowed: exactly the tool's categories "
                f"{cats} (or one list for all)"
            )
        if any(not v for v in value.values()):
            raise problem("allowed: a non-empty list of low, medium, high")
        return value

    @field_validator("team_size")
    @classmethod
    def _range(cls, value):
        if not 1 <= value[0] <= value[1]:
            raise problem(f"got {value}; allowed: [min, max] integers with 1 <= min <= max")
        return value


class _CategoryRule(ConfigModel):
    description: _Text
    needed_from: _Complexity


class _GitWhen(ConfigModel):
    max_team_size: float = Field(ge=0)
    complexity: list[_Complexity] = Field(min_length=1)


class _Option(ConfigModel):
    label: _Text
    tools: list[_Text] = Field(min_length=1)
    pros: list[_Text] = Field(min_length=1)
    cons: list[_Text] = Field(min_length=1)


class _Options(ConfigModel):
    git: _Option
    database: _Option


class _Versioning(ConfigModel):
    git_when: _GitWhen
    options: _Options


class _Assumptions(ConfigModel):
    experiments_per_user_month: float = Field(ge=0)


class _Categories(ConfigModel):
    tracking: _CategoryRule
    registry: _CategoryRule
    orchestration: _CategoryRule
    serving: _CategoryRule
    monitoring: _CategoryRule
    data_validation: _CategoryRule
    feature_store: _CategoryRule
    ci: _CategoryRule


class _CatalogueFile(ConfigModel):
    version: Literal[1]
    as_of: _Text
    currency: _Text
    disclaimer: _Text
    assumptions: _Assumptions
    categories: _Categories
    versioning: _Versioning
    tools: list[_Tool] = Field(min_length=1)

    @model_validator(mode="after")
    def _whole_catalogue(self):
        problems = []
        names = [t.name for t in self.tools]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            problems.append((("tools",), f"duplicate names {dupes}"))
        empty = [c for c in CATEGORIES if not any(c in t.categories for t in self.tools)]
        if empty:
            problems.append((("tools",), f"no tool in categories {empty}"))
        if problems:
            raise Problems(problems)
        return self


def _build(raw: _CatalogueFile) -> Catalogue:
    epum = float(raw.assumptions.experiments_per_user_month)
    tools = []
    for t in raw.tools:
        comp = {cat: tuple(v) for cat, v in t.complexity.items()}
        tools.append(
            Tool(
                name=t.name,
                categories=tuple(t.categories),
                licence=t.licence,
                open_source=t.open_source,
                cloud=t.cloud,
                cost=CostModel(
                    kind=t.cost.kind,
                    base_monthly=float(t.cost.base_monthly),
                    per_user_monthly=float(t.cost.per_user_monthly),
                    per_experiment=float(t.cost.per_experiment),
                    basis=t.cost.basis,
                ),
                team_size=(t.team_size[0], t.team_size[1]),
                complexity=comp,
                note=t.note,
                experiments_per_user_month=epum,
                versioning=t.versioning,
            )
        )
    return Catalogue(
        as_of=raw.as_of,
        currency=raw.currency,
        disclaimer=raw.disclaimer,
        categories={k: raw.categories.model_dump()[k] for k in CATEGORIES},
        versioning=raw.versioning.model_dump(),
        tools=tuple(tools),
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
    return _build(load_config(path, _CatalogueFile, "catalogue"))
