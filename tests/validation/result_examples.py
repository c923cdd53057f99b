"""Contract-test examples for the validation Results (quality, performance, A/B, rollback).

Collected by ``tests/test_results_contract.py`` (``EXAMPLES``: Result class ->
factory); the tests of each area use them too. Each example holds a
user-supplied string with markup, so the contract test checks it is escaped.
"""

from __future__ import annotations

from mlops_kit.validation.abtest.result import ABTestResult
from mlops_kit.validation.performance.result import PerformanceReport
from mlops_kit.validation.quality.result import QualityReport
from mlops_kit.validation.rollback.result import RollbackDecision


def ab_test_result() -> ABTestResult:
    return ABTestResult(
        metric="accuracy", greater_is_better=True, in_points=True, paired=True,
        alpha=0.05, power=0.8, test="McNemar", statistic=9.6, p_value=0.002,
        significant=True, winner="B", n_a=2000, n_b=2000, value_a=0.80, value_b=0.831,
        ci_a=[0.782, 0.817], ci_b=[0.814, 0.847], difference=0.031,
        ci_difference=[0.012, 0.050], ci_method="paired bootstrap percentile",
        min_detectable_difference=0.02, rows_needed=None, n_boot=2000, seed=0,
        table=[[1550, 50], [112, 288]],
        verdict="B is better: +3.1 pts accuracy (B - A), 95% CI [1.2, 5.0], p=0.002 "
        "(McNemar)",
    )  # fmt: skip


def performance_report() -> PerformanceReport:
    def row(slice_, n, metric, value, status, reason, threshold=None, bounds=(), champ=None):
        delta = None if champ is None else value - champ
        passed = {"passed": True, "failed": False}.get(status)
        return {
            "slice": slice_,
            "n": n,
            "metric": metric,
            "value": value,
            "threshold": threshold,
            "bounds": list(bounds),
            "champion_value": champ,
            "delta": delta,
            "relative_bound": None if champ is None else champ - 0.01,
            "status": status,
            "passed": passed,
            "reason": reason,
        }

    checks = [
        row("overall", 600, "accuracy", 0.86, "passed", "0.86 >= 0.8", ">= 0.8", [0.8], 0.85),
        row("overall", 600, "roc_auc", 0.81, "passed", "0.81 >= 0.75", ">= 0.75", [0.75], 0.8),
        row("region=north", 120, "accuracy", 0.84, "passed", "ok", ">= 0.8", [0.8], 0.84),
        row("region=north", 120, "roc_auc", 0.71, "failed", "0.71 < 0.75", ">= 0.75", [0.75]),
        row("<b>tiny</b>", 12, "accuracy", 0.9, "skipped", "skipped: n < 50", "<= 12", [12]),
        row("region=south", 480, "roc_auc", 0.83, "passed", "ok", ">= 0.75", [0.75], 0.82),
    ]
    return PerformanceReport(
        checks,
        task="classification",
        n_rows=600,
        min_slice_size=50,
        champion={"name": "credit", "alias": "champion", "version": 1, "run_id": None},
        notes=["example"],
    )


def quality_report() -> QualityReport:
    rows = [
        {"column": "income", "expectation": "max_missing", "expected": 0.01,
         "observed": 0.032, "passed": False, "severity": "error", "failing_rows": 32,
         "message": "income: 3.2% missing > allowed 1.0%"},
        {"column": "region", "expectation": "categories", "expected": ["<north>", "south"],
         "observed": [], "passed": True, "severity": "error", "failing_rows": 0,
         "message": "region: no unseen categories"},
        {"column": "(table)", "expectation": "row_count", "expected": {"min": 1},
         "observed": 1000, "passed": True, "severity": "error", "failing_rows": None,
         "message": "(table): 1000 rows"},
    ]  # fmt: skip
    return QualityReport(rows, n_rows=1000)


def rollback_decision() -> RollbackDecision:
    import pandas as pd

    from mlops_kit.validation.rollback.rules import Rule
    from mlops_kit.validation.rollback.windows import evaluate_rule, prepare

    frame = pd.DataFrame(
        {
            "timestamp": pd.date_range("2024-01-01", periods=4, freq="D"),
            "accuracy": [0.86, 0.85, 0.74, 0.72],
            "drift_share": [0.1, 0.2, 0.6, 0.3],
        }
    )
    rules = [Rule.below("accuracy", 0.8), Rule.above("drift_share", 0.5)]
    frame, labels = prepare(frame, [r.metric for r in rules], "timestamp")
    outcomes = [
        evaluate_rule(r, frame, labels, min_consecutive=2, mode="consecutive") for r in rules
    ]
    return RollbackDecision(outcomes, model_name="<b>credit</b>", dry_run=True)


EXAMPLES = {
    ABTestResult: ab_test_result,
    PerformanceReport: performance_report,
    QualityReport: quality_report,
    RollbackDecision: rollback_decision,
}
