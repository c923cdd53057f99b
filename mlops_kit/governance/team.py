"""Team shape by size and maturity level, the skills roadmap and personal plans.

The team sizes per level are the maturity package's level table (the source's
1-3, 3-5, 5-8, 8-12 and 12+ people; :func:`mlops_kit.maturity.load_bank`), not
a copy. Which roles are dedicated people at a level, who covers the others and
each role's share of the head count come from ``roles.yaml``; every skill links
to the tutorial section that teaches it.

Examples
--------
>>> shape = team_shape(team_size=8)
>>> shape.level, dict(zip(shape.to_frame()["role"], shape.to_frame()["people"]))
(4, {'data_scientist': 3, 'mlops_engineer': 2, 'model_validator': 1, 'data_engineer': 1, \
'product_owner': 1})
>>> skills_roadmap(role="model_validator").to_frame()["level"].tolist()
[2, 3, 3, 3, 4]
"""

from __future__ import annotations

from mlops_kit._params import InstanceOf, Interval, check_param
from mlops_kit.governance.roles import Roles, load_roles
from mlops_kit.results import Result, get_ax

__all__ = [
    "SkillsPlan",
    "TeamShape",
    "personal_plan",
    "section_link",
    "skills_roadmap",
    "team_shape",
]


def _roles(roles) -> Roles:
    return roles if isinstance(roles, Roles) else load_roles(roles)


def _split(size: int, roles: list) -> dict[str, int]:
    """Largest-remainder split of ``size`` people over ``roles`` by weight, at least 1 each."""
    total = sum(r.weight for r in roles)
    exact = {r.id: size * r.weight / total for r in roles}
    people = {k: max(1, int(v)) for k, v in exact.items()}
    order = sorted(roles, key=lambda r: -(exact[r.id] - int(exact[r.id])))
    i = 0
    while sum(people.values()) < size:
        people[order[i % len(order)].id] += 1
        i += 1
    return people


class TeamShape(Result):
    """Head count per role at one or every maturity level.

    Examples
    --------
    >>> team_shape().to_frame().groupby("level")["people"].sum().tolist()
    [3, 5, 8, 12, 12]
    """

    title = "Team shape"

    def __init__(self, records: list[dict], level: int | None, team_size: int | None):
        self.records = records
        self.level = level
        self.team_size = team_size

    def to_dict(self) -> dict:
        return {"level": self.level, "team_size": self.team_size, "records": self.records}

    def to_frame(self):
        import pandas as pd

        cols = ["level", "team_label", "role", "name", "people", "covered_by"]
        return pd.DataFrame.from_records(self.records, columns=cols)

    def summary(self) -> str:
        if self.level is None:
            return "Team shape at every maturity level (the source's team sizes)"
        dedicated = sum(1 for r in self.records if r["people"])
        return (
            f"{self.team_size} people at level {self.level}: "
            f"{dedicated} dedicated roles, the others covered"
        )

    def plot(self, ax=None):
        """Stacked bars: people per role at each level."""
        frame = self.to_frame()
        table = frame.pivot_table(index="level", columns="name", values="people", aggfunc="sum")
        ax = get_ax(ax)
        table = table[[n for n in dict.fromkeys(frame["name"])]]
        table.plot.bar(stacked=True, ax=ax, rot=0)
        ax.set_xlabel("maturity level")
        ax.set_ylabel("people")
        ax.set_title("Team shape by maturity level")
        ax.legend(fontsize=7)
        return ax


def _level_rows(roles: Roles, level, team_label: str, size: int) -> list[dict]:
    active = [r for r in roles.roles if r.from_level <= level]
    people = _split(size, active) if size >= len(active) else {}
    if not people:  # fewer people than roles: the earliest roles first
        for role in sorted(active, key=lambda r: (r.from_level, -r.weight))[:size]:
            people[role.id] = 1
    rows = []
    for role in roles.roles:
        cover = role.covered_by
        while cover is not None and not people.get(cover):
            cover = roles.role(cover).covered_by
        n = people.get(role.id, 0)
        rows.append(
            {
                "level": level,
                "team_label": team_label,
                "role": role.id,
                "name": role.name,
                "people": n,
                "covered_by": None if n else cover,
            }
        )
    return rows


def team_shape(team_size=None, level=None, *, roles=None, bank=None) -> TeamShape:
    """Who the team needs: people per role for a team size and maturity level.

    Parameters
    ----------
    team_size : int, optional
        Head count. Default: the largest size of the level's range in the source's
        table (12 for "12+").
    level : int, optional
        Maturity level 1-5. Default: the level the source's table gives ``team_size``.
        With neither, one block per level at its typical size.
    roles : Roles or path, optional
        The roles file (default: the kit's).
    bank : QuestionBank, optional
        Whose level table to use (default: the kit's question bank).

    Examples
    --------
    >>> team_shape(team_size=2).to_frame()[["role", "people", "covered_by"]].head(2)
                 role  people      covered_by
    0  data_scientist       2            None
    1  mlops_engineer       0  data_scientist
    """
    from mlops_kit.maturity.bank import load_bank
    from mlops_kit.maturity.score import expected_level

    check_param("team_size", team_size, [None, Interval(int, 1, None)])
    check_param("level", level, [None, Interval(int, 1, 5)])
    roles, bank = _roles(roles), bank or load_bank()

    def typical(n):
        lv = bank.levels[n]
        return lv.team_max if lv.team_max is not None else lv.team_min

    if team_size is None and level is None:
        rows = []
        for n, lv in bank.levels.items():
            rows += _level_rows(roles, n, lv.team_label, typical(n))
        return TeamShape(rows, None, None)
    if level is None:
        level = expected_level(bank, team_size)
    if team_size is None:
        team_size = typical(level)
    rows = _level_rows(roles, level, bank.levels[level].team_label, team_size)
    return TeamShape(rows, level, team_size)


def section_link(tutorial: str, section: str) -> str:
    """The link to a tutorial's section (JupyterLab's heading anchor).

    Examples
    --------
    >>> section_link("tutorials/02_testing_and_validation.ipynb", "3. Data quality")
    'tutorials/02_testing_and_validation.ipynb#3.-Data-quality'
    """
    return f"{tutorial}#{section.replace(' ', '-')}"


class SkillsPlan(Result):
    """Skills to learn, each linked to the tutorial section teaching it (a roadmap or a plan).

    Examples
    --------
    >>> plan = skills_roadmap(level=1)
    >>> plan.summary()
    'Skills roadmap: 3 skills for 5 roles'
    """

    columns = ["role", "level", "step", "skill", "tutorial", "section", "link"]

    def __init__(self, title: str, records: list[dict], columns=None, roles=None):
        self.title = title
        self.records = records
        self.columns = list(columns or self.columns)
        self.roles = list(roles or dict.fromkeys(r["role"] for r in records))

    def to_dict(self) -> dict:
        return {"title": self.title, "records": self.records}

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame.from_records(self.records, columns=self.columns)

    def summary(self) -> str:
        n = sum(1 for r in self.records if r.get("skill"))
        return f"{self.title}: {n} skills for {len(self.roles)} roles"

    def plot(self, ax=None):
        """Bars: skills per role, stacked by maturity level."""
        frame = self.to_frame().dropna(subset=["skill"])
        ax = get_ax(ax)
        if frame.empty:
            ax.text(0.5, 0.5, "nothing to learn", ha="center", transform=ax.transAxes)
        else:
            table = frame.pivot_table(
                index="role", columns="level", values="skill", aggfunc="count"
            )
            table.fillna(0).plot.barh(stacked=True, ax=ax)
            ax.legend(title="level", fontsize=7)
        ax.set_xlabel("skills")
        ax.set_title(self.title)
        return ax


def _skill_row(role, skill) -> dict:
    return {
        "role": role.id,
        "level": skill.level,
        "step": skill.step,
        "skill": skill.name,
        "tutorial": skill.tutorial,
        "section": skill.section,
        "link": section_link(skill.tutorial, skill.section),
    }


def skills_roadmap(role=None, level=None, *, roles=None) -> SkillsPlan:
    """The skills each role learns up to maturity ``level`` (default: all five levels).

    Examples
    --------
    >>> skills_roadmap("data_scientist", level=2).to_frame()["skill"].tolist()[:1]
    ['Track every experiment in MLflow']
    """
    roles = _roles(roles)
    check_param("level", level, [None, Interval(int, 1, 5)])
    chosen = roles.roles if role is None else [roles.role(role)]
    rows = [
        _skill_row(r, s)
        for r in chosen
        for s in sorted(r.skills, key=lambda s: s.level)
        if level is None or s.level <= level
    ]
    return SkillsPlan("Skills roadmap", rows, roles=[r.id for r in chosen])


def personal_plan(assessment, role=None, *, roles=None) -> SkillsPlan:
    """Turn an assessment's gaps into a learning plan per role.

    For every gap (in the assessment's rank order) the plan lists, for each role
    Responsible or Accountable for a stage of the gap's step, the skills of that
    step up to the gap's level, with the tutorial section teaching them. A gap no
    tutorial teaches yet is kept with an empty skill, so nothing is hidden.

    Parameters
    ----------
    assessment : mlops_kit.maturity.Assessment
        From :func:`mlops_kit.maturity.assess`.
    role : str, optional
        Only this role's plan.

    Examples
    --------
    >>> from mlops_kit.maturity import assess, load_bank
    >>> answers = {item.id: 1 for item in load_bank().items}
    >>> answers["tv_unit_tests"] = 0
    >>> plan = personal_plan(assess(answers), role="model_validator")
    >>> plan.to_frame()[["gap", "skill"]].values.tolist()
    [['tv_unit_tests', 'Write data-quality checks']]
    """
    from mlops_kit.maturity.assessment import Assessment

    check_param("assessment", assessment, [InstanceOf(Assessment)])
    roles = _roles(roles)
    chosen = roles.roles if role is None else [roles.role(role)]
    bank = assessment._bank
    rows = []
    for gap in assessment.gaps.to_dict("records"):
        step = bank.dimension(gap["dimension"]).step
        stages = {s.id for s in roles.stages if s.step == step}
        for r in chosen:
            if not any(r.raci.get(s) in ("R", "A") for s in stages):
                continue
            skills = [s for s in r.skills if s.step == step and s.level <= gap["level"]]
            for s in skills or [None]:
                row = {"role": r.id, "gap": gap["item"], "next_step": gap["next_step"]}
                if s is None:
                    row.update(
                        level=gap["level"],
                        step=step,
                        skill=None,
                        tutorial=None,
                        section=None,
                        link=None,
                    )
                else:
                    row.update(_skill_row(r, s))
                    row["role"] = r.id
                rows.append(row)
    cols = ["role", "gap", "next_step", *SkillsPlan.columns[1:]]
    return SkillsPlan("Personal plan", rows, columns=cols, roles=[r.id for r in chosen])
