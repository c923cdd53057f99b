"""`mlops-kit assess`: prompts, answers files, scan proposals, JSON output, exit codes."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from mlops_kit.commands.assess import command
from mlops_kit.maturity import load_bank
from mlops_kit.maturity.rules import RULES

BANK = load_bank()
IDS = BANK.item_ids


def _run(args, input=None):
    return CliRunner().invoke(command, args, input=input)


def test_interactive_prompts_every_item_in_order():
    lines = ["0" if i == "cicd_rollback" else "1" for i in IDS]
    result = _run(["--team-size", "25"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Level 2 (Basic automation and tooling), capped by missing")
    assert "puts a team of 25 at level 5" in result.stdout
    assert "1. cicd_rollback (+3 level): Keep an alias history" in result.stdout
    # prompts go to stderr, one per item, with the choices
    assert result.stderr.count("(0, 0.5, 1") == len(IDS)
    assert f"[{len(IDS)}/{len(IDS)}]" in result.stderr
    assert "== CI/CD for ML ==" in result.stderr


def test_invalid_choice_is_asked_again():
    lines = ["7", *["1"] * len(IDS)]
    result = _run([], input="\n".join(lines) + "\n")
    assert result.exit_code == 0
    assert "'7' is not one of" in result.stderr
    assert result.stdout.startswith("Level 5")


def test_answers_file_and_json_prints_exactly_one_object(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump({i: 1 for i in IDS} | {"tv_online_tests": "na"}))
    result = _run(["--answers", str(path), "--json", "--team-size", "4"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # fails on any extra text
    assert data["level"] == 5 and data["team_size"] == 4
    assert data["answers"]["tv_online_tests"] == "na"
    assert result.stderr == ""
    # the JSON output is itself a valid answers file
    again = tmp_path / "again.json"
    again.write_text(result.stdout)
    assert json.loads(_run(["--answers", str(again), "--json"]).stdout)["level"] == 5


def test_partial_answers_prompt_only_for_the_rest(tmp_path):
    path = tmp_path / "partial.json"
    path.write_text(json.dumps({i: 1 for i in IDS[:-2]}))
    result = _run(["--answers", str(path)], input="0.5\n0.5\n")
    assert result.exit_code == 0
    assert "[1/2]" in result.stderr and "[2/2]" in result.stderr and "[3/" not in result.stderr
    yes = _run(["--answers", str(path), "--yes", "--json"])
    data = json.loads(yes.stdout)
    assert data["unanswered"] == IDS[-2:]


def test_scan_proposals_are_accepted_and_overridden(tmp_path, tracking_uri):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".gitlab-ci.yml").write_text("test:\n  script: pytest\n")
    override = tmp_path / "override.yaml"
    override.write_text("cicd_ci_pipeline: 0.5\n")
    absent = f"sqlite:///{tmp_path}/absent.db"  # a mistyped store: an error, never created
    missing = _run(["--scan", "--tracking-uri", absent, "--repo", str(repo), "--yes", "--json"])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    assert not (tmp_path / "absent.db").exists()
    uri = tracking_uri  # a real, empty store
    result = _run(
        [
            "--scan",
            "--tracking-uri",
            uri,
            "--repo",
            str(repo),
            "--answers",
            str(override),
            "--yes",
            "--json",
        ]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["answers"]["vt_code_in_git"] == 1
    assert data["answers"]["vt_model_registry"] == 0
    assert data["answers"]["cicd_ci_pipeline"] == 0.5  # the file overrides the proposal
    assert data["answers"]["vt_lineage"] is None  # not evidenced, not prompted: unanswered
    assert "vt_code_in_git = 1: git repository found (.git)" in result.stderr
    assert "cicd_ci_pipeline = 1 (overridden): CI config found: .gitlab-ci.yml" in result.stderr


def test_repo_scan_then_prompts_only_for_items_without_evidence(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    n_repo = sum(
        1 for i in BANK.items if i.evidence in RULES and RULES[i.evidence].source == "repo"
    )
    todo = len(IDS) - n_repo  # --repo alone: only the repo rules propose answers
    result = _run(["--repo", str(repo)], input="1\n" * todo)
    assert result.exit_code == 0, result.output
    assert f"Scanned repo: evidence for 0 of {n_repo} items" in result.stderr
    assert f"[{todo}/{todo}]" in result.stderr and f"[{todo + 1}/" not in result.stderr
    data_free = [line for line in result.stderr.splitlines() if line.startswith("  vt_code_in_git")]
    assert data_free == [
        "  vt_code_in_git = 0: no evidence: no .git folder in the repo or its parents"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("cicd_rollback: 3\n", "Invalid answer for item 'cicd_rollback': got 3"),
        ("cicd_rolback: 1\n", "did you mean 'cicd_rollback'?"),
        ("- 1\n- 2\n", "Invalid --answers: got 'list'"),
        ("a: [unclosed\n", "the answers file is not valid YAML"),
    ],
)
def test_bad_answers_file_exits_2(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    result = _run(["--answers", str(path), "--yes"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_other_bad_input_exits_2(tmp_path):
    missing = _run(["--answers", str(tmp_path / "none.yaml")])
    assert missing.exit_code == 2 and "Invalid --answers" in missing.stderr
    zero = _run(["--team-size", "0", "--yes"])
    assert zero.exit_code == 2 and "Invalid --team-size: got 0" in zero.stderr
    words = _run(["--team-size", "many"])
    assert words.exit_code == 2
    no_repo = _run(["--repo", str(tmp_path / "nope"), "--yes"])
    assert no_repo.exit_code == 2 and "Invalid --repo" in no_repo.stderr
    store = _run(["--scan", "--tracking-uri", f"sqlite:///{tmp_path}/a/b/c.db", "--yes"])
    assert store.exit_code == 2 and "does not exist" in store.stderr


def test_prompts_aborted_exit_2():
    result = _run([], input="1\n1\n")
    assert result.exit_code == 2
    assert "use --yes to report them as unanswered" in result.stderr
