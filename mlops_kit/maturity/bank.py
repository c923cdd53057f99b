"""The maturity question bank: loaded from YAML and validated.

The bank (``questions.yaml`` inside the package) holds the five levels with
their names and typical team sizes, the five dimensions (one per framework
step), the answer scale, the scoring pass mark, the roadmap timeline rule and
the items. Every problem found while loading is reported at once in one
:class:`~mlops_kit.errors.ConfigError`.

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

from mlops_kit.errors import ConfigError

__all__ = ["DEFAULT_BANK", "Dimension", "Item", "Level", "QuestionBank", "load_bank"]

#: the question bank shipped with the package
DEFAULT_BANK = Path(__file__).with_name("questions.yaml")


@dataclass(frozen=True)
class Level:
    """One of the five maturity levels, with the team size it usually fits.

    Examples
    --------
    >>> level = load_bank().levels[1]
    >>> level.number, level.team_min, level.team_label
    (1, 1, '1-3 people')
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
    tutorial: str


@dataclass(frozen=True)
class Item:
    """One question of the bank (see ``questions.yaml`` for the fields).

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
    tutorial: str
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


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> QuestionBank:
    from mlops_kit._yaml import read_yaml
    from mlops_kit.maturity.bank_parse import parse_bank

    return parse_bank(read_yaml(path, "question bank"), source=path)


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
