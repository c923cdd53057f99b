"""Served predictions land in the prediction log without user code (real servers, real SQLite).

``serve(..., prediction_log=)`` runs MLflow's real scoring server; the Router
runs in front of it over real HTTP on 127.0.0.1. The recorder's own tests
drive it from several threads and through a log that refuses writes for a while.
"""

from __future__ import annotations

import http.client
import json
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pytest
from _serving_store import NAME, make_store

from mlops_kit.deploy import Router, serve
from mlops_kit.deploy.prediction_recorder import PredictionRecorder
from mlops_kit.deploy.router import REQUEST_ID_HEADER, UPSTREAM_HEADER
from mlops_kit.errors import DeploymentError, InputError
from mlops_kit.monitoring import PredictionLog


@pytest.fixture(scope="module")
def store(tmp_path_factory, _empty_store):
    return make_store(tmp_path_factory.mktemp("served-log"), _empty_store)


@pytest.fixture(scope="module")
def served(store, tmp_path_factory):
    path = tmp_path_factory.mktemp("served-log-db") / "predictions.db"
    with serve(f"models:/{NAME}@champion", tracking_uri=store.uri, prediction_log=path) as srv:
        yield srv, path


@pytest.mark.slow
def test_served_predictions_are_logged_with_features_version_and_latency(served, store):
    server, path = served
    returned = []
    for k, (lo, hi) in enumerate([(0, 20), (20, 21), (21, 50)]):
        returned.append(server.predict(store.X.iloc[lo:hi], request_id=f"req-{k}"))
    assert server.recorder.flush() == 50
    log = PredictionLog(path).read()
    assert len(log) == 50
    assert log["id"].tolist() == [
        f"req-{k}:{i}" for k, n in enumerate([20, 1, 29]) for i in range(n)
    ]
    np.testing.assert_array_equal(log["prediction"].to_numpy(), np.concatenate(returned))
    assert set(log["model"]) == {NAME} and set(log["version"]) == {"1"}
    assert (log["latency_ms"] > 0).all()
    # every row of a request carries that request's latency
    assert log.groupby(log["id"].str.split(":").str[0])["latency_ms"].nunique().max() == 1
    np.testing.assert_allclose(log[["income", "debt"]].to_numpy(), store.X.iloc[:50].to_numpy())


@pytest.mark.slow
def test_the_router_logs_what_it_answers_over_http_and_in_process(served, store, tmp_path):
    server, _ = served
    path = tmp_path / "routed.db"
    router = Router(
        {"champion": server.url}, prediction_log=path, models={"champion": server.model_uri}
    ).start()
    try:
        parts = urlsplit(router.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        body = json.dumps({"dataframe_split": store.X.head(7).to_dict(orient="split", index=False)})
        conn.request("POST", "/invocations", body, {REQUEST_ID_HEADER: "http-1"})
        answer = conn.getresponse()
        over_http = json.loads(answer.read())["predictions"]
        assert answer.status == 200 and answer.getheader(REQUEST_ID_HEADER) == "http-1"
        assert answer.getheader(UPSTREAM_HEADER) == "champion"
        conn.request(
            "POST", "/invocations", b'{"dataframe_split": {"columns": ["nope"], "data": [[1]]}}'
        )  # the model refuses it: nothing is logged
        refused = conn.getresponse()
        refused.read()
        assert refused.status >= 400
        conn.close()
        in_process = router.predict(store.X.iloc[7:10], request_id="local")
    finally:
        router.stop()  # flushes the log
    log = PredictionLog(path).read()
    assert log["id"].tolist() == [f"http-1:{i}" for i in range(7)] + [
        f"local:{i}" for i in range(3)
    ]
    assert log["prediction"].tolist() == over_http + in_process.tolist()
    assert set(log["model"]) == {NAME} and set(log["version"]) == {"1"}
    np.testing.assert_allclose(log["income"].to_numpy(), store.X["income"].iloc[:10].to_numpy())


def test_rows_recorded_from_many_threads_are_all_written(tmp_path):
    path = tmp_path / "p.db"
    recorder = PredictionRecorder(path, batch_size=64, flush_interval=0.05, model="m")

    def one(k):
        frame = pd.DataFrame({"x": [float(k)] * 5})
        return recorder.record(frame, np.arange(5), latency_ms=1.0, request_id=f"t{k}")

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(one, range(200)))
    recorder.close()
    log = PredictionLog(path).read()
    assert len(log) == 1000 == recorder.written and recorder.pending() == []
    assert set(log["id"].str.split(":").str[0]) == set(ids)
    with pytest.raises(DeploymentError, match="is closed"):
        recorder.record(pd.DataFrame({"x": [1.0]}), [0])


def test_a_log_that_refuses_writes_keeps_the_rows_and_writes_them_later(tmp_path):
    path = tmp_path / "p.db"
    PredictionLog(path).append([{"id": "first", "time": "2024-01-01", "prediction": 0}])
    with sqlite3.connect(path) as con:  # as if a newer mlops-kit had written it
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    recorder = PredictionRecorder(path, flush_interval=0.05)
    recorder.record(pd.DataFrame({"x": [1.0, 2.0]}), [1, 0], request_id="kept")
    with pytest.raises(DeploymentError, match="did not take 2 rows"):
        recorder.flush(timeout=1.0)
    assert [r["id"] for r in recorder.pending()] == ["kept:0", "kept:1"]
    assert isinstance(recorder.last_error, InputError)
    with sqlite3.connect(path) as con:
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    deadline = time.monotonic() + 30
    while recorder.pending() and time.monotonic() < deadline:
        time.sleep(0.05)
    recorder.close()
    assert PredictionLog(path).read()["id"].tolist() == ["first", "kept:0", "kept:1"]
    assert recorder.last_error is None


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(InputError, match="Invalid prediction_log: got 3"):
        serve("models:/x/1", prediction_log=3)
    with pytest.raises(InputError, match="Invalid batch_size"):
        PredictionRecorder(tmp_path / "p.db", batch_size=0)
    with pytest.raises(InputError, match="Invalid models"):
        Router({"a": "http://127.0.0.1:9"}, models={"b": "m"}).shares
    recorder = PredictionRecorder(tmp_path / "p.db")
    with pytest.raises(InputError, match="Invalid predictions: got '1 predictions'"):
        recorder.record(pd.DataFrame({"x": [1.0, 2.0]}), [1])
    recorder.close()


def test_rows_without_a_prediction_are_set_aside_and_never_block_the_batch(tmp_path, caplog):
    path = tmp_path / "p.db"
    recorder = PredictionRecorder(path, batch_size=10_000, flush_interval=60.0)
    recorder.record(
        pd.DataFrame({"x": [1.0, 2.0, 3.0]}),
        np.array([1, None, 0], dtype=object),
        request_id="none",
    )
    recorder.record(pd.DataFrame({"x": [4.0, 5.0]}), np.array([0.3, np.nan]), request_id="nan")
    recorder.record(
        pd.DataFrame({"x": [6.0, 7.0]}), pd.array([pd.NA, 1], dtype="Int64"), request_id="na"
    )
    recorder.record(pd.DataFrame({"x": [8.0]}), [1], request_id="good")
    assert recorder.flush(timeout=30) == 5  # one transaction: the bad rows did not hold it up
    assert (recorder.written, recorder.rejected, recorder.failed) == (5, 3, 0)
    assert recorder.pending() == [] and recorder.last_error is None
    log = PredictionLog(path)
    assert log.read()["id"].tolist() == ["none:0", "none:2", "nan:0", "na:1", "good:0"]
    rejected = log.rejected()
    assert [json.loads(p)["id"] for p in rejected["payload"]] == ["none:1", "nan:1", "na:0"]
    assert rejected["reason"].str.contains("a row without 'prediction'").all()
    assert [json.loads(p)["features"] for p in rejected["payload"]] == [
        {"x": 2.0},
        {"x": 5.0},
        {"x": 6.0},
    ]  # kept whole
    assert "3 served rows kept in the rejected table" in caplog.text
    recorder.record(pd.DataFrame({"x": [9.0]}), [0], request_id="after")
    recorder.close()
    assert len(PredictionLog(path)) == 6


def test_a_row_sqlite_cannot_store_goes_to_the_dead_letter_and_the_rest_is_written(
    tmp_path, caplog
):
    path = tmp_path / "p.db"
    recorder = PredictionRecorder(path, batch_size=10_000, flush_interval=60.0)
    recorder.record(pd.DataFrame({"x": [1.0]}), ["yes"], request_id="before")
    # a lone surrogate cannot be encoded as UTF-8: SQLite refuses the whole insert
    recorder.record(pd.DataFrame({"x": [2.0, 3.0]}), ["ok", "\ud800"], request_id="odd")
    recorder.record(pd.DataFrame({"x": [4.0]}), ["no"], request_id="after")
    assert recorder.flush(timeout=30) == 3
    assert (recorder.written, recorder.rejected, recorder.failed) == (3, 0, 1)
    assert recorder.pending() == [] and recorder.last_error is None
    (dead,) = recorder.dead_letter()
    assert dead["row"]["id"] == "odd:1" and dead["row"]["features"] == {"x": 3.0}
    assert "surrogate" in dead["error"]
    assert "Served row 'odd:1' could not be written" in caplog.text
    assert PredictionLog(path).read()["id"].tolist() == ["before:0", "odd:0", "after:0"]
    recorder.close()
