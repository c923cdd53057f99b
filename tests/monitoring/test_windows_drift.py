"""Drift per window on a reference fitted once (Step 2's DriftCheck.fit, then run per window)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from mlops_kit.monitoring.windows import WindowedMetrics
from mlops_kit.validation.drift import DriftCheck
from mlops_kit.validation.drift.reference import ReferenceSummary

WATCHED = ["loan_amount", "debt_to_income", "credit_score", "income"]
METHOD = {"num": "ks", "cat": "chisquare"}


@pytest.fixture
def fits(monkeypatch):
    """Counts reference fits: the real ReferenceSummary.from_frame, called through a counter."""
    calls = []
    real = ReferenceSummary.from_frame.__func__

    def counting(cls, *args, **kwargs):
        calls.append(1)
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(ReferenceSummary, "from_frame", classmethod(counting))
    return calls


def test_the_reference_is_fitted_once_and_equals_a_fit_per_window(covariate_log, fits):
    log, sim = covariate_log
    wm = WindowedMetrics(window="week").fit(sim.reference[WATCHED], sim.reference_predictions)
    assert len(fits) == 2  # the input features and the predictions, once each
    summary = wm.drift_check_.reference_
    result = wm.run(log)
    frame = result.to_frame()
    again = wm.run(log, start=frame["window_start"].iloc[10])
    assert len(fits) == 2  # no window re-fits the reference, however many windows and runs
    assert wm.drift_check_.reference_ is summary
    checked = frame[frame["volume"] >= wm.min_drift_rows]
    assert len(checked) > 20 and checked["input_drift"].any() and not checked["input_drift"].all()

    # the per-window path: a fresh check fitted on the reference for every window
    reference = sim.reference[WATCHED]
    for index, row in checked.iterrows():
        rows = log.read(start=row["window_start"], end=row["window_end"])
        current = rows[WATCHED].astype(reference.dtypes.to_dict())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            alone = DriftCheck(method=METHOD, drift_share=wm.drift_share).run(reference, current)
        assert alone.share_drifted == row["input_drift_share"]
        assert bool(alone.dataset_drift) == row["input_drift"]
        assert dict(alone.scores()) == pytest.approx(result.feature_drift.loc[index].to_dict())
    assert len(fits) == 2 + len(checked)  # what a re-fit per window would have cost
    tail = again.to_frame().set_index("window_start")["input_drift_share"]
    whole = frame.set_index("window_start")["input_drift_share"]
    pd.testing.assert_series_equal(tail, whole.loc[tail.index])
