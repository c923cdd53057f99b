"""Step 3: CI/CD for ML — pipeline and gates, serving, blue-green and canary rollouts.

Public names are imported lazily, so ``import mlops_kit.deploy`` does not
import mlflow until a function needs it. Add a feature in its own module and
list its public names in ``_EXPORTS`` (one entry per line, alphabetical).

- :class:`Pipeline`: ML stages recorded on an MLflow run, stopping at the first
  failing gate (:class:`PipelineResult`);
- real serving: :func:`serve` starts MLflow's scoring server for a registered
  model and returns a :class:`ModelServer` (``url``, ``pid``, ``predict``, ``stop``);
- :class:`Router`: a threaded HTTP router in front of N scoring servers, with
  weights changed atomically at run time (what canary rollouts drive);
- :class:`BlueGreen`: two live environments and a ``live`` alias switched
  (and switched back) through Step 1's alias history;
- canary rollouts (:func:`canary_timeline` shows one live in a notebook),
  KServe manifests and CI templates.

Examples
--------
>>> import mlops_kit.deploy as deploy
>>> "serve" in dir(deploy) and "Pipeline" in dir(deploy)
True
"""

from __future__ import annotations

from mlops_kit._lazy import lazy_exports

#: public name -> submodule that defines it (one entry per line, alphabetical)
_EXPORTS: dict[str, str] = {
    "BlueGreen": "bluegreen",
    "CanaryResult": "canary_result",
    "CanaryRollout": "canary",
    "CanaryTimeline": "canary_widget",
    "DEFAULT_SCHEDULE": "canary",
    "ModelServer": "serving",
    "Pipeline": "pipeline",
    "PipelineResult": "pipeline_result",
    "Router": "router",
    "RouterSplit": "canary_router",
    "Stage": "pipeline",
    "TrafficSplit": "canary_router",
    "canary_timeline": "canary_widget",
    "check_schedule": "canary",
    "default_stages": "pipeline_stages",
    "kserve_manifests": "kserve",
    "min_sample": "canary",
    "serve": "serving",
    "write_ci": "ci_init",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
