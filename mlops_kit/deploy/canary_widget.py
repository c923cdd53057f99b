"""The canary timeline widget: a rollout's stages as they happen, then its decision.

:func:`canary_timeline` takes a :class:`~mlops_kit.deploy.canary.CanaryRollout`
(not yet run) or a finished :class:`~mlops_kit.deploy.canary_result.CanaryResult`.
For a rollout, :meth:`CanaryTimeline.run` runs it in the kernel with the
widget as its ``on_stage`` callback: each stage card shows the challenger's
share, the rows seen against the minimum sample, then the decision (advance,
hold, abort, promote); the table shows the A/B comparison of the two arms
(accuracy, difference and its interval, p-value); the chart is
:meth:`CanaryResult.plot`. A thin layer over the plain API: the rollout does
the work, the widget only draws what it reports.

Stable CSS classes (``mlops-kit-canary-*``) are the hooks of ``tests/browser``.

Examples
--------
>>> from mlops_kit.deploy.canary_result import CanaryResult
>>> stage = {"stage": 1, "percent": 5.0, "decision": "abort", "n_champion": 950,
...          "n_challenger": 50, "min_challenger": 40, "reason": "challenger worse"}
>>> result = CanaryResult([stage], status="aborted", reason="challenger worse",
...                       model_name="credit-risk", champion_version=1, challenger_version=3)
>>> timeline = canary_timeline(result)
>>> timeline.decisions
['abort']
>>> "ABORTED credit-risk v3 at 5%" in timeline.status.value
True
"""

from __future__ import annotations

import html

from mlops_kit._figures import figure_png, import_ipywidgets
from mlops_kit._html import frame_html, message_html
from mlops_kit.errors import InputError

__all__ = ["CanaryTimeline", "canary_timeline"]

#: decision -> (card colour, what it means)
_DECISIONS = {
    "pending": ("#f2f2f2", "waiting"),
    "running": ("#e8f0fe", "collecting rows"),
    "advance": ("#dff0d8", "advance"),
    "promote": ("#c8e6c9", "promote"),
    "hold": ("#fff3cd", "hold"),
    "abort": ("#f8d7da", "abort"),
}
_TABLE = {
    "stage": "stage",
    "percent": "share %",
    "n_champion": "champion rows",
    "n_challenger": "challenger rows",
    "min_challenger": "needed",
    "champion_value": "champion acc.",
    "challenger_value": "challenger acc.",
    "difference": "difference",
    "ci": "95% interval",
    "p_value": "p",
    "decision": "decision",
}


class CanaryTimeline:
    """A live view of a canary rollout. Build it with :func:`canary_timeline`.

    Attributes
    ----------
    rollout : CanaryRollout or None
        The rollout :meth:`run` runs (None for a finished result).
    result : CanaryResult or None
        The result once the rollout ended.
    rows : list of dict
        The latest row of each stage reported so far.
    updates : int
        How many reports the widget drew (one per batch and per decision).
    title, stages, status, table : ipywidgets.HTML
    chart : ipywidgets.Image
    box : ipywidgets.VBox
        The widget (classes ``mlops-kit-canary-timeline``, ``-title``,
        ``-stages``, ``-status``, ``-table``, ``-chart``).

    Examples
    --------
    >>> from mlops_kit.deploy import CanaryRollout
    >>> timeline = canary_timeline(CanaryRollout("credit-risk", 2, schedule=[10, 100]))
    >>> timeline.on_stage({"stage": 1, "percent": 10.0, "decision": "running",
    ...                    "n_champion": 900, "n_challenger": 100, "min_challenger": 700})
    >>> timeline.decisions
    ['running', 'pending']
    >>> "100 of 700 challenger rows" in timeline.status.value
    True
    """

    def __init__(self, rollout=None, result=None):
        from mlops_kit.deploy.canary import check_schedule

        w = import_ipywidgets("canary_timeline")
        self.rollout = rollout
        self.result = None
        self.rows: list[dict] = []
        self.updates = 0
        if rollout is not None:
            self.schedule = check_schedule(rollout.schedule)
            self.model_name, self.challenger = rollout.model_name, rollout.challenger
        else:
            self.schedule = tuple(float(s["percent"]) for s in result.stages)
            self.model_name, self.challenger = result.model_name, result.challenger_version
        full = {"width": "auto"}
        self.title = w.HTML(layout=w.Layout(**full))
        self.stages = w.HTML(layout=w.Layout(**full))
        self.status = w.HTML(layout=w.Layout(**full))
        self.table = w.HTML(layout=w.Layout(**full))
        self.chart = w.Image(format="png", layout=w.Layout(max_width="560px"))
        self.box = w.VBox(
            [self.title, self.stages, self.status, self.table, self.chart],
            layout=w.Layout(**full),
        )
        for part, name in (
            (self.box, "timeline"),
            (self.title, "title"),
            (self.stages, "stages"),
            (self.status, "status"),
            (self.table, "table"),
            (self.chart, "chart"),
        ):
            part.add_class(f"mlops-kit-canary-{name}")
        self.title.value = (
            f"<strong>Canary rollout of {html.escape(str(self.model_name))} "
            f"v{html.escape(str(self.challenger))}</strong>: challenger share "
            + " &rarr; ".join(f"{p:g}%" for p in self.schedule)
        )
        if result is not None:
            self.show(result)
        else:
            self._draw()

    # --- what the rollout reports -------------------------------------------------
    @property
    def decisions(self) -> list[str]:
        """The state of each stage of the schedule: pending, running or its decision."""
        by_stage = {r["stage"]: r["decision"] for r in self.rows}
        return [by_stage.get(i, "pending") for i in range(1, len(self.schedule) + 1)]

    def on_stage(self, row: dict) -> None:
        """Take one report of the rollout (its ``on_stage`` callback) and redraw."""
        row = dict(row)
        self.rows = [r for r in self.rows if r["stage"] != row["stage"]] + [row]
        self.rows.sort(key=lambda r: r["stage"])
        self._draw(chart=row["decision"] != "running")

    def show(self, result) -> None:
        """Draw a finished :class:`~mlops_kit.deploy.canary_result.CanaryResult`."""
        self.result = result
        self.rows = [dict(s) for s in result.stages]
        self._draw(chart=True)

    def run(self, traffic, target: str, router=None):
        """Run the rollout here, drawing each report; return its CanaryResult.

        Parameters
        ----------
        traffic, target, router
            As :meth:`CanaryRollout.run <mlops_kit.deploy.canary.CanaryRollout.run>`.
        """
        if self.rollout is None:
            raise InputError.invalid(
                "rollout_or_result", "a CanaryResult", "a CanaryRollout to run (this one ended)"
            )
        result = self.rollout.run(traffic, target, router, on_stage=self.on_stage)
        self.show(result)
        return result

    # --- drawing ------------------------------------------------------------------
    def _draw(self, chart: bool = False) -> None:
        # the status last: a page showing the final status shows the final table and chart
        self.updates += 1
        self.stages.value = self._cards_html()
        decided = [r for r in self.rows if r["decision"] != "running"]
        if decided:
            self.table.value = _table_html(decided)
            if chart:
                self.chart.value = figure_png(
                    lambda ax: self._partial().plot(ax=ax), figsize=(6, 3)
                )
        else:
            self.table.value = message_html("No stage decided yet.")
        self.status.value = self._status_html()

    def _partial(self):
        """The result so far (the final one once the rollout ended)."""
        if self.result is not None:
            return self.result
        from mlops_kit.deploy.canary_result import CanaryResult

        return CanaryResult(
            [r for r in self.rows if r["decision"] != "running"],
            status="running",
            reason="",
            model_name=self.model_name,
            champion_version=0,
            challenger_version=self.challenger,
        )

    def _cards_html(self) -> str:
        by_stage = {r["stage"]: r for r in self.rows}
        cards = []
        for i, percent in enumerate(self.schedule, start=1):
            row = by_stage.get(i, {})
            decision = row.get("decision", "pending")
            color, meaning = _DECISIONS.get(decision, ("#eee", decision))
            if percent >= 100:
                rows = "all traffic"
            elif row.get("n_challenger") or row.get("min_challenger"):
                need = row.get("min_challenger")
                rows = f"{row.get('n_challenger', 0):,} of {need:,}" if need else "sizing"
                rows = f"challenger rows {rows}"
            else:
                rows = "&nbsp;"
            cards.append(
                f"<div class='mlops-kit-canary-stage' data-stage='{i}' "
                f"data-decision='{html.escape(decision, quote=True)}' "
                f"style='background:{color};border:1px solid #bbb;border-radius:4px;"
                "padding:4px 8px;min-width:150px'>"
                f"<div><strong>Stage {i}: {percent:g}%</strong></div>"
                f"<div>{rows}</div>"
                f"<div class='mlops-kit-canary-decision'>{html.escape(meaning)}</div></div>"
            )
        return "<div style='display:flex;flex-flow:row wrap;gap:6px'>" + "".join(cards) + "</div>"

    def _status_html(self) -> str:
        if self.result is not None:
            kind = {"promoted": "success", "aborted": "error"}.get(self.result.status, "info")
            return message_html(self.result.summary(), kind)
        if not self.rows:
            return message_html("Not started: call .run(traffic, target).")
        last = self.rows[-1]
        if last["decision"] == "running":
            need = last.get("min_challenger")
            have = f"{last.get('n_challenger', 0):,} of {need:,}" if need else "sizing the sample:"
            return message_html(
                f"Stage {last['stage']} ({last['percent']:g}%): {have} challenger rows, "
                f"{last.get('n_champion', 0):,} champion rows"
            )
        return message_html(f"Stage {last['stage']} ({last['percent']:g}%): {last['decision']}")

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def _table_html(rows: list[dict]) -> str:
    import pandas as pd

    frame = pd.DataFrame(rows)
    for col in ("champion_value", "challenger_value", "difference", "ci_low", "ci_high"):
        if col not in frame:
            frame[col] = None
    frame["ci"] = [
        f"[{lo:+.3f}, {hi:+.3f}]" if lo is not None and pd.notna(lo) else ""
        for lo, hi in zip(frame["ci_low"], frame["ci_high"], strict=True)
    ]
    shown = frame.reindex(columns=list(_TABLE)).rename(columns=_TABLE)
    titles = [str(r.get("reason", "")) or None for r in rows]
    return frame_html(shown, what="stages", row_titles=titles)


def canary_timeline(rollout_or_result) -> CanaryTimeline:
    """Show a canary rollout's stages: live while it runs, or a finished result.

    Parameters
    ----------
    rollout_or_result : CanaryRollout or CanaryResult
        A rollout to run with :meth:`CanaryTimeline.run` (the widget updates after
        each batch and decision), or the result of one that ended.

    Returns
    -------
    CanaryTimeline
        Display it in a notebook (``.box``).

    Examples
    --------
    >>> canary_timeline("credit-risk")
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid rollout_or_result: got 'str'; allowed: a CanaryRollout ...
    """
    from mlops_kit.deploy.canary import CanaryRollout
    from mlops_kit.deploy.canary_result import CanaryResult

    if isinstance(rollout_or_result, CanaryRollout):
        rollout_or_result._validate()
        return CanaryTimeline(rollout=rollout_or_result)
    if isinstance(rollout_or_result, CanaryResult):
        return CanaryTimeline(result=rollout_or_result)
    raise InputError.invalid(
        "rollout_or_result",
        type(rollout_or_result).__name__,
        "a CanaryRollout (to run) or a CanaryResult (to show)",
    )
