"""Model performance gates: thresholds, the champion and data slices.

:class:`PerformanceGate` computes the metrics of the registry
(:mod:`mlops_kit.metrics`; by default accuracy, precision, recall, f1, roc_auc;
mae, rmse, r2) for a candidate
model, overall and on named slices, checks them against absolute thresholds
and against the registry's champion evaluated on the same rows, and returns
a :class:`PerformanceReport` (``passed``, ``raise_if_failed()``,
``log_to_mlflow()``, a stable ``to_dict()`` for CI).

Examples
--------
>>> from mlops_kit.validation.performance import PerformanceGate, PerformanceReport
>>> PerformanceReport._example().summary()
'FAILED: 1 of 5 checks; roc_auc on region=north 0.71 < 0.75 (1 skipped)'
"""

from __future__ import annotations

from mlops_kit.metrics import METRICS, infer_task
from mlops_kit.validation.performance.gate import IF_NO_CHAMPION, PerformanceGate
from mlops_kit.validation.performance.result import PerformanceReport
from mlops_kit.validation.performance.thresholds import Threshold, parse_thresholds

__all__ = [
    "IF_NO_CHAMPION",
    "METRICS",
    "PerformanceGate",
    "PerformanceReport",
    "Threshold",
    "infer_task",
    "parse_thresholds",
]
