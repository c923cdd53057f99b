"""``mlops-kit monitor``: exit codes 0 / 1 / 2 and one JSON object, on a real simulated log."""

from __future__ import annotations

import json

from click.testing import CliRunner

from mlops_kit.cli import cli


def _run(*args):
    return CliRunner().invoke(cli, ["monitor", *args])


def test_a_rule_firing_on_the_latest_window_exits_1(concept_log):
    log, _ = concept_log
    out = _run(str(log.path), "--window", "week", "--rule", "roc_auc < 0.7, k=2", "--json")
    assert out.exit_code == 1, out.output
    payload = json.loads(out.stdout)
    assert payload["firing"] and payload["firing"][0]["metric"] == "roc_auc"
    assert len(payload["windows"]["windows"]) == 27


def test_no_rule_firing_exits_0(concept_log):
    log, _ = concept_log
    out = _run(str(log.path), "--window", "week", "--rule", "roc_auc < 0.1")
    assert out.exit_code == 0, out.output
    assert "week windows" in out.stdout


def test_bad_input_exits_2_with_one_line(concept_log, tmp_path):
    log, _ = concept_log
    for args, text in [
        ([str(log.path), "--rule", "roc_auc ~ 0.7"], "Invalid --rule"),
        ([str(log.path), "--rule", "roc_auc < 0.7, k=two"], "Invalid --rule option k"),
        ([str(log.path), "--window", "month"], "Invalid --window"),
        ([str(log.path), "--metrics", "mae"], "Invalid --metrics"),
        ([str(log.path), "--rule", "nope < 1"], "Invalid metric"),
        ([str(tmp_path / "missing.db")], "does not exist"),
    ]:
        out = _run(*args)
        assert out.exit_code == 2, (args, out.output)
        assert text in out.output and "Traceback" not in out.output
        assert len(out.output.strip().splitlines()) <= 2  # click's usage line + the error
