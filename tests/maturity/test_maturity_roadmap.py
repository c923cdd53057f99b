"""Roadmap: ordered practices, effort from the YAML, and a timeline scaled by team size."""

from __future__ import annotations

import pytest

from mlops_kit.errors import InputError
from mlops_kit.maturity import Roadmap, assess, load_bank, roadmap

BANK = load_bank()
MONTH = 52 / 12


def _nothing():
    return assess({i.id: 0 for i in BANK.items})


def test_default_target_is_next_level_with_ordered_practices():
    answers = {i.id: 1 for i in BANK.items}
    answers.update(cicd_rollback=0, cicd_automated_gates=0.5, tg_roles=0)
    a = assess(answers, team_size=12)
    r = roadmap(a)
    assert isinstance(r, Roadmap)
    assert (r.current_level, r.target_level) == (2, 3)
    frame = r.to_frame()
    # only what the target needs: the missing gate; tg_roles is below the pass mark? no:
    # governance level 3 = (0 + 1) / 2 passes, and cicd_automated_gates is level 4
    assert list(frame["item"]) == ["cicd_rollback"]
    assert frame["effort_weeks"].iloc[0] == BANK.item("cicd_rollback").effort_weeks
    assert r.team_size == 12 and not r.team_size_assumed


def test_practices_run_level_by_level_gates_first_and_half_done_needs_half_effort():
    answers = {i.id: 0 for i in BANK.items}
    answers["vt_environment_pinned"] = 0.5
    r = roadmap(assess(answers), target_level=3)
    frame = r.to_frame()
    assert list(frame["order"]) == list(range(1, len(frame) + 1))
    assert list(frame["level"]) == sorted(frame["level"])
    assert frame["item"].iloc[0] == "vt_code_in_git"  # the level-2 gate comes first
    level3 = frame[frame["level"] == 3]
    assert level3["gate"].iloc[0] and level3["gate"].iloc[1]
    half = frame.set_index("item").loc["vt_environment_pinned", "effort_weeks"]
    assert half == BANK.item("vt_environment_pinned").effort_weeks / 2
    # levels run in sequence: every level-3 practice starts after all level-2 ones end
    assert level3["start_week"].min() >= frame[frame["level"] == 2]["end_week"].max()
    assert r.total_effort == pytest.approx(frame["effort_weeks"].sum())


@pytest.mark.parametrize("team", [2, 3, 4, 5])
def test_small_team_basic_practices_take_3_to_6_months_as_the_source_says(team):
    # the source: "for a small team, expect 3-6 months for basic practices"
    basics = roadmap(_nothing(), target_level=3, team_size=team)
    assert 3 <= basics.total_weeks / MONTH <= 6
    assert f"months for a team of {team}" in basics.summary()


@pytest.mark.parametrize("team", [8, 12, 30, 100, 1000])
def test_larger_organisations_fully_mature_in_9_to_12_months_as_the_source_says(team):
    # the source: "larger organizations ... may take 9-12 months to fully mature"
    full = roadmap(_nothing(), target_level=5, team_size=team)
    assert 9 <= full.total_weeks / MONTH <= 12


def test_timeline_grows_with_the_organisation_up_to_a_ceiling():
    weeks = [roadmap(_nothing(), target_level=5, team_size=n).total_weeks for n in (2, 8, 100)]
    assert weeks[0] < weeks[1] < weeks[2]
    assert roadmap(_nothing(), target_level=5, team_size=100).factor == BANK.timeline["max_factor"]


def test_team_size_defaults_and_is_flagged_when_assumed():
    r = roadmap(_nothing())
    assert r.team_size == 2 and r.team_size_assumed
    assert "an assumed team of 2" in r.summary()


def test_at_or_above_target_is_empty():
    top = assess({i.id: 1 for i in BANK.items})
    r = roadmap(top)
    assert r.target_level == 5 and r.to_frame().empty
    assert r.summary() == "Already at level 5: nothing to do for level 5"


@pytest.mark.parametrize("bad", [0, 6, "3", 2.5, True])
def test_bad_target_level(bad):
    with pytest.raises(InputError, match="Invalid target_level"):
        roadmap(_nothing(), target_level=bad)


def test_bad_team_size():
    with pytest.raises(InputError, match="Invalid team_size"):
        roadmap(_nothing(), team_size=-2)


def test_gantt_plot_has_one_bar_per_practice():
    r = roadmap(_nothing(), target_level=2, team_size=5)
    ax = r.plot()
    assert len(ax.patches) == len(r.to_frame())
    assert ax.get_xlabel() == "weeks from start"
