"""A/B testing of model versions: which is better, by how much, and how sure.

- :func:`ab_test` / :class:`ABTest`: compare two models on the same rows
  (paired: McNemar's test, paired bootstrap) or on split traffic
  (two-proportion z-test, bootstrap), for any metric of the registry
  (:mod:`mlops_kit.metrics`) with a bootstrap form: accuracy, precision,
  recall, f1, roc_auc, mae, mse, rmse;
  returns an :class:`ABTestResult` whose verdict names the winner with its
  confidence interval and p-value, or says how many rows are needed;
- :func:`sample_size`: rows per arm to detect a change in accuracy;
- :func:`mcnemar_test`, :func:`proportions_test` (:mod:`.stats`) and
  :func:`bootstrap_difference` (:mod:`.bootstrap`): the building blocks.

The statistics come from statsmodels (z-test, Newcomb interval, McNemar,
power) and vectorised numpy resampling (bootstrap); statsmodels is imported
only when a test runs.

Examples
--------
>>> from mlops_kit.validation.abtest import sample_size
>>> sample_size(baseline_accuracy=0.80, min_detectable_difference=0.02)
6036
"""

from __future__ import annotations

from mlops_kit._lazy import lazy_exports

#: public name -> submodule that defines it (one entry per line, alphabetical)
_EXPORTS: dict[str, str] = {
    "ABTest": "compare",
    "ABTestResult": "result",
    "ab_test": "compare",
    "bootstrap_difference": "bootstrap",
    "mcnemar_test": "stats",
    "proportions_test": "stats",
    "sample_size": "stats",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
