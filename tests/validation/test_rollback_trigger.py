"""Rollback triggers on a real registry: real models, windows evaluated on drifted data."""

from __future__ import annotations

import json

import mlflow
import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from mlops_kit.data import inject_drift, make_credit
from mlops_kit.errors import RollbackError
from mlops_kit.tracking.alias_history import history, promote
from mlops_kit.tracking.registry import current, register
from mlops_kit.tracking.store import get_client
from mlops_kit.validation.rollback import EXPERIMENT, RollbackPolicy

NUM = ["credit_score", "debt_to_income", "num_delinquencies", "loan_amount", "income"]
TRAIN = 2_000


@pytest.fixture(scope="module")
def credit():
    df = make_credit(n_rows=4_000, seed=1)
    train = df.iloc[:TRAIN]
    scaler = (StandardScaler(), NUM)
    v1 = make_pipeline(make_column_transformer(scaler), LogisticRegression(max_iter=1000))
    v2 = make_pipeline(
        make_column_transformer(scaler, (OneHotEncoder(handle_unknown="ignore"), ["region"])),
        LogisticRegression(max_iter=1000),
    )
    rest = df.iloc[TRAIN:]
    chunks = np.array_split(np.arange(len(rest)), 4)
    return {
        "df": df,
        "v1": v1.fit(train, train["default"]),
        "v2": v2.fit(train, train["default"]),
        "chunks": chunks,
        "starts": [rest["application_date"].iloc[c[0]] for c in chunks],
    }


def windows(credit, model, drift_from: int | None) -> pd.DataFrame:
    """Evaluate ``model`` on 4 time windows; concept drift from window ``drift_from`` on."""
    df = credit["df"]
    if drift_from is not None:
        df = inject_drift(df, "concept", severity=1.0, start=credit["starts"][drift_from])
    rest = df.iloc[TRAIN:]
    rows = []
    for chunk, start in zip(credit["chunks"], credit["starts"]):
        w = rest.iloc[chunk]
        rows.append(
            {
                "timestamp": start,
                "accuracy": accuracy_score(w["default"], model.predict(w)),
                "roc_auc": roc_auc_score(w["default"], model.predict_proba(w)[:, 1]),
                "n": len(w),
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture
def champion_v2(tracking_uri, credit):
    """v1 then v2 promoted to champion; v1's run records its holdout roc_auc."""
    first = register(credit["v1"], "credit")
    holdout = windows(credit, credit["v1"], None)
    get_client(tracking_uri).log_metric(first.run_id, "roc_auc", holdout["roc_auc"].mean())
    promote("credit", 1, reason="first model")
    register(credit["v2"], "credit")
    promote("credit", 2, reason="better")
    loaded = mlflow.sklearn.load_model("models:/credit@champion")
    return loaded


def test_two_bad_windows_fire_and_roll_back(tracking_uri, credit, champion_v2):
    frame = windows(credit, champion_v2, drift_from=2)
    assert (frame["accuracy"].iloc[:2] >= 0.85).all() and (frame["accuracy"].iloc[2:] < 0.85).all()
    policy = RollbackPolicy(["accuracy < 0.85"], model_name="credit")

    decision = policy.rollback(policy.check(frame))

    assert decision.fire
    reason = decision.reasons[0]
    assert reason["rule"] == "accuracy < 0.85" and reason["bound"] == 0.85
    assert reason["observed"] == pytest.approx(frame["accuracy"].iloc[2:].tolist())
    assert reason["windows"] == [str(s.date()) for s in credit["starts"][2:]]
    assert decision.action["status"] == "rolled_back"
    assert (decision.action["from_version"], decision.action["to_version"]) == (2, 1)
    assert current("credit").version == 1

    last = history("credit", "champion").iloc[-1]
    assert (last["action"], last["from_version"], last["to_version"]) == ("rollback", 2, 1)
    assert "accuracy < 0.85" in last["reason"] and "2 consecutive windows" in last["reason"]

    client = get_client(tracking_uri)
    run = client.get_run(decision.action["run_id"])
    assert client.get_experiment(run.info.experiment_id).name == EXPERIMENT
    assert run.info.status == "FINISHED"
    assert run.data.tags["mlops_kit.rollback.to_version"] == "1"
    assert run.data.tags["mlops_kit.rollback.rules"] == "accuracy < 0.85"
    saved = client.download_artifacts(run.info.run_id, "rollback_decision.json")
    with open(saved, encoding="utf-8") as fh:
        assert json.load(fh)["action"]["status"] == "rolled_back"
    demoted = client.get_model_version("credit", "2")
    assert demoted.tags["mlops_kit.rollback.run_id"] == run.info.run_id
    assert decision.summary().startswith("ROLLED BACK credit@champion v2 -> v1")


def test_a_single_bad_window_is_no_false_alarm(tracking_uri, credit, champion_v2):
    frame = windows(credit, champion_v2, drift_from=3)
    assert (frame["accuracy"] < 0.85).tolist() == [False, False, False, True]
    policy = RollbackPolicy(["accuracy < 0.85", "roc_auc < 0.7"], model_name="credit")

    decision = policy.rollback(policy.check(frame))

    assert not decision.fire and decision.reasons == []
    assert decision.action["status"] == "no_action"
    assert current("credit").version == 2
    assert "rollback" not in history("credit")["action"].tolist()
    assert get_client(tracking_uri).get_experiment_by_name(EXPERIMENT) is None
    assert decision.to_frame()["n_violations"].tolist() == [1, 1]
    assert "0 of 2 rules fired" in decision.summary()


def test_dry_run_fires_but_does_not_move_the_alias(tracking_uri, credit, champion_v2):
    frame = windows(credit, champion_v2, drift_from=2)
    policy = RollbackPolicy(["roc_auc < 0.7"], model_name="credit", dry_run=True)

    decision = policy.rollback(policy.check(frame))

    assert decision.fire
    assert decision.action["status"] == "dry_run"
    assert (decision.action["from_version"], decision.action["to_version"]) == (2, 1)
    assert current("credit").version == 2
    assert "rollback" not in history("credit")["action"].tolist()
    assert get_client(tracking_uri).get_experiment_by_name(EXPERIMENT) is None
    assert "dry run, alias not moved" in decision.summary()


def test_drop_against_the_value_recorded_for_the_previous_version(
    tracking_uri, credit, champion_v2
):
    frame = windows(credit, champion_v2, drift_from=2)
    recorded = get_client(tracking_uri).get_run(current("credit").run_id)  # v2's run
    assert "roc_auc" not in recorded.data.metrics
    policy = RollbackPolicy(["roc_auc drop > 0.05"], model_name="credit")

    decision = policy.check(frame)  # previous = v1, found in the registry

    assert decision.fire
    outcome = decision.outcomes[0]
    assert outcome["previous"] > 0.8 and outcome["bound"] == pytest.approx(
        outcome["previous"] - 0.05
    )
    assert "previous version" in decision.reasons[0]["text"]
    assert not policy.check(frame, previous={"roc_auc": 0.3}).fire
    assert policy.check(frame, previous=1).fire
    assert policy.check(frame, previous=windows(credit, credit["v1"], None)).fire


def test_missing_previous_value_skips_the_drop_rule(tracking_uri, credit, champion_v2):
    frame = windows(credit, champion_v2, drift_from=2)
    policy = RollbackPolicy([{"metric": "accuracy", "max_drop": 0.01}], model_name="credit")
    decision = policy.check(frame)
    assert not decision.fire
    assert decision.outcomes[0]["status"] == "skipped"
    assert "no recorded 'accuracy'" in decision.outcomes[0]["note"]


def test_rollback_with_no_earlier_version_writes_nothing(tracking_uri, credit):
    register(credit["v1"], "credit")
    promote("credit", 1)
    frame = pd.DataFrame({"accuracy": [0.5, 0.5]})
    policy = RollbackPolicy(["accuracy < 0.8"], model_name="credit")
    with pytest.raises(RollbackError, match="no earlier version"):
        policy.rollback(policy.check(frame))
    assert current("credit").version == 1
    assert get_client(tracking_uri).get_experiment_by_name(EXPERIMENT) is None
