"""The prediction log under real concurrent and killed processes (no mocks)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from mlops_kit.monitoring.log import PredictionLog

CHILD = Path(__file__).with_name("_append_child.py")


def _spawn(log_path, prefix, n_single, n_batches, batch_size):
    env = dict(os.environ)
    return subprocess.Popen(
        [
            sys.executable,
            str(CHILD),
            str(log_path),
            prefix,
            str(n_single),
            str(n_batches),
            str(batch_size),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_two_processes_appending_at_once_lose_nothing(tmp_path):
    path = tmp_path / "log.db"
    PredictionLog(path).close()  # created up front; the children race on appends only
    children = [_spawn(path, p, 300, 20, 50) for p in ("a", "b")]
    for child in children:
        out, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
        assert out.strip().endswith("done")
    log = PredictionLog(path)
    assert len(log) == 2 * (300 + 20 * 50)
    ids = set(log.read(features=False)["id"])
    assert {f"a-s{i}" for i in range(300)} <= ids
    assert {f"b-b19-{j}" for j in range(50)} <= ids
    assert log.rejected().empty


def test_a_process_killed_mid_append_leaves_every_committed_row(tmp_path):
    path = tmp_path / "log.db"
    child = _spawn(path, "k", 0, 100_000, 200)
    committed = 0
    for line in child.stdout:
        committed = int(line.split()[1])
        if committed >= 2000:
            break
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL

    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    log = PredictionLog(path)
    n = len(log)
    # every reported commit is there; at most the batches committed after the last report
    assert n >= committed
    assert n % 200 == 0  # no half batch: a transaction is all or nothing
    # and the log still takes appends
    log.log_one("after-kill", {"x": 1.0}, prediction=1)
    assert len(log) == n + 1
