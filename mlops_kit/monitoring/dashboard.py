"""The monitoring dashboard: one Result over a prediction log, its windows and its alert rules.

:func:`dashboard` reads a :class:`~mlops_kit.monitoring.log.PredictionLog`
through :class:`~mlops_kit.monitoring.windows.WindowedMetrics` (fitted or not),
checks the alert rules on the windows and returns a :class:`MonitoringDashboard`:
numbers computed once, and ``plot()`` draws the panel grid (the model metric
against its threshold with the alert windows shaded, estimated against
realised performance, a per-feature drift heat map, volume, latency
percentiles). :meth:`MonitoringDashboard.widget` (or
:func:`~mlops_kit.monitoring.dashboard_widget.dashboard_widget`) shows it live.

Examples
--------
>>> import tempfile, os
>>> from mlops_kit.monitoring import AlertRule, PredictionLog
>>> log = PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db"))
>>> _ = log.append([{"id": str(i), "time": f"2024-01-0{1 + i // 4}", "prediction": i % 2,
...                  "probability": 0.2 + 0.6 * (i % 2), "latency_ms": 5.0 + i}
...                 for i in range(12)])
>>> _ = log.add_labels({str(i): (i % 2 if i < 8 else 0) for i in range(12)})
>>> board = dashboard(log, rules=[AlertRule("accuracy", "<", 0.8)])
>>> board.summary()
'12 predictions, last window 2024-01-03 (4 predictions): accuracy 0.5 (alert when < 0.8); 1 alert'
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd

from mlops_kit._params import InstanceOf, check_param
from mlops_kit.errors import InputError
from mlops_kit.monitoring.result import MonitoringResult
from mlops_kit.results import Result, get_ax, jsonable

__all__ = ["MonitoringDashboard", "dashboard", "dashboard_widget"]

_SEVERITY_COLOURS = {"info": "#1f77b4", "warning": "#ff7f0e", "critical": "#d62728"}
#: where each panel sits in the figure (axes fractions: left, bottom, width, height)
_PANELS = {
    "metric": (0.0, 0.70, 0.44, 0.27),
    "estimate": (0.56, 0.70, 0.44, 0.27),
    "drift": (0.0, 0.38, 1.0, 0.2),
    "volume": (0.0, 0.0, 0.44, 0.26),
    "latency": (0.56, 0.0, 0.44, 0.26),
}


class MonitoringDashboard(Result):
    """A prediction log's health at a glance: metric vs threshold, estimate, drift, volume, latency.

    Built by :func:`dashboard`; the numbers are computed once, ``plot()`` only draws.

    Attributes
    ----------
    monitoring : MonitoringResult
        The windows (one row a window) and the per-feature drift scores.
    alerts : list of Alert
        What the rules raised over the windows, in rule then time order.
    rules : list of dict
        Each rule's name, metric, comparison, threshold, severity and description.
    metric : str or None
        The metric of the first panel (the first rule's metric on a model
        metric, else the primary model metric).
    n_predictions : int
        Predictions in the log (in the ``start``/``end`` range when given).
    last_prediction : str or None
        ISO time of the newest prediction.

    Examples
    --------
    >>> import pandas as pd
    >>> starts = pd.date_range("2024-01-01", periods=2, freq="D", tz="UTC")
    >>> mon = MonitoringResult(pd.DataFrame({"window_start": starts, "volume": [10, 12],
    ...                        "accuracy": [0.9, 0.7]}), metrics=["accuracy"])
    >>> MonitoringDashboard(mon, n_predictions=22).summary()
    '22 predictions, last window 2024-01-02 (12 predictions): accuracy 0.7; 0 alerts'
    """

    title = "Monitoring dashboard"

    def __init__(
        self,
        monitoring,
        alerts=(),
        rules=(),
        metric=None,
        n_predictions=0,
        last_prediction=None,
    ):
        self.monitoring = monitoring
        self.alerts = list(alerts)
        self.rules = [dict(r) for r in rules]
        self.metric = metric if metric is not None else _default_metric(monitoring, self.rules)
        self.n_predictions = int(n_predictions)
        self.last_prediction = last_prediction
        self._source = None  # (log, monitor, rules, start, end): what .widget() refreshes from

    # --- numbers -------------------------------------------------------------------
    @property
    def windows(self) -> pd.DataFrame:
        """The windows table (as :meth:`MonitoringResult.to_frame`)."""
        return self.monitoring.windows

    def threshold(self):
        """``(op, threshold)`` of the first rule on the dashboard's metric, or ``None``."""
        for rule in self.rules:
            if rule["metric"] == self.metric:
                return rule["op"], rule["threshold"]
        return None

    def latest(self) -> dict:
        """The last window that has predictions (empty dict when there is none)."""
        return self.monitoring.latest() if "volume" in self.windows else {}

    def to_frame(self) -> pd.DataFrame:
        """The windows table with ``alerts``: how many alerts each window raised."""
        frame = self.monitoring.to_frame()
        if "window_start" in frame and len(frame):
            starts = [_iso(v) for v in frame["window_start"]]
            counts = pd.Series([a.window_start for a in self.alerts]).value_counts()
            frame["alerts"] = [int(counts.get(s, 0)) for s in starts]
        else:
            frame["alerts"] = 0
        return frame

    def to_dict(self) -> dict:
        """The headline numbers, the rules, the alerts and the windows (strict JSON)."""
        threshold = self.threshold()
        return jsonable(
            {
                "metric": self.metric,
                "threshold": None if threshold is None else threshold[1],
                "op": None if threshold is None else threshold[0],
                "n_predictions": self.n_predictions,
                "last_prediction": self.last_prediction,
                "rules": self.rules,
                "alerts": [a.to_dict() for a in self.alerts],
                "windows": self.to_frame().to_dict("records"),
                "feature_drift": self.monitoring.feature_drift.to_dict("records"),
            }
        )

    def status(self) -> str:
        """``"N predictions, last window ..."``: the line the live widget shows."""
        latest = self.latest()
        n = self.n_predictions
        text = f"{n} prediction{'s' if n != 1 else ''}"
        if not latest:
            return text + ", no window yet"
        start = latest.get("window_start")
        when = str(start)[:16].replace("T", " ").removesuffix(" 00:00")
        text += f", last window {when} ({int(latest.get('volume', 0))} predictions)"
        value = latest.get(self.metric) if self.metric else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            text += f": {self.metric} {value:.3g}"
            threshold = self.threshold()
            if threshold is not None:
                text += f" (alert when {threshold[0]} {threshold[1]:g})"
        return text

    def summary(self) -> str:
        n = len(self.alerts)
        return f"{self.status()}; {n} alert{'s' if n != 1 else ''}"

    def _repr_html_(self) -> str:
        w = self.windows
        rows = (
            "".join(f"<li>{html.escape(a.message())}</li>" for a in self.alerts[-5:])
            or "<li>no alerts</li>"
        )
        more = len(self.alerts) - 5
        extra = f"<li>... and {more} earlier</li>" if more > 0 else ""
        table = self._table_html(max_rows=8)
        return (
            f'<div class="mlops-kit-result mlops-kit-dashboard-result">'
            f"<strong>{html.escape(self.title)}</strong>"
            f"<p>{html.escape(self.summary())}</p>"
            f"<p>{len(w)} windows; latest alerts:</p><ul>{rows}{extra}</ul>{table}</div>"
        )

    # --- chart ---------------------------------------------------------------------
    def plot(self, ax=None):
        """Draw the panel grid inside ``ax`` (or a new figure) and return ``ax``.

        The panels are inset Axes of ``ax`` (``ax.child_axes``): the metric
        against its threshold with alert windows shaded, estimated against
        realised performance, the per-feature drift heat map, volume and
        latency percentiles.
        """
        ax = get_ax(ax, figsize=(9, 7))
        ax.set_axis_off()
        panels = {name: ax.inset_axes(box) for name, box in _PANELS.items()}
        w = self.windows
        if w.empty or "window_start" not in w:
            for p in panels.values():
                p.set_axis_off()
            ax.set_title("no windows: the log is empty", fontsize=9)
            return ax
        x = w["window_start"].dt.tz_localize(None)
        self._plot_metric(panels["metric"], x)
        self._plot_estimate(panels["estimate"], x)
        self._plot_drift(panels["drift"], x)
        panels["volume"].bar(x, w["volume"].astype(float), width=_bar_width(x), color="#7f7f7f")
        panels["volume"].set_title("volume (predictions per window)", fontsize=8)
        lat = [c for c in w.columns if c.startswith("latency_p")]
        for c in lat:
            panels["latency"].plot(x, w[c].astype(float), marker=".", markersize=3, label=c[8:])
        if lat:
            panels["latency"].legend(fontsize=6, loc="upper left")
        panels["latency"].set_title("latency (ms)", fontsize=8)
        for name in ("metric", "estimate", "volume", "latency"):
            panels[name].tick_params(labelsize=6)
            panels[name].tick_params(axis="x", labelrotation=30)
        ax.set_title(self.summary()[:110], fontsize=8, pad=14)
        return ax

    def _shade_alerts(self, panel) -> None:
        w = self.windows
        end = w.get("window_end")
        by_start = {_iso(s): i for i, s in enumerate(w["window_start"])}
        shaded = set()
        for alert in self.alerts:
            i = by_start.get(alert.window_start)
            if i is None or i in shaded:
                continue
            shaded.add(i)
            lo = w["window_start"].iloc[i].tz_localize(None)
            hi = end.iloc[i].tz_localize(None) if end is not None else lo
            panel.axvspan(
                lo, hi, color=_SEVERITY_COLOURS.get(alert.severity, "#d62728"), alpha=0.25, lw=0
            )

    def _plot_metric(self, panel, x) -> None:
        w = self.windows
        name = self.metric
        if not name or name not in w:
            panel.set_title("no model metric", fontsize=8)
            return
        panel.plot(x, pd.to_numeric(w[name], errors="coerce"), marker="o", markersize=3)
        threshold = self.threshold()
        if threshold is not None:
            panel.axhline(threshold[1], color="#d62728", linestyle="--", lw=1)
        self._shade_alerts(panel)
        n = len({a.window_start for a in self.alerts})
        panel.set_title(f"{name} (alert windows shaded: {n})", fontsize=8)

    def _plot_estimate(self, panel, x) -> None:
        w = self.windows
        estimated = [c for c in w.columns if c.startswith("estimated_")]
        if not estimated:
            panel.text(
                0.5,
                0.5,
                "no estimate: fit with reference labels",
                ha="center",
                va="center",
                fontsize=7,
                transform=panel.transAxes,
            )
            panel.set_title("estimated vs realised", fontsize=8)
            return
        est = estimated[0]
        real = est.removeprefix("estimated_")
        panel.plot(x, w[est].astype(float), linestyle="--", label=f"estimated {real}")
        if real in w:
            panel.plot(x, pd.to_numeric(w[real], errors="coerce"), marker=".", label=real)
        panel.legend(fontsize=6, loc="lower left")
        panel.set_title("estimated (before labels) vs realised", fontsize=8)

    def _plot_drift(self, panel, x) -> None:
        drift = self.monitoring.feature_drift
        if drift.empty or drift.shape[1] == 0:
            panel.text(
                0.5,
                0.5,
                "no drift scores: fit the monitor on a reference",
                ha="center",
                va="center",
                fontsize=7,
                transform=panel.transAxes,
            )
            panel.set_axis_off()
            return
        values = drift.astype(float).to_numpy().T  # features x windows
        image = panel.imshow(
            np.clip(values, 0, 3),
            aspect="auto",
            cmap="Reds",
            vmin=0,
            vmax=3,
            interpolation="nearest",
        )
        panel.set_yticks(range(drift.shape[1]), [str(c)[:18] for c in drift.columns], fontsize=6)
        step = max(1, math.ceil(len(x) / 6))
        ticks = list(range(0, len(x), step))
        panel.set_xticks(ticks, [f"{x.iloc[i]:%Y-%m-%d}" for i in ticks], fontsize=6)
        panel.set_title("drift score per feature (> 1 is drift)", fontsize=8)
        panel.figure.colorbar(image, ax=panel, fraction=0.02, pad=0.01).ax.tick_params(labelsize=6)

    # --- live view and MLflow ------------------------------------------------------
    def widget(self, interval=None):
        """A live widget that refreshes this dashboard from its log (see :func:`dashboard_widget`).

        Only a dashboard built by :func:`dashboard` knows its log.
        """
        from mlops_kit.monitoring.dashboard_widget import DashboardWidget

        self._require_source()
        return DashboardWidget(self, interval=interval)

    def _require_source(self):
        if self._source is None:
            raise InputError.invalid(
                "dashboard", "a dashboard without its log", "one built by dashboard(log, ...)"
            )
        return self._source

    def recompute(self, log=None):
        """A new dashboard from the same log, monitor and rules (rows appended since included).

        Parameters
        ----------
        log : PredictionLog, optional
            Another handle on the same log file (a thread needs its own SQLite
            connection); default the one it was built from.
        """
        source, monitor, rules, metric, start, end = self._require_source()
        return dashboard(
            source if log is None else log, monitor, rules, metric=metric, start=start, end=end
        )

    def log_to_mlflow(self, run_id=None, tracking_uri=None) -> str:
        """Log the latest window's numbers (``monitor_*``) and the dashboard as JSON.

        Returns the run id.
        """
        from mlops_kit.validation.mlflow_log import log_result

        metrics = {
            f"monitor_{k}": float(v)
            for k, v in self.latest().items()
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
        }
        metrics["monitor_alerts"] = float(len(self.alerts))
        return log_result(
            self, metrics, "monitor/dashboard.json", run_id=run_id, tracking_uri=tracking_uri
        )


def _iso(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _bar_width(x) -> float:
    if len(x) < 2:
        return 0.8
    seconds = np.diff(x.to_numpy()).astype("timedelta64[s]").astype(float)
    return 0.8 * float(np.median(seconds)) / 86_400  # Matplotlib dates are in days


def _default_metric(monitoring, rules) -> str | None:
    from mlops_kit.metrics import METRICS

    for rule in rules:
        if rule["metric"] in METRICS and rule["metric"] in monitoring.windows:
            return rule["metric"]
    return monitoring.primary_metric


def _rule_row(rule) -> dict:
    return {
        "name": rule.rule_name,
        "metric": rule.metric,
        "op": rule.op,
        "threshold": float(rule.threshold),
        "severity": rule.severity,
        "description": rule.describe(),
    }


def dashboard(log, monitor=None, rules=(), metric=None, start=None, end=None):
    """Compute the monitoring dashboard of a prediction log.

    Parameters
    ----------
    log : PredictionLog or str or os.PathLike
        The prediction log (a path is opened as a :class:`PredictionLog`).
    monitor : WindowedMetrics, optional
        The windowing (fitted on a reference for drift and performance
        estimates); default ``WindowedMetrics(window="day")``, not fitted.
    rules : list of AlertRule
        Alert rules checked over the windows; the first one on a model metric
        sets the first panel's metric and threshold.
    metric : str, optional
        The metric of the first panel (overrides the rules' choice).
    start, end : optional
        Only predictions with ``start <= time < end``.

    Returns
    -------
    MonitoringDashboard

    Examples
    --------
    >>> import tempfile, os
    >>> board = dashboard(os.path.join(tempfile.mkdtemp(), "empty.db"))
    >>> board.summary()
    '0 predictions, no window yet; 0 alerts'
    """
    import os

    from mlops_kit.monitoring.alerts import AlertRule
    from mlops_kit.monitoring.log import PredictionLog
    from mlops_kit.monitoring.windows import WindowedMetrics

    check_param(
        "log",
        log,
        [InstanceOf(PredictionLog, str, os.PathLike, description="a PredictionLog or a path")],
    )
    check_param("monitor", monitor, [None, InstanceOf(WindowedMetrics)])
    if not isinstance(rules, (list, tuple)) or not all(isinstance(r, AlertRule) for r in rules):
        raise InputError.invalid("rules", type(rules).__name__, "a list of AlertRule")
    check_param("metric", metric, [None, InstanceOf(str, description="a column name")])
    log = log if isinstance(log, PredictionLog) else PredictionLog(log)
    monitor = WindowedMetrics() if monitor is None else monitor
    result: MonitoringResult = monitor.run(log, start=start, end=end)
    if metric is not None and len(result.windows) and metric not in result.windows:
        raise InputError.invalid(
            "metric", metric, f"a column of the windows table: {sorted(result.windows.columns)}"
        )
    alerts = [a for rule in rules for a in rule.check(result)] if len(result.windows) else []
    n = int(result.windows["volume"].sum()) if "volume" in result.windows else 0
    newest = log.span()[1] if start is None and end is None else None
    board = MonitoringDashboard(
        result,
        alerts=alerts,
        rules=[_rule_row(r) for r in rules],
        metric=metric,
        n_predictions=n,
        last_prediction=None if newest is None else newest.isoformat(),
    )
    board._source = (log, monitor, list(rules), metric, start, end)
    return board


def dashboard_widget(log, monitor=None, rules=(), metric=None, start=None, end=None, interval=None):
    """Build the live monitoring dashboard of a prediction log (a notebook widget).

    Parameters
    ----------
    log : PredictionLog or str or os.PathLike
        The prediction log.
    monitor, rules, metric, start, end
        As :func:`dashboard`.
    interval : float, optional
        Seconds between automatic refreshes (a background thread that stops
        when the widget is closed); default only on **Refresh**.

    Returns
    -------
    DashboardWidget

    Examples
    --------
    >>> import tempfile, os
    >>> live = dashboard_widget(os.path.join(tempfile.mkdtemp(), "p.db"), interval=60)
    >>> live.running
    True
    >>> live.close(); live.running
    False
    """
    from mlops_kit._params import Interval

    check_param("interval", interval, [None, Interval(float, 0, None, closed="neither")])
    board = dashboard(log, monitor, rules, metric=metric, start=start, end=end)
    return board.widget(interval=interval)
