"""Step 3: CI/CD for ML — serving, blue-green and routed rollouts over registry aliases.

Public names are imported lazily, so ``import mlops_kit.deploy`` does not
import mlflow until a function needs it.

- real serving: :func:`serve` starts MLflow's scoring server for a registered
  model and returns a :class:`ModelServer` (``url``, ``pid``, ``predict``, ``stop``);
- :class:`Router`: a threaded HTTP router in front of N scoring servers, with
  weights changed atomically at run time (what canary rollouts drive);
- :class:`BlueGreen`: two live environments and a ``live`` alias switched
  (and switched back) through Step 1's alias history.

Examples
--------
>>> from mlops_kit import deploy
>>> "serve" in dir(deploy)
True
"""

from __future__ import annotations

from mlops_kit._lazy import lazy_exports

#: public name -> submodule that defines it (one entry per line, alphabetical)
_EXPORTS: dict[str, str] = {
    "BlueGreen": "bluegreen",
    "ModelServer": "serving",
    "Router": "router",
    "serve": "serving",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
