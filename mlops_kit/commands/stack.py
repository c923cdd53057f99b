"""``mlops-kit stack``: recommend an MLOps tool stack for a team size and budget.

Exit status 0, or 2 on bad input (team size < 1, negative budget, unknown
complexity, cloud or category).

Examples
--------
>>> from click.testing import CliRunner
>>> out = CliRunner().invoke(command, ["--team-size", "5", "--budget", "1000", "--json"])
>>> out.exit_code
0
"""

from __future__ import annotations

import click

from mlops_kit.commands._common import BadInput, cli_message
from mlops_kit.errors import MlopsKitError

__all__ = ["BadInput", "command"]


@click.command("stack")
@click.option("--team-size", type=int, required=True, help="People on the ML team (>= 1).")
@click.option("--budget", type=float, required=True, help="Tool budget in USD a month (>= 0).")
@click.option("--complexity", default="medium", show_default=True, help="low, medium or high.")
@click.option("--open-source", "prefer_open_source", is_flag=True, help="Favour open source.")
@click.option("--cloud", default=None, help="Your cloud: aws, azure or gcp.")
@click.option("--category", "categories", multiple=True, help="Only this category (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
def command(team_size, budget, complexity, prefer_open_source, cloud, categories, as_json):
    """Recommend one tool per category with approximate monthly costs (as of 2026)."""
    from mlops_kit.stack import recommend

    try:
        rec = recommend(
            team_size,
            budget,
            complexity,
            prefer_open_source=prefer_open_source,
            cloud=cloud,
            categories=list(categories) or None,
        )
    except MlopsKitError as exc:
        names = {
            "team_size": "--team-size",
            "monthly_budget": "--budget",
            "complexity": "--complexity",
            "cloud": "--cloud",
            "categories": "--category",
            "category": "--category",
        }
        raise BadInput(cli_message(exc, names)) from None
    if as_json:
        click.echo(rec.to_json())
        return
    click.echo(rec.summary())
    frame = rec.to_frame()[["category", "tool", "monthly_cost", "licence"]]
    click.echo(frame.to_string(index=False, float_format=lambda x: f"{x:,.0f}"))
    click.echo(rec.budget_note)
    v = rec.versioning
    click.echo(f"Versioning: {v['label']}. {v['reason']}")
    click.echo(rec.disclaimer)
