"""Roles, responsibilities and the RACI matrix of an MLOps team, loaded from YAML.

``roles.yaml`` (inside the package) holds the source guide's three roles
verbatim (Data Scientist: Model Development; MLOps Engineer: Pipeline
Automation; Model Validator: Quality Assurance), two roles the kit adds (Data
Engineer, ML Product Owner; each with the reason), the lifecycle stages of the
five steps, one RACI letter per role and stage, and a skills roadmap per role
and level. It is validated with the kit's one schema reader
(:mod:`mlops_kit._yaml`): a stage with no Accountable role, or two, is a
:class:`~mlops_kit.errors.ConfigError` naming the file and the stage.

Examples
--------
>>> roles = load_roles()
>>> [(r.name, r.responsibility) for r in roles.roles if r.source]
[('Data Scientist', 'Model Development'), ('MLOps Engineer', 'Pipeline Automation'), \
('Model Validator', 'Quality Assurance')]
>>> raci().accountable("approve")
'model_validator'
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from mlops_kit._yaml import ConfigModel, Problems, load_config, problem
from mlops_kit.results import Result, get_ax

__all__ = ["DEFAULT_ROLES", "RaciResult", "Role", "Roles", "Skill", "Stage", "load_roles", "raci"]

#: the roles file shipped with the package
DEFAULT_ROLES = Path(__file__).with_name("roles.yaml")

LETTERS = ("R", "A", "C", "I")


class Stage(ConfigModel):
    """A lifecycle stage of the framework (``step`` 0-5).

    Examples
    --------
    >>> load_roles().stage("deploy").step
    3
    """

    id: str
    name: str
    step: int = Field(ge=0, le=5)


class Skill(ConfigModel):
    """A skill a role learns at a maturity ``level``, linked to the tutorial section teaching it.

    Examples
    --------
    >>> load_roles().role("model_validator").skills[0].section
    '3. Data quality'
    """

    level: int = Field(ge=1, le=5)
    step: int = Field(ge=0, le=5)
    name: str
    tutorial: str
    section: str


class Role(ConfigModel):
    """One role: its one-line responsibility, duties, RACI letters and skills.

    ``source`` is True for the source guide's roles; the kit's additions carry a ``reason``.
    ``from_level`` is the maturity level from which the role is a dedicated person
    and ``weight`` its share of a team's head count (see
    :func:`~mlops_kit.governance.team.team_shape`).

    Examples
    --------
    >>> load_roles().role("data_engineer").source
    False
    """

    id: str
    name: str
    responsibility: str
    source: bool
    reason: str | None = None
    from_level: int = Field(ge=1, le=5)
    covered_by: str | None = None
    weight: float = Field(gt=0)
    responsibilities: list[str] = Field(min_length=1)
    raci: dict[str, Literal["R", "A", "C", "I"]]
    skills: list[Skill] = []

    @model_validator(mode="after")
    def _reason(self):
        if not self.source and not self.reason:
            raise problem("a role the kit adds (source: false) needs a 'reason'")
        return self


class Roles(ConfigModel):
    """The validated roles file. Build it with :func:`load_roles`.

    Examples
    --------
    >>> len(load_roles().roles), len(load_roles().stages)
    (5, 8)
    """

    version: Literal[1]
    tutorials_available: list[str]
    stages: list[Stage] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)

    @model_validator(mode="after")
    def _matrix(self):
        found = []
        stage_ids = [s.id for s in self.stages]
        for label, ids in (("stage", stage_ids), ("role", [r.id for r in self.roles])):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                found.append(((f"{label}s",), f"duplicate {label} ids {dupes}"))
        for i, role in enumerate(self.roles):
            earlier = [r.id for r in self.roles if r.from_level < role.from_level]
            if (role.covered_by is None) != (role.from_level == 1) or (
                role.covered_by is not None and role.covered_by not in earlier
            ):
                found.append(
                    (
                        ("roles", i, "covered_by"),
                        f"got {role.covered_by!r}; allowed: null for a role dedicated from "
                        f"level 1, else a role dedicated at a lower level ({earlier})",
                    )
                )
            unknown = sorted(set(role.raci) - set(stage_ids))
            if unknown:
                found.append(
                    (("roles", i, "raci"), f"unknown stages {unknown}; stages: {stage_ids}")
                )
            for j, skill in enumerate(role.skills):
                if skill.tutorial not in self.tutorials_available:
                    found.append(
                        (
                            ("roles", i, "skills", j, "tutorial"),
                            f"got {skill.tutorial!r}; allowed: one of tutorials_available",
                        )
                    )
        for k, stage in enumerate(self.stages):
            owners = [r.id for r in self.roles if r.raci.get(stage.id) == "A"]
            if len(owners) != 1:
                got = "nobody is" if not owners else f"{len(owners)} roles are ({owners})"
                found.append(
                    (
                        ("stages", k),
                        f"stage {stage.id!r}: {got} accountable; exactly one role must have 'A'",
                    )
                )
        if found:
            raise Problems(found)
        return self

    def role(self, role_id: str) -> Role:
        """The role with ``role_id`` (an InputError listing the ids otherwise)."""
        for role in self.roles:
            if role.id == role_id:
                return role
        from mlops_kit.errors import InputError

        raise InputError.invalid("role", role_id, f"one of {[r.id for r in self.roles]}")

    def stage(self, stage_id: str) -> Stage:
        """The stage with ``stage_id`` (an InputError listing the ids otherwise)."""
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        from mlops_kit.errors import InputError

        raise InputError.invalid("stage", stage_id, f"one of {[s.id for s in self.stages]}")


@functools.lru_cache(maxsize=8)
def _load(path: str) -> Roles:
    return load_config(path, Roles, "roles file")


def load_roles(path=None) -> Roles:
    """Load and validate a roles file (default: the one shipped with the kit).

    Raises
    ------
    ConfigError
        Listing every problem, each with the file and key path.

    Examples
    --------
    >>> load_roles().role("mlops_engineer").responsibility
    'Pipeline Automation'
    """
    return _load(str(DEFAULT_ROLES if path is None else Path(path)))


class RaciResult(Result):
    """The RACI matrix: one row per lifecycle stage, one column per role.

    Examples
    --------
    >>> m = raci()
    >>> m.to_frame().loc["deploy", "mlops_engineer"]
    'A'
    >>> m.summary()
    '8 stages x 5 roles, exactly one accountable role per stage'
    """

    title = "RACI matrix"

    def __init__(self, stages: list[dict], roles: list[dict], matrix: dict[str, dict[str, str]]):
        self.stages = stages
        self.roles = roles
        self.matrix = matrix

    def accountable(self, stage: str) -> str:
        """The id of the role accountable for ``stage``."""
        return next(r for r, letter in self.matrix[stage].items() if letter == "A")

    def to_dict(self) -> dict:
        return {"stages": self.stages, "roles": self.roles, "matrix": self.matrix}

    def to_frame(self):
        import pandas as pd

        ids = [r["id"] for r in self.roles]
        rows = {s["id"]: [self.matrix[s["id"]].get(r, "") for r in ids] for s in self.stages}
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=ids)
        frame.insert(0, "step", [s["step"] for s in self.stages])
        frame.index.name = "stage"
        return frame

    def summary(self) -> str:
        return (
            f"{len(self.stages)} stages x {len(self.roles)} roles, "
            "exactly one accountable role per stage"
        )

    def plot(self, ax=None):
        """A grid coloured by letter (A dark, R, C, I lighter) with the letters written in."""
        import numpy as np

        shades = {"A": 1.0, "R": 0.7, "C": 0.4, "I": 0.15, "": 0.0}
        ids = [r["id"] for r in self.roles]
        grid = np.array(
            [[shades[self.matrix[s["id"]].get(r, "")] for r in ids] for s in self.stages]
        )
        ax = get_ax(ax, figsize=(7, 4))
        ax.imshow(grid, cmap="Blues", vmin=0, vmax=1.2, aspect="auto")
        for i, stage in enumerate(self.stages):
            for j, role in enumerate(ids):
                letter = self.matrix[stage["id"]].get(role, "")
                ax.text(
                    j,
                    i,
                    letter,
                    ha="center",
                    va="center",
                    color="white" if letter == "A" else "black",
                )
        ax.set_xticks(range(len(ids)), [r["name"] for r in self.roles], rotation=30, ha="right")
        ax.set_yticks(range(len(self.stages)), [f"{s['step']}: {s['name']}" for s in self.stages])
        ax.set_title("Who is Responsible, Accountable, Consulted, Informed")
        return ax


def raci(roles=None) -> RaciResult:
    """Return the RACI matrix of a roles file (default: the kit's) as a Result.

    Parameters
    ----------
    roles : Roles or str or Path, optional
        A loaded roles file or the path of one.

    Examples
    --------
    >>> raci().to_frame().loc["approve"].tolist()[1:]
    ['C', 'I', 'A', 'I', 'C']
    """
    if not isinstance(roles, Roles):
        roles = load_roles(roles)
    stages = [{"id": s.id, "name": s.name, "step": s.step} for s in roles.stages]
    people = [
        {"id": r.id, "name": r.name, "responsibility": r.responsibility, "source": r.source}
        for r in roles.roles
    ]
    matrix = {s.id: {r.id: r.raci.get(s.id, "") for r in roles.roles} for s in roles.stages}
    return RaciResult(stages, people, matrix)
