"""Shared monitoring fixtures: real simulated production logs (real sklearn model, real SQLite)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def concept_log(tmp_path_factory):
    """Six months of a credit model's predictions, concept drift from month 3; read-only."""
    from mlops_kit.monitoring.log import PredictionLog
    from mlops_kit.monitoring.simulate import simulate_production

    log = PredictionLog(tmp_path_factory.mktemp("concept") / "log.db")
    sim = simulate_production(log, n_rows=6_000, months=6, drift="concept", drift_month=3)
    return log, sim


@pytest.fixture(scope="session")
def covariate_log(tmp_path_factory):
    """Six months, covariate drift from month 3, labels of the last month not yet arrived."""
    from mlops_kit.monitoring.log import PredictionLog
    from mlops_kit.monitoring.simulate import simulate_production

    log = PredictionLog(tmp_path_factory.mktemp("covariate") / "log.db")
    sim = simulate_production(
        log, n_rows=6_000, months=6, drift="covariate", drift_month=3, label_delay="30D"
    )
    return log, sim
