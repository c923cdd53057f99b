"""Step 4: production monitoring.

- :class:`PredictionLog`: the embedded, append-only prediction log with late labels;
- :class:`WindowedMetrics` / :class:`MonitoringResult`: per-window performance,
  drift, volume, latency and label coverage;
- :class:`AlertRule` / :func:`replay`: alert rules that avoid false alarms, replayed over history;
- :func:`dashboard` / :class:`MonitoringDashboard` and :func:`dashboard_widget`: the
  dashboard Result over a log and its live widget.

Examples
--------
>>> import mlops_kit.monitoring as mon
>>> "PredictionLog" in mon.__all__
True
"""

from __future__ import annotations

from mlops_kit._lazy import lazy_exports

_EXPORTS = {
    "PredictionLog": "log",
    "SCHEMA_VERSION": "log",
    "WindowedMetrics": "windows",
    "MonitoringResult": "result",
    "Alert": "alerts",
    "AlertRule": "alerts",
    "ReplayResult": "alerts",
    "replay": "alerts",
    "to_prometheus_rules": "alerts",
    "AlertStore": "channels",
    "CallbackChannel": "channels",
    "LogChannel": "channels",
    "WebhookChannel": "channels",
    "notify": "channels",
    "simulate_production": "simulate",
    "ConfidenceEstimator": "estimate",
    "Incident": "incidents",
    "PostMortem": "incidents",
    "open_incident": "incidents",
    "PrometheusExporter": "prometheus",
    "grafana_dashboard": "prometheus",
    "MonitoringDashboard": "dashboard",
    "dashboard": "dashboard",
    "DashboardWidget": "dashboard_widget",
    "dashboard_widget": "dashboard",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
