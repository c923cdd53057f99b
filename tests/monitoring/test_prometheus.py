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
    assert len({p["id"] for p in board["panels"]}) == len(board["panels"])
