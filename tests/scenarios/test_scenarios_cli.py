"""``mlops-kit scenarios``: list, replay, and one line with exit 2 on bad input."""

from __future__ import annotations

import json

from click.testing import CliRunner

from mlops_kit.cli import cli


def run(*args):
    return CliRunner().invoke(cli, ["scenarios", *args])


def test_lists_the_catalogue():
    out = run("--json")
    assert out.exit_code == 0, out.output
    ids = [r["scenario"] for r in json.loads(out.output)["records"]]
    assert "source_case" in ids and len(ids) == 9


def test_replays_a_scenario_with_and_without_its_practice(tmp_path):
    out = run("silent_quality_break", "--json", "--html", str(tmp_path / "r.html"))
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["caught"] == {"with": 4, "without": 9}
    assert data["loss"]["with"] < data["loss"]["without"]
    assert "A silent data-quality break" in (tmp_path / "r.html").read_text()


def test_no_practice_makes_both_arms_equal():
    out = run("silent_quality_break", "--none", "--json")
    data = json.loads(out.stdout)
    assert data["loss"]["with"] == data["loss"]["without"] > 0


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    for args, text in (
        (("nope",), "Invalid SCENARIO: got 'nope'"),
        (("concept_drift", "--practice", "luck"), "Invalid --practice: got 'luck'"),
        (("--file", str(tmp_path / "missing.yaml")), "cannot read the scenario catalogue"),
    ):
        out = run(*args)
        assert out.exit_code == 2, out.output
        assert text in out.output
        assert "Traceback" not in out.output and len(out.output.strip().splitlines()) == 1
