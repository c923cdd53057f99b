"""assessment_widget(): driven through its traitlets like a user answering questions."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mlops_kit.errors import InputError
from mlops_kit.maturity import (
    AssessmentWidget,
    assess,
    assessment_widget,
    load_bank,
    progress,
    read_answers,
    scan,
)

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture
def repo(tmp_path):
    """A repo folder with a CI workflow (with a name needing HTML escaping) and tests."""
    root = tmp_path / "repo"
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "<ci>.yml").write_text("on: push\n")
    (root / "tests").mkdir()
    (root / "tests" / "test_model.py").write_text("def test_ok():\n    assert True\n")
    return root


def test_importing_the_package_does_not_import_ipywidgets():
    code = "import sys, mlops_kit.maturity; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_initial_widget_has_one_tab_per_dimension_and_a_control_per_item(bank):
    w = assessment_widget()
    assert isinstance(w, AssessmentWidget)
    assert len(w.tabs.children) == len(bank.dimensions)
    assert w.tabs.titles[0].startswith(f"Step 1: {bank.dimensions[0].name}")
    assert list(w.controls) == bank.item_ids
    for item in bank.items:
        values = [v for _, v in w.controls[item.id].options]
        assert values[0] == "unanswered"
        assert ("na" in values) == item.na
    assert w.answers == {}
    assert w.assessment.to_json() == assess({}, allow_missing=True).to_json()
    assert bytes(w.chart.value).startswith(PNG)
    assert w.assessment.level_name in w.level_label.value
    assert "unanswered" in w.level_label.value


def test_setting_a_control_reassesses_and_redraws(bank):
    w = assessment_widget(team_size=3)
    for item in bank.items_of("versioning_tracking"):
        w.controls[item.id].value = 1
    before_level, before_chart = w.assessment, bytes(w.chart.value)
    w.controls["tv_unit_tests"].value = 0.5
    expected = {i.id: 1 for i in bank.items_of("versioning_tracking")}
    expected["tv_unit_tests"] = 0.5
    assert w.answers == expected
    assert w.assessment is not before_level
    assert w.assessment.to_json() == assess(expected, team_size=3, allow_missing=True).to_json()
    assert bytes(w.chart.value) != before_chart
    assert w.tabs.titles[1].endswith("(1/6)")


def test_all_automated_reaches_level_5_and_team_fit_follows_the_team_size(bank):
    w = assessment_widget()
    w.set_answers({i.id: 1 for i in bank.items})
    assert w.assessment.level == 5
    assert "Level 5" in w.level_label.value
    assert "Team size not given" in w.level_label.value
    w.team_size_input.value = 25
    assert w.assessment.team_size == 25
    assert "a team of 25 at level 5" in w.level_label.value
    assert "No gaps" in w.gaps_label.value
    w.controls["cicd_rollback"].value = "unanswered"
    assert "cicd_rollback" not in w.answers
    assert w.assessment.level == 2  # a missing gate caps the level
    assert "cicd_rollback" in w.gaps_label.value


def test_proposed_answers_from_a_real_scan_are_preselected(tracking_uri, repo):
    s = scan(tracking_uri, repo=repo)
    w = assessment_widget(scan=s, team_size=4)
    assert w.controls["cicd_ci_pipeline"].value == 1
    assert w.controls["tv_unit_tests"].value == 1  # tests and CI config
    assert w.controls["vt_model_registry"].value == 0  # empty store: no evidence
    assert w.controls["tg_model_ownership"].value == "unanswered"  # no evidence rule
    assert w.answers == s.proposed_answers()
    label = w.evidence_labels["cicd_ci_pipeline"].value
    assert "&lt;ci&gt;.yml" in label and "<ci>" not in label
    assert "automated" in label
    assert "no automatic evidence" in w.evidence_labels["tg_model_ownership"].value
    expected = assess(s.proposed_answers(), team_size=4, allow_missing=True)
    assert w.assessment.to_json() == expected.to_json()


def test_given_answers_override_the_scan(tracking_uri, repo):
    s = scan(tracking_uri, repo=repo)
    w = assessment_widget(scan=s, answers={"cicd_ci_pipeline": "0.5", "tg_roles": 1})
    assert w.controls["cicd_ci_pipeline"].value == 0.5
    assert w.controls["tg_roles"].value == 1


def test_save_button_writes_a_run_read_back_by_progress(tracking_uri):
    w = assessment_widget(team_size=6, tracking_uri=tracking_uri)
    w.set_answers({"vt_code_in_git": 1, "cicd_rollback": 0.5})
    w.save_button.click()
    assert w.error is None, w.error
    assert "Saved level" in w.status.value
    frame = progress(tracking_uri=tracking_uri).to_frame()
    assert frame["run_id"].tolist() == [w.run_id]
    assert frame["level"].tolist() == [w.assessment.level]
    assert frame["team_size"].tolist() == [6]


def test_save_errors_are_shown_not_raised(tmp_path):
    bad = f"sqlite:///{tmp_path / 'missing-folder' / 'mlruns.db'}"
    w = assessment_widget(tracking_uri=bad)
    w.save_button.click()  # must not raise
    assert w.run_id is None
    assert "StoreUnreachableError" in w.error
    assert "Save to MLflow failed" in w.status.value
    assert "missing-folder" in w.status.value
    with pytest.raises(Exception, match="missing-folder"):
        w.save()


@pytest.mark.parametrize("name", ["assessment.json", "sub/assessment.yaml"])
def test_export_writes_answers_and_result_readable_back(tmp_path, name, repo):
    s = scan(store=False, repo=repo)
    w = assessment_widget(scan=s, team_size=2)
    w.controls["tv_notebook_tests"].value = "na"
    w.path_input.value = str(tmp_path / name)
    w.export_button.click()
    assert w.error is None, w.error
    path = tmp_path / name
    assert "Exported" in w.status.value
    assert read_answers(path) == w.answers
    assert read_answers(path)["tv_notebook_tests"] == "na"
    import yaml

    data = yaml.safe_load(path.read_text())
    assert data["level"] == w.assessment.level
    assert data["result"]["level_name"] == w.assessment.level_name
    assert data["team_size"] == 2
    assert data["evidence"]["cicd_ci_pipeline"].startswith("CI config found")
    if name.endswith(".json"):
        assert json.loads(path.read_text())["answers"] == w.answers


def test_export_errors_are_shown_and_leave_no_file(tmp_path):
    w = assessment_widget()
    w.path_input.value = str(tmp_path / "assessment.txt")
    w.export_button.click()
    assert "InputError" in w.error and ".json, .yaml or .yml" in w.error
    assert "Export failed" in w.status.value
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "taken.json").mkdir()  # an existing folder
    w.path_input.value = str(tmp_path / "taken.json")
    w.export_button.click()
    assert "not an existing folder" in w.error
    w.export(tmp_path / "ok.json")  # a later success clears the error
    assert w.error is None and (tmp_path / "ok.json").is_file()


def test_bad_arguments_raise_input_errors(tmp_path):
    with pytest.raises(InputError, match="scan"):
        assessment_widget(scan={"cicd_ci_pipeline": 1})
    with pytest.raises(InputError, match="did you mean"):
        assessment_widget(answers={"cicd_rollbak": 1})
    with pytest.raises(InputError, match="answers"):
        assessment_widget(answers=["vt_code_in_git"])
    with pytest.raises(InputError, match="team_size"):
        assessment_widget(team_size=0)
    with pytest.raises(InputError, match="cannot be 'na'"):
        assessment_widget().set_answers({"cicd_rollback": "na"})


def test_read_answers_checks_the_file(tmp_path):
    p = tmp_path / "answers.yaml"
    p.write_text("vt_code_in_git: 1\ncicd_rollback: '0.5'\ntg_roles: null\n")
    assert read_answers(p) == {"vt_code_in_git": 1, "cicd_rollback": 0.5}
    p.write_text("- vt_code_in_git\n")
    with pytest.raises(InputError, match="mapping"):
        read_answers(p)
    p.write_text("vt_code_in_gti: 1\n")
    with pytest.raises(InputError, match="vt_code_in_git"):
        read_answers(p)
    with pytest.raises(InputError, match="existing"):
        read_answers(tmp_path / "missing.yaml")
