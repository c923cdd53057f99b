"""Examples of the monitoring Results for the contract test (tests/test_results_contract.py)."""

from __future__ import annotations

from mlops_kit.monitoring.result import MonitoringResult

EXAMPLES = {MonitoringResult: MonitoringResult._example}
