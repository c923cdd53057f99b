"""The failure-scenario catalogue: the shipped file, and clear errors for broken files."""

from __future__ import annotations

import pytest
import yaml

from mlops_kit.errors import ConfigError, InputError
from mlops_kit.scenarios import catalogue, load_catalogue
from mlops_kit.scenarios.catalogue import CATALOGUE_FILE

REQUIRED = {
    "unmonitored_drift": (4, "drift_monitoring"),
    "concept_drift": (4, "performance_monitoring"),
    "worse_model_released": (2, "performance_gate"),
    "no_rollback": (1, "registry_rollback"),
    "irreproducible_experiment": (1, "experiment_tracking"),
    "training_serving_skew": (3, "skew_check"),
    "silent_quality_break": (2, "data_quality_checks"),
    "unapproved_model": (5, "approval_gate"),
    "source_case": (4, "drift_monitoring"),
}


def test_the_catalogue_maps_every_required_scenario_to_its_step_and_practice():
    cat = load_catalogue()
    found = {s.id: (s.step, s.practice) for s in cat.scenarios}
    assert found == REQUIRED
    for s in cat.scenarios:
        assert cat.practices[s.practice].step == s.step
        assert s.title and s.description


def test_the_source_case_keeps_the_source_figures_marked_as_such():
    cat = load_catalogue()
    assert (cat.source_case.months_unnoticed, cat.source_case.corrective_cost) == (6, 500_000.0)
    assert cat.source_case.source == "source_guide"
    assert "$500,000" in cat.sources["source_guide"].note
    assert cat.scenario("source_case").source == "source_guide"
    assert cat.scenario("source_case").params.calibrate_to_source is True


def test_catalogue_is_a_table_result():
    table = catalogue()
    frame = table.to_frame()
    assert list(frame["scenario"]) == list(REQUIRED)
    assert {"step", "practice", "prevented by"} <= set(frame.columns)


def test_unknown_scenario_lists_the_ids():
    with pytest.raises(InputError, match=r"Invalid scenario: got 'drfit'.*'concept_drift'"):
        load_catalogue().scenario("drfit")


def _write(tmp_path, change):
    data = yaml.safe_load(CATALOGUE_FILE.read_text())
    change(data)
    path = tmp_path / "scenarios.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_a_scenario_without_its_practice_is_named(tmp_path):
    path = _write(tmp_path, lambda d: d["scenarios"][1].pop("practice"))
    with pytest.raises(ConfigError) as info:
        load_catalogue(path)
    assert "scenarios[concept_drift].practice: required key is missing" in str(info.value)


def test_an_undefined_practice_and_a_wrong_step_are_reported_together(tmp_path):
    def change(d):
        d["scenarios"][0]["practice"] = "hope"
        d["scenarios"][2]["params"].pop("candidate_drops")

    with pytest.raises(ConfigError) as info:
        load_catalogue(_write(tmp_path, change))
    text = str(info.value)
    assert "scenarios[unmonitored_drift].practice: got 'hope'" in text
    assert "drift_monitoring" in text  # the allowed practices are listed
    assert "scenarios[worse_model_released]: a 'release' scenario needs params" in text
    assert "['candidate_drops']" in text


def test_a_step_that_is_not_the_practices_step_is_an_error(tmp_path):
    path = _write(tmp_path, lambda d: d["scenarios"][1].update(step=2))
    with pytest.raises(ConfigError, match=r"scenarios\[concept_drift\]\.step: got 2; allowed: 4"):
        load_catalogue(path)


def test_a_column_the_sample_data_lacks_is_an_error(tmp_path):
    path = _write(tmp_path, lambda d: d["scenarios"][6]["params"]["change"].update(column="zip"))
    with pytest.raises(ConfigError, match=r"silent_quality_break\]\.params\.change\.column"):
        load_catalogue(path)
