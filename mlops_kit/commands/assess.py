"""``mlops-kit assess``: the Step 0 maturity self-assessment in the terminal.

Answers come from, in increasing priority: the evidence scan (``--scan`` reads
the MLflow store, ``--tracking-uri`` or the usual default; ``--repo`` reads a
repository folder; the proposals are shown and accepted), an
answers file (``--answers FILE``, a YAML/JSON mapping of item id to 0, 0.5, 1 or
"na", or the JSON this command prints with ``--json``) and prompts for every item
still unanswered. ``--yes`` skips the prompts and reports those items as
unanswered. Prompts and notes go to stderr, so ``--json`` prints exactly one
JSON object on stdout.

Exit codes: 0 success, 2 bad input (unknown ids, bad values, unreachable store,
missing repo, prompts aborted).

Examples
--------
>>> from click.testing import CliRunner
>>> from mlops_kit.maturity import load_bank
>>> answers = "\\n".join(["1"] * len(load_bank().items)) + "\\n"
>>> result = CliRunner().invoke(command, ["--team-size", "5"], input=answers)
>>> result.exit_code, "Level 5" in result.stdout
(0, True)
"""

from __future__ import annotations

import click

from mlops_kit.commands._common import BadInput, cli_message, option_names
from mlops_kit.errors import MlopsKitError

__all__ = ["command"]


def _prompt(bank, todo: list[str]) -> dict:
    out = {}
    last_dim = None
    for n, item_id in enumerate(todo, start=1):
        item = bank.item(item_id)
        if item.dimension != last_dim:
            click.echo(f"\n== {bank.dimension(item.dimension).name} ==", err=True)
            last_dim = item.dimension
        choices = ["0", "0.5", "1", *(["na"] if item.na else [])]
        text = f"[{n}/{len(todo)}] {item.text}\n    {item.how}\n   "
        out[item_id] = click.prompt(text, type=click.Choice(choices), show_choices=True, err=True)
    return out


def _report(a) -> str:
    frame = a.to_frame()[["name", "score", "level", "n_answered", "n_na", "n_unanswered"]]
    lines = [a.summary(), "", frame.to_string(index=False, float_format=lambda x: f"{x:.2f}"), ""]
    gaps = a.gap_records[:5]
    if gaps:
        lines.append("Top gaps (next steps):")
        for g in gaps:
            gain = f"+{g['level_gain']} level" if g["level_gain"] else f"{g['dimension']}"
            where = f" [{g['tutorial']}]" if g["tutorial"] else ""
            lines.append(f"  {g['rank']}. {g['item']} ({gain}): {g['next_step']}{where}")
    return "\n".join(lines)


@click.command("assess")
@click.option(
    "--answers",
    "answers_file",
    metavar="FILE",
    help="YAML/JSON mapping of item id -> 0, 0.5, 1 or na.",
)
@click.option(
    "--scan",
    "do_scan",
    is_flag=True,
    help="Propose answers from evidence in the MLflow store (and --repo if given).",
)
@click.option("--tracking-uri", default=None, help="MLflow store to scan (implies --scan).")
@click.option("--repo", default=None, help="Repository folder to scan for evidence.")
@click.option(
    "--yes",
    "-y",
    is_flag=True,
    help="Do not prompt: accept proposals, report the rest as unanswered.",
)
@click.option("--team-size", type=int, default=None, help="People doing ML, to compare the level.")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
@click.pass_context
def command(ctx, answers_file, do_scan, tracking_uri, repo, yes, team_size, as_json):
    """Assess your team's MLOps maturity (five levels, five dimensions)."""
    from mlops_kit.maturity import assess, load_bank, read_answers, scan
    from mlops_kit.maturity.answers import check_team_size

    try:
        bank = load_bank()
        check_team_size(team_size)
        given = read_answers(answers_file, bank, name="--answers") if answers_file else {}
        proposed = {}
        use_store = do_scan or tracking_uri is not None
        if use_store or repo is not None:
            result = scan(tracking_uri=tracking_uri, repo=repo, store=use_store, bank=bank)
            proposed = result.proposed_answers()
            click.echo(
                f"{result.summary()} (proposals accepted; override with --answers):", err=True
            )
            for rec in result.records:
                flag = " (overridden)" if rec["item"] in given else ""
                click.echo(
                    f"  {rec['item']} = {rec['proposed']}{flag}: {rec['evidence']}", err=True
                )
        answers = {**proposed, **given}
        todo = [i for i in bank.item_ids if i not in answers]
        if todo and not yes:
            try:
                answers.update(_prompt(bank, todo))
            except click.Abort:
                click.echo(
                    f"\nAborted: {len(todo)} item(s) were to be answered; "
                    "use --yes to report them as unanswered.",
                    err=True,
                )
                ctx.exit(2)
        assessment = assess(answers, team_size=team_size, allow_missing=yes, bank=bank)
    except MlopsKitError as exc:
        # one line, exit status 2, naming the option typed (--team-size, not team_size)
        raise BadInput(cli_message(exc, option_names(ctx.command))) from None
    click.echo(assessment.to_json() if as_json else _report(assessment))
