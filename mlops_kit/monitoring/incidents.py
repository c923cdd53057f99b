"""Incident response: a runbook per alert type, a recorded timeline and a priced post-mortem.

``open_incident(alert)`` returns an :class:`Incident` with the runbook's steps
(``runbooks.yaml``: drift, performance drop, latency, volume, missing labels)
and a timeline that starts with the alert. ``record`` adds events (a
rollback, a retrain), ``resolve`` closes it; ``post_mortem`` gives a
:class:`PostMortem` Result with the time to detect, the time to resolve and
the cost, priced with Step 0's cost model (:class:`mlops_kit.roi.RoiInputs`).

Pricing: the source's reference case is drift left unmonitored for six
months, which cost the corrective measures of the cost model ($500k by
default). An incident is priced pro rata on its exposure (from when the
problem started to its resolution) against that six-month case:
``corrective_cost * exposure / 6 months``. It is an estimate from the same
inputs Step 0 uses, stated as such.

Examples
--------
>>> from mlops_kit.monitoring.alerts import Alert
>>> alert = Alert("auc low", "performance", "critical", "roc_auc", "<", 0.7, 0.52,
...               "2023-07-03T00:00:00+00:00", "2023-07-10T00:00:00+00:00", 2, 2)
>>> incident = open_incident(alert, started="2023-07-01")
>>> incident.steps[0][:7]
'Triage:'
>>> incident.record("rolled back to version 2", at="2023-07-11")
>>> incident.resolve(at="2023-07-12")
>>> pm = incident.post_mortem()
>>> str(pm.time_to_detect), str(pm.time_to_resolve), round(pm.cost)
('9 days 00:00:00', '2 days 00:00:00', 30137)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from mlops_kit._yaml import ConfigModel, load_config
from mlops_kit.errors import InputError
from mlops_kit.results import Result, get_ax, jsonable

__all__ = ["Incident", "PostMortem", "load_runbooks", "open_incident"]

RUNBOOKS = Path(__file__).with_name("runbooks.yaml")
SOURCE_CASE = pd.Timedelta(days=182.5)  # six months unmonitored: the source's $500k case


class _Runbook(ConfigModel):
    title: str
    steps: list[str]


@cache
def load_runbooks(path=RUNBOOKS) -> dict:
    """Return ``{kind: {"title", "steps"}}`` from the runbooks YAML (validated).

    Examples
    --------
    >>> sorted(load_runbooks())
    ['drift', 'latency', 'missing_labels', 'performance', 'volume']
    """
    from mlops_kit._yaml import ConfigModel as _Base

    class _File(_Base):
        drift: _Runbook
        performance: _Runbook
        latency: _Runbook
        volume: _Runbook
        missing_labels: _Runbook

    data = load_config(path, _File, "runbooks file")
    return {k: {"title": v.title, "steps": list(v.steps)} for k, v in data}


def _time(value, name):
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise InputError.invalid(name, value, "a time (datetime or ISO string)") from None
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


@dataclass
class Incident:
    """An open (or resolved) incident: its alert, runbook steps and timeline."""

    alert: object
    title: str
    steps: list
    started: pd.Timestamp | None
    timeline: list = field(default_factory=list)
    resolved: pd.Timestamp | None = None

    def record(self, event: str, at=None) -> None:
        """Add an event to the timeline (default: now)."""
        if not isinstance(event, str) or not event.strip():
            raise InputError.invalid("event", event, "a non-empty description")
        stamp = pd.Timestamp.now(tz="UTC") if at is None else _time(at, "at")
        self.timeline.append((stamp, event))

    def resolve(self, at=None) -> None:
        """Close the incident (default: now)."""
        stamp = pd.Timestamp.now(tz="UTC") if at is None else _time(at, "at")
        if stamp < self.timeline[0][0]:
            raise InputError.invalid(
                "at", str(stamp), f"a time after detection ({self.timeline[0][0]})"
            )
        self.resolved = stamp
        self.timeline.append((stamp, "resolved"))

    def post_mortem(self, inputs=None) -> PostMortem:
        """A :class:`PostMortem` priced with Step 0's cost model (``RoiInputs``; default inputs)."""
        from mlops_kit.roi import RoiInputs

        inputs = RoiInputs() if inputs is None else inputs
        detected = self.timeline[0][0]
        end = self.resolved
        ttd = None if self.started is None else detected - self.started
        ttr = None if end is None else end - detected
        exposure = None if (end is None or self.started is None) else end - self.started
        cost = None if exposure is None else inputs.corrective_cost * (exposure / SOURCE_CASE)
        return PostMortem(
            title_text=self.title,
            alert=self.alert.to_dict(),
            timeline=[(t.isoformat(), e) for t, e in self.timeline],
            time_to_detect=ttd,
            time_to_resolve=ttr,
            cost=cost,
            source_case_cost=float(inputs.corrective_cost),
        )


def open_incident(alert, started=None, at=None, runbooks=None) -> Incident:
    """Open an incident for ``alert``: its runbook's steps and a timeline starting with it.

    Parameters
    ----------
    alert : Alert
    started : optional
        When the problem began (e.g. a known drift start), for the time to detect.
    at : optional
        When the alert was raised; default the end of the alert's window.
    runbooks : dict, optional
        Default :func:`load_runbooks`.
    """
    from mlops_kit.monitoring.alerts import Alert

    if not isinstance(alert, Alert):
        raise InputError.invalid("alert", type(alert).__name__, "an Alert")
    book = (runbooks or load_runbooks())[alert.kind]
    when = _time(alert.window_end if at is None else at, "at")
    incident = Incident(
        alert=alert,
        title=f"{book['title']}: {alert.rule}",
        steps=list(book["steps"]),
        started=None if started is None else _time(started, "started"),
    )
    incident.timeline.append((when, alert.message()))
    return incident


class PostMortem(Result):
    """An incident's timeline, time to detect and resolve, and its cost against the source case."""

    title = "Post-mortem"

    def __init__(
        self, title_text, alert, timeline, time_to_detect, time_to_resolve, cost, source_case_cost
    ):
        self.title_text = title_text
        self.alert = alert
        self.timeline = list(timeline)
        self.time_to_detect = time_to_detect
        self.time_to_resolve = time_to_resolve
        self.cost = cost
        self.source_case_cost = source_case_cost

    def to_frame(self) -> pd.DataFrame:
        """The timeline (time, event)."""
        return pd.DataFrame(self.timeline, columns=["time", "event"])

    def to_dict(self) -> dict:
        return jsonable(
            {
                "incident": self.title_text,
                "alert": self.alert,
                "timeline": [{"time": t, "event": e} for t, e in self.timeline],
                "time_to_detect": None if self.time_to_detect is None else str(self.time_to_detect),
                "time_to_resolve": None
                if self.time_to_resolve is None
                else str(self.time_to_resolve),
                "cost": self.cost,
                "source_case_cost": self.source_case_cost,
            }
        )

    def summary(self) -> str:
        parts = [self.title_text]
        if self.time_to_detect is not None:
            parts.append(f"detected after {self.time_to_detect.days} days")
        if self.time_to_resolve is not None:
            parts.append(f"resolved {self.time_to_resolve.days} days later")
        if self.cost is not None:
            parts.append(f"cost ${self.cost:,.0f} vs ${self.source_case_cost:,.0f} for six months")
        return "; ".join(parts)

    def plot(self, ax=None):
        """Cost of this incident beside the source's six-month unmonitored case."""
        ax = get_ax(ax, figsize=(5, 2.5))
        ax.barh(
            ["this incident", "six months unmonitored"],
            [self.cost or 0.0, self.source_case_cost],
            color=["#1f77b4", "#d62728"],
        )
        ax.set_xlabel("corrective cost ($)")
        ax.set_title(self.summary()[:80], fontsize=8)
        return ax
