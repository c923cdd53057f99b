"""mlops-kit: a notebook-first MLOps toolkit.

The five-step framework, one subpackage a step, imported lazily so that
``import mlops_kit`` stays fast (mlflow, evidently, scikit-learn and
matplotlib are only imported by the functions that need them):

- ``mlops_kit.maturity``, ``mlops_kit.roi``, ``mlops_kit.stack``: Step 0, assess;
- ``mlops_kit.tracking``: Step 1, versioning and experiment tracking on MLflow;
- ``mlops_kit.validation``: Step 2, automated testing and validation;
- ``mlops_kit.deploy``: Step 3, CI/CD for ML;
- ``mlops_kit.monitoring``: Step 4, monitoring and observability;
- ``mlops_kit.governance``: Step 5, team and governance;
- ``mlops_kit.data``: offline sample data with controllable drift.

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
import os

__version__ = "0.1.0"

_SUBPACKAGES = (
    "data",
    "errors",
    "results",
    "tracking",
    "validation",
    "maturity",
    "roi",
    "stack",
    "deploy",
    "monitoring",
    "governance",
    "scenarios",
    "tour",
)

_HERE = os.path.dirname(__file__)
# only what exists in this checkout (a later issue adds the rest)
_SUBPACKAGES = tuple(
    n
    for n in _SUBPACKAGES
    if os.path.isdir(os.path.join(_HERE, n)) or os.path.isfile(os.path.join(_HERE, n + ".py"))
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
