"""Bad answers and team sizes are rejected with messages that name what was wrong."""

from __future__ import annotations

import pytest

from mlops_kit.errors import InputError
from mlops_kit.maturity import assess, load_bank

BANK = load_bank()
ALL = {i.id: 1 for i in BANK.items}


@pytest.mark.parametrize("bad", [2, -1, 0.7, "yes", True, [1]])
def test_answer_outside_allowed_values_names_item_value_and_allowed(bad):
    with pytest.raises(InputError) as info:
        assess({**ALL, "cicd_ci_pipeline": bad})
    msg = str(info.value)
    assert "'cicd_ci_pipeline'" in msg
    assert repr(bad) in msg or str(bad) in msg
    assert "0 (not done), 0.5 (done by hand and documented) or 1 (automated)" in msg


def test_na_only_where_allowed():
    with pytest.raises(InputError, match=r"'vt_model_registry'.*cannot be 'na'"):
        assess({**ALL, "vt_model_registry": "na"})
    a = assess({**ALL, "tv_notebook_tests": "NA"})
    assert a.answers["tv_notebook_tests"] == "na"


def test_strings_and_floats_from_files_are_accepted():
    a = assess({**ALL, "cicd_ci_pipeline": "0.5", "tg_roles": 0.0, "tg_audit_trail": "1"})
    assert (a.answers["cicd_ci_pipeline"], a.answers["tg_roles"], a.answers["tg_audit_trail"]) == (
        0.5,
        0,
        1,
    )


def test_unknown_item_ids_list_valid_ids_and_suggest():
    with pytest.raises(InputError) as info:
        assess({**ALL, "cicd_rolback": 1, "banana": 0})
    msg = str(info.value)
    assert "'cicd_rolback' (did you mean 'cicd_rollback'?)" in msg
    assert "'banana'" in msg
    assert "Valid ids include: vt_code_in_git, vt_experiment_tracking" in msg
    assert f"({len(BANK.items)} in total" in msg


def test_missing_answers_are_listed_never_scored_as_zero():
    partial = dict(ALL)
    del partial["mon_alerting"]
    del partial["tg_roles"]
    with pytest.raises(InputError) as info:
        assess(partial)
    msg = str(info.value)
    assert "Missing answers for 2 item(s): mon_alerting, tg_roles" in msg
    assert "allow_missing=True" in msg
    a = assess(partial, allow_missing=True)
    assert a.unanswered == ["mon_alerting", "tg_roles"]
    assert a.to_dict()["answers"]["tg_roles"] is None


def test_none_counts_as_missing():
    with pytest.raises(InputError, match="Missing answers for 1 item"):
        assess({**ALL, "tg_roles": None})


def test_answers_must_be_a_mapping():
    with pytest.raises(InputError, match="Invalid answers: got 'list'"):
        assess([("tg_roles", 1)])


@pytest.mark.parametrize("bad", [0, -3, 2.5, "25", True])
def test_bad_team_size(bad):
    with pytest.raises(InputError, match="Invalid team_size"):
        assess(ALL, team_size=bad)


def test_whole_float_team_size_is_accepted():
    assert assess(ALL, team_size=25.0).team_size == 25
