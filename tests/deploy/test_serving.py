"""Real serving: MLflow's scoring server started, queried over HTTP and stopped by PID.

Each server start costs seconds, so one module-scoped server answers most tests.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pandas as pd
import pytest
from _serving_store import NAME, group_pids, make_store

from mlops_kit.deploy import ModelServer, serve
from mlops_kit.errors import AliasNotFoundError, DeploymentError, InputError, ModelNotFoundError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(tmp_path_factory, _empty_store):
    return make_store(tmp_path_factory.mktemp("serving"), _empty_store)


@pytest.fixture(scope="module")
def server(store):
    with serve(f"models:/{NAME}@champion", tracking_uri=store.uri) as srv:
        yield srv


def test_predictions_over_http_equal_in_process_predict(server, store):
    assert isinstance(server, ModelServer)
    assert server.url.startswith("http://127.0.0.1:")
    got = server.predict(store.X)
    np.testing.assert_array_equal(got, store.models[1].predict(store.X))
    # the two versions disagree on every row, so this could not pass by accident
    assert (got != store.models[2].predict(store.X)).all()


def test_the_alias_is_resolved_and_recorded_when_starting(server, store):
    from mlops_kit.tracking import promote

    assert (server.version, server.model_uri) == (1, f"models:/{NAME}/1")
    assert server.requested_uri == f"models:/{NAME}@champion"
    promote(NAME, 2, "champion", reason="test", tracking_uri=store.uri)
    try:  # moving the alias later does not change what this server serves
        np.testing.assert_array_equal(
            server.predict(store.X.head(20)), store.models[1].predict(store.X.head(20))
        )
    finally:
        promote(NAME, 1, "champion", reason="test", tracking_uri=store.uri)


def test_a_port_in_use_is_refused_before_starting(server, store):
    port = int(server.url.rsplit(":", 1)[1])
    with pytest.raises(InputError, match=rf"Invalid port: got {port}.*already in use"):
        serve(f"models:/{NAME}/2", port=port, tracking_uri=store.uri)


@pytest.mark.parametrize(
    ("uri", "error", "message"),
    [
        ("models:/no-such-model@champion", ModelNotFoundError, "'no-such-model' not found"),
        (f"models:/{NAME}@staging", AliasNotFoundError, "Aliases that exist: 'champion'"),
        (f"models:/{NAME}/9", ModelNotFoundError, "Existing versions: 1, 2"),
        ("runs:/abc/model", InputError, "Invalid model_uri"),
        (f"models:/{NAME}", InputError, "Invalid model_uri"),
    ],
)
def test_a_model_or_alias_that_does_not_exist_is_refused(store, uri, error, message):
    with pytest.raises(error, match=message):
        serve(uri, tracking_uri=store.uri)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"port": 0}, "Invalid port: got 0"),
        ({"port": "8080"}, "Invalid port"),
        ({"timeout": -1.0}, "Invalid timeout"),
        ({"host": ""}, "Invalid host"),
    ],
)
def test_bad_parameters_are_refused(store, kwargs, message):
    with pytest.raises(InputError, match=message):
        serve(f"models:/{NAME}/1", tracking_uri=store.uri, **kwargs)


def test_input_the_model_rejects_is_a_clear_error(server):
    with pytest.raises(InputError, match="HTTP 400"):
        server.predict(pd.DataFrame({"wrong": [1.0]}))
    with pytest.raises(InputError, match="Invalid frame"):
        server.predict([[1.0, 2.0]])


def test_a_server_that_dies_before_healthy_reports_its_log(store):
    import shutil

    from mlops_kit.tracking import register
    from mlops_kit.tracking.store import get_client

    info = register(store.models[1], NAME, tracking_uri=store.uri)
    client = get_client(store.uri)
    model_id = info.source.rsplit("/", 1)[1]
    location = client.get_logged_model(model_id).artifact_location
    shutil.rmtree(location.removeprefix("file://"))  # the registry entry stays, the files go
    with pytest.raises(DeploymentError) as err:
        serve(info.model_uri, tracking_uri=store.uri, timeout=170.0)
    text = str(err.value)
    assert f"models:/{NAME}/{info.version} exited with status" in text
    assert "Last lines of its log" in text
    assert len(text.splitlines()) > 2  # the log tail is included


def test_stop_ends_the_whole_process_group(store):
    srv = serve(f"models:/{NAME}/2", tracking_uri=store.uri)
    assert len(group_pids(srv.pid)) >= 2  # mlflow and its uvicorn child
    np.testing.assert_array_equal(srv.predict(store.X), store.models[2].predict(store.X))
    srv.stop()
    srv.stop()  # idempotent
    assert group_pids(srv.pid) == []
    assert not srv.running and not srv.ping()
    with pytest.raises(DeploymentError, match="stopped"):
        srv.predict(store.X)


def test_servers_are_stopped_at_interpreter_exit(store):
    code = textwrap.dedent(
        f"""
        from mlops_kit.deploy import serve
        srv = serve("models:/{NAME}/1", tracking_uri={store.uri!r})
        print(srv.pid, flush=True)
        """
    )  # exits without calling stop()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    pid = int(out.stdout.split()[-1])
    try:
        assert group_pids(pid) == []
    finally:  # never leave an orphan behind, even when the test fails
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


def test_cli_serves_in_the_foreground_until_sigterm(store):
    env = dict(os.environ, MLFLOW_TRACKING_URI=store.uri)
    proc = subprocess.Popen(
        [sys.executable, "-m", "mlops_kit", "serve", f"models:/{NAME}@champion"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = proc.stdout.readline()
        assert f"Serving models:/{NAME}/1 (requested models:/{NAME}@champion) at http" in line
        pid = int(line.split("(pid ")[1].split(")")[0])
        assert len(group_pids(pid)) >= 2
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
        deadline = time.monotonic() + 10
        while group_pids(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert group_pids(pid) == []
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([f"models:/{NAME}@nope"], "Alias 'nope' is not set"),
        (["models:/missing/1"], "'missing' not found"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(store, args, message):
    env = dict(os.environ, MLFLOW_TRACKING_URI=store.uri)
    out = subprocess.run(
        [sys.executable, "-m", "mlops_kit", "serve", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
