"""Contract-test examples of the deploy Results (collected by tests/test_results_contract.py).

User strings with markup are included on purpose: the contract test checks they are escaped.
"""

from __future__ import annotations

from mlops_kit.deploy.canary_result import CanaryResult
from mlops_kit.deploy.pipeline_result import PipelineResult


def pipeline_result() -> PipelineResult:
    def stage(step, name, status, message="", gate=False, metrics=None):
        return {
            "step": step,
            "stage": name,
            "gate": gate,
            "status": status,
            "seconds": 0.1 * step,
            "message": message,
            "metrics": metrics or {},
        }

    return PipelineResult(
        [
            stage(1, "validate_data", "passed", "<b>0 failures</b>"),
            stage(2, "train", "passed", metrics={"rows": 1000.0}),
            stage(3, "gate", "failed", "roc_auc 0.71 < 0.75", gate=True),
            stage(4, "register", "skipped", "not run: failed at gate"),
        ],
        seconds=0.6,
        run_id="abc123",
        experiment_id="1",
        tracking_uri="sqlite:///mlruns.db",
    )


def canary_result() -> CanaryResult:
    base = {"n_champion": 950, "n_challenger": 50, "min_challenger": 40, "ci_low": -0.05}
    return CanaryResult(
        [
            {**base, "stage": 1, "percent": 5.0, "decision": "advance",
             "champion_value": 0.88, "challenger_value": 0.87, "difference": -0.01,
             "ci_high": 0.04, "p_value": 0.6, "reason": "5% stage: <b>no significant loss</b>"},
            {**base, "stage": 2, "percent": 25.0, "decision": "abort",
             "champion_value": 0.88, "challenger_value": 0.8, "difference": -0.08,
             "ci_high": -0.02, "p_value": 0.001,
             "reason": "challenger worse at 25%: A is better (p=0.001)"},
        ],
        status="aborted",
        reason="challenger worse at 25%: A is better (p=0.001)",
        model_name="credit-risk",
        champion_version=1,
        challenger_version=3,
        run_id="abc",
        tracking_uri="sqlite:///mlruns.db",
    )  # fmt: skip


EXAMPLES = {
    CanaryResult: canary_result,
    PipelineResult: pipeline_result,
}
