"""Contract-test examples of the deploy Results (collected by tests/test_results_contract.py)."""

from __future__ import annotations

from mlops_kit.deploy.pipeline_result import PipelineResult

EXAMPLES = {
    PipelineResult: PipelineResult._example,
}
