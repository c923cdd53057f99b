"""simulate(): vectorised Monte Carlo, deterministic for a seed, consistent with run()."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mlops_kit.errors import InputError
from mlops_kit.roi import (
    RoiInputs,
    RoiModel,
    default_ranges,
    describe_ranges,
    montecarlo,
    simulate,
)


def test_same_seed_same_result_other_seed_differs():
    a = simulate(n=2000, seed=7)
    b = simulate(n=2000, seed=7)
    c = simulate(n=2000, seed=8)
    for key in ("npv", "roi", "failure_rate"):
        assert np.array_equal(a.samples[key], b.samples[key])
    assert a.to_dict() == b.to_dict()
    assert not np.array_equal(a.samples["npv"], c.samples["npv"])


def test_each_draw_equals_a_model_run_of_its_inputs():
    sim = simulate(n=50, seed=3)
    varied = sorted(sim.ranges)
    for i in (0, 17, 49):
        drawn = {name: float(sim.samples[name][i]) for name in varied}
        single = RoiModel(RoiInputs().replace(**drawn)).run()
        assert sim.samples["npv"][i] == pytest.approx(single.npv, abs=0.005)  # result in cents
        assert sim.samples["roi"][i] == pytest.approx(single.roi, rel=1e-10)


def test_fixed_ranges_reproduce_the_base_run():
    base = RoiModel().run()
    sim = simulate(ranges={"failure_rate": 0.87}, n=100, seed=0)
    assert np.allclose(sim.samples["npv"], base.npv, rtol=0, atol=0.005)  # result in cents
    assert sim.stat("roi", "p5") == pytest.approx(base.roi)
    assert sim.base["npv"] == pytest.approx(base.npv)


def test_draws_stay_in_their_ranges():
    sim = simulate(
        ranges={"failure_reduction": (0.1, 0.3), "value_per_model_month": (0, 50_000, 100_000)},
        n=5000,
        seed=1,
    )
    red = sim.samples["failure_reduction"]
    assert red.min() >= 0.1 and red.max() <= 0.3
    assert 0.18 < red.mean() < 0.22  # uniform
    value = sim.samples["value_per_model_month"]
    assert value.min() >= 0 and value.max() <= 100_000
    assert set(sim.ranges) == {"failure_reduction", "value_per_model_month"}


def test_probability_and_percentiles_come_from_the_draws():
    inputs = RoiInputs(value_per_model_month=0, projects_per_year=1)
    sim = simulate(inputs, ranges={"failure_reduction": (0.0, 0.2)}, n=4000, seed=2)
    roi = sim.samples["roi"]
    assert sim.prob_roi_positive == pytest.approx(np.mean(roi > 0))
    assert 0 < sim.prob_roi_positive < 1
    assert sim.stat("roi", "p50") == pytest.approx(np.percentile(roi, 50))
    assert sim.stat("npv", "p95") == pytest.approx(np.percentile(sim.samples["npv"], 95))
    assert sim.prob_npv_positive == pytest.approx(np.mean(sim.samples["npv"] > 0))


def test_chunked_evaluation_gives_the_same_numbers(monkeypatch):
    whole = simulate(n=300, seed=4)
    monkeypatch.setattr(montecarlo, "_CHUNK", 7)
    chunked = simulate(n=300, seed=4)
    assert np.array_equal(whole.samples["npv"], chunked.samples["npv"])


def test_default_ranges_are_triangular_around_the_inputs():
    ranges = default_ranges(RoiInputs())
    assert ranges["development_cost"] == (200_000, 800_000, 800_000)
    assert ranges["failure_rate"][2] <= 1.0  # a rate stays <= 1
    assert default_ranges(RoiInputs(failure_rate=0.95))["failure_rate"][2] == 1.0
    assert "horizon_years" not in ranges


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"ranges": {"bogus": (0, 1)}}, "ranges key"),
        ({"ranges": {"horizon_years": (1, 2)}}, "horizon cannot vary"),
        ({"ranges": {"failure_rate": (0.5, 1.2)}}, "failure_rate"),
        ({"ranges": {"development_cost": (-1, 10)}}, "development_cost"),
        ({"ranges": {"failure_rate": (0.9, 0.1)}}, "low <= "),
        ({"ranges": {"failure_rate": (0.1, 0.2, 0.3, 0.4)}}, "low, mode, high"),
        ({"ranges": [1, 2]}, "ranges"),
        ({"n": 0}, "Invalid n"),
        ({"n": 2.5}, "Invalid n"),
        ({"seed": "x"}, "seed"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(InputError, match=match):
        simulate(**kwargs)


def test_result_contract():
    r = simulate(n=500, seed=0)
    data = json.loads(r.to_json())
    assert data["n"] == 500 and 0 <= data["prob_roi_positive"] <= 1
    assert list(r.to_frame().index) == ["npv", "roi", "payback_month"]
    assert "P(ROI>0)" in r.summary()
    assert len(r._repr_html_()) < 20_000
    ax = r.plot()
    assert "P(ROI>0)" in ax.get_title()
    ax = r.plot(metric="npv")
    assert "P(NPV>0)" in ax.get_title()
    with pytest.raises(InputError, match="metric"):
        r.plot(metric="irr")
    with pytest.raises(InputError, match="statistic"):
        r.stat("roi", "p99")


def test_default_ranges_include_the_pessimistic_cases_and_say_where_they_come_from():
    ranges = default_ranges(RoiInputs())
    assert ranges["projects_per_year"][0] == 1  # one project a year
    assert ranges["failure_reduction"][0] <= 0.05  # a small reduction
    for part in ("opportunity_cost", "corrective_cost", "reputational_cost"):
        assert ranges[part][0] == 0  # a failure that costs only part of the $2.6M
    assert ranges["failure_rate"][0] < 0.46  # below Gartner 2022's 46%
    described = describe_ranges()
    assert set(described.index) == set(ranges)
    for source in described["source"]:
        assert source.startswith(("assumption", "source"))
    # the pessimistic corner is a loss, so the simulation can show one
    low = {name: lo for name, (lo, _mode, _hi) in ranges.items()}
    low.update({k: ranges[k][2] for k in ("tool_cost_monthly", "staff_fte", "staff_cost_per_fte")})
    assert RoiModel(RoiInputs().replace(**low)).run().roi < 0
    sim = simulate(RoiInputs.from_preset("gartner", projects_per_year=2), n=4000, seed=0)
    assert 0.05 < sim.prob_roi_positive < 0.95


def test_progress_bar_on_request_on_stderr(capsys):
    simulate(n=100, seed=0, progress=True)
    assert "ROI Monte Carlo" in capsys.readouterr().err
    simulate(n=100, seed=0)  # short: no bar by default
    assert "ROI Monte Carlo" not in capsys.readouterr().err
    with pytest.raises(InputError, match="Invalid progress"):
        simulate(n=10, progress="yes")
