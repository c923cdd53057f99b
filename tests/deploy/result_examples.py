"""Contract-test examples of the deploy Results (collected by tests/test_results_contract.py)."""

from __future__ import annotations

from mlops_kit.deploy.canary_result import CanaryResult
from mlops_kit.deploy.pipeline_result import PipelineResult

EXAMPLES = {
    CanaryResult: CanaryResult._example,
    PipelineResult: PipelineResult._example,
}
