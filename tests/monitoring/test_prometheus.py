"""The Prometheus exporter scraped for real over HTTP on 127.0.0.1, and the Grafana board."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from mlops_kit.monitoring.alerts import AlertRule
from mlops_kit.monitoring.prometheus import PrometheusExporter, grafana_dashboard
from mlops_kit.monitoring.windows import WindowedMetrics


def _scrape(url):
    text = urllib.request.urlopen(url, timeout=10).read().decode()
    return {f.name: f.samples for f in text_string_to_metric_families(text)}


def test_exporter_serves_the_latest_window_and_alert_state(concept_log):
    log, _ = concept_log
    result = WindowedMetrics(window="week").run(log)
    latest = result.latest()
    rules = [
        AlertRule("roc_auc", "<", 0.7, name="auc low", severity="critical"),
        AlertRule("latency_p95", ">", 1000.0, name="slow"),
    ]
    exporter = PrometheusExporter(port=0, model="credit").start()
    try:
        assert exporter.url.startswith("http://127.0.0.1:")
        exporter.update(result, rules)
        families = _scrape(exporter.url)
        values = {
            s.labels["metric"]: s.value
            for s in families["mlops_kit_window_value"]
            if s.labels["model"] == "credit"
        }
        for key in ("accuracy", "roc_auc", "volume", "latency_p95", "label_coverage"):
            assert values[key] == pytest.approx(latest[key])
        firing = {s.labels["rule"]: s.value for s in families["mlops_kit_alert_firing"]}
        assert firing == {"auc low": 1.0, "slow": 0.0}
        start = families["mlops_kit_window_start_seconds"][0].value
        assert start == pytest.approx(result.windows["window_start"].iloc[-1].timestamp())
        url = exporter.url
    finally:
        exporter.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=5)


def test_grafana_dashboard_is_json_over_the_exported_series():
    board = json.loads(json.dumps(grafana_dashboard()))
    exprs = [t["expr"] for p in board["panels"] for t in p["targets"]]
    assert 'mlops_kit_window_value{metric="accuracy", model=~"$model"}' in exprs
    assert any(e.startswith("mlops_kit_alert_firing") for e in exprs)
    assert any(e.startswith("mlops_kit_alert_breaching") for e in exprs)
    assert len({p["id"] for p in board["panels"]}) == len(board["panels"])


def _states(families, model):
    return {
        name: {s.labels["rule"]: s.value for s in families[name] if s.labels["model"] == model}
        for name in ("mlops_kit_alert_firing", "mlops_kit_alert_breaching")
    }


def test_a_rule_in_cool_down_whose_condition_holds_is_breaching_not_firing(concept_log):
    log, _ = concept_log
    result = WindowedMetrics(window="week").run(log)
    quiet = AlertRule("roc_auc", "<", 0.7, cooldown=1000, name="auc low, quiet")
    alerts = quiet.check(result)
    assert len(alerts) == 1  # it alerted once, at the drift, then stayed in its cool-down
    assert alerts[0].window_start != result.windows["window_start"].iloc[-1].isoformat()
    rules = [
        quiet,
        AlertRule("roc_auc", "<", 0.7, name="auc low"),  # no cool-down: fires on the latest
        AlertRule("latency_p95", ">", 1000.0, name="slow"),  # holds nowhere
    ]
    exporter = PrometheusExporter(port=0, model="credit").start()
    try:
        exporter.update(result, rules)
        states = _states(_scrape(exporter.url), "credit")
    finally:
        exporter.stop()
    assert states["mlops_kit_alert_firing"] == {"auc low, quiet": 0.0, "auc low": 1.0, "slow": 0.0}
    assert states["mlops_kit_alert_breaching"] == {
        "auc low, quiet": 1.0,
        "auc low": 1.0,
        "slow": 0.0,
    }


def test_breaching_needs_k_of_the_last_n_windows_and_skips_empty_ones():
    import pandas as pd

    from mlops_kit.monitoring.result import MonitoringResult

    starts = pd.date_range("2024-01-01", periods=5, freq="D", tz="UTC")
    result = MonitoringResult(
        pd.DataFrame(
            {
                "window_start": starts,
                "volume": [50, 50, 50, 50, 0],  # the last window is empty: not the latest
                "n_labelled": [50, 50, 50, 50, 0],
                "accuracy": [0.7, 0.9, 0.9, 0.7, float("nan")],
            }
        ),
        metrics=["accuracy"],
    )
    rules = [
        AlertRule("accuracy", "<", 0.8, name="one"),
        AlertRule("accuracy", "<", 0.8, k=2, name="two in a row"),
        AlertRule("accuracy", "<", 0.8, k=2, n=4, name="two of four"),
        AlertRule("accuracy", "<", 0.8, min_samples=100, name="too few"),
    ]
    exporter = PrometheusExporter(port=0).start()
    try:
        exporter.update(result, rules)
        states = _states(_scrape(exporter.url), "model")
    finally:
        exporter.stop()
    expected = {"one": 1.0, "two in a row": 0.0, "two of four": 1.0, "too few": 0.0}
    assert states["mlops_kit_alert_breaching"] == expected
    assert states["mlops_kit_alert_firing"] == expected  # no cool-down: the same here
