"""Performance gates against real sklearn models and a real SQLite registry."""

from __future__ import annotations

import json

import mlflow
import numpy as np
import pytest
from sklearn.compose import make_column_transformer
from sklearn.dummy import DummyRegressor
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from mlops_kit.data import make_credit, make_demand
from mlops_kit.errors import AliasNotFoundError, GateFailedError, ModelNotFoundError
from mlops_kit.tracking.alias_history import promote
from mlops_kit.tracking.registry import register
from mlops_kit.tracking.store import get_client
from mlops_kit.validation.performance import PerformanceGate, PerformanceReport
from mlops_kit.validation.performance.mlflow_log import PASSED_TAG

NUM = ["credit_score", "debt_to_income", "num_delinquencies", "loan_amount", "income"]


def _pipe(numeric, categorical=(), estimator=None):
    parts = [(StandardScaler(), list(numeric))]
    if categorical:
        parts.append((OneHotEncoder(handle_unknown="ignore"), list(categorical)))
    est = estimator or LogisticRegression(max_iter=1000)
    return make_pipeline(make_column_transformer(*parts), est)


@pytest.fixture(scope="module")
def credit():
    df = make_credit(n_rows=4_000, seed=0)
    train, test = df.iloc[:2_500], df.iloc[2_500:].reset_index(drop=True)
    good = _pipe(NUM, ["region"]).fit(train, train["default"])
    weak = _pipe(["age"]).fit(train, train["default"])
    flipped = train["default"].where(train["region"] != "north", 1 - train["default"])
    bad_north = _pipe(NUM, ["region"], HistGradientBoostingClassifier(max_iter=60, random_state=0))
    bad_north.fit(train, flipped)
    return {"test": test, "good": good, "weak": weak, "bad_north": bad_north}


def _champion(model, name="credit"):
    info = register(model, name)
    promote(name, info.version)
    return info


def test_worse_candidate_fails_the_relative_gate(tracking_uri, credit):
    _champion(credit["good"])
    test = credit["test"]
    gate = PerformanceGate(["roc_auc", "accuracy"], champion="credit", max_drop=0.01)
    report = gate.check(credit["weak"], test, test["default"])

    assert not report.passed
    frame = report.to_frame().set_index("metric")
    assert frame.loc["roc_auc", "status"] == "failed"
    assert frame.loc["roc_auc", "champion_value"] > frame.loc["roc_auc", "value"] + 0.1
    assert frame.loc["roc_auc", "delta"] == pytest.approx(
        frame.loc["roc_auc", "value"] - frame.loc["roc_auc", "champion_value"]
    )
    assert "< champion" in frame.loc["roc_auc", "reason"]
    assert report.champion["version"] == 1 and report.champion["alias"] == "champion"
    assert report.summary().startswith("FAILED:") and "roc_auc" in report.summary()
    with pytest.raises(GateFailedError, match="roc_auc"):
        report.raise_if_failed()


def test_better_candidate_passes_and_the_same_model_ties(tracking_uri, credit):
    _champion(credit["weak"])
    test = credit["test"]
    gate = PerformanceGate({"roc_auc": ">= 0.75"}, champion="credit", max_drop=0.01)
    report = gate.check(credit["good"], test, test["default"])
    assert report.passed, report.summary()
    row = report.checks[0]
    assert row["delta"] > 0.1 and row["status"] == "passed"
    assert report.raise_if_failed() is report

    tie = PerformanceGate(["f1"], champion="credit").check(credit["weak"], test, test["default"])
    assert tie.passed and tie.checks[0]["delta"] == 0.0  # max_drop defaults to 0: no worse


def test_registered_candidate_logs_to_its_own_run(tracking_uri, credit):
    test = credit["test"]
    info = register(credit["good"], "credit")
    gate = PerformanceGate({"roc_auc": 0.7, "accuracy": 0.8}, slices={"region": None})
    report = gate.check(info, test, test["default"])
    assert report.passed
    assert report.candidate["run_id"] == info.run_id

    run_id = report.log_to_mlflow()  # no active run: the candidate's run
    assert run_id == info.run_id
    run = get_client(tracking_uri).get_run(run_id)
    assert run.data.tags[PASSED_TAG] == "true"
    assert run.data.metrics["perf.roc_auc"] == pytest.approx(report.checks[0]["value"])
    assert "perf.region_north.roc_auc" in run.data.metrics
    assert run.data.metrics["perf.passed"] == 1.0

    by_uri = PerformanceGate({"roc_auc": 0.7}).check("models:/credit/1", test, test["default"])
    assert by_uri.candidate["run_id"] == info.run_id and by_uri.candidate["version"] == 1
    assert by_uri.checks[0]["value"] == pytest.approx(report.checks[0]["value"])


def test_log_to_the_active_run(tracking_uri, credit):
    test = credit["test"]
    report = PerformanceGate({"roc_auc": 0.99}).check(credit["good"], test, test["default"])
    with mlflow.start_run() as run:
        assert report.log_to_mlflow() == run.info.run_id
    tags = get_client(tracking_uri).get_run(run.info.run_id).data.tags
    assert tags[PASSED_TAG] == "false"
    assert tags["mlops_kit.validation.performance.failed_checks"] == "1"


def test_bad_only_on_one_region_fails_only_that_slice(credit):
    test = credit["test"]
    gate = PerformanceGate({"roc_auc": ">= 0.6"}, slices={"region": None})
    report = gate.check(credit["bad_north"], test, test["default"])

    frame = report.to_frame()
    failed = frame[frame["status"] == "failed"]
    assert failed["slice"].tolist() == ["region=north"]
    assert failed["value"].iloc[0] < 0.5
    others = frame[frame["slice"].isin(["region=south", "region=east", "region=west"])]
    assert (others["status"] == "passed").all()
    assert "roc_auc on region=north" in report.summary()
    assert report.failures == [f"roc_auc on region=north {failed['reason'].iloc[0]}"]


def test_small_slices_are_skipped_and_masks_and_queries_work(credit):
    test = credit["test"]
    n_big = int((test["loan_amount"] > 50_000).sum())
    assert 0 < n_big < 50
    slices = {
        "big_loans": "loan_amount > 50000",
        "old": (test["age"] > 50).to_numpy(),
        "young": lambda X: X["age"] < 30,
    }
    report = PerformanceGate(["accuracy"], slices=slices).check(
        credit["good"], test, test["default"]
    )
    frame = report.to_frame().set_index("slice")
    assert frame.loc["big_loans", "status"] == "skipped"
    assert frame.loc["big_loans", "reason"] == f"skipped: n={n_big} < min 50"
    assert np.isnan(frame.loc["big_loans", "value"])
    assert frame.loc["old", "n"] == int((test["age"] > 50).sum())
    assert frame.loc["young", "status"] == "info"  # no bound, no champion: reported only
    assert report.passed and "(1 skipped)" in report.summary()


def test_regression_metrics_with_lower_is_better_against_the_champion(tracking_uri):
    df = make_demand(n_rows=2_400, seed=0)
    train, test = df.iloc[:1_600], df.iloc[1_600:]
    num, cat = ["temperature", "price", "discount_pct"], ["store_size", "product_category"]
    ridge = _pipe(num, cat, Ridge()).fit(train, train["demand"])
    _champion(DummyRegressor().fit(train[num], train["demand"]), "demand")

    gate = PerformanceGate({"r2": ">= 0.1", "rmse": None, "mae": None}, champion="demand")
    better = gate.check(ridge, test, test["demand"])
    assert better.task == "regression" and better.passed, better.summary()
    rmse = next(r for r in better.checks if r["metric"] == "rmse")
    assert rmse["delta"] < 0 and rmse["relative_bound"] == rmse["champion_value"]

    _champion(ridge, "demand")
    worse = gate.check(DummyRegressor().fit(train[num], train["demand"]), test, test["demand"])
    by_metric = {r["metric"]: r for r in worse.checks}
    assert by_metric["rmse"]["status"] == "failed"
    assert "> champion" in by_metric["rmse"]["reason"]
    assert by_metric["r2"]["reason"].startswith(f"{by_metric['r2']['value']:.4g} < 0.1")


def test_relative_max_drop_in_percent_and_per_metric(tracking_uri, credit):
    _champion(credit["good"])
    test = credit["test"]
    loose = PerformanceGate(["roc_auc"], champion="credit", max_drop="50%")
    assert loose.check(credit["weak"], test, test["default"]).passed
    strict = PerformanceGate(
        [{"metric": "roc_auc", "max_drop": 0.0}], champion="credit", max_drop={"roc_auc": 0.5}
    )  # the threshold's own max_drop wins
    assert not strict.check(credit["weak"], test, test["default"]).passed


def test_no_champion_yet(tracking_uri, credit):
    test, y = credit["test"], credit["test"]["default"]
    register(credit["good"], "credit")  # registered, alias not set

    first = PerformanceGate(["roc_auc"], champion="credit").check(credit["good"], test, y)
    assert first.passed
    assert "no champion" in first.notes[0] and "if_no_champion='pass'" in first.notes[0]
    assert first.checks[0]["reason"] == "no champion yet"

    failing = PerformanceGate(["roc_auc"], champion="credit", if_no_champion="fail")
    assert not failing.check(credit["good"], test, y).passed

    with pytest.raises(AliasNotFoundError, match=r"champion.*if_no_champion='pass'"):
        PerformanceGate(["roc_auc"], champion="credit", if_no_champion="raise").check(
            credit["good"], test, y
        )
    with pytest.raises(ModelNotFoundError, match="'nope'"):
        PerformanceGate(champion="nope", if_no_champion="raise").check(credit["good"], test, y)


def test_to_dict_is_stable_json_and_round_trips(credit):
    test = credit["test"]
    report = PerformanceGate({"roc_auc": 0.7}, slices="region").check(
        credit["good"], test, test["default"]
    )
    data = json.loads(report.to_json())
    assert data["schema"] == "mlops_kit.performance_report/1"
    assert data["passed"] is True and data["n_failed"] == 0 and data["n_checks"] == 6
    assert set(data) >= {"summary", "task", "checks", "failures", "champion", "candidate", "notes"}
    assert data["checks"][0]["slice"] == "overall" and data["checks"][0]["threshold"] == ">= 0.7"
    again = PerformanceReport.from_dict(data)
    assert again.summary() == report.summary()
    assert again.to_frame().equals(report.to_frame())


def test_plot_draws_one_bar_per_evaluated_check(credit):
    import matplotlib.pyplot as plt

    test = credit["test"]
    report = PerformanceGate(
        {"roc_auc": 0.7, "f1": None}, slices={"region": ["north", "east"]}
    ).check(credit["bad_north"], test, test["default"])
    _, ax = plt.subplots()
    assert report.plot(ax=ax) is ax
    assert len(ax.patches) == 6
    assert "FAILED" in ax.get_title()
