"""RoiModel: the exact default arithmetic, NPV, payback and the RoiResult contract."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from mlops_kit.errors import InputError
from mlops_kit.results import Result
from mlops_kit.roi import RoiInputs, RoiModel, evaluate

COST = 2_600_000


@pytest.mark.parametrize("k", [1, 4, 10, 25])
def test_expected_loss_with_the_87_percent_preset(k):
    result = RoiModel(RoiInputs.from_preset("framework", projects_per_year=k)).run()
    assert result.cost_per_failure == COST
    assert result.expected_loss_per_year == pytest.approx(k * 0.87 * COST, rel=1e-12)


@pytest.mark.parametrize("k", [1, 7])
def test_expected_loss_with_the_gartner_preset(k):
    result = RoiModel(RoiInputs.from_preset("gartner", projects_per_year=k)).run()
    assert result.expected_loss_per_year == pytest.approx(k * 0.46 * COST, rel=1e-12)


def test_default_figures_by_hand():
    r = RoiModel().run()
    # 10 projects, 87% fail, MLOps cuts failures by 25% (relative)
    assert r.expected_loss_per_year == pytest.approx(10 * 0.87 * COST)
    assert r.failure_rate_with_mlops == pytest.approx(0.87 * 0.75)
    assert r.loss_avoided_per_year == pytest.approx(10 * 0.87 * 0.25 * COST)
    assert r.expected_loss_with_mlops_per_year == pytest.approx(10 * 0.6525 * COST)
    # successes with MLOps reach production 6 * 50% = 3 months sooner, at $50k a month
    assert r.time_value_per_year == pytest.approx(10 * (1 - 0.6525) * 3 * 50_000)
    assert r.investment_per_year == pytest.approx(2_000 * 12 + 2 * 150_000)
    # 36 months, benefits from month 7 (6 months ramp-up)
    assert r.benefit_total == pytest.approx(r.benefit_per_year / 12 * 30)
    assert r.investment_total == pytest.approx(r.investment_per_year * 3)
    assert r.roi == pytest.approx((r.benefit_total - r.investment_total) / r.investment_total)
    assert r.payback_month == 7


def test_roi_npv_and_payback_on_simple_inputs():
    inputs = RoiInputs(
        projects_per_year=1,
        failure_rate=0.5,
        failure_reduction=0.2,
        development_cost=1_000_000,
        opportunity_cost=0,
        corrective_cost=0,
        reputational_cost=0,
        time_to_production_months=0,
        value_per_model_month=0,
        tool_cost_monthly=0,
        staff_fte=1,
        staff_cost_per_fte=60_000,
        setup_cost=120_000,
        ramp_up_months=0,
        horizon_years=2,
        discount_rate=0,
    )
    r = RoiModel(inputs).run()
    # loss avoided 1 * 0.5 * 0.2 * 1M = 100k a year; staff 60k a year; set-up 120k
    assert r.loss_avoided_per_year == pytest.approx(100_000)
    assert r.benefit_total == pytest.approx(200_000)
    assert r.investment_total == pytest.approx(120_000 + 120_000)
    assert r.roi == pytest.approx((200_000 - 240_000) / 240_000)
    assert r.npv == pytest.approx(200_000 - 240_000)
    assert r.payback_month is None  # never paid back within 2 years
    # net 40k a year = 3,333.33 a month: 120k set-up paid back in month 36
    longer = RoiModel(inputs.replace(horizon_years=4)).run()
    assert longer.payback_month == math.ceil(120_000 / (40_000 / 12))


def test_npv_discounts_each_month():
    inputs = RoiInputs(ramp_up_months=0, setup_cost=10_000, discount_rate=0.1, horizon_years=2)
    r = RoiModel(inputs).run()
    monthly_net = r.benefit_per_year / 12 - r.investment_per_year / 12
    expected = -10_000 + sum(monthly_net / 1.1 ** (m / 12) for m in range(1, 25))
    assert r.npv == pytest.approx(expected, abs=0.005)  # money is kept in cents
    assert r.npv < RoiModel(inputs.replace(discount_rate=0)).run().npv


def test_cashflow_adds_up():
    r = RoiModel(RoiInputs(setup_cost=50_000)).run()
    frame = r.cashflow_frame()
    assert len(frame) == 36
    assert frame["benefit"].sum() == pytest.approx(r.benefit_total)
    assert frame["cost"].sum() == pytest.approx(r.investment_total)
    assert frame["discounted_net"].sum() == pytest.approx(r.npv)
    assert frame["cumulative_net"].iloc[-1] == pytest.approx(r.benefit_total - r.investment_total)
    first_paid = int(frame.loc[frame["cumulative_net"] >= -1e-6, "month"].iloc[0])
    assert first_paid == r.payback_month


def test_breakdown_is_a_consistent_waterfall():
    r = RoiModel().run()
    frame = r.to_frame()
    assert list(frame["kind"]) == ["increase"] * 4 + ["total", "decrease", "decrease"] + [
        "increase",
        "total",
    ]
    components = frame["amount"].iloc[:4]
    assert components.tolist() == pytest.approx(
        [8.7 * 800_000, 8.7 * 1_000_000, 8.7 * 500_000, 8.7 * 300_000]
    )
    assert frame["amount"].iloc[4] == pytest.approx(r.expected_loss_per_year)
    net = (
        r.expected_loss_per_year
        - r.loss_avoided_per_year
        - r.time_value_per_year
        + r.investment_per_year
    )
    assert frame["running_total"].iloc[-1] == pytest.approx(net)


def test_plot_draws_the_waterfall_without_recomputing():
    r = RoiModel().run()
    before = r.to_dict()
    ax = r.plot()
    assert len(ax.patches) == len(r.breakdown)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "Development" and labels[-1] == "Net a year with MLOps"
    assert r.to_dict() == before
    # the 'failures avoided' bar points down from the expected loss
    avoided = ax.patches[5]
    assert avoided.get_height() == pytest.approx(-r.loss_avoided_per_year)
    assert avoided.get_y() == pytest.approx(r.expected_loss_per_year)


def test_result_contract(tmp_path):
    r = RoiModel().run()
    assert isinstance(r, Result)
    data = json.loads(r.to_json())
    assert data["metrics"]["cost_per_failure"] == COST
    assert data["inputs"]["failure_rate"] == 0.87
    assert "ROI" in r.summary() and "payback in month 7" in r.summary()
    html = r._repr_html_()
    assert len(html) < 20_000 and "Expected loss without MLOps" in html
    assert "RoiResult" in repr(r)
    page = r.save_html(tmp_path / "roi.html")
    assert "<img" in page.read_text()


def test_model_takes_a_mapping_and_checks_at_run():
    assert RoiModel({"projects_per_year": 2}).run().inputs.projects_per_year == 2
    model = RoiModel({"failure_rate": 7})  # the constructor only stores
    with pytest.raises(InputError, match="failure_rate"):
        model.run()


def test_no_payback_when_costs_exceed_benefits():
    r = RoiModel(RoiInputs(failure_reduction=0, value_per_model_month=0)).run()
    assert r.payback_month is None
    assert r.roi == pytest.approx(-1.0)
    assert "no payback" in r.summary()


def test_vectorised_evaluate_matches_single_runs():
    base = RoiInputs().to_dict()
    rates = np.array([0.3, 0.6, 0.9])
    out = evaluate({**base, "failure_rate": rates}, 36)
    for i, rate in enumerate(rates):
        single = RoiModel(RoiInputs(failure_rate=float(rate))).run()
        assert out["npv"][i] == pytest.approx(single.npv, abs=0.005)  # result in cents
        assert out["roi"][i] == pytest.approx(single.roi, rel=1e-12)
        assert out["payback_month"][i] == single.payback_month


@pytest.mark.parametrize(
    "inputs",
    [
        RoiInputs(),
        RoiInputs.from_preset("gartner", projects_per_year=2),
        RoiInputs(projects_per_year=1, failure_reduction=0.05, ramp_up_months=3),
        RoiInputs(projects_per_year=2, opportunity_cost=0, reputational_cost=0, setup_cost=5e5),
    ],
)
def test_break_even_values_give_an_roi_of_zero(inputs):
    r = RoiModel(inputs).run()
    f, k = r.break_even_failure_reduction, r.break_even_projects_per_year
    assert 0 < f <= 1 and k > 0
    assert RoiModel(inputs.replace(failure_reduction=f)).run().roi == pytest.approx(0, abs=1e-9)
    assert RoiModel(inputs.replace(projects_per_year=k)).run().roi == pytest.approx(0, abs=1e-9)
    # below break-even MLOps does not pay back, above it does
    assert RoiModel(inputs.replace(failure_reduction=f * 0.9)).run().roi < 0
    assert RoiModel(inputs.replace(projects_per_year=k * 1.1)).run().roi > 0
    assert r.to_dict()["metrics"]["break_even_failure_reduction"] == f
    assert "pays back from a" in r.summary()


def test_break_even_says_why_when_there_is_none():
    never = RoiModel(RoiInputs(projects_per_year=1, failure_rate=0.1, staff_fte=50)).run()
    assert never.break_even_failure_reduction is None
    assert "even if MLOps prevented every failure" in never.break_even_notes["failure_reduction"]
    assert "at no failure reduction" in never.summary()
    late = RoiModel(RoiInputs(ramp_up_months=36, horizon_years=3)).run()
    assert late.break_even_projects_per_year is None
    assert "ramp-up lasts the whole horizon" in late.break_even_notes["projects_per_year"]
    free = RoiModel(RoiInputs(value_per_model_month=1e6)).run()
    assert free.break_even_failure_reduction == 0.0
    assert "faster time to production alone" in free.break_even_notes["failure_reduction"]


def test_money_is_kept_in_cents():
    r = RoiModel().run()
    assert r.breakdown[0]["amount"] == 6_960_000.0  # 10 * 0.87 * 800k is 6959999.999999999
    for row in r.breakdown + r.cashflow:
        for key in ("amount", "running_total", "benefit", "cost", "net"):
            if key in row:
                assert row[key] == round(row[key], 2)
