"""The timeline of a canary rollout: one row per stage, its evidence and its decision.

Examples
--------
>>> stage = {"stage": 1, "percent": 5.0, "decision": "abort", "n_champion": 950,
...          "n_challenger": 50, "reason": "challenger worse at 5%: A is better (p=0.001)"}
>>> r = CanaryResult([stage], status="aborted", reason=stage["reason"],
...                  model_name="credit-risk", champion_version=1, challenger_version=3)
>>> r.to_frame()["decision"].tolist(), r.final_percent
(['abort'], 0.0)
>>> r.summary()
'ABORTED credit-risk v3 at 5%: challenger worse at 5%: A is better'
"""

from __future__ import annotations

from typing import ClassVar

from mlops_kit.results import Result, get_ax, jsonable

__all__ = ["COLUMNS", "SCHEMA", "STATUSES", "CanaryResult"]

SCHEMA = "mlops_kit.canary_result/1"
STATUSES = ("promoted", "aborted", "held", "completed")
COLUMNS = [
    "stage",
    "percent",
    "decision",
    "n_champion",
    "n_challenger",
    "min_challenger",
    "champion_value",
    "challenger_value",
    "difference",
    "ci_low",
    "ci_high",
    "p_value",
    "reason",
]
_COLORS = {"advance": "tab:blue", "promote": "tab:green", "hold": "tab:orange", "abort": "tab:red"}


class CanaryResult(Result):
    """What a :class:`~mlops_kit.deploy.canary.CanaryRollout` did, stage by stage.

    ``status`` is ``"promoted"`` (the challenger is now the champion),
    ``"aborted"`` (traffic back to the champion, challenger alias moved back),
    ``"held"`` (not enough traffic for a stage, or an approval the model's
    governance policy requires before 100% is missing; nothing moved) or
    ``"completed"`` (a schedule that ends below 100%).

    Examples
    --------
    >>> stage = {"stage": 1, "percent": 100.0, "decision": "promote", "reason": "passed"}
    >>> CanaryResult([stage], status="promoted", reason="passed", model_name="m",
    ...              champion_version=1, challenger_version=2).final_percent
    100.0
    """

    title: ClassVar[str] = "Canary rollout"

    def __init__(
        self,
        stages,
        *,
        status: str,
        reason: str,
        model_name: str,
        champion_version: int,
        challenger_version: int,
        champion_alias: str = "champion",
        challenger_alias: str = "challenger",
        run_id: str | None = None,
        tracking_uri: str | None = None,
    ):
        self.stages = [dict(s) for s in stages]
        self.status = status
        self.reason = reason
        self.model_name = model_name
        self.champion_version = champion_version
        self.challenger_version = challenger_version
        self.champion_alias = champion_alias
        self.challenger_alias = challenger_alias
        self.run_id = run_id
        self.tracking_uri = tracking_uri

    @property
    def final_percent(self) -> float:
        """The challenger's share of traffic when the rollout ended."""
        if self.status == "aborted" or not self.stages:
            return 0.0
        if self.status == "held" and self.stages[-1]["percent"] >= 100:
            # held before the last stage (an approval missing): the previous share stays
            return float(self.stages[-2]["percent"]) if len(self.stages) > 1 else 0.0
        return float(self.stages[-1]["percent"])

    @property
    def promoted(self) -> bool:
        """True when the challenger became the champion."""
        return self.status == "promoted"

    def summary(self) -> str:
        who = f"{self.model_name} v{self.challenger_version}"
        # an abort names the stage it stopped at; otherwise the share the challenger keeps
        share = self.stages[-1]["percent"] if self.status == "aborted" else self.final_percent
        at = f" at {share:g}%" if self.stages else ""
        head = {
            "promoted": f"PROMOTED {who} to {self.champion_alias}",
            "aborted": f"ABORTED {who}{at}",
            "held": f"HELD {who}{at}",
            "completed": f"COMPLETED {who}{at}",
        }.get(self.status, f"{self.status} {who}")
        reason = self.reason.split(";")[0].split(" (")[0][:160]
        return f"{head}: {reason}" if reason else head

    def to_dict(self) -> dict:
        """A stable JSON-ready dict (``schema`` names its version)."""
        return {
            "schema": SCHEMA,
            "title": self.title,
            "status": self.status,
            "summary": self.summary(),
            "reason": self.reason,
            "model_name": self.model_name,
            "champion_version": self.champion_version,
            "challenger_version": self.challenger_version,
            "champion_alias": self.champion_alias,
            "challenger_alias": self.challenger_alias,
            "final_percent": self.final_percent,
            "run_id": self.run_id,
            "tracking_uri": self.tracking_uri,
            "stages": jsonable(self.stages),
        }

    def to_frame(self):
        import pandas as pd

        frame = pd.DataFrame([{c: s.get(c) for c in COLUMNS} for s in self.stages], columns=COLUMNS)
        for col in (
            "champion_value",
            "challenger_value",
            "difference",
            "ci_low",
            "ci_high",
            "p_value",
        ):
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
        return frame

    def plot(self, ax=None):
        """The timeline: the challenger's traffic share per stage, coloured by decision,
        with the two arms' accuracy written above each bar."""
        ax = get_ax(ax, figsize=(6, 3.2))
        labels = [f"{s['stage']}: {s['percent']:g}%" for s in self.stages]
        colors = [_COLORS.get(s["decision"], "gray") for s in self.stages]
        ax.bar(labels, [s["percent"] for s in self.stages], color=colors)
        for x, s in enumerate(self.stages):
            text = s["decision"]
            if s.get("challenger_value") is not None:
                text += f"\n{s['challenger_value']:.3f} vs {s['champion_value']:.3f}"
            ax.text(x, s["percent"] + 2, text, ha="center", va="bottom", fontsize=7)
        ax.set_ylim(0, 125)
        ax.set_ylabel("challenger traffic %")
        ax.set_title(self.summary()[:70], fontsize=9)
        return ax

    def log_to_mlflow(self, run_id: str | None = None, *, tracking_uri: str | None = None) -> str:
        """Log the final status and the JSON to ``run_id`` (default: the rollout's own run)."""
        from mlops_kit.validation.mlflow_log import log_result

        return log_result(
            self,
            {"canary.final_percent": self.final_percent},
            "canary/result.json",
            run_id=run_id or self.run_id,
            tags={"mlops_kit.canary.status": self.status},
            tracking_uri=tracking_uri or (self.tracking_uri if run_id is None else None),
        )
