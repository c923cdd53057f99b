"""No buffered value is lost when a real process is stopped after logging returns.

Each test starts a child process (``_logging_child.py``) that buffers values
(``buffer_size`` a billion, so only the kit's own caps and exit paths write
them), says ``LOGGED`` as soon as the last ``log_metric`` call returned, and
is then stopped: normal exit, SIGTERM, SIGTERM twice, SIGTERM during the exit
flush, SIGKILL. Every value is counted in the store afterwards.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import mlflow
import pytest

CHILD = Path(__file__).with_name("_logging_child.py")

pytestmark = pytest.mark.slow


def _child(mode, uri, n, interval, cwd, max_write=1.0):
    env = {**os.environ, "MLFLOW_TRACKING_URI": uri, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, str(CHILD), mode, uri, str(n), str(interval), str(max_write)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=env,
    )


def _read_tagged(proc, tag):
    for line in proc.stdout:
        if line.startswith(tag):
            parts = line.split()
            return parts[1] if len(parts) > 1 else ""
    raise AssertionError(f"child never printed {tag}: {proc.stderr.read()[-2000:]}")


def _stored(uri, run_id, key):
    client = mlflow.MlflowClient(uri)
    return [(m.step, m.value) for m in client.get_metric_history(run_id, key)]


def _status(uri, run_id):
    return mlflow.MlflowClient(uri).get_run(run_id).info.status


def _expected(n):
    return [(i, i * 0.5) for i in range(n)]


@pytest.mark.parametrize("mode, status", [("exit", "FINISHED"), ("exit-error", "FAILED")])
def test_interpreter_exit_writes_every_value_and_ends_the_run(tracking_uri, tmp_path, mode, status):
    proc = _child(mode, tracking_uri, 1234, 0, tmp_path)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == (0 if mode == "exit" else 1), err[-2000:]
    run_id = out.split("RUN ")[1].split()[0]
    assert _stored(tracking_uri, run_id, "before") == _expected(1234)
    assert _status(tracking_uri, run_id) == status


def test_sigterm_writes_every_value_marks_killed_and_terminates(tracking_uri, tmp_path):
    n = 5000
    proc = _child("sleep", tracking_uri, n, 0, tmp_path)
    run_id = _read_tagged(proc, "RUN")
    assert _read_tagged(proc, "LOGGED") == str(n)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=300)
    assert proc.returncode == -signal.SIGTERM
    assert _stored(tracking_uri, run_id, "before") == _expected(n)
    assert _status(tracking_uri, run_id) == "KILLED"


def test_second_sigterm_during_the_flush_loses_nothing(tracking_uri, tmp_path):
    # a large write budget keeps ~all values pending, so the flush takes seconds
    n = 20_000
    proc = _child("sleep", tracking_uri, n, 0, tmp_path, max_write=600)
    run_id = _read_tagged(proc, "RUN")
    assert _read_tagged(proc, "LOGGED") == str(n)
    proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)  # the first SIGTERM's flush is under way
    proc.send_signal(signal.SIGTERM)  # a no-op if it has exited
    proc.communicate(timeout=300)
    assert proc.returncode == -signal.SIGTERM
    assert _stored(tracking_uri, run_id, "before") == _expected(n)
    assert _status(tracking_uri, run_id) == "KILLED"


def test_sigterm_during_the_exit_flush_loses_nothing(tracking_uri, tmp_path):
    n = 20_000
    proc = _child("exit", tracking_uri, n, 0, tmp_path, max_write=600)
    run_id = _read_tagged(proc, "RUN")
    _read_tagged(proc, "EXITING")  # the kit's atexit flush starts now
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)  # a no-op if it has exited
    proc.communicate(timeout=300)
    assert proc.returncode in (0, -signal.SIGTERM)
    assert _stored(tracking_uri, run_id, "before") == _expected(n)
    # the exit path finished the run it had started ending; SIGTERM then stopped the process
    assert _status(tracking_uri, run_id) == "FINISHED"


def test_sigkill_loses_at_most_the_last_interval(tracking_uri, tmp_path):
    """The documented bound: a value is in the store one ``flush_interval`` plus one
    write (``max_write_seconds``) after ``log_metric`` returned, so SIGKILL loses at
    most the values of the last interval. Margin: 3 s for a loaded machine."""
    n, interval, max_write = 60_000, 0.5, 1.0
    proc = _child("kill", tracking_uri, n, interval, tmp_path, max_write=max_write)
    try:
        run_id = _read_tagged(proc, "RUN")
        assert _read_tagged(proc, "LOGGED") == str(n)
        time.sleep(interval + max_write + 3.0)  # still logging "after" values meanwhile
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    db_path = tracking_uri[len("sqlite:///") :]
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()

    assert _stored(tracking_uri, run_id, "before") == _expected(n)
    after = _stored(tracking_uri, run_id, "after")
    assert after, "values logged after LOGGED were written on the interval too"
    assert [s for s, _ in after] == list(range(len(after)))  # whole batches, in order
    client = mlflow.MlflowClient(tracking_uri)  # MLflow can still open and write the store
    new_id = client.create_run(client.get_run(run_id).info.experiment_id).info.run_id
    client.log_metric(new_id, "ok", 1.0)
    client.set_terminated(new_id)
    assert _stored(tracking_uri, new_id, "ok") == [(0, 1.0)]
