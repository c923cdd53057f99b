"""WindowedMetrics on a Spark DataFrame against the same predictions in a PredictionLog."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlops_kit.errors import InputError
from mlops_kit.monitoring import WindowedMetrics
from mlops_kit.monitoring.log import PredictionLog

COLUMNS = ["volume", "n_labelled", "label_coverage", "latency_p50", "latency_p95"]


@pytest.fixture(scope="module")
def predictions():
    rng = np.random.default_rng(7)
    n = 600
    # four days of predictions with an empty day (2024-01-03) in between
    day = rng.choice([0, 1, 3, 4], n)
    time = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(
        day * 86_400 + rng.integers(0, 86_400, n), unit="s"
    )
    frame = pd.DataFrame(
        {
            "id": [str(i) for i in range(n)],
            "time": time,
            "prediction": rng.integers(0, 2, n),
            "latency_ms": rng.gamma(2.0, 3.0, n),
        }
    )
    truth = np.where(rng.random(n) < 0.8, frame["prediction"], 1 - frame["prediction"])
    labelled = (rng.random(n) < 0.7) & (day != 4)  # the last day has no labels yet
    frame["label"] = np.where(labelled, truth, np.nan)
    return frame


def _log(tmp_path, frame):
    log = PredictionLog(tmp_path / "p.db")
    log.append(
        [
            {
                "id": r.id,
                "time": r.time.isoformat(),
                "prediction": int(r.prediction),
                "latency_ms": float(r.latency_ms),
            }
            for r in frame.itertuples()
        ]
    )
    known = frame.dropna(subset=["label"])
    log.add_labels(dict(zip(known["id"], known["label"].astype(int))))
    return log


@pytest.mark.parametrize(
    ("task", "metrics"), [("classification", ["accuracy"]), ("regression", ["mae", "rmse"])]
)
def test_spark_windows_equal_the_log_path(spark, predictions, tmp_path, task, metrics):
    wm = WindowedMetrics(window="day", task=task, metrics=metrics, latency_quantiles=(0.5, 0.95))
    want = wm.run(_log(tmp_path, predictions)).windows
    sdf = spark.createDataFrame(predictions.drop(columns=["id"]))
    got = wm.run(sdf).windows
    assert len(got) == len(want) == 5  # the empty day is a row on both paths
    assert got["window_start"].tolist() == want["window_start"].tolist()
    assert got["window_end"].tolist() == want["window_end"].tolist()
    cols = COLUMNS + metrics
    pd.testing.assert_frame_equal(
        got[cols].astype(float), want[cols].astype(float), rtol=1e-9, check_dtype=False
    )
    assert got["notes"].tolist()[2:] == want["notes"].tolist()[2:]  # empty day, no labels


def test_spark_windows_bad_input(spark, predictions):
    sdf = spark.createDataFrame(predictions.drop(columns=["id"]))
    with pytest.raises(InputError, match="Invalid task: got None"):
        WindowedMetrics().run(sdf)
    with pytest.raises(InputError, match="Invalid metrics: got 'roc_auc'"):
        WindowedMetrics(task="classification", metrics=["roc_auc"]).run(sdf)
    with pytest.raises(InputError, match="Invalid window: got 100"):
        WindowedMetrics(window=100, task="regression").run(sdf)
    with pytest.raises(InputError, match="Invalid column 'time': got 'Spark type string'"):
        WindowedMetrics(task="regression").run(sdf.withColumn("time", sdf["time"].cast("string")))
