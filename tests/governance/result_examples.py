"""Contract-test examples of the governance Results (see tests/test_results_contract.py)."""

from __future__ import annotations

from mlops_kit.governance.approvals import ApprovalsResult
from mlops_kit.governance.cards import ModelCard
from mlops_kit.governance.roles import RaciResult, raci
from mlops_kit.governance.team import SkillsPlan, TeamShape, skills_roadmap, team_shape


def _approvals():
    record = {"seq": 1, "by": "val", "author": "ana", "timestamp": "2026-01-01T00:00:00+00:00"}
    return ApprovalsResult(
        "churn",
        [
            {"version": 2, **record, "decision": "approve", "notes": "<b>ok</b>", "evidence": {}},
            {"version": 3, **record, "decision": "reject", "notes": None, "evidence": {"p": 0.2}},
        ],
    )


def _card():
    md = "# Model card\n\n**Intended use:** <script>x</script>"
    return ModelCard(
        "credit",
        1,
        md,
        "<h1>Model card</h1>",
        {"accuracy": 0.875, "auc": 0.9},
        {"C": "0.5"},
        [{"name": "train", "digest": "ab12", "source": "code"}],
        [{"seq": 1, "decision": "approve", "by": "val"}],
    )


EXAMPLES = {
    ModelCard: _card,
    ApprovalsResult: _approvals,
    RaciResult: raci,
    TeamShape: team_shape,
    SkillsPlan: skills_roadmap,
}
