"""``mlops-kit serve MODEL_URI``: serve a registered model over HTTP until Ctrl-C or SIGTERM.

Starts MLflow's scoring server (``mlflow models serve --env-manager local``)
for the version the URI names now, prints one line with the URL, the version
and the PID, and runs in the foreground; Ctrl-C or SIGTERM stops the server
and exits 0. Exit status 2 for bad input (unknown model or alias, port in
use, a server that dies before it is healthy) with one line, 3 if the server
stops on its own later.

Examples
--------
>>> from click.testing import CliRunner
>>> CliRunner().invoke(command, ["--help"]).exit_code
0
"""

from __future__ import annotations

import click

from mlops_kit.commands._common import cli_error, serve_in_foreground
from mlops_kit.errors import MlopsKitError

__all__ = ["command"]


@click.command(name="serve")
@click.argument("model_uri")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Default: a free port.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=180.0,
    show_default=True,
    help="Seconds to wait for the server to answer /ping.",
)
def command(model_uri, port, host, timeout):
    """Serve MODEL_URI (models:/NAME@ALIAS or models:/NAME/VERSION) until stopped."""
    from mlops_kit.deploy.serving import serve

    try:
        server = serve(model_uri, port, host=host, timeout=timeout)
    except MlopsKitError as exc:  # bad input: the first line (a log tail follows it)
        first = type(exc)(str(exc).splitlines()[0])
        raise cli_error(first, click.get_current_context().command, "serve") from None
    serve_in_foreground(
        server,
        "the model server",
        [
            f"Serving {server.model_uri} (requested {server.requested_uri}) at {server.url} "
            f"(pid {server.pid}). Ctrl-C to stop."
        ],
    )
