"""Step 5: team and governance (plain API).

Roles and a RACI matrix over the lifecycle stages (:mod:`.roles`), team shape
by size and maturity level with a skills roadmap and personal plans
(:mod:`.team`), approval decisions recorded on model versions in the registry
with a policy that ``promote`` enforces (:mod:`.decisions`, :mod:`.policy`),
and model cards built with skops (:mod:`.cards`).

Examples
--------
>>> from mlops_kit.governance import raci
>>> raci().accountable("deploy")
'mlops_engineer'
"""

from __future__ import annotations

from mlops_kit._lazy import lazy_exports

#: public name -> module of this package (imported on first use)
_LAZY = {
    "DEFAULT_ROLES": "roles",
    "RaciResult": "roles",
    "Role": "roles",
    "Roles": "roles",
    "load_roles": "roles",
    "raci": "roles",
    "SkillsPlan": "team",
    "TeamShape": "team",
    "personal_plan": "team",
    "section_link": "team",
    "skills_roadmap": "team",
    "team_shape": "team",
    "ApprovalsResult": "decisions",
    "approval_needed": "decisions",
    "approvals": "decisions",
    "approve": "decisions",
    "get_policy": "decisions",
    "set_policy": "decisions",
    "GovernancePolicy": "policy",
    "check_promotion": "policy",
    "ModelCard": "cards",
    "model_card": "cards",
}

__all__ = sorted(_LAZY)

__getattr__, __dir__ = lazy_exports(__name__, _LAZY, globals())
