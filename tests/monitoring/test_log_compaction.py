"""Closed days compacted to Parquet: the same windowed metrics as the SQLite path, on real files.

Every comparison runs the same analysis on two copies of one real log: one never
compacted (the streamed SQLite path) and one compacted (Parquet days + SQLite tail).
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest

from mlops_kit.errors import InputError
from mlops_kit.monitoring.log import PredictionLog
from mlops_kit.monitoring.partitions import partitions_dir
from mlops_kit.monitoring.windows import WindowedMetrics


def _copy(log: PredictionLog, path) -> PredictionLog:
    """A consistent copy of a live WAL-mode log (SQLite's backup API)."""
    src, dst = sqlite3.connect(log.path), sqlite3.connect(path)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return PredictionLog(path)


def _same(a, b) -> None:
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    pd.testing.assert_frame_equal(a.feature_drift, b.feature_drift)


def _regression_log(path) -> PredictionLog:
    """Ten days of regression predictions, days 4-5 empty, labels for the first six days."""
    rng = np.random.default_rng(3)
    days = [d for d in range(10) if d not in (3, 4)]
    frames = []
    for d in days:
        n = 40 + 5 * d
        times = (
            pd.Timestamp("2024-03-01", tz="UTC")
            + pd.Timedelta(days=d)
            + pd.to_timedelta(np.sort(rng.integers(0, 86_400_000, n)), unit="ms")
        )
        frames.append(
            pd.DataFrame(
                {
                    "id": [f"d{d}-{i}" for i in range(n)],
                    "time": times,
                    "prediction": rng.normal(10, 2, n).round(3),
                    "latency_ms": rng.lognormal(2, 0.3, n).round(2),
                    "x": rng.normal(size=n),
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    log = PredictionLog(path)
    log.append(frame)
    early = frame[frame["time"] < pd.Timestamp("2024-03-07", tz="UTC")]
    log.add_labels(pd.DataFrame({"id": early["id"], "label": early["prediction"] + 0.5}))
    return log


def test_regression_compacted_equals_sqlite_with_late_labels_and_empty_days(tmp_path):
    plain = _regression_log(tmp_path / "plain.db")
    packed = _copy(plain, tmp_path / "packed.db")
    # newest prediction on day 10, max_delay 1D: days 1-8 are closed (4 and 5 empty)
    assert packed.compact() == 8
    assert packed.compact() == 0  # idempotent
    assert len(list(partitions_dir(packed).glob("*.parquet"))) == 6
    for window in ("hour", "day", "week", 37):
        wm = WindowedMetrics(window=window, task="regression")
        _same(wm.run(plain), wm.run(packed))
        # bounds inside compacted days and inside the open tail
        for start, end in (("2024-03-02T05:30", "2024-03-07T13:15"), ("2024-03-08T23:00", None)):
            _same(wm.run(plain, start=start, end=end), wm.run(packed, start=start, end=end))
    rows = [r for b in plain.scan(("ts", "id", "label")) for r in b]
    cols = list(packed.scan_columns(["ts", "id", "label"], batch_size=50))
    assert [int(t) for b in cols for t in b["ts"]] == [r[0] for r in rows]
    assert [i for b in cols for i in b["id"]] == [r[1] for r in rows]
    assert max(len(b["ts"]) for b in cols) <= 50  # memory bounded by the batch
    daily = WindowedMetrics(window="day", task="regression").run(packed).to_frame()
    assert daily["volume"].tolist()[3:5] == [0, 0]  # the empty days stay visible
    assert np.isnan(daily["mae"].iloc[8]) and daily["mae"].iloc[0] == pytest.approx(0.5)

    # labels arrive late for compacted days: those days are stale until compacted again
    late = plain.read(start="2024-03-07", end="2024-03-09", features=False)
    labels = pd.DataFrame({"id": late["id"], "label": late["prediction"] - 1.0})
    plain.add_labels(labels)
    packed.add_labels(labels)
    wm = WindowedMetrics(window="day", task="regression")
    _same(wm.run(plain), wm.run(packed))
    assert packed.compact() == 2  # the two days whose labels arrived
    _same(wm.run(plain), wm.run(packed))
    assert wm.run(packed).to_frame()["mae"].iloc[6] == pytest.approx(1.0)


def test_classification_compacted_equals_sqlite_with_drift_and_estimates(covariate_log, tmp_path):
    log, sim = covariate_log
    plain = _copy(log, tmp_path / "plain.db")
    packed = _copy(log, tmp_path / "packed.db")
    assert packed.compact() > 150
    watched = ["loan_amount", "debt_to_income", "credit_score", "income"]
    wm = WindowedMetrics(window="week").fit(
        sim.reference[watched], sim.reference_predictions, sim.reference_labels
    )
    _same(wm.run(plain), wm.run(packed))
    _same(wm.run(plain, start="2024-02-10"), wm.run(packed, start="2024-02-10"))
    # the 30 days whose labels were pending get them now (late labels on compacted days)
    pending = plain.read(features=False)
    pending = pending[pending["label"].isna()]
    late = pd.DataFrame({"id": pending["id"], "label": (pending["probability"] > 0.5).astype(int)})
    for target in (plain, packed):
        target.add_labels(late)
    daily = WindowedMetrics(window="day")
    _same(daily.run(plain), daily.run(packed))
    assert packed.compact() > 0
    _same(daily.run(plain), daily.run(packed))
    assert daily.run(packed).to_frame()["label_coverage"].iloc[-1] == 1.0


def test_text_and_mixed_values_survive_compaction(tmp_path):
    plain = PredictionLog(tmp_path / "plain.db")
    rows = [
        {"id": str(i), "time": f"2024-01-0{1 + i // 4}", "prediction": p, "latency_ms": 1.0}
        for i, p in enumerate(["yes", "no", "yes", "no", 1, 2.5, "a", 3])
    ]
    plain.append(rows)
    plain.add_labels({"0": "yes", "1": "yes", "4": 1, "6": "b"})
    plain.append([{"id": "last", "time": "2024-01-05", "prediction": "no"}])
    packed = _copy(plain, tmp_path / "packed.db")
    assert packed.compact() == 3
    got = [v for b in packed.scan_columns(["prediction", "label"]) for v in b["prediction"]]
    assert got == ["yes", "no", "yes", "no", 1, 2.5, "a", 3, "no"]  # types kept exactly
    labels = [v for b in packed.scan_columns(["label"]) for v in b["label"]]
    assert labels[:2] == ["yes", "yes"] and labels[4:7] == [1, None, "b"] and labels[2] is None
    wm = WindowedMetrics(window="day", task="classification", metrics=["accuracy"])
    _same(wm.run(plain), wm.run(packed))


def test_a_crash_leftover_is_never_read_and_compaction_finishes_the_job(tmp_path):
    plain = _regression_log(tmp_path / "plain.db")
    packed = _copy(plain, tmp_path / "packed.db")
    folder = partitions_dir(packed)
    folder.mkdir()
    # a process killed mid-write leaves a temporary file; one killed after the rename
    # but before its transaction committed leaves an unregistered file: both are ignored
    (folder / ".day=2024-03-01.parquet.123.tmp").write_bytes(b"half a file")
    (folder / "day=2024-03-02.parquet").write_bytes(b"not registered")
    wm = WindowedMetrics(window="day", task="regression")
    _same(wm.run(plain), wm.run(packed))
    assert packed.compact() == 8
    assert not list(folder.glob(".*.tmp"))
    _same(wm.run(plain), wm.run(packed))
    # a registered file that went missing: its day is read from SQLite, then rewritten
    (folder / "day=2024-03-02.parquet").unlink()
    _same(wm.run(plain), wm.run(packed))
    assert packed.compact() == 1
    _same(wm.run(plain), wm.run(packed))


def test_compact_before_and_bad_input(tmp_path):
    log = _regression_log(tmp_path / "log.db")
    assert log.compact(before="2024-03-03T12:00") == 2  # rounded down to whole days
    assert log.compact(before="2030-01-01") == 6  # never past the closed days
    with pytest.raises(InputError, match="Invalid before"):
        log.compact(before=3.5)
    with pytest.raises(InputError, match="Invalid batch_size"):
        log.scan_columns(batch_size=0)
    assert PredictionLog(tmp_path / "empty.db").compact() == 0
