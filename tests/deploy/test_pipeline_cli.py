"""``mlops-kit pipeline run``: the default pipeline from the command line (real store)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from mlops_kit import tracking
from mlops_kit.cli import cli


def test_pipeline_run_passes_then_an_impossible_bound_fails_with_exit_1(tracking_uri):
    runner = CliRunner()
    ok = runner.invoke(cli, ["pipeline", "run", "--rows", "1500", "--json"])
    assert ok.exit_code == 0, ok.output
    payload = json.loads(ok.stdout)
    assert payload["status"] == "passed" and len(payload["stages"]) == 7
    assert tracking.current("credit-risk", "champion").run_id == payload["run_id"]

    failed = runner.invoke(cli, ["pipeline", "run", "--rows", "1500", "--min", "roc_auc=0.999"])
    assert failed.exit_code == 1, failed.output
    assert failed.stdout.startswith("Pipeline FAILED at gate gate:")
    assert "register       skipped" in failed.stdout
    assert len(tracking.versions("credit-risk")) == 1


def test_pipeline_run_bad_input_is_one_line_exit_2(tracking_uri):
    for args, name in ((["--rows", "5"], "--rows"), (["--min", "aucc=1"], "--min")):
        result = CliRunner().invoke(cli, ["pipeline", "run", *args])
        assert result.exit_code == 2, result.output
        err = result.stderr.strip()
        assert err.startswith(f"Error: Invalid {name}") and len(err.splitlines()) == 1, err
