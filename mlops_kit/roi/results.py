"""The result of :meth:`RoiModel.run`: :class:`RoiResult` (numbers computed once).

Examples
--------
>>> from mlops_kit.roi import RoiModel
>>> r = RoiModel().run()
>>> r.to_dict()["metrics"]["cost_per_failure"]
2600000.0
>>> ax = r.plot()
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
)


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
    breakdown : list of dict
        The yearly waterfall (step, amount, kind, running_total).
    cashflow : list of dict
        Month-by-month benefit, cost, net, discounted net, cumulative net.

    Examples
    --------
    >>> r = RoiResult._example()
    >>> r.payback_month
    7
    """

    title = "Cost of failure and ROI"

    def __init__(self, *, inputs, breakdown, cashflow, payback_month, **metrics):
        self.inputs = inputs
        self.breakdown = list(breakdown)
        self.cashflow = list(cashflow)
        self.payback_month = payback_month
        for name in _METRICS:
            if name != "payback_month":
                setattr(self, name, float(metrics[name]))

    def metrics(self) -> dict:
        """The headline figures as a dict (same keys as ``to_dict()['metrics']``)."""
        return {name: getattr(self, name) for name in _METRICS}

    def to_dict(self) -> dict:
        return {
            "inputs": self.inputs.to_dict(),
            "metrics": self.metrics(),
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
        >>> len(RoiResult._example().cashflow_frame())
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
            f"{money(self.loss_avoided_per_year)} avoided with MLOps"
        )

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

    @classmethod
    def _example(cls) -> RoiResult:
        from mlops_kit.roi.model import RoiModel

        return RoiModel().run()


def _money_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: money(x))
