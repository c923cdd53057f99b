"""``mlops-kit drift``: exit codes, strict JSON on stdout, both engines, bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from mlops_kit.commands.drift import command


@pytest.fixture
def files(make_drift_frame, tmp_path):
    reference = make_drift_frame(400, 1)
    paths = {
        "ref": tmp_path / "ref.csv",
        "same": tmp_path / "same.parquet",
        "drifted": tmp_path / "drifted.parquet",
    }
    reference.to_csv(paths["ref"], index=False)
    make_drift_frame(450, 2).to_parquet(paths["same"])
    make_drift_frame(450, 3, drift=1.0).to_parquet(paths["drifted"])
    return {k: str(v) for k, v in paths.items()}


def _invoke(*args):
    return CliRunner().invoke(command, [str(a) for a in args])


def test_json_output_and_exit_codes(files):
    drifted = _invoke(files["ref"], files["drifted"], "--json")
    assert drifted.exit_code == 1, drifted.stderr
    data = json.loads(drifted.stdout)  # exactly one JSON object, nothing else
    assert data["dataset_drift"] is True and data["n_drifted"] >= 6
    assert {c["column"] for c in data["columns"]} >= {"num_shift", "color"}
    same = _invoke(files["ref"], files["same"], "--json", "--drift-share", "0.5")
    assert same.exit_code == 0 and json.loads(same.stdout)["dataset_drift"] is False


def test_options_reach_the_check(files, tmp_path):
    html = tmp_path / "report.html"
    result = _invoke(
        files["ref"],
        files["drifted"],
        "--json",
        "--columns",
        "num_shift,color",
        "--method",
        "num=psi",
        "--threshold",
        "color=0.01",
        "--html",
        html,
        "--drift-share",
        "0.9",
    )
    data = json.loads(result.stdout)
    assert [(c["column"], c["test"]) for c in data["columns"]] == [
        ("num_shift", "psi"),
        ("color", "chisquare"),
    ]
    assert data["columns"][1]["threshold"] == 0.01 and data["drift_share"] == 0.9
    assert html.exists() and result.exit_code == 1


def test_evidently_engine_and_text_output(files, tmp_path):
    html = tmp_path / "evidently.html"
    result = _invoke(
        files["ref"],
        files["drifted"],
        "--engine",
        "evidently",
        "--html",
        html,
        "--columns",
        "num_shift,num_same,color",
    )
    assert result.exit_code == 1
    assert result.stdout.startswith("Drift detected: 2 of 3 columns drifted")
    assert "num_same" in result.stdout and html.stat().st_size > 100_000


def test_streamed_current(files):
    whole = json.loads(_invoke(files["ref"], files["drifted"], "--json").stdout)
    streamed = json.loads(
        _invoke(files["ref"], files["drifted"], "--json", "--chunk-size", "100").stdout
    )
    assert [c["statistic"] for c in streamed["columns"]] == pytest.approx(
        [c["statistic"] for c in whole["columns"]], rel=1e-9
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--method", "fast"], "Invalid --method"),
        (["--drift-share", "0"], "Invalid --drift-share: got 0.0"),
        (["--target", "nope"], "target names column 'nope'"),
        (["--threshold", "num=abc"], "Invalid --threshold"),
        (["--columns", "nope"], "'nope' is missing"),
        (["--engine", "spark"], "spark"),
    ],
)
def test_bad_input_exits_2(files, extra, message):
    result = _invoke(files["ref"], files["drifted"], "--json", *extra)
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


def test_bad_files_exit_2(files, tmp_path, make_drift_frame):
    assert _invoke(files["ref"], tmp_path / "missing.csv").exit_code == 2
    bad = make_drift_frame(50, 4)
    bad.loc[0, "num_same"] = np.inf
    bad.to_csv(tmp_path / "inf.csv", index=False)
    result = _invoke(files["ref"], tmp_path / "inf.csv", "--json")
    assert result.exit_code == 2 and "infinite" in result.stderr and result.stdout == ""
    (tmp_path / "notes.txt").write_text("x\n")
    assert _invoke(files["ref"], tmp_path / "notes.txt").exit_code == 2


def test_standalone_process_keeps_stdout_clean(files):
    code = "from mlops_kit.commands.drift import command; command()"
    run = subprocess.run(
        [sys.executable, "-c", code, files["ref"], files["drifted"], "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert isinstance(json.loads(run.stdout), dict) and run.stdout.count("\n") == 1
    bad = subprocess.run(
        [sys.executable, "-c", code, files["ref"], files["drifted"], "--method", "nope"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "Invalid --method" in bad.stderr


def test_through_the_main_entry_point(files, monkeypatch):
    from mlops_kit import cli

    monkeypatch.setitem(cli.COMMANDS, "drift", "mlops_kit.commands.drift:command")
    assert cli.main(["drift", files["ref"], files["same"], "--json"]) == 0
    assert cli.main(["drift", files["ref"], files["drifted"], "--json"]) == 1
    assert cli.main(["drift", files["ref"], files["drifted"], "--method", "fast"]) == 2


def _mlops_kit(*args):
    """The installed command as a user runs it: a real process, ``python -m mlops_kit``."""
    return subprocess.run(
        [sys.executable, "-m", "mlops_kit", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_two_samples_of_the_same_credit_data_exit_0(tmp_path):
    from mlops_kit.data import make_credit

    data = make_credit(n_rows=6000, seed=3)
    first = data.sample(frac=0.5, random_state=0)
    first.to_csv(tmp_path / "a.csv", index=False)
    data.drop(first.index).to_csv(tmp_path / "b.csv", index=False)
    run = _mlops_kit("drift", tmp_path / "a.csv", tmp_path / "b.csv", "--json")
    assert run.returncode == 0, run.stderr
    data_out = json.loads(run.stdout)
    assert data_out["n_drifted"] == 0
    assert {"column": "id", "reason": data_out["skipped"][0]["reason"]} in data_out["skipped"]
    assert data_out["skipped"][0]["reason"].startswith("identifier")
    reasons = {s["column"]: s["reason"] for s in data_out["skipped"]}
    assert "ISO dates as text" in reasons["application_date"]  # CSV dates are not categories
    # with the target declared, it is reported apart; streamed in chunks the same
    run = _mlops_kit(
        "drift",
        tmp_path / "a.csv",
        tmp_path / "b.csv",
        "--json",
        "--target",
        "default",
        "--chunk-size",
        "1000",
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["target_drift"] == {"column": "default", "drifted": False}
    assert "default" not in {c["column"] for c in out["columns"] if c["role"] == "feature"}


def test_nothing_compared_exits_2(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"when": pd.date_range("2024-01-01", periods=40).astype(str)})
    frame["note"] = [f"free text number {i}" for i in range(40)]
    frame.to_csv(tmp_path / "a.csv", index=False)
    run = _mlops_kit("drift", tmp_path / "a.csv", tmp_path / "a.csv")
    assert run.returncode == 2 and run.stdout == ""
    assert "Nothing compared" in run.stderr and len(run.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("chunked", [False, True], ids=["whole", "chunked"])
def test_unreadable_files_exit_2_with_one_line(tmp_path, files, chunked):
    extra = ["--chunk-size", "2"] if chunked else []
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_bytes(b"x,c\n1.0,a\n2.0,b\n3.0,c,extra,fields\n4.0\xff\xfe,d\n")
    bad_parquet = tmp_path / "bad.parquet"
    bad_parquet.write_bytes(b"PAR1 this is not parquet PAR1")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"x,c\n" + "".join(f"{i}.0,caf\xe9\n" for i in range(10)).encode("latin-1"))
    for path in (bad_csv, bad_parquet, latin):
        run = _mlops_kit("drift", files["ref"], path, *extra)
        assert run.returncode == 2, (path.name, run.stderr)
        assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1, (
            path.name,
            run.stderr,
        )
