"""Shared plumbing of ``mlops-kit validate``: bad input, reading files, printing results.

Examples
--------
>>> one_line("Cannot parse\\n  line 2")
'Cannot parse line 2'
>>> cli_message(ValueError("Invalid alias: got 'v1'; allowed: ..."), {"alias": "--alias"})
"Invalid --alias: got 'v1'; allowed: ..."
"""

from __future__ import annotations

import contextlib
import json
import re
import sys

import click

from mlops_kit.commands._common import BadInput, one_line
from mlops_kit.errors import MlopsKitError

__all__ = [
    "BadInput",
    "cli_message",
    "emit",
    "finish",
    "json_option",
    "one_line",
    "quiet_stdout",
    "read_data",
    "save_html",
]

_INVALID = re.compile(r"^Invalid ([A-Za-z_][\w.]*)(\[[^\]]*\])?( key)?:")


def cli_message(exc, names: dict[str, str]) -> str:
    """Return ``exc``'s message with API parameter names replaced by CLI option names.

    ``"Invalid thresholds['rmse']: ..."`` becomes ``"Invalid --threshold: ..."``
    when ``names`` maps ``"thresholds"`` to ``"--threshold"``.
    """
    text = one_line(exc)
    match = _INVALID.match(text)
    if match and match.group(1) in names:
        text = f"Invalid {names[match.group(1)]}{match.group(3) or ''}:{text[match.end() :]}"
    return text


def read_data(path, option: str):
    """Read a CSV or Parquet file (by suffix); raise :class:`BadInput` naming ``option``.

    Reuses the drift command's reader,
    :func:`mlops_kit.validation.drift.sources.read_frame`.
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
    """Leave with exit status 0 (passed) or 1 (failed)."""
    raise click.exceptions.Exit(0 if passed else 1)
