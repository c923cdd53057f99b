"""The exit-code contract of every ``mlops-kit`` command, run as the real console command.

0 pass, 1 a finding (and nothing else), 2 bad input (one line naming the option
typed), 3 an unexpected error (one line, no traceback), 130 interrupted.
Each class of break runs the installed ``mlops-kit`` entry point in a subprocess
on real files.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from mlops_kit import cli

SCRIPT = Path(sys.executable).with_name("mlops-kit")


def mlops_kit(*args, env=None, cwd=None):
    """Run the real ``mlops-kit`` command (the console script, else ``python -m mlops_kit``)."""
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "mlops_kit"]
    return subprocess.run(
        [*command, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def assert_one_line_error(run, code, *names):
    assert run.returncode == code, (run.returncode, run.stdout, run.stderr)
    err = run.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("Error: "), err
    assert "Traceback" not in run.stderr
    assert run.stdout == ""
    for name in names:
        assert name in err, (name, err)
    return err


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    rng = np.random.default_rng(0)
    ref = pd.DataFrame({"x": rng.normal(size=500), "c": rng.choice(["a", "b"], 500)})
    same = pd.DataFrame({"x": rng.normal(size=500), "c": rng.choice(["a", "b"], 500)})
    moved = pd.DataFrame({"x": rng.normal(3, 1, 500), "c": rng.choice(["b", "z"], 500)})
    paths = {name: folder / f"{name}.csv" for name in ("ref", "same", "moved")}
    for name, frame in (("ref", ref), ("same", same), ("moved", moved)):
        frame.to_csv(paths[name], index=False)
    paths["corrupt"] = folder / "corrupt.parquet"
    paths["corrupt"].write_bytes(b"PAR1 this is not parquet")
    paths["yaml"] = folder / "broken.yaml"
    paths["yaml"].write_text("columns: [a\n  b: {\n", encoding="utf-8")
    return paths


def test_pass_and_finding(files):
    assert mlops_kit("drift", files["ref"], files["same"], "--json").returncode == 0
    assert mlops_kit("drift", files["ref"], files["moved"], "--json").returncode == 1


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["drift", "{ref}"], ["Missing argument 'CURRENT'", "mlops-kit drift --help"]),
        (["drift", "{ref}", "{same}", "--no-such"], ["--no-such"]),
        (["drift", "{ref}", "{same}", "--drift-share", "abc"], ["--drift-share", "'abc'"]),
        (["no-such-command"], ["no-such-command"]),
        (["--no-such-flag"], ["--no-such-flag"]),
        (["validate", "quality", "{ref}", "--bogus"], ["mlops-kit validate quality --help"]),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(files, args, names):
    run = mlops_kit(*[a.format(**files) for a in args])
    assert_one_line_error(run, 2, *names)


def test_the_option_typed_is_named_not_the_python_parameter(files):
    # DriftCheck(drift_share=7) says "Invalid drift_share": the user typed --drift-share
    run = mlops_kit("drift", files["ref"], files["same"], "--drift-share", "7")
    err = assert_one_line_error(run, 2, "Invalid --drift-share", "got 7")
    assert "drift_share" not in err
    run = mlops_kit("drift", files["ref"], files["same"], "--method", "fast")
    assert_one_line_error(run, 2, "Invalid --method", "'fast'")


def test_bad_files_exit_2_with_one_line(files, tmp_path):
    assert_one_line_error(mlops_kit("drift", files["ref"], tmp_path / "nope.csv"), 2, "CURRENT")
    # pyarrow's own message about the corrupt file is kept, on the same line
    run = mlops_kit("drift", files["ref"], files["corrupt"])
    assert_one_line_error(run, 2, "Invalid CURRENT", "corrupt.parquet")


@pytest.mark.parametrize(
    "args",
    [
        ["assess", "--answers", "{yaml}"],
        ["validate", "quality", "{ref}", "--expectations", "{yaml}"],
    ],
    ids=["assess", "validate"],
)
def test_a_library_message_on_several_lines_becomes_one(files, args):
    # PyYAML's parse error spans five lines with a caret under the column
    run = mlops_kit(*[a.format(**files) for a in args])
    assert_one_line_error(run, 2, "broken.yaml", "expected ',' or ']'")


BROKEN_COMMANDS = textwrap.dedent(
    '''
    """Commands that break the way a bug would: nothing in the kit does this on purpose."""
    import click

    from mlops_kit.errors import InputError


    @click.command()
    @click.option("--how", type=click.Choice(["bug", "interrupt", "click1", "kit", "multi"]))
    @click.option("--window-size", type=int, default=3)
    def command(how, window_size):
        if how == "bug":
            return {}["missing key"]
        if how == "interrupt":
            raise KeyboardInterrupt
        if how == "click1":
            raise click.ClickException("a library's own click error")  # exit_code 1
        if how == "kit":
            raise InputError.invalid("window_size", window_size, "an integer >= 10")
        raise ValueError("first line\\n  second line\\n  third line")
    '''
)


@pytest.fixture
def broken(tmp_path):
    """The real CLI with one extra sub-command that breaks on request.

    A deliberate crash cannot be provoked through the shipped commands (every
    known failure is bad input), so this stands in for a future bug: a real
    click command in a real module, loaded by the real group and entry point.
    """
    (tmp_path / "broken_commands.py").write_text(BROKEN_COMMANDS, encoding="utf-8")
    code = (
        "import sys; sys.path.insert(0, sys.argv.pop(1)); from mlops_kit import cli; "
        "cli.COMMANDS['broken'] = 'broken_commands:command'; sys.exit(cli.main())"
    )

    def run(*args, env=None):
        return subprocess.run(
            [sys.executable, "-c", code, str(tmp_path), "broken", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, **(env or {})},
        )

    return run


def test_an_unexpected_error_exits_3_in_one_line_never_1(broken):
    run = broken("--how", "bug")
    err = assert_one_line_error(run, 3, "internal error in mlops-kit broken", "KeyError")
    assert "bug in mlops-kit" in err and "MLOPS_KIT_TRACEBACK=1" in err
    run = broken("--how", "multi")
    assert_one_line_error(run, 3, "ValueError: first line second line third line")


def test_the_traceback_is_there_when_asked_for(broken):
    run = broken("--how", "bug", env={"MLOPS_KIT_TRACEBACK": "1"})
    assert run.returncode == 3
    assert "Traceback" in run.stderr and "KeyError" in run.stderr


def test_kit_errors_name_the_option_and_click_errors_never_exit_1(broken):
    run = broken("--how", "kit", "--window-size", "4")
    assert_one_line_error(run, 2, "Invalid --window-size: got 4")
    assert_one_line_error(broken("--how", "click1"), 2, "a library's own click error")


def test_an_interrupt_exits_130(broken):
    run = broken("--how", "interrupt")
    assert run.returncode == 130 and "Aborted" in run.stderr and "Traceback" not in run.stderr


def test_the_group_applies_the_contract_in_process(broken, tmp_path, monkeypatch):
    # the same contract under click's own runner (no cli.main): the group enforces it
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(cli.COMMANDS, "broken", "broken_commands:command")
    result = CliRunner().invoke(cli.cli, ["broken", "--how", "bug"])
    assert result.exit_code == 3 and "internal error" in result.stderr
    result = CliRunner().invoke(cli.cli, ["broken", "--how", "kit"])
    assert result.exit_code == 2 and "Invalid --window-size" in result.stderr
