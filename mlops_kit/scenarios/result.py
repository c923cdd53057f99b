"""``ScenarioResult``: the timeline of a failure scenario with and without its practice.

Examples
--------
>>> r = ScenarioResult(
...     {"id": "demo", "title": "Demo", "step": 4, "practice": "drift_monitoring"},
...     ["drift_monitoring"],
...     [{"period": 1, "month": "2023-04", "reference_quality": 0.86,
...       "quality_with": 0.86, "quality_without": 0.86, "cost_with": 0.0, "cost_without": 0.0},
...      {"period": 2, "month": "2023-05", "reference_quality": 0.86,
...       "quality_with": 0.86, "quality_without": 0.6, "cost_with": 0.0, "cost_without": 60000.0}],
...     incident_period=2, caught={"with": 2, "without": None},
...     recovered={"with": 2, "without": None}, cost_per_month=83333.0)
>>> r.loss_without, r.caught_without
(60000.0, None)
>>> r.summary().split("; ")[1]
'without: not caught in 2 periods, loss $60,000'
"""

from __future__ import annotations

import html

from mlops_kit.results import Result, get_ax, jsonable

__all__ = ["ScenarioResult"]

ARMS = ("with", "without")


class ScenarioResult(Result):
    """A scenario replayed with and without the practice that prevents it.

    Parameters
    ----------
    scenario : dict
        ``id``, ``title``, ``step``, ``practice`` (and optionally ``description``,
        ``practice_title``, ``source``).
    practices : list of str
        The practices in place in the "with" arm.
    timeline : list of dict
        One row per period: ``period``, ``month``, ``reference_quality`` (the
        original model had nothing gone wrong), ``quality_with``,
        ``quality_without``, ``cost_with``, ``cost_without``.
    incident_period : int
        The period in which the problem starts.
    caught, recovered : dict
        ``{"with": period or None, "without": period or None}``: when the problem was
        caught, and the first period served by a good model again.
    cost_per_month : float
        The cost of a period in which the model lost all of its lift over chance.
    evidence : dict, optional
        ``{"with": [lines], "without": [lines]}``: what the kit's components reported.
    source_figures : dict, optional
        The source's own figures, for a scenario replaying the source's case.
    params : dict, optional
        The simulation's parameters.

    Attributes
    ----------
    loss_with, loss_without : float
        Total cost over the horizon.
    """

    title = "Failure scenario"

    def __init__(
        self,
        scenario,
        practices,
        timeline,
        *,
        incident_period,
        caught,
        recovered,
        cost_per_month,
        evidence=None,
        source_figures=None,
        params=None,
    ):
        self.scenario = dict(scenario)
        self.title = f"Failure scenario: {self.scenario.get('title', self.scenario.get('id'))}"
        self.practices = list(practices)
        self.timeline = [dict(row) for row in timeline]
        self.incident_period = int(incident_period)
        self.caught = {arm: caught.get(arm) for arm in ARMS}
        self.recovered = {arm: recovered.get(arm) for arm in ARMS}
        self.cost_per_month = float(cost_per_month)
        self.evidence = {arm: list((evidence or {}).get(arm, [])) for arm in ARMS}
        self.source_figures = None if source_figures is None else dict(source_figures)
        self.params = dict(params or {})

    # --- figures ----------------------------------------------------------------
    def _loss(self, arm: str) -> float:
        return float(sum(row[f"cost_{arm}"] for row in self.timeline))

    @property
    def loss_with(self) -> float:
        """Total cost with the practice."""
        return self._loss("with")

    @property
    def loss_without(self) -> float:
        """Total cost without the practice."""
        return self._loss("without")

    @property
    def caught_with(self) -> int | None:
        """Period in which the problem was caught with the practice (None: never)."""
        return self.caught["with"]

    @property
    def caught_without(self) -> int | None:
        """Period in which the problem was caught without the practice (None: never)."""
        return self.caught["without"]

    def detection_delay(self, arm: str = "with") -> int | None:
        """Months from the incident to the period it was caught in (0: the same period)."""
        caught = self.caught[arm]
        return None if caught is None else caught - self.incident_period

    # --- the contract -----------------------------------------------------------
    def to_frame(self):
        """One row per period: quality and cost with and without, cumulative costs, events."""
        import pandas as pd

        frame = pd.DataFrame.from_records(self.timeline)
        for arm in ARMS:
            frame[f"cumulative_cost_{arm}"] = frame[f"cost_{arm}"].cumsum()
        events = []
        for period in frame["period"]:
            marks = []
            if period == self.incident_period:
                marks.append("incident")
            for arm in ARMS:
                if self.caught[arm] == period:
                    marks.append(f"caught {arm}")
                if self.recovered[arm] == period and self.recovered[arm] != self.caught[arm]:
                    marks.append(f"recovered {arm}")
            events.append(", ".join(marks))
        frame["events"] = events
        return frame

    def to_dict(self) -> dict:
        return jsonable(
            {
                "scenario": self.scenario,
                "practices": self.practices,
                "incident_period": self.incident_period,
                "caught": self.caught,
                "recovered": self.recovered,
                "loss": {"with": self.loss_with, "without": self.loss_without},
                "cost_per_month": self.cost_per_month,
                "evidence": self.evidence,
                "source_figures": self.source_figures,
                "params": self.params,
                "timeline": self.to_frame().to_dict("records"),
            }
        )

    def _when(self, arm: str) -> str:
        caught = self.caught[arm]
        if caught is None:
            return f"not caught in {len(self.timeline)} periods"
        delay = caught - self.incident_period
        later = "same period" if delay == 0 else f"{delay} month(s) after it started"
        return f"caught in period {caught} ({later})"

    def summary(self) -> str:
        name = self.scenario.get("title", self.scenario.get("id"))
        practice = self.scenario.get("practice")
        with_text = f"with {practice}" if practice in self.practices else "with the practice off"
        return (
            f"{name}: {with_text} {self._when('with')}, loss ${self.loss_with:,.0f}; "
            f"without: {self._when('without')}, loss ${self.loss_without:,.0f}"
        )

    def plot(self, ax=None):
        """Quality per period with and without the practice; cumulative cost on a twin axis."""
        ax = get_ax(ax, figsize=(7, 3.5))
        frame = self.to_frame()
        x = frame["period"]
        ax.plot(x, frame["reference_quality"], color="0.6", ls=":", label="a good model")
        ax.plot(x, frame["quality_with"], marker="o", color="tab:green", label="with the practice")
        ax.plot(x, frame["quality_without"], marker="o", color="tab:red", label="without")
        ax.axvline(self.incident_period, color="0.3", lw=1, ls="--")
        for arm, color in (("with", "tab:green"), ("without", "tab:red")):
            if self.caught[arm] is not None:
                ax.axvline(self.caught[arm] + 0.05 * (arm == "without"), color=color, lw=1)
        ax.set_xlabel("production month (dashed: incident, solid: caught)", fontsize="small")
        ax.set_ylabel("ROC AUC")
        twin = ax.twinx()
        twin.plot(x, frame["cumulative_cost_with"] / 1e3, color="tab:green", alpha=0.4, ls="-.")
        twin.plot(x, frame["cumulative_cost_without"] / 1e3, color="tab:red", alpha=0.4, ls="-.")
        twin.set_ylabel("cumulative cost ($k, dash-dot)")
        ax.set_title(self.scenario.get("title", self.scenario.get("id")))
        ax.legend(loc="lower left", fontsize="small")
        return ax

    def _repr_html_(self) -> str:
        head = super()._repr_html_()
        lines = "".join(
            f"<li><b>{arm}</b>: {html.escape(line)}</li>"
            for arm in ARMS
            for line in self.evidence[arm][:4]
        )
        if not lines:
            return head
        end = head.rfind("</div>")
        return f"{head[:end]}<ul>{lines}</ul>{head[end:]}"

    def log_to_mlflow(self, run_id: str | None = None, *, tracking_uri: str | None = None) -> str:
        """Log the losses and detection periods as metrics and the result as JSON.

        Metrics ``scenario_loss_with``, ``scenario_loss_without`` and, when caught,
        ``scenario_caught_with``/``_without``; artifact ``scenario/<id>.json``. Returns
        the run id (``run_id`` or the active run).
        """
        from mlops_kit.validation.mlflow_log import log_result

        metrics = {"scenario_loss_with": self.loss_with, "scenario_loss_without": self.loss_without}
        for arm in ARMS:
            if self.caught[arm] is not None:
                metrics[f"scenario_caught_{arm}"] = float(self.caught[arm])
        return log_result(
            self,
            metrics,
            f"scenario/{self.scenario.get('id', 'scenario')}.json",
            run_id=run_id,
            tracking_uri=tracking_uri,
        )
