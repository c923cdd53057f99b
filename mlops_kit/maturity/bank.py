"""The maturity question bank: loaded from YAML and validated.

The bank (``questions.yaml`` inside the package) holds the five levels with
their names and team sizes (the source framework's maturity table), the five
dimensions (one per framework step), the answer scale, the scoring pass mark,
the roadmap timeline rule, the tutorials that exist and the items. The file is
validated with the kit's one schema mechanism (:mod:`mlops_kit._yaml`): every
problem found while loading (missing fields, duplicate ids, levels out of
range, unknown dimensions or evidence rules, gates without a cap, missing
levels or top-level keys) is reported at once in one
:class:`~mlops_kit.errors.ConfigError` naming the file and the key path.

Examples
--------
>>> bank = load_bank()
>>> bank.dimension_ids[0]
'versioning_tracking'
>>> bank.levels[3].name
'Automated CI/CD and monitoring'
>>> bank.item("cicd_rollback").cap
2
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from mlops_kit._yaml import ConfigModel, document, load_config, parse_config, problem
from mlops_kit.errors import ConfigError
from mlops_kit.maturity.rules import RULES

__all__ = ["DEFAULT_BANK", "Dimension", "Item", "Level", "QuestionBank", "load_bank", "parse_bank"]

#: the question bank shipped with the package
DEFAULT_BANK = Path(__file__).with_name("questions.yaml")


@dataclass(frozen=True)
class Level:
    """One of the five maturity levels, with the team size the source's table gives it.

    ``team_min``/``team_max`` are the table's range; the ranges share their ends
    (1-3, 3-5, 5-8, 8-12, 12+) and a size on a shared end belongs to the higher
    level (see :func:`~mlops_kit.maturity.score.expected_level`).

    Examples
    --------
    >>> level = load_bank().levels[1]
    >>> level.number, level.name, level.team_label
    (1, 'No formal MLOps processes', '1-3 people')
    """

    number: int
    name: str
    team_min: int
    team_max: int | None
    team_label: str
    description: str = ""


@dataclass(frozen=True)
class Dimension:
    """A dimension of the assessment: one step of the framework.

    Examples
    --------
    >>> d = load_bank().dimension("cicd")
    >>> d.step, d.name
    (3, 'CI/CD for ML')
    """

    id: str
    name: str
    step: int
    tutorial: str | None


@dataclass(frozen=True)
class Item:
    """One question of the bank (see ``questions.yaml`` for the fields).

    ``tutorial`` is None while the tutorial the bank names for it does not
    exist yet (it is not in the bank's ``tutorials_available``).

    Examples
    --------
    >>> item = load_bank().item("cicd_rollback")
    >>> item.dimension, item.level, item.gate
    ('cicd', 3, True)
    >>> item.allowed
    (0, 0.5, 1)
    """

    id: str
    dimension: str
    text: str
    level: int
    how: str
    next_step: str
    tutorial: str | None
    tools: tuple[str, ...]
    effort_weeks: float
    weight: float = 1.0
    gate: bool = False
    cap: int | None = None
    na: bool = False
    evidence: str | None = None

    @property
    def allowed(self) -> tuple:
        """The answers this item accepts."""
        return (0, 0.5, 1, "na") if self.na else (0, 0.5, 1)


@dataclass(frozen=True)
class QuestionBank:
    """A validated question bank. Build it with :func:`load_bank`.

    Examples
    --------
    >>> bank = load_bank()
    >>> bank.pass_mark, len(bank.levels)
    (0.5, 5)
    >>> all(i.dimension == "cicd" for i in bank.items_of("cicd"))
    True
    """

    items: tuple[Item, ...]
    dimensions: tuple[Dimension, ...]
    levels: dict[int, Level]
    pass_mark: float
    scale: dict[str, str]
    timeline: dict[str, float]
    source: str = "<memory>"

    @property
    def item_ids(self) -> list[str]:
        """Item ids in bank order."""
        return [i.id for i in self.items]

    @property
    def dimension_ids(self) -> list[str]:
        """Dimension ids in framework order."""
        return [d.id for d in self.dimensions]

    def item(self, item_id: str) -> Item:
        """Return the item with id ``item_id`` (``KeyError`` if unknown)."""
        return self._index[item_id]

    def dimension(self, dimension_id: str) -> Dimension:
        """Return the dimension with id ``dimension_id``."""
        return {d.id: d for d in self.dimensions}[dimension_id]

    def items_of(self, dimension_id: str) -> list[Item]:
        """Items of one dimension, in bank order."""
        return [i for i in self.items if i.dimension == dimension_id]

    @functools.cached_property
    def _index(self) -> dict[str, Item]:
        return {i.id: i for i in self.items}

    def to_frame(self):
        """The items as a DataFrame (one row per item).

        Examples
        --------
        >>> load_bank().to_frame().shape[0] >= 30
        True
        """
        import pandas as pd

        rows = [
            {
                "item": i.id,
                "dimension": i.dimension,
                "level": i.level,
                "text": i.text,
                "how": i.how,
                "gate": i.gate,
                "cap": i.cap,
                "na_allowed": i.na,
                "weight": i.weight,
                "effort_weeks": i.effort_weeks,
                "evidence_rule": i.evidence,
                "tutorial": i.tutorial,
                "tools": ", ".join(i.tools),
            }
            for i in self.items
        ]
        return pd.DataFrame(rows)


# --- the file's schema (mlops_kit._yaml) ------------------------------------------------


class _TeamSize(ConfigModel):
    min: int = Field(ge=1)
    max: int | None = None
    label: str


class _Level(ConfigModel):
    name: str = Field(min_length=1)
    team_size: _TeamSize
    description: str = ""


class _Dimension(ConfigModel):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    step: int = Field(ge=1, le=5)
    tutorial: str = Field(min_length=1)


def _ids(info, key: str) -> list:
    return [x.get("id") for x in document(info).get(key) or [] if isinstance(x, dict)]


class _Item(ConfigModel):
    id: str = Field(min_length=1)
    dimension: str
    text: str = Field(min_length=1)
    level: int = Field(ge=1, le=5)
    how: str = Field(min_length=1)
    next_step: str = Field(min_length=1)
    tutorial: str = Field(min_length=1)
    tools: list[str]
    effort_weeks: float = Field(ge=0)
    weight: float = Field(default=1.0, gt=0)
    gate: bool = False
    cap: int | None = Field(default=None, ge=1, le=4)
    na: bool = False
    evidence: str | None = None

    @field_validator("id")
    @classmethod
    def _unique(cls, value, info):
        if _ids(info, "items").count(value) > 1:
            raise problem(f"duplicate item id {value!r}")
        return value

    @field_validator("dimension")
    @classmethod
    def _known_dimension(cls, value, info):
        known = [d for d in _ids(info, "dimensions") if isinstance(d, str)]
        if value not in known:
            raise problem(f"unknown dimension {value!r}; allowed: {known}")
        return value

    @field_validator("evidence")
    @classmethod
    def _known_rule(cls, value):
        if value is not None and value not in RULES:
            raise problem(f"unknown evidence rule {value!r}; allowed: {sorted(RULES)}")
        return value

    @model_validator(mode="after")
    def _gate_rules(self):
        if self.gate and self.cap is None:
            raise problem("a gate item needs 'cap', the highest level without it (1-4)")
        if not self.gate and self.cap is not None:
            raise problem("'cap' is only allowed on gate items (gate: true)")
        if self.gate and self.na:
            raise problem("a gate item cannot be answered 'na'")
        return self


class _Scoring(ConfigModel):
    pass_mark: float = Field(gt=0, le=1)


class _Timeline(ConfigModel):
    reference_team_size: float = Field(gt=0)
    exponent: float = Field(ge=0)
    max_factor: float = Field(ge=1)


class _BankFile(ConfigModel):
    version: Literal[1]
    scoring: _Scoring
    scale: dict[str, str]
    levels: dict[int, _Level]
    timeline: _Timeline
    tutorials_available: list[str]
    dimensions: list[_Dimension] = Field(min_length=1)
    items: list[_Item] = Field(min_length=1)

    @field_validator("levels")
    @classmethod
    def _five_levels(cls, value):
        missing = sorted(set(range(1, 6)) - set(value))
        extra = sorted(set(value) - set(range(1, 6)))
        wrong = [f"missing level(s) {missing}"] if missing else []
        wrong += [f"unknown level(s) {extra}"] if extra else []
        if wrong:
            raise problem(f"{', '.join(wrong)}; allowed: exactly the levels 1-5")
        return value

    @field_validator("dimensions")
    @classmethod
    def _dimensions_used(cls, value, info):
        ids = [d.id for d in value]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise problem(f"duplicate dimension id(s) {dupes}")
        items = document(info).get("items") or []
        used = {x.get("dimension") for x in items if isinstance(x, dict)}
        empty = [i for i in ids if i not in used]
        if empty:
            raise problem(f"dimension(s) {empty} have no items")
        return value


def parse_bank(data, source="<memory>") -> QuestionBank:
    """Validate an already-parsed bank (a dict as read from YAML) and build it.

    Raises
    ------
    ConfigError
        Every problem at once, each with its key path (``items[vt_code_in_git].cap``).

    Examples
    --------
    >>> try:
    ...     parse_bank({"version": 1}, source="demo.yaml")
    ... except ConfigError as exc:
    ...     print(str(exc).splitlines()[:2])
    ['Invalid question bank demo.yaml: 7 problem(s)', '  - scoring: required key is missing']
    """
    return _build(parse_config(data, _BankFile, "question bank", source=source), source)


def _build(raw: _BankFile, source) -> QuestionBank:
    available = set(raw.tutorials_available)

    def shown(path: str) -> str | None:
        return path if path in available else None

    levels = {
        n: Level(
            n,
            lv.name,
            lv.team_size.min,
            lv.team_size.max,
            lv.team_size.label,
            lv.description,
        )
        for n, lv in sorted(raw.levels.items())
    }
    dims = tuple(Dimension(d.id, d.name, d.step, shown(d.tutorial)) for d in raw.dimensions)
    items = tuple(
        Item(
            id=i.id,
            dimension=i.dimension,
            text=i.text,
            level=i.level,
            how=i.how,
            next_step=i.next_step,
            tutorial=shown(i.tutorial),
            tools=tuple(i.tools),
            effort_weeks=float(i.effort_weeks),
            weight=float(i.weight),
            gate=i.gate,
            cap=i.cap,
            na=i.na,
            evidence=i.evidence,
        )
        for i in raw.items
    )
    return QuestionBank(
        items,
        dims,
        levels,
        float(raw.scoring.pass_mark),
        dict(raw.scale),
        {k: float(v) for k, v in raw.timeline.model_dump().items()},
        str(source),
    )


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> QuestionBank:
    return _build(load_config(path, _BankFile, "question bank"), path)


def load_bank(path=None) -> QuestionBank:
    """Load and validate a question bank (the packaged one by default).

    Parameters
    ----------
    path : str or Path, optional
        A YAML file with the same layout as the packaged ``questions.yaml``.

    Returns
    -------
    QuestionBank

    Raises
    ------
    ConfigError
        The file is missing, not YAML, or invalid; the message lists every problem
        (missing fields, duplicate ids, levels out of range, unknown dimensions, ...).

    Examples
    --------
    >>> len(load_bank().dimensions)
    5
    """
    if isinstance(path, QuestionBank):
        return path
    p = Path(path) if path is not None else DEFAULT_BANK
    if not p.is_file():
        raise ConfigError(f"Question bank file {str(p)!r} does not exist")
    return _load_cached(str(p.resolve()), p.stat().st_mtime)
