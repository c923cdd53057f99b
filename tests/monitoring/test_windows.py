"""Windowed metrics over real simulated logs, checked against an independent pandas computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm

from mlops_kit.errors import InputError
from mlops_kit.monitoring.log import PredictionLog
from mlops_kit.monitoring.windows import WindowedMetrics


def test_weekly_metrics_match_sklearn_on_the_same_rows(concept_log):
    log, _ = concept_log
    result = WindowedMetrics(window="week").run(log)
    frame = result.to_frame()
    rows = log.read(features=False)
    week = (rows["time"].dt.tz_localize(None) - pd.Timestamp("1970-01-05")).dt.days // 7
    for (_, got), (_, part) in zip(frame.iterrows(), rows.groupby(week), strict=True):
        y, p = part["label"].astype(int), part["prediction"].astype(int)
        assert got["volume"] == len(part)
        assert got["accuracy"] == pytest.approx(skm.accuracy_score(y, p))
        assert got["recall"] == pytest.approx(skm.recall_score(y, p, zero_division=0))
        assert got["roc_auc"] == pytest.approx(skm.roc_auc_score(y, part["probability"]))
        assert got["latency_p95"] == pytest.approx(np.quantile(part["latency_ms"], 0.95))
        assert got["window_start"].dayofweek == 0  # weeks start on Monday
    assert result.metrics == ["accuracy", "precision", "recall", "roc_auc"]
    assert result.task == "classification"


def test_concept_drift_shows_in_auc_not_in_the_inputs(concept_log):
    log, sim = concept_log
    frame = (
        WindowedMetrics(window="week")
        .fit(sim.reference, sim.reference_predictions)
        .run(log)
        .to_frame()
    )
    before = frame[frame["window_end"] <= sim.drift_start]
    after = frame[frame["window_start"] >= sim.drift_start]
    assert before["roc_auc"].min() > 0.7 and after["roc_auc"].max() < 0.65
    # the features did not move: concept drift is invisible to input drift
    assert not frame["input_drift"].any()


def test_covariate_drift_flags_the_inputs_and_the_predictions(covariate_log):
    log, sim = covariate_log
    watched = ["loan_amount", "debt_to_income", "credit_score", "income"]
    result = (
        WindowedMetrics(window="week", drift_share=0.5)
        .fit(sim.reference[watched], sim.reference_predictions)
        .run(log)
    )
    frame = result.to_frame()
    before = frame[frame["window_end"] <= sim.drift_start]
    after = frame[frame["window_start"] >= sim.drift_start]
    assert not before["input_drift"].any()
    assert after["input_drift"].all() and after["prediction_drift"].mean() > 0.8
    heat = result.feature_drift
    assert set(heat.columns) == set(watched)
    assert (
        heat.loc[after.index, "loan_amount"].min() > 1 > heat.loc[before.index, "loan_amount"].max()
    )
    # labels of the last 30 days have not arrived: coverage says so, metrics are a visible gap
    last = frame.iloc[-1]
    assert last["label_coverage"] == 0 and np.isnan(last["accuracy"])
    assert "no labels yet" in last["notes"]


def test_count_windows_and_empty_calendar_windows(tmp_path):
    log = PredictionLog(tmp_path / "log.db")
    times = ["2024-01-01T01:00"] * 5 + ["2024-01-04T01:00"] * 3
    log.append(
        [
            {"id": str(i), "time": t, "prediction": 1.0 + i, "latency_ms": 1.0}
            for i, t in enumerate(times)
        ]
    )
    log.add_labels({str(i): 1.5 + i for i in range(8)})
    daily = WindowedMetrics(window="day", task="regression").run(log).to_frame()
    assert daily["volume"].tolist() == [5, 0, 0, 3]
    assert daily["notes"].tolist()[1] == "empty window: no predictions"
    assert np.isnan(daily["mae"][1]) and daily["mae"][0] == pytest.approx(0.5)
    counted = WindowedMetrics(window=3, task="regression").run(log).to_frame()
    assert counted["volume"].tolist() == [3, 3, 2]
    assert counted["rmse"].tolist() == pytest.approx([0.5, 0.5, 0.5])


def test_a_metric_of_the_other_task_and_bad_parameters_are_clear_errors(concept_log, tmp_path):
    log, sim = concept_log
    with pytest.raises(InputError, match=r"Invalid metrics: got 'mae' \(a regression metric\)"):
        WindowedMetrics(metrics=["mae"]).run(log)
    with pytest.raises(InputError, match="Invalid metrics"):  # checked before reading the log
        WindowedMetrics(task="regression", metrics=["accuracy"]).run(PredictionLog(tmp_path / "e"))
    with pytest.raises(InputError, match="Invalid window: got 'month'"):
        WindowedMetrics(window="month").run(log)
    with pytest.raises(InputError, match="Invalid log"):
        WindowedMetrics().run(sim.reference)
    with pytest.raises(InputError, match="Invalid reference"):
        WindowedMetrics().fit(pd.DataFrame())
    empty = WindowedMetrics().run(PredictionLog(tmp_path / "empty.db"))
    assert empty.to_frame().empty and empty.summary() == "No predictions in the log"


def test_one_class_window_gives_a_visible_gap_for_auc(tmp_path):
    log = PredictionLog(tmp_path / "log.db")
    log.append(
        [
            {"id": str(i), "time": "2024-01-01", "prediction": 1, "probability": 0.9}
            for i in range(4)
        ]
    )
    log.add_labels({str(i): 1 for i in range(4)})
    row = WindowedMetrics().run(log).to_frame().iloc[0]
    assert row["accuracy"] == 1.0 and np.isnan(row["roc_auc"])
    assert "roc_auc needs both classes" in row["notes"]
