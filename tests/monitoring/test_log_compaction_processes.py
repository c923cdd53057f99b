"""Compaction under real processes: SIGKILL mid-compaction, and appends while compacting."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from mlops_kit.monitoring.log import PredictionLog
from mlops_kit.monitoring.windows import WindowedMetrics

CHILD = Path(__file__).with_name("_compact_child.py")


def _spawn(*args):
    return subprocess.Popen(
        [sys.executable, str(CHILD), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _fill(path, days=30, per_day=600) -> PredictionLog:
    rng = np.random.default_rng(7)
    n = days * per_day
    times = pd.Timestamp("2024-05-01", tz="UTC") + pd.to_timedelta(
        np.sort(rng.integers(0, days * 86_400_000, n)), unit="ms"
    )
    frame = pd.DataFrame(
        {
            "id": [f"p{i}" for i in range(n)],
            "time": times,
            "prediction": rng.normal(size=n).round(4),
            "latency_ms": rng.lognormal(2, 0.3, n).round(2),
            "x": rng.normal(size=n),
        }
    )
    log = PredictionLog(path, max_delay=None)
    log.append(frame)
    log.add_labels(pd.DataFrame({"id": frame["id"][::2], "label": frame["prediction"][::2] + 1}))
    return log


def _sqlite_view(log, path) -> PredictionLog:
    """A copy of the log without its Parquet folder: every day is read from SQLite."""
    src, dst = sqlite3.connect(log.path), sqlite3.connect(path)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return PredictionLog(path, max_delay=None)


def _ids(log) -> Counter:
    return Counter(i for batch in log.scan_columns(["id"]) for i in batch["id"])


def _assert_every_row_once(log, tmp_path, name) -> None:
    with sqlite3.connect(log.path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        logged = {r[0] for r in con.execute("SELECT id FROM predictions")}
    seen = _ids(log)
    assert set(seen) == logged and max(seen.values()) == 1  # none lost, none twice
    plain = _sqlite_view(log, tmp_path / f"{name}.db")
    wm = WindowedMetrics(window="day", task="regression")
    pd.testing.assert_frame_equal(wm.run(plain).to_frame(), wm.run(log).to_frame())


def test_killed_mid_compaction_every_committed_row_is_read_once(tmp_path):
    log = _fill(tmp_path / "log.db")
    child = _spawn("compact", log.path, 1)
    steps = 0
    for line in child.stdout:
        steps += line.startswith("compacted")
        if steps >= 5:
            time.sleep(0.03)  # into the next day's write
            break
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    with sqlite3.connect(log.path) as con:
        done = con.execute("SELECT count(*) FROM compacted").fetchone()[0]
    assert 5 <= done < 29  # killed part-way
    _assert_every_row_once(log, tmp_path, "after-kill")
    assert log.compact() == 29 - done  # the next run finishes the job, nothing twice
    _assert_every_row_once(log, tmp_path, "finished")


def test_two_processes_append_while_a_third_compacts(tmp_path):
    log = _fill(tmp_path / "log.db", days=20, per_day=300)
    log.close()
    compactor = _spawn("compact", log.path, 3)
    writers = [_spawn("append", log.path, prefix, 40) for prefix in ("a", "b")]
    for child in [*writers, compactor]:
        out, err = child.communicate(timeout=600)
        assert child.returncode == 0, err
        assert out.strip().endswith("done")
    log = PredictionLog(log.path, max_delay=None)
    assert len(log) == 20 * 300 + 2 * 40 * 20
    assert log.rejected().empty
    _assert_every_row_once(log, tmp_path, "concurrent")
    log.compact()  # rows that landed in compacted days made them stale: rewritten now
    _assert_every_row_once(log, tmp_path, "recompacted")
