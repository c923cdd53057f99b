"""Bad input to the prediction log: a clear error or a recorded, visible failure."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from mlops_kit.errors import InputError
from mlops_kit.monitoring.log import SCHEMA_VERSION, PredictionLog


def _rows(ids, time="2024-03-01T12:00"):
    return [{"id": i, "time": time, "features": {"x": 1.0}, "prediction": 1} for i in ids]


@pytest.fixture
def log(tmp_path):
    return PredictionLog(tmp_path / "log.db")


def test_frame_with_feature_columns_round_trips(log):
    frame = pd.DataFrame(
        {
            "id": ["a", "b"],
            "time": pd.to_datetime(["2024-03-01 10:00", "2024-03-01 11:00"]),
            "age": [30, 40],
            "region": ["n", "s"],
            "prediction": [0, 1],
            "probability": [0.2, 0.9],
            "latency_ms": [3.0, 5.0],
        }
    )
    assert log.append(frame) == 2
    back = log.read()
    assert back["id"].tolist() == ["a", "b"]
    assert back["age"].tolist() == [30, 40] and back["region"].tolist() == ["n", "s"]
    assert back["probability"].tolist() == [0.2, 0.9]
    assert str(back["time"].dt.tz) == "UTC"
    assert back["label"].isna().all()


def test_duplicate_id_raises_and_writes_nothing(log):
    log.append(_rows(["a", "b"]))
    with pytest.raises(InputError, match=r"duplicate id 'b'.*nothing was written"):
        log.append(_rows(["c", "b"]))
    assert len(log) == 2  # 'c' was not written either
    with pytest.raises(InputError, match=r"duplicate id 'x' within the batch"):
        log.append(_rows(["x", "x"]))
    assert len(log) == 2


def test_duplicates_recorded_keep_the_good_rows_and_the_bad_payload(log):
    log.append(_rows(["a"]))
    assert log.append(_rows(["a", "b"]), on_error="record") == 1
    assert len(log) == 2
    rejected = log.rejected()
    assert rejected["kind"].tolist() == ["prediction"]
    assert "'a'" in rejected["reason"][0] and '"id": "a"' in rejected["payload"][0]


def test_future_and_late_times_are_rejected(log):
    with pytest.raises(InputError, match="in the future"):
        log.append(_rows(["f"], time=pd.Timestamp.now(tz="UTC") + pd.Timedelta("1D")))
    log.append(_rows(["a"], time="2024-03-10"))
    with pytest.raises(InputError, match="late time"):
        log.append(_rows(["old"], time="2024-03-01"))
    # within max_delay: out of order is fine (several servers), stored by time
    log.append(_rows(["b"], time="2024-03-09T12:00"))
    assert log.read(features=False)["id"].tolist() == ["b", "a"]
    assert log.append(_rows(["old"], time="2024-03-01"), on_error="record") == 0
    assert "late time" in log.rejected()["reason"][0]
    assert len(log) == 2


def test_labels_join_by_id_and_unknown_ids_are_never_silent(log):
    log.append(_rows(["a", "b", "c"]))
    assert log.add_labels(pd.DataFrame({"id": ["a", "b"], "label": [1, 0]})) == 2
    assert log.read()["label"].tolist()[:2] == [1, 0]
    with pytest.raises(InputError, match=r"unknown prediction id.*'zzz'"):
        log.add_labels({"c": 1, "zzz": 0})
    assert pd.isna(log.read()["label"].iloc[2])  # nothing written
    with pytest.raises(InputError, match="already labelled"):
        log.add_labels({"a": 0})
    assert log.add_labels({"c": 1, "zzz": 0}, on_error="record") == 1
    rejected = log.rejected()
    assert rejected["kind"].tolist() == ["label"]
    assert rejected["reason"].tolist() == ["unknown prediction id"]


def test_a_log_from_a_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "log.db"
    PredictionLog(path).append(_rows(["a"]))
    with sqlite3.connect(path) as con:
        con.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
        )
    before = path.read_bytes()
    with pytest.raises(InputError, match=r"schema version 2.*upgrade mlops-kit"):
        PredictionLog(path).append(_rows(["b"]))
    with pytest.raises(InputError, match="newer mlops-kit"):
        len(PredictionLog(path))
    assert path.read_bytes() == before


def test_not_a_log_and_bad_fields_give_one_line_errors(tmp_path, log):
    junk = tmp_path / "junk.db"
    junk.write_text("not sqlite at all " * 100)
    with pytest.raises(InputError, match="Invalid path"):
        len(PredictionLog(junk))
    with pytest.raises(InputError, match=r"Invalid probability: got 1\.5"):
        log.append([{"id": "a", "prediction": 1, "probability": 1.5}])
    with pytest.raises(InputError, match="Invalid on_error"):
        log.append(_rows(["a"]), on_error="ignore")
    with pytest.raises(InputError, match="Invalid time"):
        log.append([{"id": "a", "prediction": 1, "time": "yesterday-ish"}])
    assert len(log) == 0
