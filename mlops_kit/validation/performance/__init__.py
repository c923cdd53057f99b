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
>>> import pandas as pd
>>> from sklearn.dummy import DummyClassifier
>>> from mlops_kit.validation.performance import PerformanceGate
>>> X, y = pd.DataFrame({"x": range(100)}), [0, 1, 1, 1] * 25
>>> PerformanceGate({"accuracy": 0.8}).check(DummyClassifier().fit(X, y), X, y).summary()
'FAILED: 1 of 1 checks; accuracy 0.75 < 0.8'
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
