"""Contract-test examples of the governance Results (see tests/test_results_contract.py)."""

from __future__ import annotations

from mlops_kit.governance.roles import RaciResult, raci

EXAMPLES = {
    RaciResult: raci,
}
