"""Fixtures of the team-server tests: a real PostgreSQL and a real MLflow tracking server.

One throwaway PostgreSQL cluster and one ``mlflow server`` on it serve the
whole session (started on first use, stopped by PID at the end). Each test
gets the server's store reset to what a fresh server holds (every table
emptied and refilled from a snapshot taken after start-up), so tests stay
independent without paying for a new server each.

Where PostgreSQL cannot be started (no Debian ``postgresql`` package, no
psycopg2, ...) every test here is skipped with the reason.

``tracking_uri`` is overridden here: a test in this folder that asks for it
(including the tracking, registry and scan tests re-run by
``test_on_server.py``) runs against the tracking server instead of SQLite.
"""

from __future__ import annotations

import io
import time

import pytest
from _services import Postgres, TrackingServer, Unavailable


@pytest.fixture(scope="session")
def postgres():
    """A running PostgreSQL cluster (database ``mlflow``), or skip with the reason."""
    pg = Postgres()
    try:
        pg.start()
    except Unavailable as exc:
        pg.stop()
        pytest.skip(f"PostgreSQL cannot be started here: {exc}")
    yield pg
    pg.stop()


class _Snapshot:
    """Rows of every MLflow table of a fresh server, to reset the store between tests."""

    def __init__(self, pg: Postgres):
        self.pg = pg
        con = pg.connect()
        with con.cursor() as cur:
            cur.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
            self.tables = sorted(r[0] for r in cur.fetchall())
            self.rows = {}
            for table in self.tables:
                buf = io.StringIO()
                cur.copy_expert(f'COPY "{table}" TO STDOUT', buf)
                if buf.getvalue():
                    self.rows[table] = buf.getvalue()
        con.close()

    def restore(self) -> None:
        con = self.pg.connect()
        con.autocommit = False
        with con.cursor() as cur:
            cur.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in self.tables) + " CASCADE")
            for table, data in self.rows.items():
                cur.copy_expert(f'COPY "{table}" FROM STDIN', io.StringIO(data))
        con.commit()
        con.close()


@pytest.fixture(scope="session")
def team_server(postgres, tmp_path_factory):
    """A real ``mlflow server`` on the PostgreSQL cluster, artifacts served from a temp folder.

    Yields the server (``.uri`` is ``http://127.0.0.1:<port>``); its start-up
    time is in ``.startup_seconds``.
    """
    folder = tmp_path_factory.mktemp("team-server")
    server = TrackingServer(postgres.uri(), folder / "artifacts")
    t0 = time.perf_counter()
    try:
        server.start()
    except Unavailable as exc:
        pytest.skip(str(exc))
    server.startup_seconds = time.perf_counter() - t0
    server.snapshot = _Snapshot(postgres)
    yield server
    server.stop()


@pytest.fixture
def server_uri(team_server, monkeypatch):
    """The tracking server's URI, its store reset to a fresh server's; also MLFLOW_TRACKING_URI."""
    if not team_server.healthy():  # a test that stopped it must have restarted it
        pytest.fail(f"the tracking server {team_server.uri} is down; see {team_server.log}")
    team_server.snapshot.restore()
    monkeypatch.setenv("MLFLOW_TRACKING_URI", team_server.uri)
    return team_server.uri


@pytest.fixture
def tracking_uri(server_uri, tmp_path, monkeypatch):
    """The shared ``tracking_uri`` fixture, on the tracking server instead of SQLite."""
    import mlflow

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MLOPS_KIT_HOME", str(tmp_path))
    mlflow.set_tracking_uri(server_uri)
    mlflow.set_registry_uri(server_uri)
    monkeypatch.delenv("MLFLOW_EXPERIMENT_ID", raising=False)
    monkeypatch.delenv("MLFLOW_EXPERIMENT_NAME", raising=False)
    mlflow.set_experiment(experiment_id="0")
    yield server_uri
    while mlflow.active_run() is not None:
        mlflow.end_run()
