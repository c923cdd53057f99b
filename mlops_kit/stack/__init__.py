"""Step 0: an MLOps tool stack fit to team size, budget and complexity.

- :func:`recommend`: one pick per category with its reason and approximate monthly
  cost, the total against the budget, and the Git-based versus database-backed
  versioning choice (a :class:`StackRecommendation`);
- :func:`load_catalogue`: the tool catalogue (``catalogue.yaml``, checked on load).

Costs are approximate list prices or planning estimates as of the catalogue's
date (2026); check current prices before budgeting. The total feeds the ROI
model: ``RoiInputs.from_stack(rec)``.

Examples
--------
>>> from mlops_kit.stack import recommend
>>> rec = recommend(team_size=5, monthly_budget=2000, complexity="medium")
>>> rec.within_budget
True
"""

from __future__ import annotations

from mlops_kit._lazy import lazy_exports

#: public name -> submodule that defines it
_EXPORTS: dict[str, str] = {
    "CATEGORIES": "catalogue",
    "COMPLEXITIES": "catalogue",
    "Catalogue": "catalogue",
    "Tool": "catalogue",
    "load_catalogue": "catalogue",
    "recommend": "recommend",
    "StackRecommendation": "results",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
