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

__all__ = ["ARTIFACT", "PASSED_TAG", "log_report", "metric_key"]

PASSED_TAG = "mlops_kit.validation.performance.passed"
FAILED_TAG = "mlops_kit.validation.performance.failed_checks"
ARTIFACT = "mlops_kit/performance_report.json"
_BAD = re.compile(r"[^A-Za-z0-9_\-]+")


def metric_key(slice_name: str, metric: str, suffix: str = "", prefix: str = "perf") -> str:
    """Return a valid MLflow metric name for ``metric`` on ``slice_name``."""
    parts = [prefix]
    if slice_name != "overall":
        parts.append(_BAD.sub("_", slice_name).strip("_") or "slice")
    parts.append(metric)
    if suffix:
        parts.append(suffix)
    return ".".join(parts)[:250]


def _metrics(report, prefix: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for row in report.checks:
        for suffix, key in (("", "value"), ("delta", "delta")):
            value = row.get(key)
            if value is not None and math.isfinite(float(value)):
                out[metric_key(row["slice"], row["metric"], suffix, prefix)] = float(value)
    out[f"{prefix}.passed"] = 1.0 if report.passed else 0.0
    out[f"{prefix}.failed_checks"] = float(report.n_failed)
    return out


def log_report(report, *, run_id=None, prefix: str = "perf", tracking_uri=None) -> str:
    """Log ``report`` (metrics, tags, JSON artifact) and return the run id.

    The run is ``run_id``, else the active run, else the candidate's run.
    Nothing is written when the run cannot be found.
    """
    from mlops_kit.validation.mlflow_log import log_result

    tags = {PASSED_TAG: "true" if report.passed else "false", FAILED_TAG: str(report.n_failed)}
    fallback = (report.candidate.get("run_id"), report.candidate.get("tracking_uri"))
    return log_result(
        report,
        _metrics(report, prefix),
        ARTIFACT,
        run_id=run_id,
        tags=tags,
        tracking_uri=tracking_uri,
        fallback_run=fallback,
    )
