"""sensitivity(): deterministic one-at-a-time moves and a tornado that points the right way."""

from __future__ import annotations

import json

import pytest

from mlops_kit.errors import InputError
from mlops_kit.roi import FIELDS, RoiInputs, RoiModel, sensitivity


def test_deterministic():
    a = sensitivity(RoiInputs(), spread=0.2)
    b = sensitivity(RoiInputs(), spread=0.2)
    assert a.to_dict() == b.to_dict()


def test_one_row_per_input_sorted_by_swing():
    s = sensitivity(spread=0.1)
    assert {r["input"] for r in s.rows} == set(FIELDS)
    swings = [r["swing"] for r in s.rows]
    assert swings == sorted(swings, reverse=True)
    assert s.base == pytest.approx(RoiModel().run().npv)


def test_rows_are_model_runs_of_the_moved_inputs():
    s = sensitivity(spread=0.2, metric="roi")
    row = s.row("value_per_model_month")
    assert row["low_input"] == pytest.approx(40_000)
    assert row["high_input"] == pytest.approx(60_000)
    expected = RoiModel(RoiInputs(value_per_model_month=60_000)).run().roi
    assert row["metric_high"] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("name", "effect"),
    [
        ("failure_reduction", 1),
        ("projects_per_year", 1),
        ("value_per_model_month", 1),
        ("staff_cost_per_fte", -1),
        ("tool_cost_monthly", -1),
        ("discount_rate", -1),
        ("ramp_up_months", -1),
        ("setup_cost", 0),  # 0 +- 20% is still 0
    ],
)
def test_effect_sign_and_tornado_bar_direction(name, effect):
    s = sensitivity(spread=0.2)
    row = s.row(name)
    assert row["effect"] == effect
    if effect:
        assert (row["metric_high"] - s.base) * effect > 0
        assert (row["metric_low"] - s.base) * effect < 0
    ax = s.plot(top=None)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    low_bars, high_bars = ax.containers
    if effect == 0:
        assert name not in labels  # inputs that do not move the result are not drawn
        return
    i = labels.index(name)
    # bars start at the base value; the '+spread' bar points right when raising helps
    assert high_bars[i].get_x() == pytest.approx(s.base)
    assert high_bars[i].get_width() * effect > 0
    assert low_bars[i].get_width() * effect < 0


def test_rates_are_kept_within_0_and_1():
    s = sensitivity(RoiInputs(failure_rate=0.95), spread=0.2)
    assert s.row("failure_rate")["high_input"] == 1.0
    assert s.row("failure_rate")["low_input"] == pytest.approx(0.76)


def test_bad_arguments():
    with pytest.raises(InputError, match="spread"):
        sensitivity(spread=0)
    with pytest.raises(InputError, match="spread"):
        sensitivity(spread=1.5)
    with pytest.raises(InputError, match="metric"):
        sensitivity(metric="irr")
    with pytest.raises(InputError, match="input"):
        sensitivity().row("nope")


def test_result_contract():
    r = sensitivity(RoiInputs(), spread=0.2)
    data = json.loads(r.to_json())
    assert data["metric"] == "npv" and len(data["rows"]) == len(FIELDS)
    assert list(r.to_frame().columns[:2]) == ["input", "label"]
    assert "moves it most" in r.summary()
    assert len(r._repr_html_()) < 20_000
    ax = r.plot(top=3)
    assert len(ax.get_yticklabels()) == 3
