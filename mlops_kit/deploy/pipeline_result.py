"""The result of a :class:`~mlops_kit.deploy.pipeline.Pipeline` run: stages, status, time, run.

Examples
--------
>>> stage = {"step": 1, "stage": "gate", "gate": True, "status": "failed", "seconds": 0.2,
...          "message": "roc_auc 0.71 < 0.75", "metrics": {}}
>>> r = PipelineResult([stage], seconds=0.2)
>>> r.status, r.failed_stage
('failed', 'gate')
>>> r.summary()
'Pipeline FAILED at gate gate: roc_auc 0.71 < 0.75'
"""

from __future__ import annotations

from typing import ClassVar

from mlops_kit.results import Result, get_ax, jsonable

__all__ = ["COLUMNS", "SCHEMA", "PipelineResult"]

SCHEMA = "mlops_kit.pipeline_result/1"
#: columns of :meth:`PipelineResult.to_frame`
COLUMNS = ["step", "stage", "gate", "status", "seconds", "message"]
_COLORS = {
    "passed": "tab:green",
    "failed": "tab:red",
    "error": "tab:purple",
    "skipped": "lightgray",
}


class PipelineResult(Result):
    """Stages (status, seconds, message, metrics), overall status and a link to the MLflow run.

    ``status`` is ``"passed"`` (no stage failed or raised), ``"failed"`` (a gate
    failed, or a non-gate stage reported a failure) or ``"error"`` (a stage raised).
    ``context`` is the stages' shared dict (the model, the data, ...); it is not
    part of :meth:`to_dict`.

    Examples
    --------
    >>> stage = {"step": 1, "stage": "train", "gate": False, "status": "passed",
    ...          "seconds": 1.5, "message": "", "metrics": {"rows": 1000.0}}
    >>> r = PipelineResult([stage], seconds=1.5, run_id="abc123", experiment_id="1",
    ...                    tracking_uri="sqlite:///mlruns.db")
    >>> r.summary(), r.metrics()
    ('Pipeline PASSED: 1 of 1 stages', {'train.rows': 1000.0})
    >>> r.run_link
    'sqlite:///mlruns.db#/experiments/1/runs/abc123'
    """

    title: ClassVar[str] = "Pipeline"

    def __init__(
        self,
        stages,
        *,
        seconds: float,
        run_id: str | None = None,
        experiment_id: str | None = None,
        tracking_uri: str | None = None,
        context: dict | None = None,
    ):
        self.stages = [dict(s) for s in stages]
        self.seconds = float(seconds)
        self.run_id = run_id
        self.experiment_id = experiment_id
        self.tracking_uri = tracking_uri
        self.context = context if context is not None else {}

    @property
    def status(self) -> str:
        """``"error"``, ``"failed"`` or ``"passed"`` (the worst stage status)."""
        statuses = {s["status"] for s in self.stages}
        return "error" if "error" in statuses else "failed" if "failed" in statuses else "passed"

    @property
    def passed(self) -> bool:
        """True when every stage passed."""
        return self.status == "passed"

    @property
    def failed_stage(self) -> str | None:
        """Name of the first stage that failed or raised, or None."""
        return next((s["stage"] for s in self.stages if s["status"] in ("failed", "error")), None)

    @property
    def run_link(self) -> str | None:
        """Where the run is: ``<tracking URI>#/experiments/<id>/runs/<run id>`` (MLflow UI path)."""
        if self.run_id is None:
            return None
        return f"{self.tracking_uri}#/experiments/{self.experiment_id}/runs/{self.run_id}"

    def metrics(self) -> dict:
        """Every stage metric as ``{"<stage>.<metric>": value}``."""
        return {f"{s['stage']}.{k}": v for s in self.stages for k, v in s["metrics"].items()}

    def summary(self) -> str:
        n = len(self.stages)
        if self.status == "passed":
            return f"Pipeline PASSED: {n} of {n} stages"
        bad = next(s for s in self.stages if s["status"] in ("failed", "error"))
        kind = "gate " if bad["gate"] and bad["status"] == "failed" else "stage "
        verb = "FAILED" if bad["status"] == "failed" else "ERROR"
        why = f": {bad['message']}" if bad["message"] else ""
        return f"Pipeline {verb} at {kind}{bad['stage']}{why}"

    def to_dict(self) -> dict:
        """A stable JSON-ready dict (``schema`` names its version)."""
        return {
            "schema": SCHEMA,
            "title": self.title,
            "status": self.status,
            "passed": self.passed,
            "summary": self.summary(),
            "failed_stage": self.failed_stage,
            "seconds": self.seconds,
            "run_id": self.run_id,
            "experiment_id": self.experiment_id,
            "tracking_uri": self.tracking_uri,
            "stages": jsonable(self.stages),
        }

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([{c: s[c] for c in COLUMNS} for s in self.stages], columns=COLUMNS)

    def plot(self, ax=None):
        """Horizontal bars: seconds per stage, coloured by status."""
        ax = get_ax(ax, figsize=(6, 0.4 * len(self.stages) + 1))
        names = [f"{s['step']}. {s['stage']}" for s in self.stages][::-1]
        secs = [s["seconds"] for s in self.stages][::-1]
        colors = [_COLORS.get(s["status"], "gray") for s in self.stages][::-1]
        ax.barh(names, secs, color=colors)
        for y, s in enumerate(self.stages[::-1]):
            ax.text(s["seconds"], y, f" {s['status']}", va="center", fontsize=8)
        ax.set_xlabel("seconds")
        ax.set_title(self.summary()[:80], fontsize=9)
        return ax

    def log_to_mlflow(self, run_id: str | None = None, *, tracking_uri: str | None = None) -> str:
        """Log the stage outcomes and the JSON to ``run_id`` (default: the pipeline's own run)."""
        from mlops_kit.validation.mlflow_log import log_result

        metrics = {f"pipeline.{s['step']}_{s['stage']}.seconds": s["seconds"] for s in self.stages}
        metrics.update(self.metrics())
        return log_result(
            self,
            metrics,
            "pipeline/result.json",
            run_id=run_id or self.run_id,
            tags={"mlops_kit.pipeline.status": self.status},
            tracking_uri=tracking_uri or (self.tracking_uri if run_id is None else None),
        )
