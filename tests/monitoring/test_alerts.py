"""Alert rules, replay over real simulated history, Prometheus export."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from mlops_kit.errors import InputError
from mlops_kit.monitoring.alerts import AlertRule, replay, to_prometheus_rules
from mlops_kit.monitoring.result import MonitoringResult
from mlops_kit.monitoring.windows import WindowedMetrics


def _result(values, n_labelled=None):
    starts = pd.date_range("2024-01-01", periods=len(values), freq="D", tz="UTC")
    return MonitoringResult(
        pd.DataFrame(
            {
                "window_start": starts,
                "window_end": starts + pd.Timedelta("1D"),
                "volume": [500] * len(values),
                "n_labelled": n_labelled or [500] * len(values),
                "accuracy": values,
            }
        ),
        metrics=["accuracy"],
    )


def _days(alerts):
    return [int(a.window_start[8:10]) for a in alerts]


def test_k_of_n_min_samples_and_cooldown():
    r = _result(
        [0.7, 0.9, 0.7, 0.9, 0.7, 0.7, 0.7, 0.7], n_labelled=[500, 500, 500, 500, 5, 500, 500, 500]
    )
    assert _days(AlertRule("accuracy", "<", 0.8).check(r)) == [1, 3, 5, 6, 7, 8]
    # 2 consecutive: the alternating start never fires
    assert _days(AlertRule("accuracy", "<", 0.8, k=2).check(r)) == [6, 7, 8]
    # 2 of 3 fires on the third day already
    assert _days(AlertRule("accuracy", "<", 0.8, k=2, n=3).check(r))[0] == 3
    # a window with 5 labelled rows does not count
    assert _days(AlertRule("accuracy", "<", 0.8, min_samples=100).check(r)) == [1, 3, 6, 7, 8]
    # after an alert, quiet for 2 windows
    assert _days(AlertRule("accuracy", "<", 0.8, k=2, cooldown=2).check(r)) == [6]
    alert = AlertRule("accuracy", "<", 0.8, k=2, severity="critical").check(r)[0]
    assert (alert.kind, alert.severity, alert.breaches, alert.of) == (
        "performance",
        "critical",
        2,
        2,
    )
    assert "accuracy 0.7 < 0.8" in alert.message()


def test_rule_errors_are_clear():
    r = _result([0.9])
    with pytest.raises(
        InputError, match=r"Invalid metric: got 'acc'; allowed: a column of the windows table"
    ):
        AlertRule("acc", "<", 0.8).check(r)
    with pytest.raises(InputError, match=r"Invalid n: got 1; allowed: an integer >= k \(2\)"):
        AlertRule("accuracy", "<", 0.8, k=2, n=1).check(r)
    with pytest.raises(InputError, match="Invalid op"):
        AlertRule("accuracy", "==", 0.8).check(r)
    with pytest.raises(InputError, match="Invalid rules"):
        replay(AlertRule("accuracy", "<", 0.8), r)


def test_replay_guarded_rule_catches_concept_drift_without_false_alarms(concept_log):
    log, sim = concept_log
    result = WindowedMetrics(window="week").run(log)
    naive = AlertRule("roc_auc", "<", 0.8, name="naive")
    guarded = AlertRule("roc_auc", "<", 0.7, k=2, min_samples=100, cooldown=4, name="guarded")
    out = replay([naive, guarded], result, drift_start=sim.drift_start)
    rows = out.to_frame().set_index("rule")
    assert rows.loc["naive", "false_alarms"] > 0
    assert rows.loc["guarded", "false_alarms"] == 0
    # caught within the first three weekly windows after the drift
    assert pd.Timedelta(rows.loc["guarded", "detection_delay"]) <= pd.Timedelta("21D")
    assert rows.loc["guarded", "alerts"] < rows.loc["naive", "alerts"]
    assert "false alarms before it" in out.summary()


def test_prometheus_rules_export_parses_and_uses_k_windows():
    text = to_prometheus_rules(
        [
            AlertRule("latency_p95", ">", 250.0, k=3, severity="critical"),
            AlertRule("accuracy", "<", 0.8, k=2, n=4, min_samples=50, name="low accuracy"),
        ],
        window="2h",
    )
    rules = yaml.safe_load(text)["groups"][0]["rules"]
    assert rules[0]["for"] == "6h" and rules[0]["labels"] == {
        "severity": "critical",
        "kind": "latency",
    }
    assert rules[0]["expr"] == 'mlops_kit_window_value{metric="latency_p95"} > 250'
    assert rules[1]["alert"] == "low accuracy" and rules[1]["for"] == "4h"
    assert 'metric="n_labelled"} >= 50' in rules[1]["expr"]
    assert "exported as 2 consecutive windows" in rules[1]["annotations"]["summary"]
    with pytest.raises(InputError, match="Invalid window"):
        to_prometheus_rules([], window="a day")
