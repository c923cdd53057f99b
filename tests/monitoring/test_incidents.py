"""Incidents from a real alert: runbook steps, timeline, detect and resolve times, cost."""

from __future__ import annotations

import pandas as pd
import pytest

from mlops_kit.errors import InputError, MlopsKitError
from mlops_kit.monitoring.alerts import AlertRule
from mlops_kit.monitoring.incidents import load_runbooks, open_incident
from mlops_kit.monitoring.windows import WindowedMetrics
from mlops_kit.roi import RoiInputs


def test_incident_from_a_replayed_alert_is_priced_against_the_source_case(concept_log):
    log, sim = concept_log
    result = WindowedMetrics(window="week").run(log)
    rule = AlertRule("roc_auc", "<", 0.7, k=2, min_samples=100, severity="critical")
    alert = next(a for a in rule.check(result) if pd.Timestamp(a.window_end) > sim.drift_start)
    incident = open_incident(alert, started=sim.drift_start)
    assert incident.title.startswith("Model performance drop")
    assert any("RollbackPolicy" in step for step in incident.steps)
    detected = incident.timeline[0][0]
    incident.record("rolled back to the previous champion", at=detected + pd.Timedelta("1D"))
    incident.resolve(at=detected + pd.Timedelta("3D"))
    pm = incident.post_mortem(RoiInputs(corrective_cost=400_000.0))
    assert pm.time_to_detect == detected - sim.drift_start <= pd.Timedelta("21D")
    assert pm.time_to_resolve == pd.Timedelta("3D")
    exposure = pm.time_to_detect + pm.time_to_resolve
    assert pm.cost == pytest.approx(400_000.0 * (exposure / pd.Timedelta(days=182.5)))
    assert pm.cost < 0.2 * pm.source_case_cost
    assert pm.to_frame()["event"].tolist()[1:] == [
        "rolled back to the previous champion",
        "resolved",
    ]
    assert pm.to_dict()["time_to_resolve"] == "3 days 00:00:00"


def test_incident_errors(concept_log, tmp_path):
    log, _ = concept_log
    result = WindowedMetrics(window="week").run(log)
    alert = AlertRule("volume", ">", 0.0).check(result)[0]
    incident = open_incident(alert)
    assert incident.title.startswith("Prediction volume anomaly")
    with pytest.raises(InputError, match="Invalid at"):
        incident.resolve(at="2000-01-01")
    with pytest.raises(InputError, match="Invalid alert"):
        open_incident("an alert")
    assert incident.post_mortem().cost is None  # not resolved, no start: not priced
    broken = tmp_path / "runbooks.yaml"
    broken.write_text("drift:\n  title: x\n  steps: []\n")
    with pytest.raises(MlopsKitError, match="runbooks"):
        load_runbooks(broken)
