"""The decision of a rollback policy: fire or not, why, and what was done.

Examples
--------
>>> import pandas as pd
>>> from mlops_kit.validation.rollback import RollbackPolicy
>>> windows = pd.DataFrame({"accuracy": [0.86, 0.74, 0.72], "drift_share": [0.1, 0.6, 0.3]})
>>> policy = RollbackPolicy(["accuracy < 0.8", "drift_share > 0.5"], model_name="credit")
>>> decision = policy.check(windows)
>>> decision.fire
True
>>> decision.reasons[0]["rule"]
'accuracy < 0.8'
"""

from __future__ import annotations

from typing import ClassVar

from mlops_kit.results import Result, get_ax, jsonable

__all__ = ["COLUMNS", "SCHEMA", "RollbackDecision"]

SCHEMA = "mlops_kit.rollback_decision/1"
#: columns of :meth:`RollbackDecision.to_frame`, one row per rule
COLUMNS = [
    "rule",
    "metric",
    "op",
    "bound",
    "previous",
    "mode",
    "min_consecutive",
    "n_windows",
    "n_violations",
    "streak",
    "mean",
    "last_value",
    "status",
    "fired",
    "detail",
]


class RollbackDecision(Result):
    """Whether a :class:`~mlops_kit.validation.rollback.RollbackPolicy` fires, and why.

    Attributes
    ----------
    fire : bool
        True when at least one rule fired.
    reasons : list of dict
        One per fired rule: ``rule``, ``metric``, ``observed`` (the violating
        values, or the mean), ``bound``, ``windows`` (their labels), ``mode``
        and ``text`` (one readable line).
    outcomes : list of dict
        Every rule's evaluation (per-window values and violations included).
    action : dict
        What :meth:`RollbackPolicy.apply` did: ``status`` is ``"pending"``
        (not applied yet), ``"no_action"`` (did not fire), ``"dry_run"``
        (would have rolled back) or ``"rolled_back"``; with ``from_version``,
        ``to_version``, ``run_id`` (the MLflow run recording it) and ``note``.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlops_kit.validation.rollback import RollbackPolicy
    >>> windows = pd.DataFrame({"accuracy": [0.86, 0.74, 0.72], "drift_share": [0.1, 0.6, 0.3]})
    >>> policy = RollbackPolicy(["accuracy < 0.8", "drift_share > 0.5"], model_name="credit")
    >>> policy.check(windows).to_frame()[["rule", "fired"]].values.tolist()
    [['accuracy < 0.8', True], ['drift_share > 0.5', False]]
    """

    title: ClassVar[str] = "Rollback decision"

    def __init__(self, outcomes, *, model_name, alias="champion", dry_run=False, action=None):
        self.outcomes = [dict(o) for o in outcomes]
        self.model_name = model_name
        self.alias = alias
        self.dry_run = bool(dry_run)
        self.action = dict(action or {"status": "pending"})

    @property
    def fire(self) -> bool:
        """True when at least one rule fired."""
        return any(o["fired"] for o in self.outcomes)

    @property
    def reasons(self) -> list[dict]:
        """The fired rules' reasons (see the class docstring)."""
        return [o["reason"] for o in self.outcomes if o["fired"] and o.get("reason")]

    @property
    def reason_text(self) -> str:
        """The reasons as one line (recorded in the alias history on rollback)."""
        return "; ".join(r["text"] for r in self.reasons)

    def with_action(self, **action) -> RollbackDecision:
        """Return a copy of this decision with ``action`` set (by ``RollbackPolicy.rollback``)."""
        return type(self)(
            self.outcomes,
            model_name=self.model_name,
            alias=self.alias,
            dry_run=self.dry_run,
            action=action,
        )

    def summary(self) -> str:
        target = f"{self.model_name}@{self.alias}"
        act = self.action
        moved = f"v{act.get('from_version')} -> v{act.get('to_version')}"
        if not self.fire:
            quiet = [o for o in self.outcomes if o["n_violations"]]
            tail = f"; {quiet[0]['rule']}: {quiet[0]['note']}" if quiet and quiet[0]["note"] else ""
            return f"NO ROLLBACK of {target}: 0 of {len(self.outcomes)} rules fired{tail}"
        fired = sum(o["fired"] for o in self.outcomes)
        head = {
            "rolled_back": f"ROLLED BACK {target} {moved}",
            "dry_run": f"ROLLBACK (dry run, alias not moved) of {target}: would move {moved}",
        }.get(act.get("status"), f"ROLLBACK of {target} triggered")
        return f"{head}: {fired} of {len(self.outcomes)} rules fired; {self.reasons[0]['text']}"

    def to_dict(self) -> dict:
        """A stable JSON-ready dict (``schema`` names its version); includes ``fire``."""
        return {
            "schema": SCHEMA,
            "title": self.title,
            "fire": self.fire,
            "summary": self.summary(),
            "model_name": self.model_name,
            "alias": self.alias,
            "dry_run": self.dry_run,
            "action": jsonable(self.action),
            "reasons": jsonable(self.reasons),
            "rules": jsonable(self.outcomes),
        }

    def to_frame(self):
        import pandas as pd

        rows = []
        for o in self.outcomes:
            finite = [v for v in o["values"] if v is not None]
            detail = o["reason"]["text"] if o.get("reason") else o.get("note")
            rows.append({**o, "last_value": finite[-1] if finite else None, "detail": detail})
        frame = pd.DataFrame(rows).reindex(columns=COLUMNS)
        for col in ("bound", "previous", "mean", "last_value"):
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
        return frame

    def plot(self, ax=None):
        """Each rule's metric over the windows, its bound dashed, violations marked ``x``."""
        ax = get_ax(ax, figsize=(7, 3.5))
        for i, o in enumerate(self.outcomes):
            color = f"C{i % 10}"
            xs = list(range(len(o["values"])))
            ys = [float("nan") if v is None else v for v in o["values"]]
            ax.plot(
                xs,
                ys,
                marker="o",
                ms=3,
                color=color,
                lw=2.2 if o["fired"] else 1.2,
                label=o["rule"],
            )
            if o["bound"] is not None:
                ax.axhline(o["bound"], color=color, ls="--", lw=1)
            bad = [x for x, flag in zip(xs, o["violations"]) if flag]
            if bad:
                ax.scatter(bad, [ys[x] for x in bad], marker="x", s=60, color="red", zorder=3)
        labels = self.outcomes[0]["labels"] if self.outcomes else []
        if labels:
            step = max(1, len(labels) // 8)
            ax.set_xticks(range(0, len(labels), step))
            ax.set_xticklabels(labels[::step], rotation=30, ha="right", fontsize=8)
        ax.set_xlabel("window")
        ax.set_title(f"{self.title}: {'FIRE' if self.fire else 'no rollback'}")
        if self.outcomes:
            ax.legend(fontsize=8)
        return ax

    def log_to_mlflow(
        self, run_id: str | None = None, *, prefix: str = "rollback", tracking_uri=None
    ) -> str:
        """Log ``<prefix>_fire`` (1/0) and ``<prefix>_n_fired`` plus ``<prefix>/decision.json``.

        Logs to ``run_id`` or, when None, the active MLflow run; returns the run id.
        (:meth:`RollbackPolicy.rollback` records its own run of the decision.)

        Examples
        --------
        >>> import tempfile
        >>> import pandas as pd
        >>> from mlops_kit.tracking import start_run
        >>> from mlops_kit.validation.rollback import RollbackPolicy
        >>> decision = RollbackPolicy(["accuracy < 0.8"], model_name="credit").check(
        ...     pd.DataFrame({"accuracy": [0.7, 0.7]}))
        >>> with start_run("demo", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/m.db") as run:
        ...     _ = decision.log_to_mlflow()
        >>> run.client.get_run(run.run_id).data.metrics
        {'rollback_fire': 1.0, 'rollback_n_fired': 1.0}
        """
        from mlops_kit.validation.mlflow_log import log_result

        metrics = {
            f"{prefix}_fire": float(self.fire),
            f"{prefix}_n_fired": float(sum(bool(o["fired"]) for o in self.outcomes)),
        }
        return log_result(
            self, metrics, f"{prefix}/decision.json", run_id=run_id, tracking_uri=tracking_uri
        )
