"""A notebook widget over the ROI model: sliders, a summary table and the waterfall.

A thin layer over :class:`~mlops_kit.roi.model.RoiModel`: each slider change
re-runs the model on the current inputs and redraws the summary and the chart.
ipywidgets and matplotlib are imported only when a widget is built.

Examples
--------
>>> from mlops_kit.roi import roi_widget
>>> w = roi_widget()
>>> w.sliders["failure_rate"].value = 0.46
>>> w.result.inputs.failure_rate
0.46
"""

from __future__ import annotations

import html

from mlops_kit._figures import figure_png, import_ipywidgets
from mlops_kit.errors import InputError
from mlops_kit.roi.inputs import FIELDS, RoiInputs
from mlops_kit.roi.results import money

__all__ = ["SLIDERS", "RoiWidget", "roi_widget"]

#: input -> (min, max, step, readout format) of its slider
SLIDERS: dict[str, tuple[float, float, float, str]] = {
    "projects_per_year": (1, 100, 1, ".0f"),
    "failure_rate": (0, 1, 0.01, ".2f"),
    "failure_reduction": (0, 1, 0.01, ".2f"),
    "development_cost": (0, 3_000_000, 50_000, ",.0f"),
    "opportunity_cost": (0, 3_000_000, 50_000, ",.0f"),
    "corrective_cost": (0, 2_000_000, 50_000, ",.0f"),
    "reputational_cost": (0, 2_000_000, 50_000, ",.0f"),
    "time_to_production_months": (0, 24, 0.5, ".1f"),
    "time_to_production_cut": (0, 1, 0.05, ".2f"),
    "value_per_model_month": (0, 500_000, 5_000, ",.0f"),
    "tool_cost_monthly": (0, 50_000, 500, ",.0f"),
    "staff_fte": (0.5, 20, 0.5, ".1f"),
    "staff_cost_per_fte": (0, 400_000, 5_000, ",.0f"),
    "horizon_years": (1, 10, 1, ".0f"),
    "discount_rate": (0, 0.3, 0.01, ".2f"),
}


class RoiWidget:
    """Sliders for the main ROI inputs and a summary and chart that follow them.

    Display it as the last expression of a cell. Attributes are public so that
    a test (or a notebook) can drive it by setting ``sliders[name].value``.

    Parameters
    ----------
    inputs : RoiInputs, optional
        Starting inputs (default: the framework preset). Inputs without a
        slider (set-up cost, ramp-up) keep these values.

    Attributes
    ----------
    sliders : dict of str to ipywidgets.FloatSlider
        One slider per input of :data:`SLIDERS`.
    preset : ipywidgets.Dropdown
        Choosing a preset moves every slider to its values.
    summary : ipywidgets.HTML
        The headline figures.
    chart : ipywidgets.Image
        The waterfall chart as PNG.
    box : ipywidgets.VBox
        The whole widget.
    result : RoiResult
        The result of the latest valid inputs.
    error : str or None
        Why the latest inputs were not allowed (the result is then the last valid one).

    Examples
    --------
    >>> w = RoiWidget(RoiInputs(projects_per_year=4))
    >>> w.sliders["projects_per_year"].value
    4.0
    """

    def __init__(self, inputs: RoiInputs | None = None):
        from mlops_kit.roi.presets import list_presets

        w = import_ipywidgets("roi_widget")
        self._base = inputs if inputs is not None else RoiInputs()
        self._hold = False
        self.error: str | None = None
        self.result = None
        self.sliders = {}
        for name, (lo, hi, step, fmt) in SLIDERS.items():
            value = getattr(self._base, name)
            self.sliders[name] = w.FloatSlider(
                value=value,
                min=min(lo, value),
                max=max(hi, value),
                step=step,
                readout_format=fmt,
                description=name,
                tooltip=FIELDS[name][1],
                continuous_update=False,
                style={"description_width": "190px"},
                layout=w.Layout(width="440px", max_width="100%"),
            )
            self.sliders[name].observe(self._on_change, names="value")
        self.preset = w.Dropdown(options=["(custom)", *list_presets()], description="preset")
        self.preset.observe(self._on_preset, names="value")
        self.summary = w.HTML()
        self.chart = w.Image(format="png", layout=w.Layout(max_width="720px"))
        names = list(SLIDERS)
        half = (len(names) + 1) // 2
        # two columns side by side where they fit, one under the other where not (the
        # output area beside JupyterLab's file browser at 1280 px: tests/browser measures it)
        columns = w.HBox(
            [
                w.VBox([self.sliders[n] for n in names[:half]]),
                w.VBox([self.sliders[n] for n in names[half:]]),
            ],
            layout=w.Layout(flex_flow="row wrap"),
        )
        self.box = w.VBox([self.preset, columns, self.summary, self.chart])
        # stable hooks for tests/browser and the screenshots (mlops-kit-<widget>[-<part>])
        self.box.add_class("mlops-kit-roi")
        self.preset.add_class("mlops-kit-roi-preset")
        for slider in self.sliders.values():
            slider.add_class("mlops-kit-roi-slider")
        self.summary.add_class("mlops-kit-roi-summary")
        self.chart.add_class("mlops-kit-roi-chart")
        self.update()

    @property
    def inputs(self) -> RoiInputs:
        """The inputs the sliders show (raises InputError when not allowed)."""
        return self._base.replace(**{n: s.value for n, s in self.sliders.items()})

    def update(self) -> None:
        """Re-run the model on the sliders' values and redraw."""
        from mlops_kit.roi.model import RoiModel

        try:
            result = RoiModel(self.inputs).run()
        except InputError as exc:
            self.error = str(exc)
            self.summary.value = f"<p style='color:#b00'>{html.escape(self.error)}</p>"
            return
        self.error = None
        self.result = result
        self.summary.value = _summary_html(result)
        self.chart.value = _png(result)

    def _on_change(self, _change) -> None:
        if self._hold:
            return
        self._hold = True
        try:
            self.preset.value = "(custom)"
        finally:
            self._hold = False
        self.update()

    def _on_preset(self, change) -> None:
        if change["new"] == "(custom)":
            return
        base = RoiInputs.from_preset(change["new"])
        self._hold = True
        try:
            self._base = base
            for name, slider in self.sliders.items():
                value = getattr(base, name)
                slider.max = max(slider.max, value)
                slider.min = min(slider.min, value)
                slider.value = value
        finally:
            self._hold = False
        self.update()

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def roi_widget(inputs: RoiInputs | None = None) -> RoiWidget:
    """Build the ROI widget: sliders, a summary table and a waterfall chart.

    Parameters
    ----------
    inputs : RoiInputs, optional
        Starting inputs (default: the framework preset).

    Returns
    -------
    RoiWidget
        Display it in a notebook; ``.result`` holds the latest RoiResult.

    Examples
    --------
    >>> w = roi_widget()
    >>> w.sliders["staff_fte"].value = 4
    >>> w.result.inputs.staff_fte
    4.0
    """
    return RoiWidget(inputs)


def _summary_html(result) -> str:
    payback = f"month {result.payback_month}" if result.payback_month else "not within horizon"
    rows = [
        ("Cost of one failed project", money(result.cost_per_failure)),
        ("Expected loss a year without MLOps", money(result.expected_loss_per_year)),
        ("Loss avoided a year with MLOps", money(result.loss_avoided_per_year)),
        ("Faster time to production, value a year", money(result.time_value_per_year)),
        ("Investment a year", money(result.investment_per_year)),
        ("ROI over the horizon", f"{result.roi:.1f}x"),
        ("Pays back (ROI = 0) from a failure cut of", _break_even(result, "failure_reduction")),
        ("... or from ML projects a year", _break_even(result, "projects_per_year")),
        ("NPV over the horizon", money(result.npv)),
        ("Payback", payback),
    ]
    body = "".join(
        f"<tr><td>{html.escape(k)}</td><td style='text-align:right'>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return f"<table>{body}</table>"


def _break_even(result, name: str) -> str:
    """A break-even value beside the assumed one, or why there is none."""
    if name == "failure_reduction":
        value, assumed = result.break_even_failure_reduction, result.inputs.failure_reduction
        text = None if value is None else f"{value:.1%} (assumed {assumed:.1%})"
    else:
        value, assumed = result.break_even_projects_per_year, result.inputs.projects_per_year
        text = None if value is None else f"{value:,.1f} (assumed {assumed:g})"
    return text if text is not None else f"none: {result.break_even_notes[name]}"


def _png(result) -> bytes:
    return figure_png(lambda ax: result.plot(ax=ax), figsize=(8, 4))
