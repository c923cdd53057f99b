"""roi_widget(): driven through its traitlets like a user moving sliders."""

from __future__ import annotations

import pytest

from mlops_kit.roi import RoiInputs, RoiModel, RoiWidget, roi_widget

PNG = b"\x89PNG"


def test_initial_result_is_the_model_run_of_the_inputs():
    w = roi_widget()
    assert isinstance(w, RoiWidget)
    assert w.result.to_dict() == RoiModel(RoiInputs()).run().to_dict()
    assert bytes(w.chart.value).startswith(PNG)
    assert "ROI over the horizon" in w.summary.value


def test_moving_a_slider_reruns_the_model():
    w = roi_widget()
    before_result, before_chart = w.result, w.chart.value
    w.sliders["failure_rate"].value = 0.5
    assert w.result is not before_result
    assert w.result.inputs.failure_rate == 0.5
    assert w.result.to_dict() == RoiModel(RoiInputs(failure_rate=0.5)).run().to_dict()
    assert w.result.roi < before_result.roi  # fewer failures to avoid
    assert bytes(w.chart.value) != bytes(before_chart)
    assert f"{w.result.roi:.1f}x" in w.summary.value


def test_several_sliders_and_inputs_without_sliders_are_kept():
    w = roi_widget(RoiInputs(setup_cost=100_000, projects_per_year=4))
    w.sliders["staff_fte"].value = 3
    w.sliders["horizon_years"].value = 5
    expected = RoiInputs(setup_cost=100_000, projects_per_year=4, staff_fte=3, horizon_years=5)
    assert w.result.to_dict() == RoiModel(expected).run().to_dict()


def test_preset_dropdown_moves_the_sliders():
    w = roi_widget()
    w.preset.value = "gartner"
    assert w.sliders["failure_rate"].value == 0.46
    assert w.result.to_dict() == RoiModel(RoiInputs.from_preset("gartner")).run().to_dict()
    w.sliders["projects_per_year"].value = 20
    assert w.preset.value == "(custom)"
    expected = RoiInputs.from_preset("gartner", projects_per_year=20)
    assert w.result.to_dict() == RoiModel(expected).run().to_dict()


def test_inputs_beyond_the_slider_range_widen_it():
    w = roi_widget(RoiInputs(projects_per_year=500))
    assert w.sliders["projects_per_year"].max >= 500
    assert w.sliders["projects_per_year"].value == 500
    assert w.result.inputs.projects_per_year == 500


def test_not_allowed_combination_keeps_the_last_result_and_says_why():
    w = roi_widget()
    w.sliders["tool_cost_monthly"].value = 0
    valid = w.result
    w.sliders["staff_cost_per_fte"].value = 0  # no investment at all
    assert w.error is not None and "investment" in w.error
    assert w.result is valid
    assert "investment" in w.summary.value
    w.sliders["staff_cost_per_fte"].value = 100_000
    assert w.error is None
    assert w.result.inputs.staff_cost_per_fte == 100_000


def test_displays_as_a_widget():
    w = roi_widget()
    bundle = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert w.box.children[0] is w.preset


@pytest.mark.parametrize("name", ["failure_reduction", "value_per_model_month", "discount_rate"])
def test_every_slider_is_wired(name):
    w = roi_widget()
    slider = w.sliders[name]
    slider.value = slider.max
    assert getattr(w.result.inputs, name) == slider.max


def test_break_even_values_are_shown_beside_the_roi():
    w = roi_widget()
    r = w.result
    assert f"{r.break_even_failure_reduction:.1%} (assumed 25.0%)" in w.summary.value
    assert f"{r.break_even_projects_per_year:,.1f} (assumed 10)" in w.summary.value
    w.sliders["failure_rate"].value = 0.0  # nothing fails: the cut changes nothing
    assert "none: the failure reduction does not change the benefit" in w.summary.value
