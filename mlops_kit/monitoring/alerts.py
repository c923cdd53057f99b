"""Alert rules that avoid false alarms, checked over the windows of a :class:`MonitoringResult`.

A rule fires when its metric breaches the threshold in ``k`` of the last ``n``
windows (``k`` consecutive when ``n`` is omitted), counting only windows with
at least ``min_samples`` rows (labelled rows for model metrics, predictions
otherwise), and then stays quiet for ``cooldown`` windows. :func:`replay`
runs a rule set over history and reports, per rule, the alerts it would have
raised, when it first caught a known drift and its false alarms before it;
:func:`to_prometheus_rules` exports the same rules for Prometheus.

Examples
--------
>>> import pandas as pd
>>> from mlops_kit.monitoring.result import MonitoringResult
>>> starts = pd.date_range("2024-01-01", periods=5, freq="D", tz="UTC")
>>> result = MonitoringResult(pd.DataFrame({"window_start": starts, "volume": [50] * 5,
...     "n_labelled": [50] * 5, "accuracy": [0.9, 0.7, 0.9, 0.7, 0.7]}), metrics=["accuracy"])
>>> rule = AlertRule("accuracy", "<", 0.8, k=2)
>>> [a.window_start[:10] for a in rule.check(result)]
['2024-01-05']
"""

from __future__ import annotations

import math
import operator
from dataclasses import asdict, dataclass

import pandas as pd

from mlops_kit._params import Interval, Options, Params, Predicate
from mlops_kit.errors import InputError
from mlops_kit.results import Result, get_ax, jsonable

__all__ = ["KINDS", "Alert", "AlertRule", "ReplayResult", "replay", "to_prometheus_rules"]

_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
#: alert types, each with its runbook
KINDS = ("drift", "performance", "latency", "volume", "missing_labels")
SEVERITIES = ("info", "warning", "critical")
_NAME = Predicate(lambda v: isinstance(v, str) and v.strip() != "", "a non-empty string")


@dataclass(frozen=True)
class Alert:
    """One alert event: which rule fired, on which window, with which value.

    Examples
    --------
    >>> Alert("low-acc", "performance", "warning", "accuracy", "<", 0.8, 0.71,
    ...       "2024-01-05T00:00:00+00:00", "2024-01-06T00:00:00+00:00", 2, 2).breaches
    2
    """

    rule: str
    kind: str
    severity: str
    metric: str
    op: str
    threshold: float
    value: float
    window_start: str
    window_end: str
    breaches: int
    of: int

    def to_dict(self) -> dict:
        """The alert as plain JSON types."""
        return jsonable(asdict(self))

    def message(self) -> str:
        """One line for a person: what, where, how bad."""
        return (
            f"[{self.severity}] {self.rule}: {self.metric} {self.value:.4g} {self.op} "
            f"{self.threshold:g} in {self.breaches} of the last {self.of} windows "
            f"(window from {self.window_start})"
        )


def _kind_of(metric: str) -> str:
    from mlops_kit.metrics import METRICS

    if metric in METRICS:
        return "performance"
    if "drift" in metric:
        return "drift"
    if metric.startswith("latency"):
        return "latency"
    if metric == "label_coverage":
        return "missing_labels"
    return "volume"


class AlertRule(Params):
    """A threshold on one per-window metric, with the guards that keep false alarms down.

    Parameters
    ----------
    metric : str
        A column of the windows table (``accuracy``, ``roc_auc``,
        ``input_drift_share``, ``latency_p95``, ``volume``, ``label_coverage``...).
    op : {"<", "<=", ">", ">="}
        The comparison that counts as a breach (``value op threshold``).
    threshold : float
    severity : {"info", "warning", "critical"}, default "warning"
    k : int, default 1
        Breaching windows needed to fire.
    n : int, optional
        Out of the last ``n`` windows (``n >= k``); default ``k`` (consecutive).
    min_samples : int, default 0
        A window counts only with at least this many rows: labelled rows for
        model metrics (from :mod:`mlops_kit.metrics`), predictions otherwise.
    cooldown : int, default 0
        Windows after an alert during which the rule does not fire again.
    name : str, optional
        Default ``"<metric> <op> <threshold>"``.
    kind : {"drift", "performance", "latency", "volume", "missing_labels"}, optional
        The runbook that applies; inferred from the metric when omitted.

    Examples
    --------
    >>> AlertRule("roc_auc", "<", 0.7, k=2, n=3, min_samples=100).describe()
    'roc_auc < 0.7 in 2 of 3 windows (min 100 samples, cooldown 0)'
    """

    _parameter_constraints = {
        "metric": [_NAME],
        "op": [Options(*_OPS)],
        "threshold": [Interval(float)],
        "severity": [Options(*SEVERITIES)],
        "k": [Interval(int, 1, None)],
        "n": [None, Interval(int, 1, None)],
        "min_samples": [Interval(int, 0, None)],
        "cooldown": [Interval(int, 0, None)],
        "name": [None, _NAME],
        "kind": [None, Options(*KINDS)],
    }

    def __init__(
        self,
        metric,
        op,
        threshold,
        severity="warning",
        k=1,
        n=None,
        min_samples=0,
        cooldown=0,
        name=None,
        kind=None,
    ):
        self.metric = metric
        self.op = op
        self.threshold = threshold
        self.severity = severity
        self.k = k
        self.n = n
        self.min_samples = min_samples
        self.cooldown = cooldown
        self.name = name
        self.kind = kind

    @property
    def rule_name(self) -> str:
        """The rule's name (given, or built from metric, comparison and threshold)."""
        return self.name or f"{self.metric} {self.op} {self.threshold:g}"

    @property
    def rule_kind(self) -> str:
        """The alert type (given, or inferred from the metric)."""
        return self.kind or _kind_of(self.metric)

    def describe(self) -> str:
        """The rule in words."""
        n = self.n or self.k
        return (
            f"{self.metric} {self.op} {self.threshold:g} in {self.k} of {n} windows "
            f"(min {self.min_samples} samples, cooldown {self.cooldown})"
        )

    def _check_rule(self, columns) -> int:
        self._validate_params()
        n = self.n or self.k
        if n < self.k:
            raise InputError.invalid("n", n, f"an integer >= k ({self.k})")
        if self.metric not in columns:
            raise InputError.invalid(
                "metric", self.metric, f"a column of the windows table: {sorted(columns)}"
            )
        return n

    def breaches(self, result) -> pd.Series:
        """Per window: True when it counts (enough samples) and breaches the threshold.

        Examples
        --------
        >>> import pandas as pd
        >>> from mlops_kit.monitoring.result import MonitoringResult
        >>> r = MonitoringResult(pd.DataFrame({"volume": [5, 500], "latency_p95": [90.0, 90.0]}))
        >>> AlertRule("latency_p95", ">", 50.0, min_samples=100).breaches(r).tolist()
        [False, True]
        """
        from mlops_kit.metrics import METRICS

        w = result.windows
        self._check_rule(w.columns)
        size_col = "n_labelled" if self.metric in METRICS and "n_labelled" in w else "volume"
        sizes = w[size_col] if size_col in w else pd.Series(math.inf, index=w.index)
        values = pd.to_numeric(w[self.metric].astype(object), errors="coerce").astype(float)
        compare = _OPS[self.op]
        return pd.Series(
            [
                bool(math.isfinite(v) and s >= self.min_samples and compare(v, self.threshold))
                for v, s in zip(values, sizes, strict=True)
            ],
            index=w.index,
        )

    def check(self, result) -> list[Alert]:
        """Return the alerts this rule raises over the windows of ``result``, in time order."""
        n = self._check_rule(result.windows.columns)
        hits = self.breaches(result).tolist()
        w = result.windows
        alerts, quiet_until = [], -1
        for i in range(len(hits)):
            recent = sum(hits[max(0, i - n + 1) : i + 1])
            if hits[i] and recent >= self.k and i > quiet_until:
                alerts.append(
                    Alert(
                        rule=self.rule_name,
                        kind=self.rule_kind,
                        severity=self.severity,
                        metric=self.metric,
                        op=self.op,
                        threshold=float(self.threshold),
                        value=float(w[self.metric].iloc[i]),
                        window_start=_iso(w, "window_start", i),
                        window_end=_iso(w, "window_end", i),
                        breaches=int(recent),
                        of=n,
                    )
                )
                quiet_until = i + self.cooldown
        return alerts


def _iso(frame, column, i) -> str:
    if column not in frame:
        return str(i)
    value = frame[column].iloc[i]
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class ReplayResult(Result):
    """What a rule set would have done over history: alerts, first detection, false alarms.

    Examples
    --------
    >>> r = ReplayResult([], [{"rule": "x", "alerts": 0}], None)
    >>> r.summary()
    '1 rule, 0 alerts'
    """

    title = "Alert replay"

    def __init__(self, alerts, rules, drift_start):
        self.alerts = list(alerts)
        self.rules = list(rules)
        self.drift_start = drift_start

    def to_frame(self) -> pd.DataFrame:
        """One row a rule: alerts, false alarms before the drift, first detection and delay."""
        return pd.DataFrame(self.rules)

    def alerts_frame(self) -> pd.DataFrame:
        """Every alert raised, one row each."""
        return pd.DataFrame([a.to_dict() for a in self.alerts])

    def to_dict(self) -> dict:
        return jsonable(
            {
                "drift_start": self.drift_start,
                "rules": self.rules,
                "alerts": [a.to_dict() for a in self.alerts],
            }
        )

    def summary(self) -> str:
        n = len(self.rules)
        text = f"{n} rule{'s' if n != 1 else ''}, {len(self.alerts)} alerts"
        if self.drift_start is not None and self.rules:
            false = sum(r.get("false_alarms", 0) for r in self.rules)
            caught = [r for r in self.rules if r.get("first_detection")]
            text += f"; {len(caught)} caught the drift; {false} false alarms before it"
        return text

    def plot(self, ax=None):
        """A timeline: one row per rule, a mark per alert, the drift start as a line."""
        ax = get_ax(ax, figsize=(7, max(2.0, 0.5 * len(self.rules) + 1)))
        names = [r["rule"] for r in self.rules]
        for i, name in enumerate(names):
            times = [
                pd.Timestamp(a.window_start).tz_localize(None)
                for a in self.alerts
                if a.rule == name and a.window_start[:1].isdigit()
            ]
            ax.scatter(times, [i] * len(times), marker="|", s=200)
        ax.set_yticks(range(len(names)), names)
        if self.drift_start is not None:
            ax.axvline(
                pd.Timestamp(self.drift_start).tz_localize(None),
                color="#d62728",
                linestyle="--",
                label="drift starts",
            )
            ax.legend(loc="upper left", fontsize=7)
        ax.set_title(self.summary(), fontsize=9)
        return ax


def replay(rules, result, drift_start=None) -> ReplayResult:
    """Run ``rules`` over the windows of ``result`` and report what they would have raised.

    Parameters
    ----------
    rules : list of AlertRule
    result : MonitoringResult
    drift_start : optional
        When a known drift began: alerts on windows that end by then are
        false alarms; the first alert on a window that ends after it is the
        detection, and ``detection_delay`` the time from the drift start to
        that window's end (when the alert could first be raised).

    Examples
    --------
    >>> import pandas as pd
    >>> from mlops_kit.monitoring.result import MonitoringResult
    >>> s = pd.date_range("2024-01-01", periods=4, freq="D", tz="UTC")
    >>> r = MonitoringResult(pd.DataFrame({"window_start": s, "window_end": s + pd.Timedelta("1D"),
    ...     "volume": [9] * 4, "accuracy": [0.7, 0.9, 0.7, 0.7]}), metrics=["accuracy"])
    >>> out = replay([AlertRule("accuracy", "<", 0.8)], r, drift_start="2024-01-03")
    >>> out.to_frame()[["alerts", "false_alarms", "detection_delay"]].values.tolist()
    [[3, 1, '1 days 00:00:00']]
    """
    if not isinstance(rules, (list, tuple)) or not all(isinstance(r, AlertRule) for r in rules):
        raise InputError.invalid("rules", type(rules).__name__, "a list of AlertRule")
    start = None if drift_start is None else pd.Timestamp(drift_start)
    if start is not None and start.tzinfo is None:
        start = start.tz_localize("UTC")
    alerts, rows = [], []
    for rule in rules:
        raised = rule.check(result)
        alerts += raised
        row = {"rule": rule.rule_name, "kind": rule.rule_kind, "alerts": len(raised)}
        if start is not None:
            ends = [pd.Timestamp(a.window_end) for a in raised]
            before = [e for e in ends if e <= start]
            after = [e for e in ends if e > start]
            row["false_alarms"] = len(before)
            row["first_detection"] = after[0].isoformat() if after else None
            row["detection_delay"] = str(after[0] - start) if after else None
        rows.append(row)
    return ReplayResult(alerts, rows, None if start is None else start.isoformat())


def to_prometheus_rules(rules, window="1d", job="mlops-kit") -> str:
    """Export ``rules`` as a Prometheus alerting-rules file (YAML text).

    Each rule compares the exporter's gauge ``mlops_kit_window_value{metric=...}``
    with the threshold; ``for:`` is ``k`` windows (Prometheus has only
    consecutive duration, so a k-of-n rule is exported as k consecutive windows,
    said in its annotation); ``min_samples`` becomes an ``and`` on the window's
    sample count.

    Parameters
    ----------
    rules : list of AlertRule
    window : str, default "1d"
        The window length as a Prometheus duration (``1h``, ``1d``, ``7d``).

    Examples
    --------
    >>> print(to_prometheus_rules([AlertRule("accuracy", "<", 0.8, k=3, min_samples=50)]))
    ... # doctest: +ELLIPSIS
    groups:
    - name: mlops-kit
      rules:
      - alert: accuracy < 0.8
        expr: mlops_kit_window_value{metric="accuracy"} < 0.8 and on() \
mlops_kit_window_value{metric="n_labelled"} >= 50
        for: 3d
    ...
    """
    import re

    import yaml

    match = re.fullmatch(r"(\d+)([smhdw])", window) if isinstance(window, str) else None
    if match is None:
        raise InputError.invalid("window", window, "a Prometheus duration such as '1h' or '1d'")
    if not isinstance(rules, (list, tuple)) or not all(isinstance(r, AlertRule) for r in rules):
        raise InputError.invalid("rules", type(rules).__name__, "a list of AlertRule")
    from mlops_kit.metrics import METRICS

    amount, unit = int(match.group(1)), match.group(2)
    out = []
    for rule in rules:
        rule._validate_params()
        expr = f'mlops_kit_window_value{{metric="{rule.metric}"}} {rule.op} {rule.threshold:g}'
        if rule.min_samples:
            size = "n_labelled" if rule.metric in METRICS else "volume"
            expr += f' and on() mlops_kit_window_value{{metric="{size}"}} >= {rule.min_samples}'
        note = rule.describe()
        if rule.n and rule.n != rule.k:
            note += f"; exported as {rule.k} consecutive windows"
        out.append(
            {
                "alert": rule.rule_name,
                "expr": expr,
                "for": f"{amount * rule.k}{unit}",
                "labels": {"severity": rule.severity, "kind": rule.rule_kind},
                "annotations": {"summary": note},
            }
        )
    return yaml.safe_dump({"groups": [{"name": job, "rules": out}]}, sort_keys=False, width=200)
