"""Serve the app's pages with Voilà: one server per room, code hidden, stopped by PID.

:func:`start` checks that Voilà is installed (the ``app`` extra) and that the port
is free, then runs ``python -m voila`` on the packaged notebooks folder with the
room folder in ``MLOPS_KIT_ROOM``. Every page (``assess``, ``roi``, ``room``) is
then at ``/voila/render/<page>.ipynb`` on the same server, so a trainer starts one
server and the participants and the room view share it.

Examples
--------
>>> page_url("127.0.0.1", 8866, "assess", "t0k")
'http://127.0.0.1:8866/voila/render/assess.ipynb?token=t0k'
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from mlops_kit._params import Interval, Predicate, check_param
from mlops_kit.errors import DependencyError, InputError

__all__ = ["NOTEBOOKS", "PAGES", "AppServer", "page_url", "start", "voila_installed"]

#: the packaged notebooks Voilà serves
NOTEBOOKS = Path(__file__).parent / "notebooks"
#: page name -> what it shows
PAGES = {
    "assess": "the maturity self-assessment",
    "roi": "the ROI calculator",
    "room": "the room's results",
}
_LOCAL = ("127.0.0.1", "localhost", "::1")


def voila_installed() -> bool:
    """Whether Voilà can be imported (the ``app`` extra)."""
    return importlib.util.find_spec("voila") is not None


def page_url(host: str, port: int, page: str, token: str) -> str:
    """The URL of ``page`` on a server at ``host:port``."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    return f"http://{shown}:{port}/voila/render/{page}.ipynb?token={token}"


def _check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        try:
            s.bind((host, port))
        except OSError as exc:
            raise InputError.invalid(
                "port", port, f"a free port on {host}", f"({exc.strerror}; pick another --port)"
            ) from None


def _free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class AppServer:
    """A running Voilà server (see :func:`start`)."""

    host: str
    port: int
    token: str
    room: Path
    process: subprocess.Popen
    log_path: Path
    _log: object = field(default=None, repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def url(self, page: str = "assess") -> str:
        """The URL of ``page`` ("assess", "roi" or "room")."""
        return page_url(self.host, self.port, page, self.token)

    def stop(self, timeout: float = 30) -> None:
        """Stop the server and its kernels (SIGTERM to its process group, then SIGKILL)."""
        if self.running:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=timeout)
            except ProcessLookupError:
                pass
        if self._log is not None:
            self._log.close()
            self._log = None


def start(room, host: str = "127.0.0.1", port=None, token=None, timeout: float = 120):
    """Start Voilà on the app's pages for ``room`` and wait until it answers.

    Parameters
    ----------
    room : str or Path
        The room folder (submissions go to ``<room>/room.db``; Voilà's log too).
    host : str, default "127.0.0.1"
        Interface to bind; another one serves a LAN (the token is the only protection).
    port : int, optional
        Default: a free port.
    token : str, optional
        The token in the URL (default: a random one).
    timeout : float, default 120
        Seconds to wait for the server to answer.

    Returns
    -------
    AppServer
        Its ``url(page)``, ``pid`` and ``stop()``.

    Raises
    ------
    DependencyError
        Voilà is not installed (``pip install 'mlops-kit[app]'``).
    InputError
        The port is in use or out of range.
    """
    from mlops_kit.app.room import ROOM_ENV, Room

    check_param(
        "host",
        host,
        [Predicate(lambda h: isinstance(h, str) and h.strip() != "", "an address like 127.0.0.1")],
    )
    if port is not None:
        check_param("port", port, [Interval(int, 1, 65535)])
    check_param("timeout", timeout, [Interval(float, 0, None, closed="neither")])
    if not voila_installed():
        raise DependencyError(
            "The training room app needs Voilà, which is not installed: "
            "pip install 'mlops-kit[app]'"
        )
    room_obj = Room(room)
    if port is None:
        port = _free_port(host)
    else:
        _check_port_free(host, port)
    token = token or secrets.token_urlsafe(16)
    log_path = room_obj.path / "voila.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed by AppServer.stop
    env = {**os.environ, ROOM_ENV: str(room_obj.path.resolve()), "MPLBACKEND": "Agg"}
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(NOTEBOOKS),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={host}",
        f"--token={token}",
        "--Voila.port_retries=0",
    ]
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=room_obj.path,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = AppServer(host, port, token, room_obj.path, proc, log_path, log)
    deadline = time.monotonic() + timeout
    probe = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}/?token={token}"
    while True:
        try:
            with urllib.request.urlopen(probe, timeout=5):
                return server
        except OSError:
            if not server.running or time.monotonic() > deadline:
                server.stop()
                tail = log_path.read_text(errors="replace")[-1500:]
                raise RuntimeError(f"Voilà did not start; log {log_path}: {tail}") from None
            time.sleep(0.3)
