"""Scoring rules: dimension scores and levels, weakest dimension, gates, gaps, team fit."""

from __future__ import annotations

import pytest

from mlops_kit.maturity import assess, load_bank
from mlops_kit.maturity.score import compute, expected_level, find_gaps, team_fit

BANK = load_bank()


def _all(value):
    return {i.id: value for i in BANK.items}


def _dim(a, dim):
    return a.to_frame().set_index("dimension").loc[dim]


def test_all_automated_is_level_5_and_nothing_is_level_1():
    top = assess(_all(1))
    assert (top.level, top.level_name, top.mean_score) == (5, "Full lifecycle automation", 1.0)
    assert top.gaps.empty
    low = assess(_all(0))
    assert (low.level, low.level_name, low.mean_score) == (1, "No formal MLOps processes", 0.0)
    assert list(low.to_frame()["level"]) == [1, 1, 1, 1, 1]


def test_dimension_score_is_weighted_mean_with_na_excluded():
    answers = _all(1)
    answers["tv_unit_tests"] = 0
    answers["tv_holdout_evaluation"] = 0.5
    answers["tv_notebook_tests"] = "na"
    answers["tv_online_tests"] = "na"
    row = _dim(assess(answers), "testing_validation")
    # remaining: unit 0, holdout 0.5, data validation 1, performance gates 1 -> 2.5 / 4
    assert row["score"] == pytest.approx(2.5 / 4)
    assert row["n_na"] == 2 and row["n_answered"] == 4


def test_level_needs_every_lower_level_passed_at_the_pass_mark():
    answers = _all(1)
    # versioning level-2 items: git 1, tracking 0, env 0 -> mean 1/3 < 0.5: level 1
    answers["vt_experiment_tracking"] = 0
    answers["vt_environment_pinned"] = 0
    assert _dim(assess(answers), "versioning_tracking")["level"] == 1
    # exactly at the pass mark passes: (1 + 0.5 + 0) / 3 = 0.5
    answers["vt_experiment_tracking"] = 0.5
    assert _dim(assess(answers), "versioning_tracking")["level"] == 5
    # a failed level 3 stops the climb even though levels 4 and 5 are done
    answers["vt_data_versioning"] = 0
    answers["vt_model_registry"] = 0
    assert _dim(assess(answers), "versioning_tracking")["level"] == 2


def test_overall_level_is_the_weakest_dimension():
    answers = _all(1)
    answers["tg_approval_gates"] = 0  # team_governance level 4 fails -> 3
    a = assess(answers)
    assert _dim(a, "team_governance")["level"] == 3
    assert a.level == 3
    assert a.scores["limiting"] == ["team_governance"]
    assert "limited by team_governance" in a.summary()


@pytest.mark.parametrize(
    ("gate", "cap"),
    [("vt_code_in_git", 1), ("cicd_rollback", 2), ("mon_production_metrics", 2)],
)
def test_missing_gate_caps_the_level(gate, cap):
    answers = _all(1)
    answers[gate] = 0
    a = assess(answers)
    assert a.level == cap
    assert a.scores["capped_by"] == [{"item": gate, "cap": cap}]
    assert f"capped by missing {gate}" in a.summary()
    answers[gate] = 0.5  # done by hand and documented satisfies the gate
    assert assess(answers).level == 5


def test_gate_items_cannot_be_na():
    with pytest.raises(ValueError, match="cannot be 'na'"):
        assess({**_all(1), "cicd_rollback": "na"})


def test_all_na_level_passes_and_fully_na_dimension_is_left_out():
    answers = _all(1)
    for i in BANK.items:
        if i.na:
            answers[i.id] = "na"
    assert assess(answers).level == 5
    rows = compute(BANK, answers)["dimensions"]
    assert all(r["level"] == 5 for r in rows)


def test_unanswered_items_are_not_scored_but_level_is_a_lower_bound():
    answers = _all(1)
    del answers["mon_alerting"]
    del answers["mon_runbooks"]
    a = assess(answers, allow_missing=True)
    row = _dim(a, "monitoring")
    assert row["score"] == 1.0  # excluded from the score, not zero
    assert row["n_unanswered"] == 2
    assert row["level"] == 3  # level 4 cannot be claimed without answers
    assert a.unanswered == ["mon_alerting", "mon_runbooks"]
    assert a.answers["mon_alerting"] is None
    assert "2 items unanswered" in a.summary()


def test_gaps_ranked_by_level_gain_with_next_step():
    answers = _all(1)
    answers["cicd_rollback"] = 0  # gate: level 2
    answers["mon_runbooks"] = 0  # level-4 item in a dimension that still passes level 4
    answers["tv_holdout_evaluation"] = 0.5
    a = assess(answers)
    gaps = a.gaps
    assert list(gaps["item"]) == ["cicd_rollback", "tv_holdout_evaluation", "mon_runbooks"]
    top = gaps.iloc[0]
    assert (top["level_gain"], top["gate"], top["rank"]) == (3, True, 1)
    assert top["next_step"].startswith("Keep an alias history")
    assert top["tutorial"] == "tutorials/03_cicd_for_ml.ipynb"
    assert gaps.iloc[1]["score_gain"] > 0
    assert set(gaps["answer"]) == {0, 0.5}


def test_gaps_prefer_items_that_raise_the_weakest_dimension():
    answers = _all(1)
    for item in ("vt_data_versioning", "vt_model_registry"):
        answers[item] = 0  # versioning stuck at level 2
    for item in ("cicd_model_promotion", "cicd_training_pipeline"):
        answers[item] = 0  # cicd stuck at level 2 too (both are the weakest)
    answers["tg_audit_trail"] = 0  # governance at 4: not the weakest
    gaps = find_gaps(BANK, answers)
    # no single item raises the overall level (the other weak dimension stays at 2) ...
    assert all(g["level_gain"] == 0 for g in gaps)
    # ... so items lifting a weakest dimension come first, the rest after
    assert {g["item"] for g in gaps[:4]} == {
        "vt_data_versioning",
        "vt_model_registry",
        "cicd_model_promotion",
        "cicd_training_pipeline",
    }
    assert gaps[0]["dimension_level_gain"] == 3
    assert gaps[-1]["item"] == "tg_audit_trail"


def test_weakest_dimension_beats_a_bigger_jump_elsewhere():
    answers = _all(1)
    answers.update(vt_experiment_tracking=0, vt_environment_pinned=0)  # versioning level 1
    answers.update(vt_data_versioning=0, vt_model_registry=0)  # ... and level 3 fails too
    answers["cicd_ci_pipeline"] = 0  # cicd level 1 as well
    answers["tg_approval_gates"] = 0  # governance at 3; this item alone lifts it to 5
    gaps = {g["item"]: g for g in find_gaps(BANK, answers)}
    assert gaps["vt_experiment_tracking"]["dimension_level_gain"] == 1
    assert gaps["tg_approval_gates"]["dimension_level_gain"] == 2
    order = list(gaps)
    assert order.index("vt_experiment_tracking") < order.index("tg_approval_gates")


def test_team_size_fit():
    assert expected_level(BANK, 2) == 1
    assert expected_level(BANK, 7) == 3
    assert expected_level(BANK, 10) == 4
    assert expected_level(BANK, 5000) == 5
    answers = {**_all(1), "cicd_rollback": 0}
    a = assess(answers, team_size=6)
    assert a.team_fit == (
        "The source's maturity table puts a team of 6 at level 3 "
        "(Automated CI/CD and monitoring, 5-8 people); you are at level 2."
    )
    assert a.to_dict()["fit"] == "below" and a.expected_level == 3
    assert team_fit(BANK, 3, 6)[0] == "fits"
    assert team_fit(BANK, 5, 3)[0] == "above"
    assert assess(answers).to_dict()["fit"] is None
