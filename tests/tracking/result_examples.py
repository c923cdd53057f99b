"""Contract-test examples of the tracking Results (collected by tests/test_results_contract.py)."""

from __future__ import annotations

from mlops_kit.tracking.compare import RunComparison


def run_comparison() -> RunComparison:
    records = [
        {"run_id": "a1b2c3d4e5", "run_name": "lr", "status": "FINISHED",
         "start_time": "2026-01-01T10:00:00+00:00", "max_depth": None,
         "accuracy": 0.84, "rmse": 0.41},
        {"run_id": "b2c3d4e5f6", "run_name": "rf", "status": "FINISHED",
         "start_time": "2026-01-01T10:05:00+00:00", "max_depth": "6",
         "accuracy": 0.91, "rmse": 0.3},
        {"run_id": "c3d4e5f6a7", "run_name": "<b>gbm</b>", "status": "FAILED",
         "start_time": "2026-01-01T10:09:00+00:00", "max_depth": "3",
         "accuracy": 0.88, "rmse": None},
    ]  # fmt: skip
    return RunComparison("example", records, ["accuracy", "rmse"], ["max_depth"])


EXAMPLES = {RunComparison: run_comparison}
