"""Contract-test examples of the governance Results (see tests/test_results_contract.py)."""

from __future__ import annotations

from mlops_kit.governance.roles import RaciResult, raci
from mlops_kit.governance.team import SkillsPlan, TeamShape, skills_roadmap, team_shape

EXAMPLES = {
    RaciResult: raci,
    TeamShape: team_shape,
    SkillsPlan: skills_roadmap,
}
