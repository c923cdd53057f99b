"""Log a :class:`PerformanceReport` to the candidate's MLflow run.

Examples
--------
>>> metric_key("region=north", "roc_auc")
'perf.region_north.roc_auc'
>>> metric_key("overall", "f1")
'perf.f1'
"""

from __future__ import annotations

import math
import re

from mlops_kit.errors import InputError, TrackingError

__all__ = ["ARTIFACT", "PASSED_TAG", "log_report", "metric_key"]

PASSED_TAG = "mlops_kit.validation.performance.passed"
FAILED_TAG = "mlops_kit.validation.performance.failed_checks"
ARTIFACT = "mlops_kit/performance_report.json"
_BAD = re.compile(r"[^A-Za-z0-9_\-]+")


def metric_key(slice_name: str, metric: str, suffix: str = "") -> str:
    """Return a valid MLflow metric name for ``metric`` on ``slice_name``."""
    parts = ["perf"]
    if slice_name != "overall":
        parts.append(_BAD.sub("_", slice_name).strip("_") or "slice")
    parts.append(metric)
    if suffix:
        parts.append(suffix)
    return ".".join(parts)[:250]


def _metrics(report) -> dict[str, float]:
    out: dict[str, float] = {}
    for row in report.checks:
        for suffix, key in (("", "value"), ("delta", "delta")):
            value = row.get(key)
            if value is not None and math.isfinite(float(value)):
                out[metric_key(row["slice"], row["metric"], suffix)] = float(value)
    out["perf.passed"] = 1.0 if report.passed else 0.0
    out["perf.failed_checks"] = float(report.n_failed)
    return out


def _resolve(report, run_id, tracking_uri) -> tuple[str, str]:
    import mlflow

    from mlops_kit.tracking.store import resolve_tracking_uri

    if run_id is not None:
        if not isinstance(run_id, str) or not run_id.strip():
            raise InputError.invalid("run_id", run_id, "an MLflow run id string or None")
    elif mlflow.active_run() is not None:
        run_id = mlflow.active_run().info.run_id
        tracking_uri = tracking_uri or mlflow.get_tracking_uri()
    elif report.candidate.get("run_id"):
        run_id = report.candidate["run_id"]
        tracking_uri = tracking_uri or report.candidate.get("tracking_uri")
    else:
        raise TrackingError(
            "No run to log the performance report to: pass run_id=..., call this inside "
            "`with mlflow.start_run():`, or check a registered candidate (its run is used)."
        )
    return run_id, resolve_tracking_uri(tracking_uri)


def log_report(report, *, run_id: str | None = None, tracking_uri: str | None = None) -> str:
    """Log ``report`` (metrics, tags, JSON artifact) and return the run id.

    Nothing is written when the run cannot be found.
    """
    from mlops_kit.validation.mlflow_log import log_result

    run_id, uri = _resolve(report, run_id, tracking_uri)
    tags = {PASSED_TAG: "true" if report.passed else "false", FAILED_TAG: str(report.n_failed)}
    return log_result(
        report, _metrics(report), ARTIFACT, run_id=run_id, tags=tags, tracking_uri=uri
    )
