"""mlops-kit: a notebook-first MLOps toolkit.

The five-step framework, one subpackage a step, imported lazily so that
``import mlops_kit`` stays fast (mlflow, evidently, scikit-learn and
matplotlib are only imported by the functions that need them):

- ``mlops_kit.maturity``, ``mlops_kit.roi``, ``mlops_kit.stack``: Step 0, assess;
- ``mlops_kit.tracking``: Step 1, versioning and experiment tracking on MLflow;
- ``mlops_kit.validation``: Step 2, automated testing and validation;
- ``mlops_kit.deploy``: Step 3, CI/CD for ML;
- ``mlops_kit.monitoring``: Step 4, monitoring and observability;
- ``mlops_kit.governance``: Step 5, roles, RACI, approval gates and model cards;
- ``mlops_kit.app``: the training-room app (Voilà pages and the room's results);
- ``mlops_kit.scenarios``: production failure scenarios mapped to the practice
  that prevents each, replayed with and without it;
- ``mlops_kit.data``: offline sample data with controllable drift;
- ``mlops_kit.metrics``, ``mlops_kit.results``, ``mlops_kit.errors``: the metric
  registry, the Result contract and the exception tree every step shares;
- ``mlops_kit.tour``: the five steps end to end on sample data (``mlops-kit tour``).

Examples
--------
>>> import mlops_kit
>>> mlops_kit.__version__
'0.1.0'
>>> df = mlops_kit.data.make_credit(n_rows=100, seed=0)
>>> len(df)
100
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: the subpackages and public modules that exist (a new step adds its own here)
_SUBPACKAGES = (
    "app",
    "data",
    "deploy",
    "errors",
    "governance",
    "maturity",
    "metrics",
    "monitoring",
    "results",
    "roi",
    "scenarios",
    "stack",
    "tour",
    "tracking",
    "validation",
)

__all__ = ["__version__", *_SUBPACKAGES]


def __getattr__(name: str):
    if name in _SUBPACKAGES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'mlops_kit' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
