"""`mlops-kit roi` through click's CliRunner: options, config, presets, JSON, exit codes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mlops_kit import cli as cli_module
from mlops_kit.commands.roi import command
from mlops_kit.roi import RoiInputs, RoiModel

COST = 2_600_000


def _run(*args):
    return CliRunner().invoke(command, list(args))


def _json(result):
    assert result.exit_code == 0, result.output
    text = result.stdout.strip()
    assert "\n" not in text  # exactly one JSON object on one line
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def test_text_output_with_defaults():
    out = _run()
    assert out.exit_code == 0
    assert "ROI" in out.stdout and "Expected loss without MLOps" in out.stdout


def test_json_with_options():
    data = _json(_run("--projects-per-year", "4", "--json"))
    assert data["roi"]["metrics"]["expected_loss_per_year"] == pytest.approx(4 * 0.87 * COST)
    assert "simulation" not in data
    expected = RoiModel(RoiInputs(projects_per_year=4)).run().to_dict()
    assert data["roi"]["metrics"] == pytest.approx(expected["metrics"])


def test_preset_and_config_and_option_precedence(tmp_path):
    data = _json(_run("--preset", "gartner", "--json"))
    assert data["roi"]["inputs"]["failure_rate"] == 0.46
    config = tmp_path / "roi.yaml"
    config.write_text("preset: gartner\nprojects_per_year: 3\nstaff_fte: 1\n")
    data = _json(_run("--config", str(config), "--json"))
    assert data["roi"]["inputs"]["failure_rate"] == 0.46
    assert data["roi"]["metrics"]["expected_loss_per_year"] == pytest.approx(3 * 0.46 * COST)
    # an option beats the file, and --preset beats the file's preset
    data = _json(
        _run("--config", str(config), "--projects-per-year", "5", "--preset", "framework", "--json")
    )
    assert data["roi"]["inputs"]["projects_per_year"] == 5
    assert data["roi"]["inputs"]["failure_rate"] == 0.87
    assert data["roi"]["inputs"]["staff_fte"] == 1


def test_simulate_is_deterministic_and_in_the_same_json_object():
    a = _json(_run("--simulate", "500", "--seed", "3", "--json"))
    b = _json(_run("--simulate", "500", "--seed", "3", "--json"))
    assert a == b
    assert a["simulation"]["n"] == 500 and a["simulation"]["seed"] == 3
    assert 0 <= a["simulation"]["prob_roi_positive"] <= 1
    text = _run("--simulate", "200")
    assert text.exit_code == 0 and "P(ROI>0)" in text.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # the message names the option the user typed, not the Python parameter
        (["--failure-rate", "1.5"], "Invalid --failure-rate: got 1.5; allowed: a number in [0, 1]"),
        (["--development-cost", "-1"], "Invalid --development-cost: got -1.0"),
        (["--projects-per-year", "0"], "Invalid --projects-per-year: got 0.0"),
        (["--staff-fte", "0"], "Invalid --staff-fte"),
        (["--horizon-years", "0"], "Invalid --horizon-years"),
        (["--horizon-years", "1e9"], "Invalid --horizon-years: got 1000000000.0"),
        (["--development-cost", "1e308"], "Invalid --development-cost"),
        (["--preset", "nope"], "Invalid --preset"),
        (["--simulate", "0"], "Invalid --simulate"),
        (["--failure-rate", "abc"], "abc"),
    ],
)
def test_bad_input_exits_2(args, message):
    out = _run(*args, "--json")
    assert out.exit_code == 2
    assert message in out.stderr
    assert out.stdout == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("bogus_input: 3\n", "bogus_input"),
        ("- 1\n- 2\n", "mapping"),
        ("a: [unclosed\n", "YAML"),
        ("failure_rate: 2\n", "failure_rate"),
    ],
)
def test_bad_config_exits_2(tmp_path, content, message):
    config = tmp_path / "bad.yaml"
    config.write_text(content)
    out = _run("--config", str(config))
    assert out.exit_code == 2
    assert message in out.stderr


def test_missing_config_exits_2(tmp_path):
    assert _run("--config", str(tmp_path / "none.yaml")).exit_code == 2


def test_through_the_main_entry_point(monkeypatch, capsys):
    monkeypatch.setitem(cli_module.COMMANDS, "roi", "mlops_kit.commands.roi:command")
    assert cli_module.main(["roi", "--failure-rate", "2"]) == 2
    assert "Invalid --failure-rate" in capsys.readouterr().err
    assert cli_module.main(["roi", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["roi"]["metrics"]["cost_per_failure"] == COST


def test_json_money_is_rounded_to_cents_and_break_even_is_beside_the_roi():
    out = _run("--json")
    assert "6959999.99" not in out.stdout
    data = json.loads(out.stdout)["roi"]
    assert data["breakdown"][0]["amount"] == 6_960_000.0
    for row in data["breakdown"]:
        assert row["amount"] == round(row["amount"], 2)
    metrics = data["metrics"]
    assert 0 < metrics["break_even_failure_reduction"] < 0.25
    assert 0 < metrics["break_even_projects_per_year"] < 10
    text = _run().stdout
    assert "pays back from a 0.8% cut in failures (assumed 25.0%)" in text
