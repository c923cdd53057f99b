"""``mlops-kit governance``: the RACI matrix, and approval decisions in the registry.

``raci`` prints the kit's (or your) RACI matrix; ``approve MODEL VERSION`` records
a decision; ``approvals MODEL`` prints the trail. Exit status 0, or 2 on bad
input (an unknown model or version, a bad option, an author approving their own
model under the policy), one line and no traceback.

Examples
--------
>>> from click.testing import CliRunner
>>> out = CliRunner().invoke(command, ["raci"])
>>> out.exit_code, out.output.splitlines()[0].split()[:2]
(0, ['step', 'data_scientist'])
"""

from __future__ import annotations

import click

from mlops_kit.commands._common import BadInput, cli_message
from mlops_kit.errors import MlopsKitError

__all__ = ["command"]

_NAMES = {"by": "--by", "notes": "--notes", "evidence": "--evidence", "version": "VERSION"}


@click.group("governance")
def command():
    """Team and governance (Step 5): RACI, approvals."""


@command.command("raci")
@click.option("--roles", "roles_file", default=None, help="A roles YAML file (default: the kit's).")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
def raci_command(roles_file, as_json):
    """Print who is Responsible, Accountable, Consulted and Informed per stage."""
    from mlops_kit.governance.roles import raci

    try:
        result = raci(roles_file)
    except MlopsKitError as exc:
        raise BadInput(cli_message(exc, {"roles": "--roles"})) from None
    click.echo(result.to_json() if as_json else result.to_frame().to_string())


@command.command("approve")
@click.argument("model")
@click.argument("version")
@click.option("--reject", is_flag=True, help="Record a rejection instead of an approval.")
@click.option("--by", default=None, help="Who decides (default: $USER).")
@click.option("--notes", default=None, help="Why.")
def approve_command(model, version, reject, by, notes):
    """Record an approval (or --reject) of MODEL VERSION in the registry."""
    from mlops_kit.governance.decisions import approve

    try:
        rec = approve(model, version, "reject" if reject else "approve", by=by, notes=notes)
    except MlopsKitError as exc:
        raise BadInput(cli_message(exc, _NAMES)) from None
    click.echo(f"{rec['decision']} of {model} version {version} by {rec['by']} (#{rec['seq']})")


@command.command("approvals")
@click.argument("model")
@click.option("--version", default=None, help="Only this version.")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
def approvals_command(model, version, as_json):
    """Print the approval trail of MODEL."""
    from mlops_kit.governance.decisions import approvals

    try:
        result = approvals(model, version)
    except MlopsKitError as exc:
        raise BadInput(cli_message(exc, {"version": "--version"})) from None
    click.echo(result.to_json() if as_json else f"{result.summary()}\n{result.to_frame()}")
