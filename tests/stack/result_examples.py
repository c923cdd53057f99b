"""Contract-test examples of the stack Results (collected by tests/test_results_contract.py).

Test scaffolding lives here, not in the package (issue 8).
"""

from __future__ import annotations

from mlops_kit.stack import StackRecommendation, recommend

EXAMPLES = {
    StackRecommendation: lambda: recommend(team_size=5, monthly_budget=1000, complexity="medium"),
}
