"""``mlops-kit ci init``: write a CI workflow (GitHub Actions or GitLab CI) into a repository.

Examples
--------
>>> from click.testing import CliRunner
>>> CliRunner().invoke(command, ["init", "--help"]).exit_code
0
"""

from __future__ import annotations

import click

from mlops_kit.commands._common import BadInput, cli_message
from mlops_kit.errors import MlopsKitError

__all__ = ["command"]


@click.group(name="ci")
def command():
    """Continuous integration for a team's ML repository."""


@command.command(name="init")
@click.option(
    "--provider",
    type=click.Choice(["github", "gitlab"]),
    default="github",
    show_default=True,
    help="CI system to write the workflow for.",
)
@click.option("--dir", "directory", default=".", show_default=True, help="The repository's root.")
@click.option("--force", is_flag=True, help="Overwrite an existing workflow file.")
def init(provider, directory, force):
    """Write a workflow that installs the project, runs its tests, data checks and the gate."""
    from mlops_kit.deploy.ci_init import write_ci

    try:
        path = write_ci(provider, directory, force=force)
    except MlopsKitError as exc:
        raise BadInput(cli_message(exc, {"dir": "--dir", "provider": "--provider"})) from None
    click.echo(f"Wrote {path}")
    click.echo(
        "Edit the variables at its top (data paths, model name, target); set "
        "MLFLOW_TRACKING_URI as a CI secret."
    )
