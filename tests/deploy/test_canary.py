"""Canary rollouts on sample data over a real registry (SQLite MLflow store, real models).

A worse candidate is caught at the first stage and rolled back; a better one
is promoted; too little traffic holds; a challenger that stops answering
mid-rollout aborts with traffic back on the champion and no alias half-switched.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from _deploy_models import MODEL, register_all

from mlops_kit import tracking
from mlops_kit.data import make_credit
from mlops_kit.deploy import CanaryResult, CanaryRollout, TrafficSplit, check_schedule
from mlops_kit.errors import AliasNotFoundError, ColumnError, DeploymentError, InputError


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    """One store with v1 baseline (champion), v2 better, v3 worse; copied for each test."""
    folder = tmp_path_factory.mktemp("canary-store")
    versions = register_all(f"sqlite:///{folder / 'mlruns.db'}")
    return folder / "mlruns.db", versions


@pytest.fixture
def store(registered, tmp_path, monkeypatch):
    db, versions = registered
    copy = tmp_path / "mlruns.db"
    shutil.copyfile(db, copy)  # artifacts are referenced by absolute path: shared, read-only
    uri = f"sqlite:///{copy}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.chdir(tmp_path)
    return {"uri": uri, **versions}


@pytest.fixture(scope="module")
def traffic():
    return make_credit(n_rows=40_000, seed=11).drop(columns=["id", "application_date"])


def _aliases(uri):
    aliases = tracking.get_client(uri).get_registered_model(MODEL).aliases
    return {k: int(v) for k, v in aliases.items()}


def test_worse_candidate_is_caught_at_the_first_stage_and_rolled_back(store, traffic):
    result = CanaryRollout(MODEL, store["worse"], tracking_uri=store["uri"]).run(traffic, "default")
    assert isinstance(result, CanaryResult)
    assert result.status == "aborted", result.to_frame()
    assert [s["decision"] for s in result.stages] == ["abort"]
    first = result.stages[0]
    assert first["percent"] == 5.0
    assert first["n_challenger"] >= first["min_challenger"] > 0
    assert first["challenger_value"] < first["champion_value"] and first["p_value"] < 0.05
    assert result.final_percent == 0.0
    # champion never moved; the challenger alias is back on the champion's version
    assert _aliases(store["uri"]) == {"champion": 1, "challenger": 1}
    events = tracking.history(MODEL, "challenger", tracking_uri=store["uri"])
    assert events["to_version"].tolist() == [store["worse"], 1]
    assert (
        events["reason"].iloc[-1].startswith("canary aborted, traffic back to v1: challenger worse")
    )
    run = tracking.get_client(store["uri"]).get_run(result.run_id)
    assert run.data.tags["mlops_kit.canary.status"] == "aborted"
    assert run.data.tags["mlops_kit.canary.stage.1.decision"] == "abort"
    assert run.data.metrics["canary.percent"] == 5.0
    assert result.summary().startswith(f"ABORTED {MODEL} v{store['worse']} at 5%")


def test_better_candidate_advances_through_every_stage_and_is_promoted(store, traffic):
    rollout = CanaryRollout(MODEL, store["good"], tracking_uri=store["uri"])
    result = rollout.run(traffic, "default")
    assert result.status == "promoted", result.to_frame()
    assert [s["decision"] for s in result.stages] == ["advance", "advance", "advance", "promote"]
    assert [s["percent"] for s in result.stages] == [5.0, 25.0, 50.0, 100.0]
    for stage in result.stages[:3]:
        assert stage["n_challenger"] >= stage["min_challenger"]
        # the split follows the schedule
        share = stage["n_challenger"] / (stage["n_challenger"] + stage["n_champion"])
        assert abs(share - stage["percent"] / 100) < 0.03
    assert _aliases(store["uri"])["champion"] == store["good"]
    champion_events = tracking.history(MODEL, "champion", tracking_uri=store["uri"])
    assert champion_events["to_version"].iloc[-1] == store["good"]
    assert champion_events["reason"].iloc[-1].startswith("canary passed 3 stage(s) up to 50%")
    client = tracking.get_client(store["uri"])
    history = client.get_metric_history(result.run_id, "canary.percent")
    assert [m.value for m in sorted(history, key=lambda m: m.step)] == [5, 25, 50, 100]
    local = client.download_artifacts(result.run_id, "canary/result.json")
    assert json.loads(Path(local).read_text())["status"] == "promoted"
    ax = result.plot()
    assert len(ax.patches) == 4
    # same seed, same traffic: the same rollout (deterministic split)
    assert result.to_frame()["n_challenger"].tolist()[:3] == [
        s["n_challenger"] for s in result.stages[:3]
    ]


def test_too_little_traffic_holds_without_moving_the_champion(store, traffic):
    result = CanaryRollout(MODEL, store["good"], tracking_uri=store["uri"]).run(
        traffic.head(3_000), "default"
    )
    assert result.status == "held"
    assert result.stages[-1]["decision"] == "hold"
    assert "traffic ran out" in result.stages[-1]["reason"]
    assert _aliases(store["uri"]) == {"champion": 1, "challenger": store["good"]}


class _DiesAfter:
    """Test double for a serving process that dies: answers ``n`` calls, then raises
    the DeploymentError the HTTP router raises for a server that does not answer."""

    def __init__(self, model, n):
        self.model, self.n = model, n

    def predict(self, X):
        if self.n <= 0:
            raise DeploymentError("The challenger server at http://127.0.0.1:1 did not answer")
        self.n -= 1
        return self.model.predict(X)


def test_a_challenger_that_dies_mid_rollout_aborts_to_the_champion(store, traffic):
    """In-process router (the serving module is not on main yet); see the HTTP test too."""
    from mlops_kit.validation.performance.models import load_model

    champion = load_model(f"models:/{MODEL}/1", store["uri"])
    challenger = _DiesAfter(load_model(f"models:/{MODEL}/{store['good']}", store["uri"]), 60)
    router = TrafficSplit(champion, challenger, seed=0)
    result = CanaryRollout(MODEL, store["good"], tracking_uri=store["uri"]).run(
        traffic, "default", router=router
    )
    assert result.status == "aborted"
    assert [s["decision"] for s in result.stages][:-1] == ["advance"] * (len(result.stages) - 1)
    assert result.stages[-1]["reason"].startswith(
        f"serving failed at {result.stages[-1]['percent']:g}%"
    )
    assert router.percent == 0.0  # traffic back on the champion
    assert _aliases(store["uri"]) == {"champion": 1, "challenger": 1}


@pytest.mark.parametrize("schedule", [[], [50, 25, 100], [5, 5, 100], [5, 150], [0, 50], [True]])
def test_bad_schedules_are_rejected(schedule):
    with pytest.raises(InputError, match=r"^Invalid schedule: .*strictly increasing"):
        check_schedule(schedule)
    with pytest.raises(InputError, match=r"^Invalid schedule:"):
        CanaryRollout(MODEL, 2, schedule=schedule).plan()


def test_bad_model_references_are_clear_and_move_nothing(store, traffic):
    uri = store["uri"]
    with pytest.raises(LookupError, match="Version 42 of registered model"):
        CanaryRollout(MODEL, 42, tracking_uri=uri).run(traffic, "default")
    with pytest.raises(AliasNotFoundError, match="'prod' is not set"):
        CanaryRollout(MODEL, 2, champion_alias="prod", tracking_uri=uri).run(traffic, "default")
    with pytest.raises(InputError, match=r"^Invalid challenger: got 1; allowed: a version other"):
        CanaryRollout(MODEL, 1, tracking_uri=uri).run(traffic, "default")
    with pytest.raises(ColumnError, match=r"^Invalid target: got 'label'"):
        CanaryRollout(MODEL, 2, tracking_uri=uri).run(traffic, "label")
    with pytest.raises(InputError, match=r"^Invalid challenger_alias"):
        CanaryRollout(MODEL, 2, challenger_alias="champion", tracking_uri=uri).run(
            traffic, "default"
        )
    assert _aliases(uri) == {"champion": 1}


def test_plan_sizes_each_stage_with_step_2_sample_size():
    from mlops_kit.validation import sample_size

    plan = CanaryRollout(MODEL, 2, schedule=[50, 100]).plan(baseline_accuracy=0.9)
    assert plan["challenger_rows"].iloc[0] == sample_size(0.87, 0.03)
    assert plan["on_success"].tolist() == ["advance", "promote"]
    assert np.all(np.diff(CanaryRollout(MODEL, 2).plan(0.9)["champion_rows"].iloc[:3]) < 0)
