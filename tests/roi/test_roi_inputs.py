"""RoiInputs: defaults of the source framework, changeable inputs, clear errors."""

from __future__ import annotations

import math

import pytest

from mlops_kit.errors import InputError
from mlops_kit.roi import FIELDS, RoiInputs
from mlops_kit.stack import recommend


def test_defaults_are_the_framework_figures():
    inputs = RoiInputs()
    assert inputs.development_cost == 800_000
    assert inputs.opportunity_cost == 1_000_000
    assert inputs.corrective_cost == 500_000
    assert inputs.reputational_cost == 300_000
    assert inputs.cost_per_failure == 2_600_000
    assert inputs.failure_rate == 0.87
    assert inputs.time_to_production_cut == 0.5


def test_defaults_equal_the_framework_preset():
    assert RoiInputs.from_preset("framework") == RoiInputs()
    assert RoiInputs.from_preset() == RoiInputs()


def test_gartner_preset_changes_only_the_failure_rate():
    gartner = RoiInputs.from_preset("gartner")
    assert gartner.failure_rate == 0.46
    assert gartner.replace(failure_rate=0.87) == RoiInputs()


def test_every_input_can_be_changed():
    values = {name: getattr(RoiInputs(), name) for name in FIELDS}
    changed = {name: (v * 0.5 if v else 1.0) for name, v in values.items()}
    inputs = RoiInputs(**changed)
    for name, value in changed.items():
        assert getattr(inputs, name) == pytest.approx(value)


def test_derived_figures():
    inputs = RoiInputs(tool_cost_monthly=1000, staff_fte=1.5, staff_cost_per_fte=100_000)
    assert inputs.annual_investment == 12_000 + 150_000
    assert RoiInputs(horizon_years=2).horizon_months == 24
    assert RoiInputs(horizon_years=1.01).horizon_months == 13
    assert RoiInputs(horizon_years=0.5).horizon_months == 6


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("development_cost", -1, "an amount in [0, 1e12] (US dollars)"),
        ("reputational_cost", -300_000, "an amount in [0, 1e12] (US dollars)"),
        ("tool_cost_monthly", -5, "an amount in [0, 1e12] (US dollars)"),
        ("failure_rate", 1.2, "[0, 1]"),
        ("failure_rate", -0.1, "[0, 1]"),
        ("failure_reduction", 2, "[0, 1]"),
        ("discount_rate", 1.5, "[0, 1]"),
        ("time_to_production_cut", -0.5, "[0, 1]"),
        ("projects_per_year", 0, "(0, 100000]"),
        ("staff_fte", 0, "(0, 100000]"),
        ("horizon_years", 0, "(0, 50]"),
        ("horizon_years", -2, "(0, 50]"),
        ("failure_rate", math.nan, "[0, 1]"),
        ("failure_rate", "high", "[0, 1]"),
        ("projects_per_year", True, "(0, 100000]"),
        ("ramp_up_months", -1, "[0, 600]"),
        # finite bounds: numbers that pass can never overflow into inf or NaN results
        ("development_cost", 1e300, "[0, 1e12]"),
        ("projects_per_year", 1e200, "(0, 100000]"),
        ("horizon_years", 1e9, "(0, 50]"),
        ("time_to_production_months", math.inf, "[0, 600]"),
    ],
)
def test_bad_input_names_the_input_value_and_rule(name, value, allowed):
    with pytest.raises(InputError) as info:
        RoiInputs(**{name: value})
    msg = str(info.value)
    assert name in msg
    assert repr(value) in msg or str(value) in msg
    assert allowed in msg


def test_zero_investment_is_rejected():
    with pytest.raises(InputError, match="investment"):
        RoiInputs(tool_cost_monthly=0, staff_cost_per_fte=0, setup_cost=0)
    # a one-off set-up cost alone is an investment
    assert RoiInputs(tool_cost_monthly=0, staff_cost_per_fte=0, setup_cost=1).setup_cost == 1
    # a vanishing investment would make ROI overflow: at least $1 is needed
    with pytest.raises(InputError, match=r"at least \$1"):
        RoiInputs(tool_cost_monthly=1e-300, staff_cost_per_fte=0, setup_cost=0)


def test_the_largest_allowed_inputs_give_finite_results():
    from mlops_kit.roi import RoiModel

    big = {n: f.allowed.high for n, f in FIELDS.items() if f.kind in ("money", "count")}
    big.update(failure_rate=1.0, failure_reduction=1.0, time_to_production_cut=1.0)
    huge = RoiModel(RoiInputs(**big, time_to_production_months=600)).run().metrics()
    cheap = {"tool_cost_monthly": 0, "staff_cost_per_fte": 0, "setup_cost": 1}
    tiny = RoiModel(RoiInputs(**{**big, **cheap})).run().metrics()
    for metrics in (huge, tiny):
        assert all(math.isfinite(v) for v in metrics.values() if v is not None), metrics


def test_replace_rejects_unknown_names_and_bad_values():
    with pytest.raises(InputError, match="input name"):
        RoiInputs().replace(failure=0.5)
    with pytest.raises(InputError, match="failure_rate"):
        RoiInputs().replace(failure_rate=3)


def test_from_dict_with_preset_and_unknown_key():
    inputs = RoiInputs.from_dict({"preset": "gartner", "projects_per_year": 4})
    assert (inputs.failure_rate, inputs.projects_per_year) == (0.46, 4)
    with pytest.raises(InputError, match="'bogus'"):
        RoiInputs.from_dict({"bogus": 1})
    with pytest.raises(InputError, match="preset"):
        RoiInputs.from_dict({"preset": "nope"})
    with pytest.raises(InputError, match="mapping"):
        RoiInputs.from_dict([1, 2])


def test_to_dict_round_trips():
    inputs = RoiInputs(projects_per_year=3, failure_rate=0.5)
    assert RoiInputs.from_dict(inputs.to_dict()) == inputs
    assert list(inputs.to_dict()) == list(FIELDS)


def test_from_stack_takes_the_recommended_tool_cost():
    rec = recommend(team_size=15, monthly_budget=5000, complexity="high")
    inputs = RoiInputs.from_stack(rec, staff_fte=3)
    assert inputs.tool_cost_monthly == rec.total_monthly_cost
    assert inputs.staff_fte == 3
    base = RoiInputs(projects_per_year=2)
    assert RoiInputs.from_stack(rec, base=base).projects_per_year == 2
    with pytest.raises(InputError, match="recommendation"):
        RoiInputs.from_stack(object())
