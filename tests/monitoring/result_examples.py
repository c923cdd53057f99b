"""Examples of the monitoring Results for the contract test (tests/test_results_contract.py)."""

from __future__ import annotations

import math

import pandas as pd

from mlops_kit.monitoring.alerts import AlertRule, ReplayResult, replay
from mlops_kit.monitoring.dashboard import MonitoringDashboard
from mlops_kit.monitoring.incidents import PostMortem, open_incident
from mlops_kit.monitoring.result import MonitoringResult


def monitoring_result() -> MonitoringResult:
    """Three day windows, one empty and one drifted, with a user string to escape."""
    starts = pd.date_range("2024-01-01", periods=3, freq="D", tz="UTC")
    windows = pd.DataFrame(
        {
            "window_start": starts,
            "window_end": starts + pd.Timedelta("1D"),
            "volume": [100, 0, 120],
            "n_labelled": [80, 0, 60],
            "label_coverage": [0.8, math.nan, 0.5],
            "accuracy": [0.9, math.nan, 0.7],
            "input_drift_share": [0.0, math.nan, 0.6],
            "input_drift": [False, None, True],
            "notes": ["", "empty window: no predictions", "<b>one class</b> only"],
        }
    )
    drift = pd.DataFrame([{"age": 0.2, "income": 0.5}, {}, {"age": 3.0, "income": 1.5}])
    return MonitoringResult(
        windows, drift, task="classification", metrics=["accuracy"], window="day"
    )


def replay_result():
    """Two rules replayed over the example windows, drift on the third day."""
    rules = [
        AlertRule("accuracy", "<", 0.8, name="<b>low</b> accuracy"),
        AlertRule("input_drift_share", ">=", 0.5, min_samples=50),
    ]
    return replay(rules, monitoring_result(), drift_start="2024-01-03")


def post_mortem():
    """A resolved incident opened from the example's first alert."""
    alert = replay_result().alerts[0]
    incident = open_incident(alert, started="2023-12-31")
    incident.record("rolled <b>back</b>", at="2024-01-03")
    incident.resolve(at="2024-01-04")
    return incident.post_mortem()


def monitoring_dashboard() -> MonitoringDashboard:
    """The example windows with estimates, two rules (one with a user string) and their alerts."""
    result = monitoring_result()
    result.windows["estimated_accuracy"] = [0.88, math.nan, 0.86]
    result.windows["latency_p95"] = [12.5, math.nan, 30.0]
    rules = [
        AlertRule("accuracy", "<", 0.8, name="<b>low</b> accuracy", severity="critical"),
        AlertRule("input_drift_share", ">=", 0.5, min_samples=50),
    ]
    alerts = [a for rule in rules for a in rule.check(result)]
    return MonitoringDashboard(
        result,
        alerts=alerts,
        rules=[
            {"name": r.rule_name, "metric": r.metric, "op": r.op, "threshold": r.threshold}
            for r in rules
        ],
        n_predictions=220,
        last_prediction="2024-01-03T23:59:00+00:00",
    )


EXAMPLES = {
    MonitoringDashboard: monitoring_dashboard,
    MonitoringResult: monitoring_result,
    ReplayResult: replay_result,
    PostMortem: post_mortem,
}
