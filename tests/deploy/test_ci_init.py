"""``mlops-kit ci init``: the written workflows parse, and every ``mlops-kit`` command they
name runs (exit 0) against sample data and a real registry, so a template cannot name a
command or option that does not exist."""

from __future__ import annotations

import re
import shlex

import pytest
import yaml
from _deploy_models import MODEL, register_all
from click.testing import CliRunner

from mlops_kit import tracking
from mlops_kit.cli import cli
from mlops_kit.data import make_credit


def _commands(provider: str, doc: dict) -> tuple[dict, list[str]]:
    """(variables, every shell line) of a parsed workflow."""
    if provider == "github":
        variables = dict(doc["env"])
        lines = [
            step["run"] for job in doc["jobs"].values() for step in job["steps"] if "run" in step
        ]
    else:
        variables = dict(doc["variables"])
        lines = list(doc["before_script"])
        for job in doc.values():
            if isinstance(job, dict) and "script" in job:
                lines += job["script"]
    return variables, lines


@pytest.fixture
def sample(tracking_uri, tmp_path):
    versions = register_all(tracking_uri)
    tracking.promote(MODEL, versions["good"], "challenger", reason="candidate for CI")
    data = tmp_path / "data"
    data.mkdir()
    for name, seed in (("reference", 0), ("current", 1), ("holdout", 7)):
        frame = make_credit(n_rows=1_500, seed=seed).drop(columns=["id", "application_date"])
        frame.to_parquet(data / f"{name}.parquet")
    return tmp_path


@pytest.mark.parametrize("provider", ["github", "gitlab"])
def test_workflow_commands_exist_and_pass_on_sample_data(sample, provider):
    repo = sample / f"repo-{provider}"
    repo.mkdir()
    written = CliRunner().invoke(cli, ["ci", "init", "--provider", provider, "--dir", str(repo)])
    assert written.exit_code == 0, written.output
    path = repo / (".github/workflows/mlops-kit.yml" if provider == "github" else ".gitlab-ci.yml")
    doc = yaml.safe_load(path.read_text())
    if provider == "github":
        assert doc["jobs"]["validate"]["runs-on"] == "ubuntu-latest"
    else:
        assert doc["stages"] == ["test", "validate", "gate"]
    variables, lines = _commands(provider, doc)
    assert "python -m pip install -e ." in lines and "python -m pytest -q" in lines
    variables.update(
        {k: str(sample / v) for k, v in variables.items() if str(v).startswith("data/")}
    )
    kit = [line for line in lines if line.startswith("mlops-kit ")]
    assert [shlex.split(c)[1] for c in kit] == ["validate", "drift", "gate"]
    for line in kit:
        expanded = re.sub(r"\$(\w+)", lambda m: variables[m.group(1)], line)
        result = CliRunner().invoke(cli, shlex.split(expanded)[1:])
        assert result.exit_code == 0, (expanded, result.output)


def test_bad_input_is_one_line_exit_2(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(cli, ["ci", "init", "--provider", "circleci", "--dir", str(tmp_path)])
    assert bad.exit_code == 2 and "--provider" in bad.output
    missing = runner.invoke(cli, ["ci", "init", "--dir", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert missing.stderr.strip().startswith("Error: Invalid --dir:")
    assert runner.invoke(cli, ["ci", "init", "--dir", str(tmp_path)]).exit_code == 0
    again = runner.invoke(cli, ["ci", "init", "--dir", str(tmp_path)])
    assert again.exit_code == 2 and "--force" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    assert runner.invoke(cli, ["ci", "init", "--dir", str(tmp_path), "--force"]).exit_code == 0
