"""Shared fixtures: a real MLflow store (SQLite in a temp folder) per test."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("MLFLOW_ENABLE_ASYNC_LOGGING", "false")


@pytest.fixture(autouse=True)
def _mlflow_uri_env(monkeypatch):
    """Undo what ``mlflow.set_tracking_uri``/``set_registry_uri`` write into os.environ.

    Both set ``MLFLOW_TRACKING_URI``/``MLFLOW_REGISTRY_URI``; left behind, a later test's
    subprocess (a kernel, a CLI) would inherit the registry of a store deleted long ago.
    """
    for key in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI"):
        if key in os.environ:
            monkeypatch.setenv(key, os.environ[key])
        else:  # recorded as absent: deleted again at teardown
            monkeypatch.setenv(key, "")
            monkeypatch.delenv(key)


@pytest.fixture(scope="session")
def _empty_store(tmp_path_factory):
    """An initialised, empty SQLite store (creating the tables takes ~2 s; copying 30 ms)."""
    from mlops_kit.tracking.store import get_client

    folder = tmp_path_factory.mktemp("template-store")
    get_client(f"sqlite:///{folder / 'mlruns.db'}")
    return folder / "mlruns.db"


@pytest.fixture
def tracking_uri(tmp_path, monkeypatch, _empty_store):
    """A fresh SQLite MLflow store in ``tmp_path``, set as MLFLOW_TRACKING_URI.

    The store is a copy of an initialised empty database whose ``Default``
    experiment is re-pointed at ``tmp_path/mlartifacts/0``, exactly as
    :func:`mlops_kit.tracking.store.get_client` would have created it. Also
    points MLflow's fluent API at it and ends any run a test left active.
    """
    import shutil
    import sqlite3

    import mlflow

    db = tmp_path / "mlruns.db"
    shutil.copyfile(_empty_store, db)
    with sqlite3.connect(db) as con:
        con.execute(
            "UPDATE experiments SET artifact_location = ? WHERE experiment_id = 0",
            ((tmp_path / "mlartifacts" / "0").as_uri(),),
        )
    uri = f"sqlite:///{db}"
    # plain MLflow puts new experiments' artifacts in ./mlruns: keep them in the temp folder
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.setenv("MLOPS_KIT_HOME", str(tmp_path))
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    # an experiment made active by an earlier test belongs to another store
    monkeypatch.delenv("MLFLOW_EXPERIMENT_ID", raising=False)
    monkeypatch.delenv("MLFLOW_EXPERIMENT_NAME", raising=False)
    mlflow.set_experiment(experiment_id="0")
    yield uri
    while mlflow.active_run() is not None:
        mlflow.end_run()


@pytest.fixture(autouse=True)
def _close_figures():
    """Close Matplotlib figures a test opened, if matplotlib was imported."""
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
