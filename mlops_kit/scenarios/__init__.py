"""Production failure scenarios, each mapped to the practice that prevents it, runnable.

The catalogue (``catalogue.yaml``, checked when loaded) lists the scenarios:
unmonitored data drift, concept drift, a worse model released, no way to roll
back, an experiment nobody can reproduce, training-serving skew, a silent
data-quality break, an unapproved model in production, and the source's case
(six months of unmonitored drift, $500k of corrective work). :func:`simulate`
replays one on the sample data with the kit's own components, with and without
the practice, and returns a :class:`ScenarioResult` (a timeline of model
quality and cost, when the problem was caught, a chart).

Examples
--------
>>> from mlops_kit.scenarios import catalogue
>>> catalogue().to_frame()["step"].tolist()
[4, 4, 2, 1, 1, 3, 2, 5, 4]
"""

from __future__ import annotations

from mlops_kit._lazy import lazy_exports

#: public name -> module of this package (imported on first use)
_EXPORTS = {
    "Catalogue": "catalogue",
    "Scenario": "catalogue",
    "ScenarioParams": "catalogue",
    "catalogue": "catalogue",
    "load_catalogue": "catalogue",
    "ScenarioResult": "result",
    "simulate": "simulate",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
