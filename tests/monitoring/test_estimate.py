"""Performance before labels (confidence-based estimation) on real simulated traffic."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_kit.errors import InputError
from mlops_kit.monitoring.estimate import ConfidenceEstimator
from mlops_kit.monitoring.windows import WindowedMetrics


def _frame(sim_log):
    log, sim = sim_log
    monitor = WindowedMetrics(window="week").fit(
        sim.reference, sim.reference_predictions, sim.reference_labels
    )
    frame = monitor.run(log).to_frame()
    return frame[frame["volume"] >= 100], sim


def test_estimate_tracks_realised_accuracy_under_covariate_drift(covariate_log):
    frame, sim = _frame(covariate_log)
    labelled = frame[frame["n_labelled"] == frame["volume"]]
    error = (labelled["estimated_accuracy"] - labelled["accuracy"]).abs()
    assert error.mean() < 0.03
    # after the drift too: the calibration holds because P(y|x) did not change
    after = labelled[labelled["window_start"] >= sim.drift_start]
    assert len(after) >= 5 and (after["estimated_accuracy"] - after["accuracy"]).abs().mean() < 0.03
    # windows whose labels have not arrived still get an estimate
    pending = frame[frame["n_labelled"] == 0]
    assert len(pending) >= 3 and pending["estimated_accuracy"].notna().all()


def test_estimate_cannot_see_concept_drift(concept_log):
    frame, sim = _frame(concept_log)
    before = frame[frame["window_end"] <= sim.drift_start]
    after = frame[frame["window_start"] >= sim.drift_start]
    gap_before = (before["estimated_accuracy"] - before["accuracy"]).abs().mean()
    gap_after = (after["estimated_accuracy"] - after["accuracy"]).mean()
    assert gap_before < 0.03
    # the scores did not move, so the estimate stays up while realised accuracy falls
    assert gap_after > 0.05
    assert abs(after["estimated_accuracy"].mean() - before["estimated_accuracy"].mean()) < 0.03


def test_estimator_input_errors():
    with pytest.raises(InputError, match="Invalid scores"):
        ConfidenceEstimator().fit([0.1, 0.9], [0, 1])
    with pytest.raises(InputError, match="Invalid labels"):
        ConfidenceEstimator(min_reference=10).fit(np.linspace(0, 1, 20), [2] * 20)
    with pytest.raises(InputError, match="call fit"):
        ConfidenceEstimator().expected([0.5])
