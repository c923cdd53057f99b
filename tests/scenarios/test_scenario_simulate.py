"""simulate(): every scenario replayed with the kit's own components, with and without its
practice. The comparisons are computed by the simulation, never typed in; the last tests
break the practice and check that the comparison then fails."""

from __future__ import annotations

import json

import pytest

from mlops_kit.errors import ConfigError, InputError
from mlops_kit.scenarios import ScenarioResult, load_catalogue, simulate

#: ten months: long enough for the six months unnoticed (incident in period 4, noticed in 9)
SHORT = {"months": 10}


def assert_practice_helps(result: ScenarioResult) -> None:
    """With the practice: a smaller loss, caught no later and back to a good model sooner."""
    assert result.loss_with < result.loss_without
    assert result.caught_with is not None
    assert result.caught_without is None or result.caught_with <= result.caught_without
    back_with, back_without = result.recovered["with"], result.recovered["without"]
    assert back_with is not None
    assert back_without is None or back_with < back_without


@pytest.mark.parametrize("scenario", [s.id for s in load_catalogue().scenarios])
def test_each_scenario_costs_less_and_is_caught_sooner_with_its_practice(scenario, tmp_path):
    result = simulate(scenario, params=SHORT)
    assert_practice_helps(result)
    frame = result.to_frame()
    assert len(frame) == 10 and frame["period"].tolist() == list(range(1, 11))
    # before the incident both arms are the same model on the same data
    before = frame[frame["period"] < result.incident_period]
    assert (before["quality_with"] == before["quality_without"]).all()
    assert (before["cost_without"] == 0).all()
    # the problem hurts when nobody prevents it
    assert frame["cost_without"].iloc[result.incident_period - 1 :].sum() > 0
    assert result.evidence["with"] and result.evidence["without"]
    json.loads(result.to_json())
    assert result.plot().get_lines()


def test_detection_is_earlier_where_the_practice_is_a_check():
    for scenario in ("silent_quality_break", "training_serving_skew", "worse_model_released"):
        result = simulate(scenario, params=SHORT)
        assert result.caught_with == result.incident_period
        assert result.caught_without == result.incident_period + 6 - 1
        assert result.loss_with == 0.0  # stopped before any prediction was made with it


def test_the_source_case_reproduces_the_source_figures_and_monitoring_cuts_them():
    result = simulate("source_case")
    assert result.source_figures["corrective_cost"] == 500_000.0
    # six months of inaccurate predictions without monitoring ...
    assert result.caught_without - result.incident_period + 1 == 6
    assert result.loss_without == pytest.approx(500_000.0, rel=1e-6)
    # ... against a drift alert within the month it started
    assert result.detection_delay("with") <= 1
    assert result.loss_with < 0.5 * result.loss_without


def test_drift_monitoring_uses_the_real_alert_rule_evidence():
    result = simulate("unmonitored_drift", params=SHORT)
    text = " ".join(result.evidence["with"])
    assert "AlertRule 'input_drift_share >= 0.3'" in text
    assert "0 false alarm(s)" in text


def test_unapproved_model_is_refused_by_the_governance_policy(tracking_uri):
    import mlflow

    result = simulate("unapproved_model", params=SHORT)
    assert result.evidence["with"][0].startswith("promote refused: Cannot point 'champion'")
    assert "rejected" in result.evidence["with"][1]
    # the simulation's store is its own: the user's store and MLflow's URI are untouched
    assert mlflow.get_tracking_uri() == tracking_uri
    assert mlflow.MlflowClient(tracking_uri).search_registered_models() == []


def test_no_rollback_detection_is_the_same_but_recovery_is_faster():
    result = simulate("no_rollback", params=SHORT)
    assert result.caught_with == result.caught_without
    assert result.recovered["with"] == result.caught_with + 1
    assert result.recovered["without"] == result.caught_without + 1 + 2
    assert "tracking.rollback: champion back to version 1" in result.evidence["with"]


def test_reproducible_rebuild_matches_the_fingerprint():
    result = simulate("irreproducible_experiment", params=SHORT)
    assert "fingerprint matches; largest prediction difference 0.0e+00" in " ".join(
        result.evidence["with"]
    )


# --- breaking the practice makes the comparison fail -----------------------------------------
def test_without_the_practice_in_place_both_arms_match_and_the_check_fails():
    result = simulate("silent_quality_break", practices=[], params=SHORT)
    assert result.loss_with == result.loss_without > 0
    assert result.caught_with == result.caught_without
    with pytest.raises(AssertionError):
        assert_practice_helps(result)


def test_a_disabled_drift_alert_catches_nothing_and_the_check_fails():
    never = {"metric": "input_drift_share", "op": ">", "threshold": 1.0, "k": 2}
    result = simulate("unmonitored_drift", params={**SHORT, "alert": never})
    assert "the rule never fired after the incident" in result.evidence["with"]
    assert result.caught_with == result.caught_without
    with pytest.raises(AssertionError):
        assert_practice_helps(result)


def test_another_practice_does_not_prevent_the_scenario():
    result = simulate("training_serving_skew", practices=["drift_monitoring"], params=SHORT)
    assert result.loss_with == result.loss_without
    assert "with the practice off" in result.summary()


# --- bad input ---------------------------------------------------------------------------
def test_unknown_scenario_lists_the_allowed_ids():
    with pytest.raises(InputError, match=r"Invalid scenario: got 'drift'; allowed: one of \["):
        simulate("drift")


def test_unknown_practice_lists_the_allowed_ones():
    with pytest.raises(InputError, match=r"Invalid practices: got 'prayer'.*'skew_check'"):
        simulate("concept_drift", practices=["performance_monitoring", "prayer"])


@pytest.mark.parametrize(
    ("params", "pattern"),
    [
        ({"months": 1}, r"Invalid params: months: got 1; allowed: an integer in \[3, 36\]"),
        ({"monhts": 12}, r"Invalid params: monhts: unknown key"),
        ({"incident_period": 9, "months": 6}, r"incident_period: got 9"),
        ("months=3", r"Invalid params: got 'months=3'"),
    ],
)
def test_bad_params_name_the_parameter(params, pattern):
    with pytest.raises(InputError, match=pattern):
        simulate("silent_quality_break", params=params)


def test_bad_seed_and_scenario_type():
    with pytest.raises(InputError, match="Invalid seed: got -1"):
        simulate("silent_quality_break", seed=-1)
    with pytest.raises(InputError, match="Invalid scenario: got 3"):
        simulate(3)


def test_a_scenario_file_missing_the_practice_is_refused(tmp_path):
    import yaml

    from mlops_kit.scenarios.catalogue import CATALOGUE_FILE

    data = yaml.safe_load(CATALOGUE_FILE.read_text())
    del data["scenarios"][0]["practice"]
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError, match=r"scenarios\[unmonitored_drift\]\.practice"):
        simulate("unmonitored_drift", catalogue=path)
