"""The kit's HTTP settings for a tracking server are values MLflow can read (no server needed)."""

from __future__ import annotations

import pytest

from mlops_kit.tracking.store import HTTP_DEFAULTS, apply_http_defaults


@pytest.mark.parametrize("name", sorted(HTTP_DEFAULTS))
def test_each_http_default_parses_with_mlflows_own_type(name, monkeypatch):
    # MLflow reads MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR as an int: "0.5" broke every
    # request to a tracking server (ValueError) while SQLite stores never noticed.
    import mlflow.environment_variables as env

    monkeypatch.delenv(name, raising=False)
    apply_http_defaults()
    value = getattr(env, name).get()
    assert str(value) == HTTP_DEFAULTS[name]
