"""The result of :meth:`RoiModel.run`: :class:`RoiResult` (numbers computed once).

Examples
--------
>>> from mlops_kit.roi import RoiModel
>>> r = RoiModel().run()
>>> r.to_dict()["metrics"]["cost_per_failure"]
2600000.0
>>> ax = r.plot()

Money is kept rounded to cents (``to_dict``, ``to_frame`` and the JSON of
``mlops-kit roi --json`` carry the same numbers); ratios are not rounded.
"""

from __future__ import annotations

from mlops_kit.results import Result, get_ax

__all__ = ["RoiResult", "money"]

_METRICS = (
    "cost_per_failure",
    "failure_rate_with_mlops",
    "expected_loss_per_year",
    "expected_loss_with_mlops_per_year",
    "loss_avoided_per_year",
    "time_value_per_year",
    "benefit_per_year",
    "investment_per_year",
    "loss_avoided_total",
    "time_value_total",
    "benefit_total",
    "investment_total",
    "roi",
    "npv",
    "payback_month",
    "break_even_failure_reduction",
    "break_even_projects_per_year",
)
#: figures that are not money (kept unrounded)
_NOT_MONEY = {
    "failure_rate_with_mlops",
    "roi",
    "payback_month",
    "break_even_failure_reduction",
    "break_even_projects_per_year",
}


def cents(value):
    """Round US dollars to cents (None and non-finite values unchanged).

    Examples
    --------
    >>> cents(6959999.999999999), cents(None)
    (6960000.0, None)
    """
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return value
    return round(float(value), 2) + 0.0


def money(value: float) -> str:
    """Format US dollars compactly: ``$2.6M``, ``$800k``, ``-$1.23k``.

    Examples
    --------
    >>> money(2_600_000), money(800_000), money(-1234), money(12)
    ('$2.6M', '$800k', '-$1.23k', '$12')
    """
    sign = "-" if value < 0 else ""
    value = abs(value)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            return f"{sign}${value / size:.3g}{suffix}"
    return f"{sign}${value:.0f}"


class RoiResult(Result):
    """Cost of failure, investment, ROI, NPV and payback for one set of inputs.

    Attributes
    ----------
    inputs : RoiInputs
        The inputs used.
    cost_per_failure : float
        Cost of one failed project.
    expected_loss_per_year, loss_avoided_per_year, time_value_per_year : float
        Yearly expected loss without MLOps, the part MLOps avoids, and the value
        of reaching production sooner (steady state, after ramp-up).
    investment_per_year, benefit_total, investment_total : float
        Yearly running investment; benefits and investment over the horizon.
    roi : float
        (benefit_total - investment_total) / investment_total.
    npv : float
        Net present value over the horizon.
    payback_month : int or None
        First month whose cumulative net is >= 0 (None: not within the horizon).
    break_even_failure_reduction, break_even_projects_per_year : float or None
        The failure reduction, and the ML projects a year, at which ROI is 0 (MLOps
        pays back), every other input unchanged; None when no allowed value pays
        back (the reason is in ``break_even_notes``). See
        :func:`~mlops_kit.roi.model.break_even`.
    breakdown : list of dict
        The yearly waterfall (step, amount, kind, running_total).
    cashflow : list of dict
        Month-by-month benefit, cost, net, discounted net, cumulative net.

    Examples
    --------
    >>> from mlops_kit.roi import RoiModel
    >>> r = RoiModel().run()
    >>> r.payback_month
    7
    >>> round(r.break_even_failure_reduction, 4)
    0.0081
    """

    title = "Cost of failure and ROI"

    def __init__(self, *, inputs, breakdown, cashflow, payback_month, break_even, **metrics):
        self.inputs = inputs
        money_keys = ("amount", "running_total", "benefit", "cost", "net")
        self.breakdown = [
            {k: cents(v) if k in money_keys else v for k, v in row.items()} for row in breakdown
        ]
        self.cashflow = [
            {k: cents(v) if k != "month" else v for k, v in row.items()} for row in cashflow
        ]
        self.payback_month = payback_month
        for name in _METRICS:
            if name in _NOT_MONEY:
                continue
            setattr(self, name, cents(float(metrics[name])))
        self.failure_rate_with_mlops = float(metrics["failure_rate_with_mlops"])
        self.roi = float(metrics["roi"])
        self.break_even_failure_reduction = break_even["failure_reduction"]
        self.break_even_projects_per_year = break_even["projects_per_year"]
        self.break_even_notes = {
            "failure_reduction": break_even["failure_reduction_note"],
            "projects_per_year": break_even["projects_per_year_note"],
        }

    def metrics(self) -> dict:
        """The headline figures as a dict (same keys as ``to_dict()['metrics']``)."""
        return {name: getattr(self, name) for name in _METRICS}

    def to_dict(self) -> dict:
        return {
            "inputs": self.inputs.to_dict(),
            "metrics": self.metrics(),
            "break_even_notes": dict(self.break_even_notes),
            "breakdown": [dict(row) for row in self.breakdown],
        }

    def to_frame(self):
        """The yearly cost breakdown (the waterfall's steps) as a DataFrame."""
        import pandas as pd

        return pd.DataFrame.from_records(
            self.breakdown, columns=["step", "amount", "kind", "running_total"]
        )

    def cashflow_frame(self):
        """The month-by-month cash flow as a DataFrame.

        Examples
        --------
        >>> from mlops_kit.roi import RoiModel
        >>> len(RoiModel().run().cashflow_frame())
        36
        """
        import pandas as pd

        return pd.DataFrame.from_records(self.cashflow)

    def summary(self) -> str:
        years = self.inputs.horizon_years
        payback = (
            f"payback in month {self.payback_month}"
            if self.payback_month is not None
            else "no payback within the horizon"
        )
        return (
            f"ROI {self.roi:.1f}x over {years:g} years, NPV {money(self.npv)}, {payback}; "
            f"expected loss {money(self.expected_loss_per_year)} a year, "
            f"{money(self.loss_avoided_per_year)} avoided with MLOps; {self.break_even_text()}"
        )

    def break_even_text(self) -> str:
        """The break-even values in words, beside the ROI.

        Examples
        --------
        >>> from mlops_kit.roi import RoiModel
        >>> RoiModel().run().break_even_text()
        'pays back from a 0.8% cut in failures (assumed 25.0%) or 0.6 projects a year (assumed 10)'
        """
        f, k = self.break_even_failure_reduction, self.break_even_projects_per_year
        notes = self.break_even_notes
        cut = (
            f"from a {f:.1%} cut in failures (assumed {self.inputs.failure_reduction:.1%})"
            if f is not None
            else f"at no failure reduction ({notes['failure_reduction']})"
        )
        projects = (
            f"{k:,.1f} projects a year (assumed {self.inputs.projects_per_year:g})"
            if k is not None
            else f"at no number of projects ({notes['projects_per_year']})"
        )
        return f"pays back {cut} or {projects}"

    def plot(self, ax=None):
        """Draw the yearly cost breakdown as a waterfall and return the Axes."""
        ax = get_ax(ax, figsize=(8, 4))
        colours = {"increase": "#d62728", "decrease": "#2ca02c", "total": "#1f77b4"}
        labels, start = [], 0.0
        for i, row in enumerate(self.breakdown):
            if row["kind"] == "total":
                bottom, height = 0.0, row["running_total"]
            else:
                bottom, height = start, row["amount"]
            ax.bar(i, height, bottom=bottom, color=colours[row["kind"]], width=0.7)
            ax.annotate(
                money(row["amount"]),
                (i, bottom + max(height, 0.0)),
                ha="center",
                va="bottom",
                fontsize=7,
            )
            start = row["running_total"]
            labels.append(row["step"])
        ax.axhline(0, color="black", linewidth=0.6)
        tops = [max(r["running_total"], 0.0) for r in self.breakdown]
        low, high = ax.get_ylim()
        ax.set_ylim(low, max(high, max(tops) * 1.12))
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels(labels, rotation=35, ha="right", fontsize=8)
        ax.yaxis.set_major_formatter(_money_formatter())
        ax.set_ylabel("USD a year")
        ax.set_title(f"Cost of failure and MLOps (ROI {self.roi:.1f}x)")
        return ax


def _money_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: money(x))
