"""Contract-test examples of the ROI Results (collected by tests/test_results_contract.py).

Test scaffolding lives here, not in the package (issue 8).
"""

from __future__ import annotations

from mlops_kit.roi import (
    RoiInputs,
    RoiModel,
    RoiResult,
    SensitivityResult,
    SimulationResult,
    sensitivity,
    simulate,
)

EXAMPLES = {
    RoiResult: lambda: RoiModel().run(),
    SimulationResult: lambda: simulate(n=500, seed=0),
    SensitivityResult: lambda: sensitivity(RoiInputs(), spread=0.2),
}
