"""Automated rollback triggers over recent monitoring windows.

A :class:`RollbackPolicy` holds rules (a metric below or above a bound, a
drop against the previous version, drift share above a bound). Its
:meth:`~RollbackPolicy.check` reads a table of monitoring windows and
returns a :class:`RollbackDecision` (it never moves anything); a rule fires
only when the last ``min_consecutive`` windows violate it (or, if configured,
their mean does), so one noisy window raises no false alarm. The explicit
action :meth:`~RollbackPolicy.rollback` then rolls the registry alias back
with the reasons recorded in the alias history and in an MLflow run, unless
``dry_run``.

Examples
--------
>>> import pandas as pd
>>> from mlops_kit.validation.rollback import RollbackPolicy
>>> windows = pd.DataFrame({"accuracy": [0.86, 0.74, 0.72]})
>>> RollbackPolicy(["accuracy < 0.8"], model_name="credit").check(windows).fire
True
"""

from __future__ import annotations

from mlops_kit._lazy import lazy_exports

#: public name -> submodule that defines it (one entry per line, alphabetical)
_EXPORTS: dict[str, str] = {
    "EXPERIMENT": "policy",
    "MODES": "rules",
    "RollbackDecision": "result",
    "RollbackPolicy": "policy",
    "Rule": "rules",
    "parse_rule": "rules",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
