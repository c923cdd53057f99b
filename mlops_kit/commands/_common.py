"""What every sub-command shares: exit codes, one-line errors, reading files, printing results.

Exit codes of every ``mlops-kit`` command (also written in ``cli.py`` and the README):

==== =====================================================================
0    success: no drift, the gate passed
1    a finding: drift detected, a gate failed (and nothing else is ever 1)
2    bad input: a one-line ``Error: ...`` naming the option the user typed
3    an unexpected error inside mlops-kit (a bug): one line, no traceback
     (``MLOPS_KIT_TRACEBACK=1`` prints it)
130  interrupted (Ctrl-C)
==== =====================================================================

:func:`cli_error` turns any exception a command raises into the click
exception that exits with the right code; :class:`mlops_kit.cli.LazyGroup`
applies it to every sub-command.

Examples
--------
>>> one_line("Cannot parse\\n  line 2")
'Cannot parse line 2'
>>> BadInput("Invalid --rows: got 0").exit_code
2
>>> cli_message(ValueError("Invalid alias: got 'v1'; allowed: ..."), {"alias": "--alias"})
"Invalid --alias: got 'v1'; allowed: ..."
>>> cli_error(ZeroDivisionError("division by zero")).exit_code
3
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import traceback

import click

from mlops_kit.errors import MlopsKitError

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FINDING",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "BadInput",
    "InternalError",
    "cli_error",
    "cli_message",
    "emit",
    "finish",
    "json_option",
    "one_line",
    "option_names",
    "quiet_stdout",
    "read_data",
    "save_html",
    "serve_in_foreground",
]

EXIT_OK = 0
EXIT_FINDING = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

_INVALID = re.compile(r"^Invalid ([A-Za-z_][\w.]*)(\[[^\]]*\])?( key)?:")


def one_line(message) -> str:
    """Collapse a (possibly multi-line) message into one line."""
    return " ".join(str(message).split())


class BadInput(click.ClickException):
    """Bad input: a one-line message on stderr and exit status 2 (also under ``cli.main``)."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str):
        super().__init__(one_line(message))


class InternalError(click.ClickException):
    """An unexpected error inside mlops-kit: one line on stderr and exit status 3."""

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str):
        super().__init__(one_line(message))


def option_names(command: click.Command | None) -> dict[str, str]:
    """Map each Python parameter name of ``command`` to what the user types.

    Examples
    --------
    >>> @click.command()
    ... @click.argument("data")
    ... @click.option("--drift-share", type=float)
    ... def cmd(data, drift_share): ...
    >>> option_names(cmd)
    {'data': 'DATA', 'drift_share': '--drift-share'}
    """
    names: dict[str, str] = {}
    for param in getattr(command, "params", []):
        if isinstance(param, click.Option):
            names[param.name] = max(param.opts, key=len)
        else:
            names[param.name] = param.human_readable_name
    return names


def cli_message(exc, names: dict[str, str]) -> str:
    """Return ``exc``'s message on one line, API parameter names replaced by CLI option names.

    ``"Invalid thresholds['rmse']: ..."`` becomes ``"Invalid --threshold: ..."``
    when ``names`` maps ``"thresholds"`` to ``"--threshold"``.
    """
    text = one_line(exc)
    match = _INVALID.match(text)
    if match and match.group(1) in names:
        text = f"Invalid {names[match.group(1)]}{match.group(3) or ''}:{text[match.end() :]}"
    return text


def cli_error(exc: BaseException, command: click.Command | None = None, name: str = ""):
    """Return the click exception that reports ``exc`` with the kit's exit codes.

    A :class:`click.ClickException` keeps its code (1 becomes 2: only a finding
    exits 1) with its message on one line; an :class:`~mlops_kit.errors.MlopsKitError`
    is bad input (2) naming ``command``'s options; anything else is an internal
    error (3).
    """
    if isinstance(exc, (BadInput, InternalError)):
        return exc
    if isinstance(exc, click.UsageError):
        hint = f" (see 'mlops-kit {name} --help')" if name else ""
        return BadInput(one_line(exc.format_message()) + hint)
    if isinstance(exc, click.ClickException):
        error = BadInput(exc.format_message())
        if exc.exit_code not in (None, EXIT_OK, EXIT_FINDING):
            error.exit_code = exc.exit_code
        return error
    if isinstance(exc, MlopsKitError):
        return BadInput(cli_message(exc, option_names(command)))
    if os.environ.get("MLOPS_KIT_TRACEBACK"):
        traceback.print_exception(exc, file=sys.stderr)
    where = f"mlops-kit {name}".rstrip()
    return InternalError(
        f"internal error in {where}: {type(exc).__name__}: {one_line(exc) or '(no message)'}. "
        "This is a bug in mlops-kit, not a problem with your input: please report it "
        "(MLOPS_KIT_TRACEBACK=1 shows the traceback)."
    )


def read_data(path, option: str):
    """Read a CSV or Parquet file (by suffix); raise :class:`BadInput` naming ``option``.

    Reuses the drift reader, :func:`mlops_kit.validation.drift.sources.read_frame`.
    """
    from mlops_kit.validation.drift.sources import read_frame

    try:
        return read_frame(path, option)
    except MlopsKitError as exc:
        raise BadInput(str(exc)) from None


@contextlib.contextmanager
def quiet_stdout():
    """Send anything libraries print to stderr, so stdout holds only the result."""
    with contextlib.redirect_stdout(sys.stderr):
        yield


def json_option(func):
    """The ``--json`` flag shared by the sub-commands."""
    return click.option(
        "--json", "as_json", is_flag=True, help="Print only the result as one JSON object."
    )(func)


def emit(payload: dict) -> None:
    """Print ``payload`` as one line of strict JSON on stdout."""
    from mlops_kit.results import jsonable

    click.echo(json.dumps(jsonable(payload), allow_nan=False))


def save_html(report, path) -> None:
    """Write ``report``'s HTML page to ``path``; a failure is bad input naming ``--html``."""
    if path is None:
        return
    try:
        with quiet_stdout():
            written = report.save_html(path)
    except OSError as exc:
        raise BadInput(f"Invalid --html: got {str(path)!r}; cannot write it ({exc}).") from None
    click.echo(f"HTML report: {written}", err=True)


def finish(passed: bool):
    """Leave with exit status 0 (passed: no drift, gate passed) or 1 (a finding)."""
    raise click.exceptions.Exit(EXIT_OK if passed else EXIT_FINDING)


class _Stop(Exception):
    """Raised by the SIGTERM handler of :func:`serve_in_foreground`."""


def _raise_stop(_signum, _frame):
    raise _Stop


def serve_in_foreground(server, what: str, banner) -> None:
    """Print ``banner`` lines and wait until Ctrl-C or SIGTERM, then stop ``server``.

    ``server`` has ``running``, ``log_path`` and ``stop()``. Exits 0 when stopped
    by the user, 3 when the server stopped on its own (its log is named).
    """
    import signal
    import time

    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        for line in banner:
            click.echo(line)
        while server.running:
            time.sleep(0.5)
        click.echo(f"Error: {what} stopped on its own; log: {server.log_path}", err=True)
        raise click.exceptions.Exit(EXIT_INTERNAL)
    except (KeyboardInterrupt, _Stop):
        click.echo(f"Stopping {what}.", err=True)
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
    raise click.exceptions.Exit(EXIT_OK)
