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

from mlops_kit._lazy import lazy_exports

#: public name -> submodule that defines it (one entry per line, alphabetical)
_EXPORTS: dict[str, str] = {
    "IF_NO_CHAMPION": "gate",
    "PerformanceGate": "gate",
    "PerformanceReport": "result",
    "Threshold": "thresholds",
    "parse_thresholds": "thresholds",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
