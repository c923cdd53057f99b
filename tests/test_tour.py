"""`mlops-kit tour` end to end, as a user runs it: a real subprocess, a real store."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser

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
    # Step 1 promotes twice and rolls back; Steps 3 (canary) and 5 (approved) promote
    assert list(events["action"]) == ["promote", "promote", "rollback", "promote", "promote"]
    assert list(events["to_version"]) == [1, 2, 1, 3, 5]
    assert current("credit-risk", "champion", tracking_uri=uri).version == 5


def test_tour_rejects_bad_input_with_exit_2(tmp_path):
    proc = _tour("--rows", "10", "--out", str(tmp_path / "x"), cwd=tmp_path)
    assert proc.returncode == 2
    # the option as typed, not the Python parameter behind it (n_rows)
    assert "Invalid --rows: got 10" in proc.stderr and ">= 1000" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_tour_says_it_covers_the_five_steps_and_shows_progress_with_tqdm(tour_run, tmp_path):
    from mlops_kit.tour import _progress

    cwd, proc = tour_run
    report = (cwd / "mlops-kit-tour" / "report.html").read_text()
    assert "the five steps" in report and "steps 0-2" not in report
    help_text = _tour("--help", cwd=tmp_path).stdout
    assert "five steps" in help_text and "steps 0-2" not in help_text
    # not a terminal: tqdm draws no bar into the captured output
    assert "step/s" not in proc.stderr and "it/s" not in proc.stderr
    assert _progress(4, silent=True).disable is True
    with _progress(4, silent=False) as bar:  # shown on a terminal or in a notebook
        assert bar.total == 4


class _Sections(HTMLParser):
    """Collect, per ``<section id=...>`` of the report, its text, images and links."""

    def __init__(self):
        super().__init__()
        self.sections: dict[str, dict] = {}
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self._current = self.sections.setdefault(
                attrs["id"], {"text": "", "imgs": 0, "links": [], "h3": []}
            )
        elif self._current is not None and tag == "img":
            assert attrs["src"].startswith("data:image/png;base64,")
            self._current["imgs"] += 1
        elif self._current is not None and tag == "a":
            self._current["links"].append(attrs["href"])
        self._tag = tag

    def handle_endtag(self, tag):
        if tag == "section":
            self._current = None

    def handle_data(self, data):
        if self._current is not None:
            self._current["text"] += data
            if self._tag == "h3":
                self._current["h3"].append(data)


def test_report_has_a_summary_links_and_a_section_per_step_with_its_figures(tour_run):
    cwd, proc = tour_run
    out = cwd / "mlops-kit-tour"
    page = (out / "report.html").read_text()
    assert len(page) < 2_000_000, "the report stays small"
    parser = _Sections()
    parser.feed(page)
    sections = parser.sections
    assert list(sections) == ["summary", "links", *(f"step-{i}" for i in range(6))]
    # the summary first: one line per step, each with its headline figure
    summary = sections["summary"]["text"]
    for i in range(6):
        assert f"Step {i}:" in summary
    assert re.search(r"level \d from \d+ answers", summary)
    assert re.search(r"candidate AUC 0\.\d{3} vs baseline 0\.\d{3}", summary)
    assert re.search(r"worse v4 aborted at 5%, v3 promoted", summary)
    assert re.search(r"alert \d+ days after the drift \(window \d after it\), 0 false", summary)
    assert "promotion of v5 refused until val.model-validator" in summary
    # links: the store (relative), the command that opens it, the full drift report
    links = sections["links"]
    assert {"mlruns.db", "drift.html", "predictions.db", "model_card.html"} <= set(links["links"])
    assert "mlflow ui --backend-store-uri sqlite:///mlruns.db" in links["text"]
    for name in ("mlruns.db", "drift.html", "predictions.db", "model_card.html"):
        assert (out / name).is_file(), name
    expected = {
        "step-0": ["evidence scan", "ROI"],
        "step-1": ["experiment tracking", "Alias history"],
        "step-2": ["data quality", "performance gate", "data drift"],
        "step-3": ["Pipeline PASSED", "ABORTED credit-risk v4 at 5%", "PROMOTED credit-risk v3"],
        "step-4": ["Weekly metrics", "ROC AUC below 0.7", "runbook", "Post-mortem"],
        "step-5": ["RACI", "Approval gate", "val.model-validator", "Model card"],
    }
    for anchor, needles in expected.items():
        section = sections[anchor]
        for needle in needles:
            assert needle in section["text"], (anchor, needle)
        assert section["imgs"] >= 1, anchor
    assert "drift.html" in sections["step-2"]["links"]
    assert sections["step-3"]["text"].count("served_over_http") == 1
    assert sections["step-3"]["imgs"] >= 3  # pipeline and both canary timelines
    for line in ("Step 3  canary of the worse v4: ABORTED", "Step 4 ", "Step 5 "):
        assert line in proc.stdout


def test_tour_steps_3_to_5_leave_their_trail_in_the_store(tour_run):
    cwd, _ = tour_run
    from mlops_kit import governance
    from mlops_kit.monitoring import PredictionLog
    from mlops_kit.tracking.alias_history import history
    from mlops_kit.tracking.store import get_client

    out = cwd / "mlops-kit-tour"
    uri = f"sqlite:///{out / 'mlruns.db'}"
    client = get_client(uri)
    # Step 3: the pipeline run passed; the worse candidate's challenger alias was moved back
    pipe = client.search_runs([client.get_experiment_by_name("credit-risk-pipeline").experiment_id])
    assert [r.data.tags["mlops_kit.pipeline.status"] for r in pipe] == ["passed"]
    challenger = history("credit-risk", "challenger", tracking_uri=uri)
    assert list(challenger["to_version"])[:2] == [4, 1]
    assert challenger["reason"].iloc[1].startswith("canary aborted")
    canaries = client.search_runs(
        [client.get_experiment_by_name("mlops-kit-canary").experiment_id],
        order_by=["attributes.start_time ASC"],
    )
    statuses = [r.data.tags["mlops_kit.canary.status"] for r in canaries]
    assert statuses == ["aborted", "promoted"]
    # Step 4: every prediction logged with its label
    log = PredictionLog(out / "predictions.db")
    assert len(log) > 5_000
    # Step 5: the approval is on the version, by someone other than its author
    trail = governance.approvals("credit-risk", 5, tracking_uri=uri).to_frame()
    assert list(trail["by"]) == ["val.model-validator"]
    mv = client.get_model_version("credit-risk", "5")
    assert mv.tags["mlops_kit.author"] == "ana.data-scientist"
    artifacts = [f.path for f in client.list_artifacts(mv.run_id, "model_card")]
    assert "model_card/model_card.md" in artifacts
