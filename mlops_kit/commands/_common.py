"""What every sub-command shares: the bad-input error (exit status 2).

Examples
--------
>>> one_line("Cannot parse\\n  line 2")
'Cannot parse line 2'
>>> BadInput("Invalid --rows: got 0").exit_code
2
"""

from __future__ import annotations

import click

__all__ = ["BadInput", "one_line"]


def one_line(message) -> str:
    """Collapse a (possibly multi-line) message into one line."""
    return " ".join(str(message).split())


class BadInput(click.ClickException):
    """Bad input: a one-line message on stderr and exit status 2 (also under ``cli.main``)."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(one_line(message))
