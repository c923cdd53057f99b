"""``mlops-kit gate``: exit 0 pass, 1 fail, 2 bad input, through the real CLI.

A real SQLite MLflow store with real registered scikit-learn models
(``_deploy_models``): v1 baseline (champion), v2 better, v3 deliberately worse.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from _deploy_models import MODEL, holdout, register_all
from click.testing import CliRunner

from mlops_kit.cli import cli


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gate-cli")
    uri = f"sqlite:///{folder / 'mlruns.db'}"
    versions = register_all(uri)
    return {"uri": uri, "data": holdout(folder / "holdout.parquet"), **versions}


def _gate(store, *args):
    base = ["gate", "--data", store["data"], "--target", "default", "--tracking-uri", store["uri"]]
    return CliRunner().invoke(cli, [str(a) for a in (*base, *args)])


def _bad(result, *names):
    assert result.exit_code == 2, (result.exit_code, result.output)
    err = result.stderr.strip()
    assert err.startswith("Error: Invalid"), err
    assert len(err.splitlines()) == 1, err
    for name in names:
        assert name in err, (name, err)
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_real_cli_exit_codes_pass_fail_and_bad_input(store):
    """The installed entry point (``python -m mlops_kit``) in a real subprocess."""
    common = ["--data", store["data"], "--target", "default", "--tracking-uri", store["uri"]]
    common += ["--champion", "champion", "--min", "roc_auc=0.7", "--max-drop", "roc_auc=0.005"]

    def run(version, *extra):
        cmd = [sys.executable, "-m", "mlops_kit", "gate", "--candidate"]
        cmd += [f"models:/{MODEL}/{version}", *map(str, common), *extra]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=300)

    good = run(store["good"], "--json")
    assert good.returncode == 0, good.stderr
    payload = json.loads(good.stdout)
    assert payload["passed"] is True
    assert payload["champion"]["version"] == store["baseline"]

    worse = run(store["worse"])
    assert worse.returncode == 1, worse.stderr
    assert worse.stdout.startswith("FAILED")
    assert "roc_auc" in worse.stdout

    bad = run(store["good"], "--min", "aucc=0.7")
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.strip().count("\n") == 0 and "--min" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_champion_as_uri_and_absolute_bounds(store):
    uri = f"models:/{MODEL}/{store['baseline']}"
    good = _gate(
        store,
        "--candidate",
        f"models:/{MODEL}/{store['good']}",
        "--champion",
        uri,
        "--max-drop",
        "accuracy=1%",
        "--json",
    )
    assert good.exit_code == 0, good.output
    rows = json.loads(good.stdout)["checks"]
    assert rows[0]["metric"] == "accuracy" and rows[0]["champion_value"] is not None
    # an absolute bound the good model cannot meet fails the gate (exit 1), no champion needed
    strict = _gate(store, "--candidate", f"models:/{MODEL}@champion", "--min", "roc_auc=0.99")
    assert strict.exit_code == 1, strict.output
    assert "0.99" in strict.stdout


def test_worse_candidate_fails_against_the_champion_alias_uri(store):
    result = _gate(
        store,
        "--candidate",
        f"models:/{MODEL}/{store['worse']}",
        "--champion",
        f"models:/{MODEL}@champion",
        "--max-drop",
        "f1=0.0",
        "--json",
    )
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert payload["passed"] is False
    assert [r["status"] for r in payload["checks"]] == ["failed"]


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--min", "aucc=0.7"], ["--min", "'aucc'", "roc_auc"]),
        (["--max-drop", "nope=0.1", "--champion", "champion"], ["--max-drop", "'nope'"]),
        (["--min", "roc_auc"], ["--min", "METRIC=VALUE"]),
        (["--min", "roc_auc=high"], ["--min", "'high'"]),
        (["--max-drop", "roc_auc=-1", "--champion", "champion"], ["--max-drop"]),
        (["--max-drop", "roc_auc=0.01"], ["--max-drop", "--champion"]),
        ([], ["--min/--max/--max-drop"]),
        (["--min", "rmse=3"], ["--min/--max", "a classification metric"]),
    ],
)
def test_bad_metric_options_are_one_line_exit_2(store, args, names):
    result = _gate(store, "--candidate", f"models:/{MODEL}/{store['good']}", *args)
    _bad(result, *names)


@pytest.mark.parametrize(
    ("candidate", "champion", "names"),
    [
        (f"models:/{MODEL}/99", "champion", ["--candidate", "Version 99", "Existing versions"]),
        ("models:/no-such-model/1", None, ["--candidate", "'no-such-model' not found"]),
        (f"models:/{MODEL}@nobody", None, ["--candidate", "'nobody' is not set"]),
        ("credit-risk", None, ["--candidate", "models:/credit/3"]),
        (f"models:/{MODEL}/2", "challenger", ["--champion", "'challenger' is not set"]),
        (f"models:/{MODEL}/2", f"models:/{MODEL}/42", ["--champion", "Version 42"]),
        (f"models:/{MODEL}/2", "v1", ["--champion", "'v1'"]),
        ("runs:/abc/model", "champion", ["--champion", "not a registered model"]),
    ],
)
def test_missing_candidate_or_alias_is_bad_input(store, candidate, champion, names):
    args = ["--candidate", candidate, "--min", "roc_auc=0.5"]
    if champion:
        args += ["--champion", champion]
    _bad(_gate(store, *args), *names)


def test_bad_data_and_target(store, tmp_path):
    cand = ["--candidate", f"models:/{MODEL}/{store['good']}", "--min", "roc_auc=0.5"]
    result = CliRunner().invoke(
        cli,
        [
            "gate",
            "--data",
            str(tmp_path / "none.parquet"),
            "--target",
            "default",
            "--tracking-uri",
            store["uri"],
            *cand,
        ],
    )
    _bad(result, "--data")
    _bad(_gate(store, *cand[:2], "--min", "roc_auc=0.5", "--target", "nope"), "--target", "'nope'")
