"""The failure-scenario catalogue: ``catalogue.yaml`` read through the kit's one schema reader.

Each scenario names the step (0-5) and the practice that prevents it, the
kind of simulation that replays it (:mod:`mlops_kit.scenarios.simulate`) and
its default parameters. The file is checked when loaded: every problem at
once, each with its key path (``scenarios[concept_drift].practice``); a
scenario's practice must be one the file defines, at the same step.

Examples
--------
>>> cat = load_catalogue()
>>> cat.scenario("concept_drift").practice
'performance_monitoring'
>>> cat.practices["performance_monitoring"].step
4
>>> cat.source_case.corrective_cost, cat.source_case.months_unnoticed
(500000.0, 6)
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from mlops_kit._yaml import ConfigModel, Problems, document, load_config, problem
from mlops_kit.errors import InputError

__all__ = [
    "CATALOGUE_FILE",
    "KINDS",
    "Catalogue",
    "Scenario",
    "ScenarioParams",
    "catalogue",
    "load_catalogue",
]

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yaml")
#: the simulations a scenario can use (see :mod:`mlops_kit.scenarios.simulate`)
KINDS = ("drift", "release", "rollback", "reproduce", "skew", "quality", "approval")
#: the numeric features of the sample credit data a scenario may name
FEATURES = (
    "credit_score",
    "debt_to_income",
    "num_delinquencies",
    "loan_amount",
    "income",
    "employment_years",
    "age",
    "num_credit_lines",
    "loan_term_months",
)
_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
_Feature = Literal[FEATURES]


class Source(ConfigModel):
    title: _Text
    note: _Text


class SourceCase(ConfigModel):
    """The source guide's case: months of unmonitored drift and the corrective cost."""

    months_unnoticed: int = Field(ge=1, le=36)
    corrective_cost: float = Field(gt=0)
    source: _Id

    @field_validator("corrective_cost", mode="before")
    @classmethod
    def _as_float(cls, value):
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Practice(ConfigModel):
    step: int = Field(ge=0, le=5)
    title: _Text
    components: _Text


class DriftStep(ConfigModel):
    """One :func:`~mlops_kit.data.inject_drift` call, from the incident on."""

    kind: Literal["covariate", "concept"]
    columns: list[_Feature] = Field(min_length=1)
    severity: float = Field(ge=0, le=1)


class AlertSpec(ConfigModel):
    """An :class:`~mlops_kit.monitoring.AlertRule` on a per-window metric."""

    metric: Literal["input_drift_share", "roc_auc"]
    op: Literal["<", "<=", ">", ">="]
    threshold: float
    k: int = Field(default=2, ge=1, le=12)


class Change(ConfigModel):
    """A column multiplied by ``factor`` on the way to the model (a unit or code change)."""

    column: _Feature
    factor: float = Field(gt=0)


class ScenarioParams(ConfigModel):
    """Parameters of a simulation (defaults here, a scenario's file entry overrides them).

    ``months_unnoticed`` and ``cost_per_month`` default to the source's case:
    six months before anyone notices, and $500k / 6 months = $83,333 a month
    for a model that has lost all of its quality.
    """

    months: int = Field(default=12, ge=3, le=36)
    rows_per_month: int = Field(default=800, ge=200, le=20_000)
    incident_period: int = Field(default=4, ge=2, le=35)
    months_unnoticed: int | None = Field(default=None, ge=1, le=36)
    cost_per_month: float | None = Field(default=None, ge=0)
    calibrate_to_source: bool = False
    windows_per_month: int = Field(default=2, ge=1, le=8)
    drift: list[DriftStep] = []
    alert: AlertSpec | None = None
    candidate_drops: list[_Feature] = []
    min_quality: float = Field(default=0.75, gt=0.5, le=1)
    rebuild_months: int = Field(default=2, ge=1, le=12)
    forgotten_features: list[_Feature] = []
    change: Change | None = None

    @model_validator(mode="after")
    def _incident_inside(self):
        if self.incident_period > self.months:
            raise problem(
                f"incident_period: got {self.incident_period}; allowed: a period in "
                f"[2, months] (months is {self.months})"
            )
        return self


#: what each kind of simulation needs in its params
_NEEDS = {
    "drift": ("drift", "alert"),
    "release": ("candidate_drops",),
    "rollback": ("candidate_drops", "alert"),
    "reproduce": ("forgotten_features",),
    "skew": ("change",),
    "quality": ("change",),
    "approval": ("candidate_drops",),
}


class Scenario(ConfigModel):
    id: _Id
    title: _Text
    description: _Text
    step: int = Field(ge=0, le=5)
    practice: _Id
    kind: Literal[KINDS]
    source: _Id | None = None
    params: ScenarioParams = ScenarioParams()

    @field_validator("practice")
    @classmethod
    def _known_practice(cls, value, info):
        practices = document(info).get("practices")
        if isinstance(practices, dict) and value not in practices:
            raise problem(f"got {value!r}; allowed: a practice of the file {sorted(practices)}")
        return value

    @field_validator("source")
    @classmethod
    def _known_source(cls, value, info):
        sources = document(info).get("sources")
        if value is not None and isinstance(sources, dict) and value not in sources:
            raise problem(f"got {value!r}; allowed: a source of the file {sorted(sources)}")
        return value

    @model_validator(mode="after")
    def _params_of_kind(self):
        missing = [name for name in _NEEDS[self.kind] if not getattr(self.params, name)]
        if missing:
            raise problem(f"a {self.kind!r} scenario needs params {missing}")
        return self


class Catalogue(ConfigModel):
    """The whole file: sources, the source's case, practices and scenarios."""

    version: Literal[1]
    sources: dict[_Id, Source]
    source_case: SourceCase
    practices: dict[_Id, Practice] = Field(min_length=1)
    scenarios: list[Scenario] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self):
        issues = []
        ids = [s.id for s in self.scenarios]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            issues.append((("scenarios",), f"duplicate scenario ids {dupes}"))
        for i, s in enumerate(self.scenarios):
            step = self.practices[s.practice].step
            if s.step != step:
                issues.append(
                    (
                        ("scenarios", i, "step"),
                        f"got {s.step}; allowed: {step}, the step of practice {s.practice!r}",
                    )
                )
        if self.source_case.source not in self.sources:
            issues.append(
                (
                    ("source_case", "source"),
                    f"got {self.source_case.source!r}; allowed: a source of the file "
                    f"{sorted(self.sources)}",
                )
            )
        if issues:
            raise Problems(issues)
        return self

    @property
    def ids(self) -> list[str]:
        """Scenario ids in file order."""
        return [s.id for s in self.scenarios]

    def scenario(self, scenario_id) -> Scenario:
        """The scenario ``scenario_id``; an InputError lists the ids that exist."""
        for s in self.scenarios:
            if s.id == scenario_id:
                return s
        raise InputError.invalid("scenario", scenario_id, f"one of {self.ids}")

    def records(self) -> list[dict]:
        """One row per scenario: id, title, step, practice and what it uses."""
        return [
            {
                "scenario": s.id,
                "title": s.title,
                "step": s.step,
                "practice": s.practice,
                "prevented by": self.practices[s.practice].title,
                "source": s.source or "",
            }
            for s in self.scenarios
        ]


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> Catalogue:
    return load_config(Path(path), Catalogue, "scenario catalogue")


def load_catalogue(path=None) -> Catalogue:
    """Read and check a scenario catalogue (default: the one shipped with the kit).

    Parameters
    ----------
    path : str or Path, optional
        A YAML file with the layout of the shipped ``catalogue.yaml``.

    Raises
    ------
    ConfigError
        The file cannot be read or breaks the schema (every problem listed).

    Examples
    --------
    >>> load_catalogue().ids[:2]
    ['unmonitored_drift', 'concept_drift']
    """
    path = Path(CATALOGUE_FILE if path is None else path)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = -1.0  # let the reader report the file it cannot read
    return _load(str(path), mtime)


def catalogue(path=None):
    """The scenarios as a table Result: id, title, step, preventing practice, source.

    Examples
    --------
    >>> table = catalogue()
    >>> [table.records[0][key] for key in ("scenario", "step", "practice")]
    ['unmonitored_drift', 4, 'drift_monitoring']
    """
    from mlops_kit.results import TableResult

    return TableResult("Failure scenarios", load_catalogue(path).records())
