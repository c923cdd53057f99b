"""Step 3: CI/CD for ML (pipeline and gates, canary rollouts, KServe export, CI templates).

Public names are imported lazily, so ``import mlops_kit.deploy`` stays light.
Add a feature in its own module and list its public names in ``_EXPORTS``
(one entry per line, alphabetical).

Examples
--------
>>> import mlops_kit.deploy as deploy
>>> "Pipeline" in dir(deploy)
True
"""

from __future__ import annotations

from mlops_kit._lazy import lazy_exports

#: public name -> module (relative to this package) that defines it
_EXPORTS: dict[str, str] = {
    "CanaryResult": "canary_result",
    "CanaryRollout": "canary",
    "DEFAULT_SCHEDULE": "canary",
    "HttpTrafficSplit": "canary_router",
    "Pipeline": "pipeline",
    "PipelineResult": "pipeline_result",
    "Stage": "pipeline",
    "TrafficSplit": "canary_router",
    "check_schedule": "canary",
    "default_stages": "pipeline_stages",
    "kserve_manifests": "kserve",
    "min_sample": "canary",
    "write_ci": "ci_init",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
