"""Stores that fail fast: a missing store is never created by a lookup; a closed port
fails within seconds with a one-line StoreUnreachableError, not MLflow's minutes of retries."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap

import pytest

from mlops_kit.errors import StoreUnreachableError
from mlops_kit.tracking.store import HTTP_DEFAULTS, apply_http_defaults, get_client, store_exists


@pytest.fixture
def closed_port():
    """A real 127.0.0.1 port nobody listens on (bound, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def no_http_settings(monkeypatch):
    for name in HTTP_DEFAULTS:  # set then delete: monkeypatch restores the original state
        monkeypatch.setenv(name, "x")
        monkeypatch.delenv(name)


def _lookups():
    from mlops_kit.tracking import compare_runs, current, history, list_models, versions

    return {
        "current": lambda uri: current("churn", tracking_uri=uri),
        "versions": lambda uri: versions("churn", tracking_uri=uri),
        "list_models": lambda uri: list_models(tracking_uri=uri),
        "history": lambda uri: history("churn", tracking_uri=uri),
        "compare_runs": lambda uri: compare_runs(["abc"], tracking_uri=uri),
        "get_client": lambda uri: get_client(uri, create=False),
    }


@pytest.mark.parametrize("name", sorted(_lookups()))
def test_lookup_in_a_mistyped_sqlite_store_says_it_does_not_exist(tmp_path, name):
    typo = tmp_path / "mlrun.db"
    with pytest.raises(StoreUnreachableError, match="does not exist"):
        _lookups()[name](f"sqlite:///{typo}")
    assert not typo.exists(), "a lookup must never create a store"
    assert store_exists(f"sqlite:///{typo}") is False


def test_lookup_in_an_existing_store_still_works(tracking_uri):
    from mlops_kit.tracking import list_models

    assert len(list_models(tracking_uri=tracking_uri)) == 0


def test_maturity_scan_of_a_named_missing_store_raises_default_one_is_empty(tmp_path, monkeypatch):
    from mlops_kit.maturity.scan_store import store_facts

    typo = tmp_path / "mlrun.db"
    with pytest.raises(StoreUnreachableError, match="does not exist"):
        store_facts(f"sqlite:///{typo}")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{typo}")
    with pytest.raises(StoreUnreachableError, match="does not exist"):
        store_facts()
    assert not typo.exists()
    # nothing named: the default store of a fresh folder simply has nothing yet
    monkeypatch.delenv("MLFLOW_TRACKING_URI")
    monkeypatch.setenv("MLOPS_KIT_HOME", str(tmp_path))
    facts = store_facts()
    assert facts["exists"] is False and facts["n_runs"] == 0
    assert not (tmp_path / "mlruns.db").exists()


def test_http_defaults_never_override_the_users_values(monkeypatch, no_http_settings):
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    settings = apply_http_defaults()
    assert settings["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] == "0"
    assert os.environ["MLFLOW_HTTP_REQUEST_TIMEOUT"] == HTTP_DEFAULTS["MLFLOW_HTTP_REQUEST_TIMEOUT"]


@pytest.mark.slow
def test_closed_port_fails_within_seconds_with_one_clear_line(closed_port, tmp_path):
    """In a fresh process with none of MLflow's HTTP settings: MLflow alone retries for
    about four minutes, so the child's 120 s limit fails the test on that behaviour."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_HTTP_REQUEST")}
    code = textwrap.dedent(
        f"""
        from mlops_kit.errors import StoreUnreachableError
        from mlops_kit.tracking import current
        try:
            current("churn", tracking_uri="http://127.0.0.1:{closed_port}")
        except StoreUnreachableError as exc:
            print("ERROR", exc)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ERROR Cannot reach"), proc.stdout
    assert f"127.0.0.1:{closed_port}" in lines[0]
    assert "MLFLOW_HTTP_REQUEST_MAX_RETRIES=2" in lines[0]


@pytest.mark.slow
def test_cli_exits_2_with_one_line_on_closed_port_and_missing_store(closed_port, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_HTTP_REQUEST")}
    for uri, expected in [
        (f"http://127.0.0.1:{closed_port}", "Cannot reach"),
        (f"sqlite:///{tmp_path / 'mlrun.db'}", "does not exist"),
    ]:
        proc = subprocess.run(
            [sys.executable, "-m", "mlops_kit", "assess", "--tracking-uri", uri, "--yes"],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=tmp_path,
        )
        assert proc.returncode == 2, proc.stderr[-2000:]
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], proc.stderr
    assert not (tmp_path / "mlrun.db").exists()
