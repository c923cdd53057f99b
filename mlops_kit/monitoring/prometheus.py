"""Prometheus metrics of the latest window and the alert state, and a Grafana dashboard over them.

:class:`PrometheusExporter` serves, on ``http://127.0.0.1:<port>/metrics``:

- ``mlops_kit_window_value{model, metric}``: every number of the latest window
  that has predictions (accuracy, roc_auc, volume, latency_p95, label_coverage,
  input_drift_share...);
- ``mlops_kit_window_start_seconds{model}``: when that window starts;
- ``mlops_kit_alert_firing{model, rule, kind, severity}``: 1 when the rule
  raised an alert on that window, else 0;
- ``mlops_kit_alert_breaching{model, rule, kind, severity}``: 1 when the rule's
  condition holds on that window (it breaches, with ``k`` of the last ``n``
  windows breaching), whether or not it raised an alert there. A rule in its
  cool-down whose condition still holds is firing 0 and breaching 1: the
  cool-down quiets notifications, not the state (Alertmanager has its own
  repeat interval; alert in Prometheus on ``breaching``).

:func:`grafana_dashboard` builds a dashboard JSON over the same series, and
:func:`~mlops_kit.monitoring.alerts.to_prometheus_rules` the alerting rules.

Examples
--------
>>> import urllib.request, pandas as pd
>>> from mlops_kit.monitoring.result import MonitoringResult
>>> r = MonitoringResult(pd.DataFrame({"volume": [120], "accuracy": [0.91]}), metrics=["accuracy"])
>>> exporter = PrometheusExporter(port=0).start()
>>> exporter.update(r)
>>> text = urllib.request.urlopen(exporter.url, timeout=10).read().decode()
>>> 'mlops_kit_window_value{metric="accuracy",model="model"} 0.91' in text
True
>>> from mlops_kit.monitoring.alerts import AlertRule
>>> exporter.update(r, [AlertRule("accuracy", "<", 0.95, name="low")])
>>> text = urllib.request.urlopen(exporter.url, timeout=10).read().decode()
>>> [line for line in text.splitlines() if line.startswith("mlops_kit_alert_breaching{")]
['mlops_kit_alert_breaching{kind="performance",model="model",rule="low",severity="warning"} 1.0']
>>> exporter.stop()
"""

from __future__ import annotations

import math

from mlops_kit._params import Interval, Options, Params, Predicate

__all__ = ["PrometheusExporter", "grafana_dashboard"]


class PrometheusExporter(Params):
    """Serve the latest window's metrics and the alert state for Prometheus to scrape.

    Parameters
    ----------
    host : {"127.0.0.1", "localhost", "0.0.0.0"}, default "127.0.0.1"
        Where to listen (loopback by default; ``0.0.0.0`` to be scraped from
        another machine).
    port : int, default 9108
        TCP port; 0 picks a free one (see :attr:`url`).
    model : str, default "model"
        The ``model`` label on every series.

    Examples
    --------
    >>> PrometheusExporter(port=0)
    PrometheusExporter(port=0)
    """

    _parameter_constraints = {
        "host": [Options("127.0.0.1", "localhost", "0.0.0.0")],
        "port": [Interval(int, 0, 65535)],
        "model": [Predicate(lambda v: isinstance(v, str) and v != "", "a non-empty string")],
    }

    def __init__(self, host="127.0.0.1", port=9108, model="model"):
        self.host = host
        self.port = port
        self.model = model

    def start(self) -> PrometheusExporter:
        """Start serving in a background thread and return ``self``."""
        from prometheus_client import CollectorRegistry, Gauge, start_http_server

        self._validate_params()
        if getattr(self, "_server", None) is not None:
            return self
        self._registry = CollectorRegistry()
        self._value = Gauge(
            "mlops_kit_window_value",
            "Latest monitoring window: one series per metric",
            ["model", "metric"],
            registry=self._registry,
        )
        self._start = Gauge(
            "mlops_kit_window_start_seconds",
            "Start of the latest monitoring window (Unix time)",
            ["model"],
            registry=self._registry,
        )
        self._firing = Gauge(
            "mlops_kit_alert_firing",
            "1 when the alert rule raised an alert on the latest window",
            ["model", "rule", "kind", "severity"],
            registry=self._registry,
        )
        self._breaching = Gauge(
            "mlops_kit_alert_breaching",
            "1 when the alert rule's condition holds on the latest window (cool-down or not)",
            ["model", "rule", "kind", "severity"],
            registry=self._registry,
        )
        self._server, self._thread = start_http_server(
            self.port, addr=self.host, registry=self._registry
        )
        return self

    @property
    def url(self) -> str:
        """The ``/metrics`` address (after :meth:`start`)."""
        if getattr(self, "_server", None) is None:
            raise RuntimeError("the exporter is not started: call start() first")
        return f"http://{self.host}:{self._server.server_port}/metrics"

    def update(self, result, rules=()) -> None:
        """Publish ``result``'s latest window and, per rule, whether it fires and breaches there.

        The latest window is the last one with predictions. ``firing`` is 1
        when the rule raised an alert on it; ``breaching`` is 1 when the rule's
        condition holds on it (``k`` of the last ``n`` windows breach, this one
        included), even if a cool-down kept it from alerting again.
        """
        if getattr(self, "_server", None) is None:
            self.start()
        latest = result.latest()
        self._value.clear()
        for key, value in latest.items():
            if isinstance(value, bool):
                value = float(value)
            if isinstance(value, (int, float)) and math.isfinite(value):
                self._value.labels(self.model, key).set(float(value))
        start = latest.get("window_start")
        if isinstance(start, str):
            import pandas as pd

            self._start.labels(self.model).set(pd.Timestamp(start).timestamp())
        self._firing.clear()
        self._breaching.clear()
        windows = result.windows
        full = windows.index[windows["volume"] > 0] if "volume" in windows else windows.index
        last = full[-1] if len(full) else None
        for rule in rules:
            fired = rule.check(result)
            firing = (
                bool(fired)
                and last is not None
                and fired[-1].window_start == _start_of(windows, last)
            )
            labels = (self.model, rule.rule_name, rule.rule_kind, rule.severity)
            self._firing.labels(*labels).set(1.0 if firing else 0.0)
            holds = last is not None and _holds(rule, result, windows.index.get_loc(last))
            self._breaching.labels(*labels).set(1.0 if holds else 0.0)

    def stop(self) -> None:
        """Stop serving (the port is released)."""
        if getattr(self, "_server", None) is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=10)
            self._server = None


def _holds(rule, result, pos: int) -> bool:
    """True when ``rule``'s condition holds on window ``pos``: it breaches, k of the last n do."""
    hits = rule.breaches(result).tolist()
    n = rule.n or rule.k
    return bool(hits[pos]) and sum(hits[max(0, pos - n + 1) : pos + 1]) >= rule.k


def _start_of(windows, i) -> str:
    if "window_start" not in windows:
        return str(i)
    value = windows["window_start"].loc[i]
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def grafana_dashboard(
    metrics=("accuracy", "roc_auc", "input_drift_share", "latency_p95", "volume", "label_coverage"),
    title="mlops-kit monitoring",
) -> dict:
    """A Grafana dashboard (JSON model) with one time-series panel per metric and the alerts.

    Import it in Grafana (Dashboards > Import) with a Prometheus data source
    scraping :class:`PrometheusExporter`.

    Examples
    --------
    >>> board = grafana_dashboard(["accuracy"])
    >>> board["panels"][0]["targets"][0]["expr"]
    'mlops_kit_window_value{metric="accuracy", model=~"$model"}'
    """
    panels = []
    for i, metric in enumerate(metrics):
        panels.append(
            {
                "id": i + 1,
                "type": "timeseries",
                "title": metric,
                "datasource": {"type": "prometheus", "uid": "${datasource}"},
                "gridPos": {"h": 8, "w": 12, "x": 12 * (i % 2), "y": 8 * (i // 2)},
                "targets": [
                    {
                        "expr": f'mlops_kit_window_value{{metric="{metric}", model=~"$model"}}',
                        "legendFormat": "{{model}}",
                        "refId": "A",
                    }
                ],
            }
        )
    panels.append(
        {
            "id": len(metrics) + 1,
            "type": "table",
            "title": "alerts firing (A) and breaching (B)",
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "gridPos": {"h": 8, "w": 24, "x": 0, "y": 8 * ((len(metrics) + 1) // 2)},
            "targets": [
                {
                    "expr": f'mlops_kit_alert_{state}{{model=~"$model"}} == 1',
                    "format": "table",
                    "instant": True,
                    "refId": ref,
                }
                for ref, state in (("A", "firing"), ("B", "breaching"))
            ],
        }
    )
    return {
        "title": title,
        "uid": "mlops-kit-monitoring",
        "schemaVersion": 39,
        "time": {"from": "now-30d", "to": "now"},
        "templating": {
            "list": [
                {"name": "datasource", "type": "datasource", "query": "prometheus"},
                {
                    "name": "model",
                    "type": "query",
                    "datasource": {"type": "prometheus", "uid": "${datasource}"},
                    "query": "label_values(mlops_kit_window_value, model)",
                    "includeAll": True,
                    "multi": True,
                },
            ]
        },
        "panels": panels,
    }
