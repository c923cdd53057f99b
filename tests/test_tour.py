"""`mlops-kit tour` end to end, as a user runs it: a real subprocess, a real store."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _tour(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "mlops_kit", "tour", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
        env={**os.environ, "MLFLOW_TRACKING_URI": ""},
    )


@pytest.fixture(scope="module")
def tour_run(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("tour")
    proc = _tour("--rows", "3000", cwd=cwd)
    return cwd, proc


def test_tour_exits_zero_and_writes_store_and_report_in_default_folder(tour_run):
    cwd, proc = tour_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = cwd / "mlops-kit-tour"
    assert (out / "mlruns.db").is_file()
    report = (out / "report.html").read_text()
    assert "Alias history" in report and "data:image/png;base64," in report
    assert "report.html" in proc.stdout
    assert not (cwd / "mlruns").exists(), "artifacts must stay beside the store"
    assert (out / "drift.html").is_file()
    for heading in ("Step 0: evidence scan", "Step 2: data quality", "Step 2: data drift"):
        assert heading in report
    assert "performance gate" in proc.stdout and "data drift" in proc.stdout


def test_tour_logs_its_validation_where_the_maturity_scan_finds_it(tour_run):
    cwd, _ = tour_run
    from mlops_kit.maturity import scan

    uri = f"sqlite:///{cwd / 'mlops-kit-tour' / 'mlruns.db'}"
    proposed = scan(tracking_uri=uri).proposed_answers()
    # validation, drift checks and a rollback were all recorded in the store
    assert proposed["tv_data_validation"] > 0
    assert proposed["mon_drift_detection"] > 0
    assert proposed["cicd_rollback"] > 0


def test_tour_tracks_registers_promotes_and_rolls_back(tour_run):
    cwd, _ = tour_run
    from mlops_kit.tracking.alias_history import history
    from mlops_kit.tracking.registry import current
    from mlops_kit.tracking.store import get_client

    uri = f"sqlite:///{cwd / 'mlops-kit-tour' / 'mlruns.db'}"
    client = get_client(uri)
    exp = client.get_experiment_by_name("credit-risk")
    runs = client.search_runs([exp.experiment_id])
    assert {r.info.run_name for r in runs} == {"baseline-scorecard", "candidate-all-features"}
    assert all(r.info.status == "FINISHED" for r in runs)
    by_name = {r.info.run_name: r for r in runs}
    cand = by_name["candidate-all-features"]
    assert cand.data.metrics["roc_auc"] > by_name["baseline-scorecard"].data.metrics["roc_auc"]
    assert cand.inputs.dataset_inputs, "dataset fingerprints are recorded"
    curve = client.get_metric_history(cand.info.run_id, "valid_auc_by_rows")
    assert [m.step for m in curve] == list(range(500, 2001, 500))
    events = history("credit-risk", "champion", tracking_uri=uri)
    assert list(events["action"]) == ["promote", "promote", "rollback"]
    assert current("credit-risk", "champion", tracking_uri=uri).version == 1


def test_tour_rejects_bad_input_with_exit_2(tmp_path):
    proc = _tour("--rows", "10", "--out", str(tmp_path / "x"), cwd=tmp_path)
    assert proc.returncode == 2
    # the option as typed, not the Python parameter behind it (n_rows)
    assert "Invalid --rows: got 10" in proc.stderr and ">= 1000" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_tour_says_it_covers_steps_0_to_2_and_shows_progress_with_tqdm(tour_run, tmp_path):
    from mlops_kit.tour import _progress

    cwd, proc = tour_run
    report = (cwd / "mlops-kit-tour" / "report.html").read_text()
    assert "steps 0-2" in report and "five-step" not in report
    help_text = _tour("--help", cwd=tmp_path).stdout
    assert "steps 0-2" in help_text and "five-step" not in help_text
    # not a terminal: tqdm draws no bar into the captured output
    assert "step/s" not in proc.stderr and "it/s" not in proc.stderr
    assert _progress(4, silent=True).disable is True
    with _progress(4, silent=False) as bar:  # shown on a terminal or in a notebook
        assert bar.total == 4
