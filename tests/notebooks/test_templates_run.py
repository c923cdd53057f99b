"""Every working template in notebooks/ runs end to end on sample data with papermill.

Each run is checked on what the template writes (files, numbers, verdicts) and
logs to the MLflow store, not only on "no error".
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.notebook
@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_template_runs_on_sample_data(path, tmp_path, monkeypatch):
    import papermill as pm

    uri = f"sqlite:///{tmp_path / 'mlruns.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    from mlops_kit.tracking.store import get_client

    get_client(uri)  # the team's store exists (a scan never creates one)
    monkeypatch.setenv("MLOPS_KIT_HOME", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    out = tmp_path / path.name
    # default parameters use the shipped sample data (or inputs the test makes, INPUTS);
    # outputs go to the temp folder
    parameters = {"output_dir": str(tmp_path / "out")}
    if path.stem in INPUTS:
        parameters.update(INPUTS[path.stem](tmp_path, uri))
    pm.execute_notebook(
        str(path),
        str(out),
        parameters=parameters,
        cwd=str(tmp_path),
        kernel_name="python3",
        progress_bar=False,
    )
    import nbformat

    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    written = tmp_path / "out"
    assert written.exists(), "a template writes its results to output_dir"
    CHECKS[path.stem](written, f"sqlite:///{tmp_path / 'mlruns.db'}")


def _png(path: Path) -> None:
    assert path.read_bytes()[:4] == b"\x89PNG" and path.stat().st_size > 2_000, path.name


def _runs(uri: str, experiment: str) -> list:
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=uri)
    found = client.get_experiment_by_name(experiment)
    assert found is not None, f"no experiment {experiment!r} in the store"
    return client.search_runs([found.experiment_id])


def _check_drift_report(out: Path, uri: str) -> None:
    data = json.loads((out / "drift.json").read_text(encoding="utf-8"))
    by_column = {c["column"]: c for c in data["columns"]}
    # the sample moves income (covariate, severity 0.5) and the region mix (0.4) only
    assert by_column["income"]["drifted"] and by_column["region"]["drifted"]
    assert not by_column["credit_score"]["drifted"]
    assert data["n_drifted"] == sum(c["drifted"] for c in data["columns"]) >= 2
    assert (out / "drift.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    _png(out / "drift_chart.png")
    (run,) = _runs(uri, "drift-report")
    assert run.info.status == "FINISHED" and run.data.params["engine"] == "native"
    assert run.data.metrics, "the drift result is logged as metrics"


def _check_maturity(out: Path, uri: str) -> None:
    assessment = json.loads((out / "assessment.json").read_text(encoding="utf-8"))
    assert assessment["level"] in (1, 2, 3, 4, 5)
    plan = json.loads((out / "roadmap.json").read_text(encoding="utf-8"))
    assert plan["current_level"] == assessment["level"] and plan["total_weeks"] >= 0
    assert (out / "answers.yaml").read_text(encoding="utf-8").strip()
    for name in ("maturity_radar.png", "maturity_roadmap.png", "maturity_progress.png"):
        _png(out / name)
    from mlops_kit.maturity import progress

    history = progress(tracking_uri=uri)
    assert len(history.to_frame()) >= 1, "the assessment is logged to the store"


def _check_roi(out: Path, uri: str) -> None:  # the ROI template logs nothing to the store
    summary = json.loads((out / "roi_summary.json").read_text(encoding="utf-8"))
    assert summary["preset"] == "framework"
    roi = summary["roi"]
    assert math.isfinite(roi["roi"]) and math.isfinite(roi["npv"])
    assert roi["benefit_total"] - roi["investment_total"] == pytest.approx(
        roi["roi"] * roi["investment_total"], rel=1e-6
    )
    assert summary["stack"]["team_size"] == 5 and summary["stack"]["picks"]
    assert summary["simulation"]["n"] == 2000 and summary["simulation"]["seed"] == 0
    assert 0 <= summary["simulation"]["prob_roi_positive"] <= 1
    for name in ("stack_costs.png", "roi_waterfall.png", "roi_sensitivity.png"):
        _png(out / name)
    _png(out / "roi_simulation.png")


def _check_canary_plan(out: Path, uri: str) -> None:  # default schedule 5 -> 25 -> 50 -> 100
    import pandas as pd
    import yaml

    plan = pd.read_csv(out / "canary_plan.csv")
    assert plan["percent"].tolist() == [5, 25, 50, 100]
    assert plan["on_success"].tolist() == ["advance", "advance", "advance", "promote"]
    assert (plan["challenger_rows"].iloc[:3] > 0).all() and plan["challenger_rows"].iloc[3] == 0
    docs = list(yaml.safe_load_all((out / "kserve.yaml").read_text()))
    assert [d["spec"]["predictor"].get("canaryTrafficPercent") for d in docs] == [
        None,
        5,
        25,
        50,
        None,
        0,
    ]
    assert {d["metadata"]["namespace"] for d in docs} == {"default"}
    assert (
        docs[0]["spec"]["predictor"]["model"]["storageUri"]
        != docs[1]["spec"]["predictor"]["model"]["storageUri"]
    )


def _monitoring_dashboard_inputs(tmp: Path, uri: str) -> dict:
    """A team's own log, reference file and registered model (simulated here, seed 1)."""

    from mlops_kit.monitoring import PredictionLog, simulate_production
    from mlops_kit.tracking import promote, register

    sim = simulate_production(
        PredictionLog(tmp / "team_log.db"),
        n_rows=3_000,
        months=4,
        drift="covariate",
        drift_month=2,
        label_delay="10D",
        seed=1,
    )
    reference = sim.reference.assign(label=sim.reference_labels)
    reference.to_csv(tmp / "reference.csv", index=False)
    info = register(sim.model, "team-model", tracking_uri=uri)
    promote("team-model", info.version, reason="serving", tracking_uri=uri)
    (tmp / "expected.json").write_text(
        json.dumps({"n_logged": sim.n_logged, "drift_start": sim.drift_start.isoformat()})
    )
    return {
        "log_path": str(tmp / "team_log.db"),
        "model_uri": "models:/team-model@champion",
        "reference_path": str(tmp / "reference.csv"),
        "label_column": "label",
        "window": "week",
        "rules": [
            {"metric": "roc_auc", "op": "<", "threshold": 0.6, "min_samples": 50},
            {"metric": "input_drift_share", "op": ">=", "threshold": 0.2, "k": 2},
        ],
    }


def _check_monitoring_dashboard(out: Path, uri: str) -> None:
    import pandas as pd

    expected = json.loads((out.parent / "expected.json").read_text())
    board = json.loads((out / "dashboard.json").read_text(encoding="utf-8"))
    assert board["n_predictions"] == expected["n_logged"]
    assert board["metric"] == "roc_auc" and board["threshold"] == 0.6
    windows = pd.DataFrame(board["windows"])
    assert windows["volume"].sum() == expected["n_logged"]
    # the registered model was loaded: its scores calibrate the estimate on every window
    assert windows["estimated_accuracy"].notna().all()
    assert windows["prediction_drift_score"].notna().any()
    assert len(board["feature_drift"]) == len(windows)
    # the covariate drift is caught after it starts, never before
    drift = [a for a in board["alerts"] if a["metric"] == "input_drift_share"]
    assert drift and all(a["window_end"] > expected["drift_start"] for a in drift)
    alerts = pd.read_csv(out / "alerts.csv")
    assert len(alerts) == len(board["alerts"])
    assert (out / "dashboard.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    _png(out / "dashboard.png")


INPUTS = {"monitoring_dashboard": _monitoring_dashboard_inputs}

CHECKS = {
    "canary_plan": _check_canary_plan,
    "drift_report": _check_drift_report,
    "maturity_self_assessment": _check_maturity,
    "monitoring_dashboard": _check_monitoring_dashboard,
    "roi_calculator": _check_roi,
}


def test_every_template_has_checks_on_what_it_writes():
    assert {p.stem for p in TEMPLATES} == set(CHECKS)
