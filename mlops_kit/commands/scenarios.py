"""``mlops-kit scenarios``: list the failure scenarios, or replay one with and without its practice.

Exit status 0, or 2 on bad input (an unknown scenario or practice, a broken
scenario file), with one line.

Examples
--------
>>> from click.testing import CliRunner
>>> out = CliRunner().invoke(command, [])
>>> out.exit_code, "silent_quality_break" in out.output
(0, True)
>>> CliRunner().invoke(command, ["nope"]).exit_code
2
"""

from __future__ import annotations

import click

from mlops_kit.commands._common import BadInput, cli_message, save_html
from mlops_kit.errors import MlopsKitError

__all__ = ["command"]


@click.command("scenarios")
@click.argument("scenario", required=False)
@click.option(
    "--practice",
    "practices",
    multiple=True,
    help="A practice in place (repeatable; default: the one that prevents the scenario).",
)
@click.option("--none", "no_practice", is_flag=True, help="Replay with no practice in place.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the sample data.")
@click.option("--file", "catalogue", default=None, help="A scenario file instead of the kit's.")
@click.option("--html", "html_path", default=None, help="Also write the result as an HTML page.")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
def command(scenario, practices, no_practice, seed, catalogue, html_path, as_json):
    """Without SCENARIO: list the scenarios. With it: replay it and print the timeline."""
    from mlops_kit.scenarios import catalogue as list_scenarios
    from mlops_kit.scenarios import simulate

    names = {"scenario": "SCENARIO", "practices": "--practice", "seed": "--seed"}
    try:
        if scenario is None:
            table = list_scenarios(catalogue)
            if as_json:
                click.echo(table.to_json())
            else:
                frame = table.to_frame()[["scenario", "step", "practice", "title"]]
                click.echo(frame.to_string(index=False))
            return
        chosen = [] if no_practice else (list(practices) or None)
        result = simulate(scenario, chosen, seed=seed, catalogue=catalogue)
    except MlopsKitError as exc:
        raise BadInput(cli_message(exc, names)) from None
    save_html(result, html_path)
    if as_json:
        click.echo(result.to_json())
        return
    click.echo(result.summary())
    columns = ["period", "month", "quality_with", "quality_without", "cost_with", "cost_without"]
    frame = result.to_frame()[[*columns, "events"]]
    click.echo(frame.to_string(index=False, float_format=lambda x: f"{x:,.2f}"))
    for arm in ("with", "without"):
        for line in result.evidence[arm]:
            click.echo(f"[{arm}] {line}")
