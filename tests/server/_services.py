"""A throwaway PostgreSQL cluster and a real ``mlflow server`` on it, started and stopped by PID.

Used by ``tests/server/conftest.py``. PostgreSQL refuses to run as root (CI
runs as root), so there the cluster is initialised and run as the
unprivileged user ``nobody`` through ``setpriv`` (which execs, so the PID we
hold is the postmaster's own). Everything listens on 127.0.0.1 only; the
unix socket lives in the cluster's temp folder.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


class Unavailable(RuntimeError):
    """PostgreSQL or the tracking server cannot be started here (the reason is the message)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for path in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True):
        return path
    raise Unavailable(
        f"PostgreSQL's {name!r} not found (install Debian's 'postgresql' package; .ci/run does)"
    )


def _as_user(cmd: list[str]) -> list[str]:
    """Run ``cmd`` as ``nobody`` when we are root (postgres refuses root)."""
    if os.geteuid() != 0:
        return cmd
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        raise Unavailable("running as root and 'setpriv' is missing: cannot drop to 'nobody'")
    user = pwd.getpwnam("nobody")
    return [
        setpriv,
        f"--reuid={user.pw_uid}",
        f"--regid={user.pw_gid}",
        "--clear-groups",
        *cmd,
    ]


def _stop(proc: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 30.0) -> None:
    """Signal the process group of ``proc`` (started with start_new_session) and wait."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    _wait_group_gone(proc.pid)


def _wait_group_gone(pgid: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):  # a straggler that ignored SIGTERM
        os.killpg(pgid, signal.SIGKILL)


class Postgres:
    """A PostgreSQL cluster in a temp folder on 127.0.0.1:<free port>."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="mlops-kit-pg-"))
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = self.folder / "postgres.log"

    def start(self, timeout: float = 60.0) -> Postgres:
        initdb, postgres = _pg_bin("initdb"), _pg_bin("postgres")
        try:
            import psycopg2  # noqa: F401
        except ImportError as exc:
            raise Unavailable(f"psycopg2 is not installed ({exc}); pip install '.[dev]'") from None
        if os.geteuid() == 0:
            user = pwd.getpwnam("nobody")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        data = self.folder / "data"
        args = ["-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]
        init = subprocess.run(
            _as_user([initdb, *args, "--no-instructions"]),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if init.returncode != 0:
            raise Unavailable(f"initdb failed: {(init.stderr or init.stdout).strip()[-300:]}")
        settings = ["-k", str(self.folder), "-c", "listen_addresses=127.0.0.1"]
        for option in ("fsync=off", "synchronous_commit=off", "full_page_writes=off"):
            settings += ["-c", option]  # a throwaway cluster: speed over durability
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                _as_user([postgres, "-D", str(data), "-p", str(self.port), *settings]),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.execute("SELECT 1", dbname="postgres")
                break
            except Exception as exc:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    tail = self.log.read_text(errors="replace")[-300:]
                    raise Unavailable(f"PostgreSQL did not start ({exc}): {tail}") from None
                time.sleep(0.2)
        self.execute("CREATE DATABASE mlflow", dbname="postgres")
        return self

    def connect(self, dbname: str = "mlflow"):
        import psycopg2

        con = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, connect_timeout=5
        )
        con.autocommit = True
        return con

    def execute(self, sql: str, dbname: str = "mlflow"):
        con = self.connect(dbname)
        try:
            with con.cursor() as cur:
                cur.execute(sql)
                return cur.fetchall() if cur.description else None
        finally:
            con.close()

    def uri(self, dbname: str = "mlflow") -> str:
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{dbname}"

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc, signal.SIGINT)  # "fast" shutdown
        shutil.rmtree(self.folder, ignore_errors=True)


def _mlflow_cli() -> list[str]:
    return [sys.executable, "-c", "from mlflow.cli import cli; cli()"]


class TrackingServer:
    """``mlflow server`` on a database, artifacts served from a temp folder, on 127.0.0.1."""

    def __init__(self, backend_uri: str, artifacts: Path, port: int | None = None):
        self.backend_uri = backend_uri
        self.artifacts = artifacts
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.log = artifacts.parent / f"mlflow-server-{self.port}.log"

    @property
    def uri(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 180.0) -> TrackingServer:
        env = dict(os.environ)
        # no job-execution runner (seven huey consumers): the kit does not use MLflow jobs
        env["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false"
        env.pop("MLFLOW_TRACKING_URI", None)
        cmd = [*_mlflow_cli(), "server", "--backend-store-uri", self.backend_uri,
               "--artifacts-destination", str(self.artifacts), "--serve-artifacts",
               "--host", "127.0.0.1", "--port", str(self.port), "--workers", "2"]  # fmt: skip
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while not self.healthy():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = self.log.read_text(errors="replace")[-500:]
                raise Unavailable(f"mlflow server did not start on {self.uri}: {tail}")
            time.sleep(0.3)
        return self

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.uri + "/health", timeout=2) as resp:
                return resp.status == 200
        except OSError:
            return False

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.proc is not None:
            _stop(self.proc, sig)
