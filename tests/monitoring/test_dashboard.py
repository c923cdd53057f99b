"""The dashboard Result over a real prediction log (real sklearn model, real SQLite)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from mlops_kit.errors import InputError
from mlops_kit.monitoring import AlertRule, PredictionLog, WindowedMetrics, dashboard

RULES = [
    AlertRule("accuracy", "<", 0.85, min_samples=50, severity="critical"),
    AlertRule("input_drift_share", ">=", 0.3),
]


@pytest.fixture(scope="module")
def board(covariate_log):
    log, sim = covariate_log
    monitor = WindowedMetrics(window="week").fit(
        sim.reference, sim.reference_predictions, sim.reference_labels
    )
    return dashboard(log, monitor, rules=RULES), monitor


def test_dashboard_numbers_are_the_windows_and_the_rules_alerts(board, covariate_log):
    log, sim = covariate_log
    result, monitor = board
    windows = monitor.run(log)
    assert result.n_predictions == len(log) == sim.n_logged
    assert result.last_prediction == log.span()[1].isoformat()
    pd.testing.assert_frame_equal(result.to_frame().drop(columns="alerts"), windows.to_frame())
    expected = [a for rule in RULES for a in rule.check(windows)]
    assert result.alerts == expected and len(expected) > 0
    # the covariate drift is caught, and every alert is counted on its window's row
    assert any(a.metric == "input_drift_share" for a in result.alerts)
    assert result.to_frame()["alerts"].sum() == len(result.alerts)
    assert result.metric == "accuracy" and result.threshold() == ("<", 0.85)
    data = result.to_dict()
    assert data["n_predictions"] == sim.n_logged and data["threshold"] == 0.85
    assert len(data["windows"]) == len(windows.to_frame())
    # labels of the last 30 days have not arrived: the estimate is there, realised is not
    last = result.to_frame().iloc[-1]
    assert math.isnan(last["accuracy"]) and math.isfinite(last["estimated_accuracy"])


def test_status_names_the_count_and_the_last_window(board):
    result, _ = board
    latest = result.latest()
    assert result.status().startswith(
        f"{result.n_predictions} predictions, last window {latest['window_start'][:10]} "
        f"({latest['volume']} predictions)"
    )
    assert result.summary().endswith(f"{len(result.alerts)} alerts")


def test_plot_draws_the_panel_grid_with_alert_windows_and_the_drift_heat_map(board):
    import matplotlib.pyplot as plt

    result, _ = board
    ax = result.plot()
    metric, estimate, drift, volume, latency = ax.child_axes
    # one shaded span per window that raised an alert
    assert len(metric.patches) == len({a.window_start for a in result.alerts})
    assert [line.get_ydata()[0] for line in metric.lines[1:]] == [0.85]  # the threshold
    assert {t.get_text() for t in estimate.get_legend().get_texts()} == {
        "estimated accuracy",
        "accuracy",
    }
    (image,) = drift.images
    n_windows = len(result.windows)
    assert image.get_array().shape == (len(result.monitoring.feature_drift.columns), n_windows)
    assert [t.get_text() for t in drift.get_yticklabels()][:2] == list(
        result.monitoring.feature_drift.columns[:2]
    )
    assert len(volume.patches) == n_windows
    assert [line.get_label() for line in latency.lines] == ["p50", "p95", "p99"]
    plt.close("all")


def test_an_empty_log_gives_an_empty_dashboard(tmp_path):
    import matplotlib.pyplot as plt

    result = dashboard(tmp_path / "empty.db", rules=RULES)
    assert result.summary() == "0 predictions, no window yet; 0 alerts"
    assert result.to_dict()["windows"] == [] and result.alerts == []
    assert result.plot().get_title() == "no windows: the log is empty"
    plt.close("all")


def test_bad_arguments_are_named(tmp_path):
    log = PredictionLog(tmp_path / "p.db")
    log.append([{"id": "a", "time": "2024-01-01", "prediction": 1, "probability": 0.9}])
    with pytest.raises(InputError, match="Invalid rules: got 'AlertRule'"):
        dashboard(log, rules=RULES[0])
    with pytest.raises(
        InputError, match=r"Invalid metric: got .f1_score.*a column of the windows table"
    ):
        dashboard(log, metric="f1_score")
    with pytest.raises(InputError, match="Invalid log: got 3"):
        dashboard(3)
    with pytest.raises(InputError, match="Invalid monitor"):
        dashboard(log, monitor="week")
