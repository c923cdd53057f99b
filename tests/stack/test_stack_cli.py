"""`mlops-kit stack` through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mlops_kit import cli as cli_module
from mlops_kit.commands.stack import command
from mlops_kit.stack import recommend


def _run(*args):
    return CliRunner().invoke(command, list(args))


def test_text_output():
    out = _run("--team-size", "5", "--budget", "1000")
    assert out.exit_code == 0
    assert "tracking" in out.stdout and "MLflow" in out.stdout
    assert "within the budget" in out.stdout
    assert "Versioning:" in out.stdout
    assert "2026" in out.stdout


def test_json_is_one_object_equal_to_the_api():
    out = _run("--team-size", "15", "--budget", "5000", "--complexity", "high", "--json")
    assert out.exit_code == 0
    text = out.stdout.strip()
    assert "\n" not in text
    data = json.loads(text)
    expected = recommend(15, 5000, "high").to_dict()
    assert data["total_monthly_cost"] == pytest.approx(expected["total_monthly_cost"])
    assert [p["tool"] for p in data["picks"]] == [p["tool"] for p in expected["picks"]]


def test_options_reach_recommend():
    out = _run(
        "--team-size",
        "20",
        "--budget",
        "50000",
        "--complexity",
        "high",
        "--cloud",
        "aws",
        "--open-source",
        "--category",
        "serving",
        "--category",
        "ci",
        "--json",
    )
    data = json.loads(out.stdout)
    assert data["cloud"] == "aws" and data["prefer_open_source"] is True
    assert [p["category"] for p in data["picks"]] == ["serving", "ci"]


def test_over_budget_is_said_not_an_error():
    out = _run("--team-size", "10", "--budget", "0", "--complexity", "high")
    assert out.exit_code == 0
    assert "Cannot fit the budget" in out.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--team-size", "0", "--budget", "100"], "Invalid --team-size: got 0"),
        (["--team-size", "5", "--budget", "-1"], "Invalid --budget: got -1.0"),
        (["--team-size", "5", "--budget", "1e300"], "Invalid --budget"),
        (
            ["--team-size", "5", "--budget", "100", "--complexity", "extreme"],
            "Invalid --complexity",
        ),
        (["--team-size", "5", "--budget", "100", "--cloud", "ibm"], "Invalid --cloud"),
        (["--team-size", "5", "--budget", "100", "--category", "magic"], "Invalid --category"),
        (["--budget", "100"], "team-size"),
    ],
)
def test_bad_input_exits_2(args, message):
    out = _run(*args)
    assert out.exit_code == 2
    assert message in out.stderr
    assert out.stdout == ""


def test_through_the_main_entry_point(monkeypatch, capsys):
    monkeypatch.setitem(cli_module.COMMANDS, "stack", "mlops_kit.commands.stack:command")
    assert cli_module.main(["stack", "--team-size", "0", "--budget", "10"]) == 2
    assert "Invalid --team-size" in capsys.readouterr().err
    assert cli_module.main(["stack", "--team-size", "3", "--budget", "100", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["team_size"] == 3
