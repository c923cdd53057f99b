"""The ``mlops-kit`` command.

Each sub-command lives in its own module under :mod:`mlops_kit.commands`
and is imported only when it is invoked, so ``mlops-kit --help`` is fast.

Exit codes follow one convention across commands: 0 success (no drift, gate
passed), 1 a finding (drift detected, gate failed), 2 bad input.

Examples
--------
>>> from click.testing import CliRunner
>>> result = CliRunner().invoke(cli, ["--version"])
>>> result.output.startswith("mlops-kit")
True
"""

from __future__ import annotations

import importlib
import sys

import click

from mlops_kit import __version__
from mlops_kit.errors import MlopsKitError

__all__ = ["COMMANDS", "cli", "main"]

#: sub-command name -> "module:attribute" of its click command
COMMANDS: dict[str, str] = {
    "tour": "mlops_kit.commands.tour:command",
    "validate": "mlops_kit.commands.validate:command",
    "assess": "mlops_kit.commands.assess:command",
    "drift": "mlops_kit.commands.drift:command",
    "roi": "mlops_kit.commands.roi:command",
    "stack": "mlops_kit.commands.stack:command",
    "gate": "mlops_kit.commands.gate:command",
    "pipeline": "mlops_kit.commands.pipeline:command",
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup)
@click.version_option(__version__, prog_name="mlops-kit")
def cli():
    """mlops-kit: the five-step MLOps framework, from notebook to production."""


def main(argv=None) -> int:
    """Run the CLI; map :class:`MlopsKitError` to a clear message and exit status 2."""
    try:
        rv = cli.main(args=argv, prog_name="mlops-kit", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code if exc.exit_code not in (None, 0, 1) else 2
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 2
    except MlopsKitError as exc:
        click.echo(f"Error: {exc}", err=True)
        return 2
    # with standalone_mode=False, ctx.exit(n) comes back as the return value
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
