"""Step 0: the cost of failed ML projects and the ROI of MLOps.

The defaults are the source framework's figures, quoted as the source's: a failed
project costs $2.6M (development $800k + opportunity loss $1.0M + corrective
measures $500k + reputational damage $300k) and 87% of models never reach
production (a 2019 industry panel estimate, VentureBeat Transform 2019; Gartner's
2022 survey gives 46%, the ``gartner`` preset). Every input can be changed;
presets and their sources live in ``presets.yaml``. Every result says at which
failure reduction and at how many projects a year MLOps pays back (break-even).

- :class:`RoiInputs`: the inputs (``from_preset``, ``from_stack``, ``replace``);
- :class:`RoiModel`: ``RoiModel(inputs).run() -> RoiResult`` (waterfall chart,
  break-even values, :func:`break_even`);
- :func:`sensitivity`: NPV or ROI when each input moves +-spread (tornado chart);
- :func:`simulate`: Monte Carlo over wide input ranges (distribution, P(ROI>0));
  :func:`describe_ranges` lists the default ranges with their sources;
- :func:`roi_widget`: sliders and a chart that redraws (needs ipywidgets).

Examples
--------
>>> from mlops_kit.roi import RoiInputs, RoiModel
>>> result = RoiModel(RoiInputs.from_preset("gartner", projects_per_year=4)).run()
>>> round(result.expected_loss_per_year)
4784000
"""

from __future__ import annotations

from mlops_kit._lazy import lazy_exports

#: public name -> submodule that defines it
_EXPORTS: dict[str, str] = {
    "FIELDS": "inputs",
    "RoiInputs": "inputs",
    "RoiModel": "model",
    "break_even": "model",
    "evaluate": "model",
    "SimulationResult": "montecarlo",
    "default_ranges": "montecarlo",
    "describe_ranges": "montecarlo",
    "simulate": "montecarlo",
    "get_preset": "presets",
    "list_presets": "presets",
    "load_presets": "presets",
    "RoiResult": "results",
    "SensitivityResult": "sensitivity",
    "sensitivity": "sensitivity",
    "RoiWidget": "widget",
    "roi_widget": "widget",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
