"""``mlops-kit app PAGE``: the training-room app (assessment, ROI, room results) with Voilà.

One Voilà server serves every page of the room (``assess``, ``roi``, ``room``);
PAGE only picks the URL printed first. The code is hidden (Voilà's default).
Stop it with Ctrl-C or SIGTERM. Exit status 0 when stopped, 2 on bad input
(Voilà missing, port in use), 3 when the server dies on its own.

Examples
--------
>>> from click.testing import CliRunner
>>> CliRunner().invoke(command, ["quiz"]).exit_code
2
"""

from __future__ import annotations

import click

from mlops_kit.commands._common import cli_error, serve_in_foreground
from mlops_kit.errors import MlopsKitError

__all__ = ["command"]

_LOCAL = ("127.0.0.1", "localhost", "::1")


@click.command(name="app")
@click.argument("page", type=click.Choice(["assess", "roi", "room"]))
@click.option(
    "--room",
    "room",
    default="mlops-kit-room",
    show_default=True,
    help="Room folder: submissions (room.db) and the server log.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", type=int, default=None, help="Default: a free port.")
def command(page, room, host, port):
    """Serve PAGE (assess, roi or room) of the training-room app until stopped."""
    from mlops_kit.app.serve import start

    if host not in _LOCAL:
        click.echo(
            f"Warning: serving on {host}: anyone who can reach it and has the URL (its token) "
            "can use the pages; there is no other authentication.",
            err=True,
        )
    try:
        server = start(room, host=host, port=port)
    except MlopsKitError as exc:
        raise cli_error(exc, click.get_current_context().command, "app") from None
    others = [name for name in ("assess", "roi", "room") if name != page]
    serve_in_foreground(
        server,
        "the training room",
        [
            f"Serving the training room {str(server.room)!r} (pid {server.pid}):",
            *(f"  {name}: {server.url(name)}" for name in (page, *others)),
            "Ctrl-C to stop.",
        ],
    )
