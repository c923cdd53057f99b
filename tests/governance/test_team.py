"""Team shape, skills roadmap and personal plans (mlops_kit.governance.team)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_kit.errors import InputError
from mlops_kit.governance.roles import load_roles
from mlops_kit.governance.team import personal_plan, skills_roadmap, team_shape
from mlops_kit.maturity import assess, load_bank

REPO = Path(__file__).resolve().parents[2]


def _headings(notebook: Path) -> set[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    out = set()
    for cell in cells:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("#"):
                    out.add(line.lstrip("#").strip())
    return out


def test_every_skill_links_to_an_existing_tutorial_section():
    frame = skills_roadmap().to_frame()
    assert len(frame) >= 10
    for row in frame.itertuples():
        notebook = REPO / row.tutorial
        assert notebook.is_file(), row.tutorial
        assert row.section in _headings(notebook), (row.tutorial, row.section)
        assert row.link == f"{row.tutorial}#{row.section.replace(' ', '-')}"
    # the roles file lists only tutorials that exist
    for path in load_roles().tutorials_available:
        assert (REPO / path).is_file(), path


def test_every_role_has_skills_and_the_roadmap_grows_with_level():
    sizes = [len(skills_roadmap(level=n).to_frame()) for n in range(1, 6)]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert set(skills_roadmap().to_frame()["role"]) == {r.id for r in load_roles().roles}


def test_team_sizes_come_from_the_maturity_level_table():
    bank = load_bank()
    frame = team_shape().to_frame()
    for level, lv in bank.levels.items():
        block = frame[frame["level"] == level]
        assert set(block["team_label"]) == {lv.team_label}
        assert block["people"].sum() == (lv.team_max or lv.team_min)
    assert [bank.levels[n].team_label for n in range(1, 6)] == [
        "1-3 people",
        "3-5 people",
        "5-8 people",
        "8-12 people",
        "12+ people",
    ]


@pytest.mark.parametrize(("size", "level"), [(1, 1), (4, 2), (6, 3), (10, 4), (40, 5)])
def test_team_shape_level_follows_size_and_everyone_is_counted(size, level):
    shape = team_shape(team_size=size)
    frame = shape.to_frame()
    assert shape.level == level
    assert frame["people"].sum() == size
    # every role not staffed is covered by a staffed one
    staffed = set(frame.loc[frame["people"] > 0, "role"])
    assert set(frame.loc[frame["people"] == 0, "covered_by"]) <= staffed


def test_small_team_at_high_level_still_covers_every_role():
    frame = team_shape(team_size=2, level=5).to_frame()
    assert frame["people"].sum() == 2
    assert frame.loc[frame["people"] == 0, "covered_by"].notna().all()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"team_size": 0}, "team_size"), ({"level": 6}, "level"), ({"team_size": True}, "team_size")],
)
def test_bad_team_input_names_the_parameter(kwargs, name):
    with pytest.raises(InputError, match=f"Invalid {name}"):
        team_shape(**kwargs)


def test_personal_plan_follows_the_gaps():
    answers = {item.id: 1 for item in load_bank().items}
    answers["tv_unit_tests"] = 0
    answers["vt_code_in_git"] = 0
    plan = personal_plan(assess(answers)).to_frame()
    assert set(plan["gap"]) == {"tv_unit_tests", "vt_code_in_git"}
    validator = plan[plan["role"] == "model_validator"]
    assert validator["skill"].tolist() == ["Write data-quality checks"]
    assert "mlops_engineer" not in set(plan.loc[plan["gap"] == "vt_code_in_git", "role"])
    full = {item.id: 1 for item in load_bank().items}
    assert personal_plan(assess(full)).to_frame().empty


def test_personal_plan_rejects_non_assessment_and_unknown_role():
    with pytest.raises(InputError, match="Invalid assessment"):
        personal_plan({"level": 2})
    answers = {item.id: 1 for item in load_bank().items}
    with pytest.raises(InputError, match="Invalid role: got 'boss'"):
        personal_plan(assess(answers), role="boss")
