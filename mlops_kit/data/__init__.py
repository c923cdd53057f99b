"""Offline sample data with a known concept and controllable drift.

Two generators, deterministic from a seed, nothing downloaded:

- :func:`make_credit`: loan applications with a binary ``default`` target
  (classification, base rate about 15%);
- :func:`make_demand`: daily product demand per store with a float ``demand``
  target (regression).

Each frame is sorted by its time column and marked with
``df.attrs["mlops_kit_dataset"]``; the concept that drew its target is
available through :func:`get_concept`, so :func:`inject_drift` can add
covariate, category-mix, concept or label drift and redraw targets
faithfully. :func:`split_reference_current` cuts a frame at a time into the
reference and current windows a drift check compares.

Examples
--------
>>> from mlops_kit.data import inject_drift, make_credit, split_reference_current
>>> df = make_credit(n_rows=2_000, seed=0)
>>> drifted = inject_drift(df, "covariate", columns=["income"], severity=0.5)
>>> reference, current = split_reference_current(drifted)
>>> bool(current["income"].mean() > reference["income"].mean())
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_kit._lazy import lazy_exports

__all__ = [
    "DRIFT_KINDS",
    "CreditConcept",
    "DemandConcept",
    "DriftSpec",
    "LinearConcept",
    "get_concept",
    "inject_drift",
    "make_credit",
    "make_demand",
    "split_reference_current",
]

_WHERE = {
    "CreditConcept": "credit",
    "make_credit": "credit",
    "DemandConcept": "demand",
    "make_demand": "demand",
    "LinearConcept": "concept",
    "get_concept": "concept",
    "DRIFT_KINDS": "drift",
    "inject_drift": "drift",
    "DriftSpec": "spec",
    "split_reference_current": "split",
}

if TYPE_CHECKING:  # pragma: no cover
    from mlops_kit.data.concept import LinearConcept, get_concept
    from mlops_kit.data.credit import CreditConcept, make_credit
    from mlops_kit.data.demand import DemandConcept, make_demand
    from mlops_kit.data.drift import DRIFT_KINDS, inject_drift
    from mlops_kit.data.spec import DriftSpec
    from mlops_kit.data.split import split_reference_current


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, globals())
