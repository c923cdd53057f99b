"""Step 2: automated testing and validation.

Public names are imported lazily (on first access), so ``import
mlops_kit.validation`` stays light. To add a feature, put it in its own module
or subpackage and list its public names in ``_EXPORTS`` (name -> module).

- data drift: :class:`DriftCheck`, :func:`detect_drift`, :class:`DriftResult`
  (:mod:`mlops_kit.validation.drift`);
- data quality: :class:`Expectations`, :class:`QualityCheck`, :class:`QualityReport`
  (:mod:`mlops_kit.validation.quality`);
- model performance gates: :class:`PerformanceGate`, :class:`PerformanceReport`
  (:mod:`mlops_kit.validation.performance`);
- A/B tests: :func:`ab_test`, :func:`sample_size` (:mod:`mlops_kit.validation.abtest`);
- automated rollback triggers: :class:`RollbackPolicy`, :class:`RollbackDecision`
  (:mod:`mlops_kit.validation.rollback`).

Examples
--------
>>> import pandas as pd
>>> from mlops_kit.validation import detect_drift
>>> ref = pd.DataFrame({"city": ["a", "b", "c"] * 20})
>>> detect_drift(ref, ref).dataset_drift
False
"""

from __future__ import annotations

from mlops_kit._lazy import lazy_exports

#: public name -> module (relative to this package) that defines it
_EXPORTS: dict[str, str] = {
    "DriftCheck": "drift",
    "DriftResult": "drift",
    "ColumnDrift": "drift",
    "LargeSampleWarning": "drift",
    "detect_drift": "drift",
    "drift_explorer": "drift",
    "DriftExplorer": "drift",
    "Expectations": "quality",
    "QualityCheck": "quality",
    "QualityReport": "quality",
    "PerformanceGate": "performance",
    "PerformanceReport": "performance",
    "ABTest": "abtest",
    "ABTestResult": "abtest",
    "ab_test": "abtest",
    "sample_size": "abtest",
    "mcnemar_test": "abtest",
    "proportions_test": "abtest",
    "bootstrap_difference": "abtest",
    "RollbackPolicy": "rollback",
    "RollbackDecision": "rollback",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
