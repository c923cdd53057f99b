"""simulate_production: stacked drifts, the data it made, and bad input (real model, real log)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlops_kit.errors import InputError
from mlops_kit.monitoring.log import PredictionLog
from mlops_kit.monitoring.simulate import simulate_production


@pytest.fixture(scope="module")
def stacked(tmp_path_factory):
    """Four months, covariate then concept drift from month 2, labels 20 days late."""
    log = PredictionLog(tmp_path_factory.mktemp("stacked") / "log.db")
    sim = simulate_production(
        log,
        n_rows=4_000,
        months=4,
        drift=["covariate", "concept"],
        drift_month=2,
        severity=[0.8, 1.0],
        label_delay="20D",
        seed=3,
    )
    return log, sim


def test_each_kind_is_applied_in_turn_from_the_drift_start(stacked):
    _, sim = stacked
    applied = sim.data.attrs["mlops_kit_drift"]
    assert [d["kind"] for d in applied] == ["covariate", "concept"]
    assert [d["severity"] for d in applied] == [0.8, 1.0]
    time = pd.to_datetime(sim.data["application_date"]).dt.tz_localize("UTC")
    before = sim.data[(time >= sim.production_start) & (time < sim.drift_start)]
    after = sim.data[time >= sim.drift_start]
    # covariate part: debt_to_income moved up by most of a standard deviation
    shift = after["debt_to_income"].mean() - before["debt_to_income"].mean()
    assert shift > 0.5 * sim.data["debt_to_income"].std()
    # concept part: the trained model is clearly worse after the drift than before
    wrong = lambda part: np.mean(sim.model.predict(part[sim.features]) != part["default"])  # noqa: E731
    assert wrong(after) > wrong(before) + 0.05


def test_data_holds_every_logged_prediction_with_its_true_label(stacked):
    log, sim = stacked
    logged = log.read(features=False)
    assert len(logged) == sim.n_logged
    truth = sim.data.assign(id="p" + sim.data["id"].astype(str)).set_index("id")["default"]
    labelled = logged.dropna(subset=["label"])
    assert len(labelled) == sim.n_labelled < sim.n_logged  # the last 20 days are not labelled
    assert (labelled["label"].astype(int).to_numpy() == truth.loc[labelled["id"]].to_numpy()).all()
    # the training months are in data too, before production starts
    time = pd.to_datetime(sim.data["application_date"]).dt.tz_localize("UTC")
    assert (time < sim.production_start).sum() == len(sim.data) - sim.n_logged


def test_a_single_kind_keeps_its_former_result(tmp_path):
    log = PredictionLog(tmp_path / "one.db")
    sim = simulate_production(log, n_rows=600, months=2, drift="concept", drift_month=1, seed=5)
    again = simulate_production(
        PredictionLog(tmp_path / "two.db"),
        n_rows=600,
        months=2,
        drift=["concept"],
        drift_month=1,
        seed=5,
    )
    assert sim.data.equals(again.data)
    assert len(sim.data.attrs["mlops_kit_drift"]) == 1


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"drift": ["covariate", "label"]}, "drift[1]"),
        ({"drift": "seasonal"}, "drift"),
        ({"drift": ["covariate", "concept"], "severity": [0.5]}, "severity"),
        ({"drift": ["covariate", "concept"], "severity": [0.5, 1.5]}, "severity[1]"),
    ],
)
def test_bad_drift_or_severity_is_one_clear_error_and_logs_nothing(tmp_path, kwargs, named):
    log = PredictionLog(tmp_path / "bad.db")
    with pytest.raises(InputError) as info:
        simulate_production(log, n_rows=200, months=2, drift_month=1, **kwargs)
    assert named in str(info.value).splitlines()[0]
    assert len(log) == 0
