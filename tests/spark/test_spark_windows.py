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


# --- per-window drift ---------------------------------------------------------------------
DRIFT = ["input_drift_share", "input_drift", "prediction_drift_score", "prediction_drift"]
#: rows per day: day 2 is empty, day 4 is below min_drift_rows, drift appears from day 3 on
DAYS = {0: 160, 1: 150, 3: 140, 4: 12, 5: 150}


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


@pytest.fixture(scope="module")
def reference():
    rng = np.random.default_rng(11)
    n = 400
    ref = pd.DataFrame({"x": rng.normal(0, 1, n), "c": rng.choice(["a", "b", "c"], n)})
    scores = _sigmoid(ref["x"].to_numpy() + rng.normal(0, 0.5, n))
    labels = (rng.random(n) < scores).astype(int)
    return ref, scores, labels


@pytest.fixture(scope="module")
def featured():
    rng = np.random.default_rng(1)
    parts = []
    for day, n in DAYS.items():
        shift = 0.0 if day < 3 else 0.8
        mix = [0.34, 0.33, 0.33] if day < 3 else [0.7, 0.2, 0.1]
        x = rng.normal(shift, 1, n)
        prob = _sigmoid(x + rng.normal(0, 0.5, n))
        time = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(
            day * 86_400 + rng.integers(0, 86_400, n), unit="s"
        )
        part = pd.DataFrame({"time": time, "x": x, "c": rng.choice(["a", "b", "c"], n, p=mix)})
        part["probability"] = prob
        part["prediction"] = (prob >= 0.5).astype(int)
        part["latency_ms"] = rng.gamma(2.0, 3.0, n)
        truth = (rng.random(n) < prob).astype(float)
        part["label"] = np.where(rng.random(n) < 0.6, truth, np.nan)
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    frame["id"] = [str(i) for i in range(len(frame))]
    return frame


def _featured_log(tmp_path, frame, output):
    log = PredictionLog(tmp_path / "f.db")
    log.append(
        [
            {
                "id": r.id,
                "time": r.time.isoformat(),
                "features": {"x": float(r.x), "c": r.c},
                "prediction": float(getattr(r, output)) if output == "x" else int(r.prediction),
                "probability": float(r.probability),
                "latency_ms": float(r.latency_ms),
            }
            for r in frame.itertuples()
        ]
    )
    known = frame.dropna(subset=["label"])
    log.add_labels(dict(zip(known["id"], known["label"].astype(int))))
    return log


def _both(spark, tmp_path, frame, wm, task="classification"):
    """The same predictions through the PredictionLog path and the Spark path."""
    sdf = frame.drop(columns=["id"])
    if task == "regression":  # the model's output is a number: let it be x itself
        sdf = sdf.assign(prediction=sdf["x"])
    want = wm.run(_featured_log(tmp_path, frame, "x" if task == "regression" else "p"))
    got = wm.run(spark.createDataFrame(sdf))
    return want, got


def _assert_same_drift(want, got, columns=DRIFT):
    assert len(got.windows) == len(want.windows) == 6
    assert got.windows["window_start"].tolist() == want.windows["window_start"].tolist()
    for name in columns:
        a, b = want.windows[name].tolist(), got.windows[name].tolist()
        assert [None if v != v else v for v in a] == [None if v != v else v for v in b], name
    assert got.windows["notes"].tolist() == want.windows["notes"].tolist()
    pd.testing.assert_frame_equal(got.feature_drift, want.feature_drift, check_exact=True)


@pytest.mark.parametrize("with_predictions", [False, True])
def test_spark_window_drift_equals_the_log_path(
    spark, featured, reference, tmp_path, with_predictions
):
    ref, scores, _ = reference
    wm = WindowedMetrics(task="classification", metrics=["accuracy"], min_drift_rows=30)
    wm.fit(ref, predictions=scores if with_predictions else None)
    want, got = _both(spark, tmp_path, featured, wm)
    _assert_same_drift(want, got)
    windows = got.windows
    # the data: no drift on days 0-1, both features drift from day 3, day 4 is too small
    assert windows["input_drift"].tolist()[:2] == [False, False]
    assert windows["input_drift"][3] is True and windows["input_drift"][5] is True
    assert windows["input_drift_share"].tolist()[3] == 1.0
    assert "no drift verdict: 12 < 30 predictions" in windows["notes"][4]
    assert windows["notes"][2] == "empty window: no predictions"
    assert sorted(got.feature_drift.columns) == ["c", "x"]
    assert got.feature_drift.loc[[2, 4]].isna().all().all()
    if with_predictions:
        assert windows["prediction_drift"].tolist()[:2] == [False, False]
        assert windows["prediction_drift"][5] is True
    else:
        assert windows["prediction_drift_score"].isna().all()


def test_spark_window_drift_regression_and_psi(spark, featured, reference, tmp_path):
    ref, _, _ = reference
    wm = WindowedMetrics(task="regression", metrics=["mae"], drift_method="psi")
    wm.fit(ref, predictions=ref["x"].to_numpy())  # PSI on x: the keyed Sturges second pass
    want, got = _both(spark, tmp_path, featured, wm, task="regression")
    _assert_same_drift(want, got)
    assert got.windows["prediction_drift"][5] is True


def test_spark_window_estimates_equal_the_log_path(spark, featured, reference, tmp_path):
    ref, scores, labels = reference
    wm = WindowedMetrics(task="classification", metrics=["accuracy"])
    wm.fit(ref, predictions=scores, labels=labels)
    want, got = _both(spark, tmp_path, featured, wm)
    _assert_same_drift(want, got)
    est = ["estimated_accuracy", "estimated_precision", "estimated_recall"]
    pd.testing.assert_frame_equal(got.windows[est], want.windows[est], rtol=1e-9)
    assert got.windows[est].drop(index=2).notna().all().all()


def _jobs(spark, run):
    """The number of Spark jobs ``run()`` starts (job ids are sequential)."""
    tracker = spark.sparkContext.statusTracker()
    before = max(tracker.getJobIdsForGroup(None), default=-1)
    run()
    return max(tracker.getJobIdsForGroup(None), default=-1) - before


def test_spark_window_drift_is_one_job(spark, featured, reference):
    from pyspark.sql import functions as F

    from mlops_kit.validation.drift.spark_run import Part, run_spark_keyed

    ref, scores, _ = reference
    sdf = spark.createDataFrame(featured.drop(columns=["id"]))  # no shuffle: AQE runs its
    assert sdf.rdd.getNumPartitions() > 1  # map stages as jobs of their own
    wm = WindowedMetrics(task="classification", metrics=["accuracy"])
    plain = _jobs(spark, lambda: wm.run(sdf))
    wm.fit(ref, predictions=scores)
    fitted = _jobs(spark, lambda: wm.run(sdf))
    assert fitted - plain == 1  # every window's drift: one more job, whatever the windows
    key = F.floor(F.expr("unix_millis(`time`)") / 86_400_000)
    parts = [Part(wm.drift_check_.reference_, ["x", "c"])]
    found = {}
    assert _jobs(spark, lambda: found.update(run_spark_keyed(parts, sdf, key))) == 1
    assert sorted(found) == [19723, 19724, 19726, 19727, 19728]  # the five days with rows
    assert [found[k].rows for k in sorted(found)] == list(DAYS.values())


def test_spark_window_drift_bad_input(spark, featured, reference):
    from pyspark.sql import functions as F

    from mlops_kit.errors import ColumnError

    ref, _, _ = reference
    sdf = spark.createDataFrame(featured.drop(columns=["id"]))
    wm = WindowedMetrics(task="classification", metrics=["accuracy"]).fit(ref)
    with pytest.raises(ColumnError, match="Feature column 'c' is missing") as missing:
        wm.run(sdf.drop("c"))
    typed_error = r"Invalid feature column 'x': got 'Spark type array<double>'"
    with pytest.raises(InputError, match=typed_error) as typed:
        wm.run(sdf.withColumn("x", F.array(F.col("x"))))
    for exc in (missing, typed):
        assert "\n" not in str(exc.value)


def test_keyed_sturges_pass_equals_pandas_per_window(spark):
    """Windows above 10,000 values use Sturges bins of their own range: one keyed second job."""
    from pyspark.sql import functions as F

    from mlops_kit.validation import DriftCheck
    from mlops_kit.validation.drift.spark_run import Part, run_spark_keyed

    rng = np.random.default_rng(3)
    ref = pd.DataFrame({"x": rng.normal(0, 1, 2000)})
    windows = {0: rng.normal(0, 1, 12_000), 1: rng.normal(0.5, 2, 11_000)}
    frame = pd.concat(
        [pd.DataFrame({"w": k, "x": v}) for k, v in windows.items()], ignore_index=True
    )
    check = DriftCheck(method="psi").fit(ref)
    found = {}
    sdf = spark.createDataFrame(frame)
    parts = [Part(check.reference_, ["x"])]
    run = lambda: found.update(run_spark_keyed(parts, sdf, F.col("w"), method="psi"))  # noqa: E731
    assert _jobs(spark, run) == 2  # the states, then every window's Sturges bins
    for k, values in windows.items():
        want = check.run(pd.DataFrame({"x": values})).columns[0]
        got = found[k].columns[0][0]
        assert (got.test, got.drifted) == (want.test, want.drifted)
        assert got.statistic == want.statistic  # the same counts on the same bins: exact
    assert found[1].columns[0][0].drifted and not found[0].columns[0][0].drifted
