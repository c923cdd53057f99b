"""A tracking server that stops or restarts mid-run; a PostgreSQL that refuses connections."""

from __future__ import annotations

import time

import pytest

from mlops_kit.errors import StoreUnreachableError, TrackingError
from mlops_kit.tracking import fluent
from mlops_kit.tracking.store import get_client


def _wait_for(predicate, timeout=120.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.filterwarnings("ignore:Could not write metrics:RuntimeWarning")
def test_metrics_logged_while_the_server_restarts_are_retried_once_each(
    server_uri, team_server, monkeypatch
):
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")  # fail fast while it is down
    run = fluent.start_run("restart", tracking_uri=server_uri, flush_interval=0.2)
    try:
        for step in range(100):
            run.log_metric("loss", step / 100)
        _wait_for(lambda: run.buffer.written == 100)  # the background thread wrote them

        team_server.stop()  # the server process is gone mid-run
        for step in range(100, 200):
            run.log_metric("loss", step / 100)
        with pytest.raises(TrackingError, match="kept in the buffer"):
            run.buffer.flush()
        assert len(run.buffer) == 100 and run.buffer.written == 100  # nothing dropped

        team_server.start()  # same port, same PostgreSQL: the background thread retries
        _wait_for(lambda: run.buffer.written == 200)
    finally:
        run.end()
    client = get_client(server_uri)
    history = client.get_metric_history(run.run_id, "loss")
    assert sorted(m.step for m in history) == list(range(200))  # none lost, none twice
    assert {m.step: m.value for m in history} == {s: s / 100 for s in range(200)}
    assert client.get_run(run.run_id).info.status == "FINISHED"


def test_a_batch_written_twice_is_stored_once(server_uri):
    # A write whose answer was lost (server died after committing) is retried by the buffer
    # with the very same values and timestamps; the store keeps one copy.
    from mlflow.entities import Metric

    client = get_client(server_uri)
    run_id = client.create_run("0").info.run_id
    batch = [Metric("acc", i / 10, 1_700_000_000_000 + i, i) for i in range(10)]
    client.log_batch(run_id, metrics=batch, synchronous=True)
    client.log_batch(run_id, metrics=batch, synchronous=True)
    assert len(client.get_metric_history(run_id, "acc")) == 10


def test_refused_postgresql_is_one_clear_error_naming_the_uri(postgres):
    from _services import free_port

    uri = f"postgresql+psycopg2://mlflow:s3cret@127.0.0.1:{free_port()}/mlflow"
    with pytest.raises(StoreUnreachableError) as err:
        get_client(uri)
    text = str(err.value)
    assert "\n" not in text and "Connection refused" in text
    assert f"postgresql+psycopg2://mlflow:***@127.0.0.1:{uri.split(':')[3]}" in text
    assert "s3cret" not in text
    # the running cluster, with a database that does not exist: named too
    missing = postgres.uri("nosuchdb")
    with pytest.raises(StoreUnreachableError, match="nosuchdb"):
        get_client(missing)
