"""Contract-test example of the scenarios' Result (see tests/test_results_contract.py)."""

from __future__ import annotations

from mlops_kit.scenarios.result import ScenarioResult


def scenario_result() -> ScenarioResult:
    # user strings with markup: the contract test checks they are escaped
    rows = [
        {
            "period": period,
            "month": f"2023-0{period + 3}",
            "reference_quality": 0.86,
            "quality_with": 0.86 if period < 3 else 0.8,
            "quality_without": 0.86 if period < 2 else 0.6,
            "cost_with": 0.0 if period < 3 else 15_000.0,
            "cost_without": 0.0 if period < 2 else 60_000.0,
        }
        for period in range(1, 5)
    ]
    return ScenarioResult(
        {"id": "demo", "title": "Drift <b>demo</b>", "step": 4, "practice": "drift_monitoring"},
        ["drift_monitoring"],
        rows,
        incident_period=2,
        caught={"with": 2, "without": None},
        recovered={"with": 3, "without": None},
        cost_per_month=83_333.0,
        evidence={"with": ["AlertRule <script>x</script> fired"], "without": ["noticed late"]},
        source_figures={"months_unnoticed": 6, "corrective_cost": 500_000.0, "source": "guide"},
    )


EXAMPLES = {ScenarioResult: scenario_result}
