"""The ``mlops-kit`` command.

Each sub-command lives in its own module under :mod:`mlops_kit.commands`
and is imported only when it is invoked, so ``mlops-kit --help`` is fast.

Exit codes follow one convention across commands (see
:mod:`mlops_kit.commands._common`):

- 0 success (no drift, the gate passed);
- 1 a finding (drift detected, a gate failed), and nothing else: a CI system
  can read 1 as "the data or the model failed the check";
- 2 bad input, with a one-line ``Error: ...`` naming the option as typed;
- 3 an unexpected error inside mlops-kit (a bug), on one line without a
  traceback (``MLOPS_KIT_TRACEBACK=1`` prints it);
- 130 interrupted (Ctrl-C).

:class:`LazyGroup` applies this to every sub-command, so a new command gets it
without writing any error handling of its own.

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
from mlops_kit.commands._common import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    cli_error,
    one_line,
)

__all__ = ["COMMANDS", "cli", "main"]

#: sub-command name -> "module:attribute" of its click command
COMMANDS: dict[str, str] = {
    "tour": "mlops_kit.commands.tour:command",
    "validate": "mlops_kit.commands.validate:command",
    "assess": "mlops_kit.commands.assess:command",
    "drift": "mlops_kit.commands.drift:command",
    "roi": "mlops_kit.commands.roi:command",
    "stack": "mlops_kit.commands.stack:command",
    "serve": "mlops_kit.commands.serve:command",
    "gate": "mlops_kit.commands.gate:command",
    "pipeline": "mlops_kit.commands.pipeline:command",
    "ci": "mlops_kit.commands.ci:command",
    "monitor": "mlops_kit.commands.monitor:command",
    "app": "mlops_kit.commands.app:command",
    "governance": "mlops_kit.commands.governance:command",
    "scenarios": "mlops_kit.commands.scenarios:command",
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use.

    It also gives every sub-command the exit-code contract: whatever a command
    raises is reported on one line with exit status 2 (bad input) or 3 (an
    unexpected error), never 1 and never a traceback.
    """

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def parse_args(self, ctx, args):
        ctx.meta["mlops_kit.args"] = list(args)
        return super().parse_args(ctx, args)

    def _invoked(self, ctx) -> tuple[str, click.Command | None]:
        """The sub-command path the user typed (``"validate quality"``) and its command."""
        path, command = [], self
        for token in ctx.meta.get("mlops_kit.args", []):
            if not isinstance(command, click.Group) or token.startswith("-"):
                continue
            sub = command.get_command(ctx, token) if token in command.list_commands(ctx) else None
            if sub is None:
                break
            path.append(token)
            command = sub
        return " ".join(path), (None if command is self else command)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, SystemExit):
            raise
        except (click.exceptions.Abort, KeyboardInterrupt):
            click.echo("Aborted.", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:
            name, command = self._invoked(ctx)
            raise cli_error(exc, command, name) from None


@click.group(cls=LazyGroup)
@click.version_option(__version__, prog_name="mlops-kit")
def cli():
    """mlops-kit: the five-step MLOps framework, from notebook to production."""


def main(argv=None) -> int:
    """Run the CLI and return its exit status (0, 1, 2, 3 or 130; see the module docstring)."""
    try:
        rv = cli.main(args=argv, prog_name="mlops-kit", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("Aborted.", err=True)
        return EXIT_INTERRUPTED
    except click.UsageError as exc:  # raised before a sub-command runs: `mlops-kit --bogus`
        click.echo(f"Error: {one_line(exc.format_message())} (see 'mlops-kit --help')", err=True)
        return EXIT_BAD_INPUT
    except Exception as exc:  # the contract: never a traceback, never 1
        error = cli_error(exc)
        error.show()
        return error.exit_code if error.exit_code else EXIT_INTERNAL
    # with standalone_mode=False, ctx.exit(n) comes back as the return value
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
