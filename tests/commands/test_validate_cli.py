"""``mlops-kit validate quality|performance``: exit codes, strict JSON, clear bad-input errors.

Real CSV/Parquet files from :func:`mlops_kit.data.make_credit`, real sklearn
models registered in a real SQLite MLflow store (the ``tracking_uri`` fixture).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mlops_kit.commands.validate import command
from mlops_kit.data import make_credit

NUM = ["credit_score", "debt_to_income", "num_delinquencies", "loan_amount", "income"]
RUN = (
    "import sys; from mlops_kit.commands.validate import command; "
    "command.main(prog_name='mlops-kit validate')"
)


def _invoke(*args):
    return CliRunner().invoke(command, [str(a) for a in args])


def _run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-c", RUN, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
    )


def _assert_bad_input(result, *names):
    """Exit 2, one line on stderr naming each of ``names``, no traceback, nothing on stdout."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    err = result.stderr.strip()
    assert err.startswith("Error: Invalid") or err.startswith("Error: Give"), err
    assert len(err.splitlines()) == 1, err
    for name in names:
        assert name in err, (name, err)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert isinstance(result.exception, SystemExit)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("validate-cli")
    ref = make_credit(n_rows=800, seed=0)
    clean = make_credit(n_rows=600, seed=1)
    bad = clean.copy()
    bad.loc[: len(bad) // 5, "income"] = None  # 20% missing, reference has none
    bad.loc[:9, "region"] = "atlantis"  # an unseen category
    paths = {
        "ref": folder / "ref.parquet",
        "clean": folder / "clean.parquet",
        "bad": folder / "bad.csv",
        "text": folder / "data.txt",
    }
    ref.to_parquet(paths["ref"])
    clean.to_parquet(paths["clean"])
    bad.to_csv(paths["bad"], index=False)
    paths["text"].write_text("a,b\n1,2\n", encoding="utf-8")
    return paths


# --- quality -------------------------------------------------------------------
def test_quality_passes_on_clean_data_and_saves_expectations(files, tmp_path):
    saved = tmp_path / "exp" / "credit.yaml"
    result = _invoke(
        "quality", files["clean"], "--reference", files["ref"], "--save-expectations", saved
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Data quality passed")
    assert "FAIL" not in result.stdout
    assert saved.is_file() and "income" in saved.read_text(encoding="utf-8")

    # the saved file round-trips
    again = _invoke("quality", files["clean"], "--expectations", saved)
    assert again.exit_code == 0, again.output


def test_quality_fails_on_corrupted_data_naming_the_columns(files, tmp_path):
    saved = tmp_path / "credit.yaml"
    learn = _invoke(
        "quality", files["ref"], "--reference", files["ref"], "--save-expectations", saved
    )
    assert learn.exit_code == 0, learn.output
    result = _invoke("quality", files["bad"], "--expectations", saved)
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("Data quality failed")
    fail_lines = [line for line in result.stdout.splitlines() if "FAIL" in line]
    assert any("income" in line and "missing" in line for line in fail_lines), fail_lines
    assert any("region" in line and "atlantis" in line for line in fail_lines), fail_lines


def test_quality_json_is_one_object_and_html_is_written(files, tmp_path):
    html = tmp_path / "quality.html"
    result = _invoke("quality", files["bad"], "--reference", files["ref"], "--json", "--html", html)
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)  # exactly one JSON object, nothing else on stdout
    assert data["passed"] is False and data["n_failed"] >= 2
    assert {r["column"] for r in data["expectations"] if not r["passed"]} >= {"income", "region"}
    assert any(line.startswith("income:") for line in data["failures"])
    assert html.is_file() and "Data quality" in html.read_text(encoding="utf-8")

    ok = _invoke("quality", files["clean"], "--reference", files["ref"], "--json")
    assert ok.exit_code == 0 and json.loads(ok.stdout)["passed"] is True


def test_quality_in_a_real_process_prints_only_json(files):
    proc = _run("quality", files["bad"], "--reference", files["ref"], "--json")
    assert proc.returncode == 1, proc.stderr
    assert len(proc.stdout.strip().splitlines()) == 1
    assert json.loads(proc.stdout)["passed"] is False
    assert "Traceback" not in proc.stderr


def _bad_yaml(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("case", "names"),
    [
        ("missing_data", ["DATA", "nope.csv"]),
        ("unknown_suffix", ["DATA", "data.txt", ".parquet"]),
        ("missing_reference", ["--reference", "gone.parquet"]),
        ("missing_expectations", ["--expectations", "gone.yaml"]),
        ("unparsable_yaml", ["--expectations", "exp.yaml"]),
        ("unknown_key", ["--expectations", "colums"]),
        ("unknown_dtype", ["--expectations", "not_a_dtype"]),
        ("neither", ["--expectations", "--reference"]),
        ("both", ["--expectations", "--reference"]),
    ],
)
def test_quality_bad_input_exits_2_naming_the_option(files, tmp_path, case, names):
    exp = tmp_path / "ok.yaml"
    exp.write_text("columns: {age: {min: 0}}\n", encoding="utf-8")
    args = {
        "missing_data": [tmp_path / "nope.csv", "--expectations", exp],
        "unknown_suffix": [files["text"], "--expectations", exp],
        "missing_reference": [files["clean"], "--reference", tmp_path / "gone.parquet"],
        "missing_expectations": [files["clean"], "--expectations", tmp_path / "gone.yaml"],
        "unparsable_yaml": [
            files["clean"],
            "--expectations",
            _bad_yaml(tmp_path, "exp.yaml", "a: [b\n c:"),
        ],
        "unknown_key": [
            files["clean"],
            "--expectations",
            _bad_yaml(tmp_path, "key.yaml", "colums: {}\n"),
        ],
        "unknown_dtype": [
            files["clean"],
            "--expectations",
            _bad_yaml(tmp_path, "dtype.yaml", "columns:\n  age: {dtype: not_a_dtype}\n"),
        ],
        "neither": [files["clean"]],
        "both": [files["clean"], "--expectations", exp, "--reference", files["ref"]],
    }[case]
    saved = tmp_path / "never.yaml"
    result = _invoke("quality", *args, "--save-expectations", saved)
    _assert_bad_input(result, *names)
    assert not saved.exists()  # bad input writes nothing


# --- performance ---------------------------------------------------------------
def _pipe(columns):
    return make_pipeline(
        make_column_transformer((StandardScaler(), columns)), LogisticRegression(max_iter=500)
    )


@pytest.fixture(scope="module")
def models(files):
    train = make_credit(n_rows=1_500, seed=2)
    return {
        "good": _pipe(NUM).fit(train, train["default"]),
        "weak": _pipe(["age"]).fit(train, train["default"]),
    }


@pytest.fixture
def registered(tracking_uri, models):
    """Model ``credit``: version 1 (good, alias champion) and version 2 (weak)."""
    from mlops_kit.tracking.alias_history import promote
    from mlops_kit.tracking.registry import register

    good = register(models["good"], "credit")
    promote("credit", good.version)
    register(models["weak"], "credit")
    return tracking_uri


def test_performance_passes_a_low_threshold_and_fails_an_impossible_one(files, registered):
    common = [files["clean"], "--target", "default", "--model", "models:/credit@champion"]
    ok = _invoke("performance", *common, "--threshold", "roc_auc>=0.6", "--slice", "region")
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.startswith("PASSED")
    assert "region=north" in ok.stdout and "roc_auc" in ok.stdout

    bad = _invoke(
        "performance", *common, "--threshold", "roc_auc>=0.999", "--tracking-uri", registered
    )
    assert bad.exit_code == 1, bad.output
    assert bad.stdout.startswith("FAILED") and "< 0.999" in bad.stdout


def test_performance_worse_candidate_fails_against_the_champion(files, registered, tmp_path):
    html = tmp_path / "perf.html"
    result = _invoke(
        "performance",
        files["clean"],
        "--target",
        "default",
        "--model",
        "models:/credit/2",
        "--threshold",
        "roc_auc>=0.5",
        "--champion",
        "credit",
        "--max-drop",
        "0.01",
        "--json",
        "--html",
        html,
    )
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["passed"] is False
    assert data["champion"]["version"] == 1 and data["candidate"]["version"] == 2
    row = next(r for r in data["checks"] if r["metric"] == "roc_auc")
    assert row["status"] == "failed" and row["champion_value"] > row["value"]
    assert any("champion" in line for line in data["failures"])
    assert html.is_file()

    same = _invoke(
        "performance", files["clean"], "--target", "default", "--model", "models:/credit/1",
        "--threshold", "roc_auc", "--champion", "credit", "--json",
    )  # fmt: skip
    assert same.exit_code == 0, same.output
    assert json.loads(same.stdout)["checks"][0]["delta"] == pytest.approx(0.0)


def test_performance_in_a_real_process_prints_only_json(files, registered):
    env = {**os.environ, "MLFLOW_TRACKING_URI": registered}
    proc = _run(
        "performance", files["clean"], "--target", "default", "--model", "models:/credit/1",
        "--threshold", "roc_auc>=0.6", "--json", env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.strip().splitlines()) == 1
    data = json.loads(proc.stdout)
    assert data["passed"] is True and data["candidate"]["model_uri"] == "models:/credit/1"
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("case", "names"),
    [
        ("missing_target", ["--target", "'nope'", "'default'"]),
        ("malformed_threshold", ["--threshold", "roc_auc>>0.7", "roc_auc>=0.75"]),
        ("unknown_metric", ["--threshold", "auc_roc>=0.7", "roc_auc"]),
        ("bad_max_drop", ["--max-drop", "'lots'"]),
        ("bad_slice", ["--slice", "'planet'"]),
        ("bad_alias", ["--alias", "'v1'"]),
        ("bad_model_uri", ["--model", "'credit'", "models:/"]),
        ("missing_data", ["DATA", "missing.parquet"]),
        ("unknown_suffix", ["DATA", "data.txt"]),
    ],
)
def test_performance_bad_input_exits_2_naming_the_option(files, tmp_path, case, names):
    data, target, model, extra = files["clean"], "default", "models:/credit/1", []
    if case == "missing_target":
        target = "nope"
    elif case == "malformed_threshold":
        extra = ["--threshold", "roc_auc>>0.7"]
    elif case == "unknown_metric":
        extra = ["--threshold", "auc_roc>=0.7"]
    elif case == "bad_max_drop":
        extra = ["--max-drop", "lots"]
    elif case == "bad_slice":
        extra = ["--slice", "planet"]
    elif case == "bad_alias":
        extra = ["--champion", "credit", "--alias", "v1"]
    elif case == "bad_model_uri":
        model = "credit"
    elif case == "missing_data":
        data = tmp_path / "missing.parquet"
    elif case == "unknown_suffix":
        data = files["text"]
    result = _invoke("performance", data, "--target", target, "--model", model, *extra)
    _assert_bad_input(result, *names)


def test_performance_unknown_model_or_task_mismatch_exits_2(files, registered):
    base = [files["clean"], "--target", "default"]
    missing = _invoke("performance", *base, "--model", "models:/credit/9")
    _assert_bad_input(missing, "--model", "models:/credit/9")

    mismatch = _invoke("performance", *base, "--model", "models:/credit/1", "--threshold", "rmse")
    _assert_bad_input(mismatch, "--threshold", "rmse", "--task")


def test_performance_that_computed_no_metric_exits_2(files, registered, tmp_path):
    # every row of one class: roc_auc (the only gate metric) is undefined, nothing is compared
    data = make_credit(n_rows=300, seed=4)
    one_class = tmp_path / "one_class.parquet"
    data[data["default"] == 0].to_parquet(one_class)
    args = [one_class, "--target", "default", "--model", "models:/credit/1"]
    result = _invoke("performance", *args, "--threshold", "roc_auc>=0.6")
    _assert_bad_input(result, "--target", "no gate metric can be computed", "both classes")
    # with a metric that is defined the same rows are checked (and pass or fail: 0 or 1)
    ok = _invoke("performance", *args, "--threshold", "roc_auc>=0.6", "--threshold", "accuracy")
    assert ok.exit_code in (0, 1), ok.output
    assert "roc_auc" in ok.stdout and "skipped" in ok.stdout


def test_exit_codes_hold_under_the_main_cli(files, monkeypatch):
    from mlops_kit import cli

    monkeypatch.setitem(cli.COMMANDS, "validate", "mlops_kit.commands.validate:command")
    ref = ["--reference", str(files["ref"])]
    assert cli.main(["validate", "quality", str(files["clean"]), *ref]) == 0
    assert cli.main(["validate", "quality", str(files["bad"]), *ref]) == 1
    assert cli.main(["validate", "quality", str(files["text"]), *ref]) == 2
