"""One-at-a-time sensitivity of NPV or ROI: :func:`sensitivity` and its tornado chart.

Each input moves down and up by ``spread`` (a fraction of its value; rates are
kept within [0, 1]) while the others stay at their base value; the model is
re-run for each move. The inputs that swing the result most come first.

Examples
--------
>>> from mlops_kit.roi import RoiInputs, sensitivity
>>> s = sensitivity(RoiInputs(), spread=0.2)
>>> s.row("failure_reduction")["effect"]
1
>>> ax = s.plot()
"""

from __future__ import annotations

import math

from mlops_kit._params import Interval, check_param
from mlops_kit.errors import InputError
from mlops_kit.results import Result, get_ax
from mlops_kit.roi.inputs import FIELDS, RoiInputs
from mlops_kit.roi.results import money

__all__ = ["METRICS", "SensitivityResult", "sensitivity"]

#: metrics that sensitivity can report
METRICS = ("npv", "roi")

_COLUMNS = [
    "input",
    "label",
    "base_input",
    "low_input",
    "high_input",
    "metric_low",
    "metric_high",
    "swing",
    "effect",
]


def _moved(name: str, value: float, factor: float) -> float:
    moved = value * factor
    return min(moved, 1.0) if FIELDS[name][0] == "rate" else moved


def sensitivity(inputs: RoiInputs | None = None, spread: float = 0.2, metric: str = "npv"):
    """Move each input by +-``spread`` and record the change in NPV or ROI.

    Parameters
    ----------
    inputs : RoiInputs, optional
        Base inputs (default: ``RoiInputs()``).
    spread : float
        Relative move, in (0, 1): 0.2 means -20% and +20%.
    metric : {"npv", "roi"}
        The figure whose change is recorded.

    Returns
    -------
    SensitivityResult
        One row per input, largest swing first; ``effect`` is +1 when raising the
        input raises the metric, -1 when it lowers it and 0 when it does not move it.

    Examples
    --------
    >>> s = sensitivity(metric="roi", spread=0.1)
    >>> row = s.row("staff_cost_per_fte")
    >>> row["effect"]
    -1
    """
    from mlops_kit.roi.model import RoiModel

    inputs = inputs if inputs is not None else RoiInputs()
    if not isinstance(inputs, RoiInputs):
        inputs = RoiInputs.from_dict(inputs)
    if metric not in METRICS:
        raise InputError.invalid("metric", metric, "one of " + ", ".join(METRICS))
    check_param("spread", spread, [Interval(float, 0, 1, closed="neither")], "E.g. 0.2 for +-20%.")
    base = getattr(RoiModel(inputs).run(), metric)
    rows = []
    for name, (_kind, label, _unit) in FIELDS.items():
        value = getattr(inputs, name)
        low, high = _moved(name, value, 1 - spread), _moved(name, value, 1 + spread)
        m_low = getattr(RoiModel(inputs.replace(**{name: low})).run(), metric)
        m_high = getattr(RoiModel(inputs.replace(**{name: high})).run(), metric)
        diff = m_high - m_low
        tol = 1e-9 * max(1.0, abs(base))
        rows.append(
            {
                "input": name,
                "label": label,
                "base_input": value,
                "low_input": low,
                "high_input": high,
                "metric_low": m_low,
                "metric_high": m_high,
                "swing": abs(diff),
                "effect": 0 if abs(diff) <= tol else int(math.copysign(1, diff)),
            }
        )
    rows.sort(key=lambda r: (-r["swing"], r["input"]))
    return SensitivityResult(metric=metric, spread=float(spread), base=base, rows=rows)


class SensitivityResult(Result):
    """NPV or ROI when each input moves by +-spread (a tornado chart).

    Attributes
    ----------
    metric : str
        ``"npv"`` or ``"roi"``.
    spread : float
        The relative move of each input.
    base : float
        The metric at the base inputs.
    rows : list of dict
        Per input: base/low/high input values, the metric at low and high, the
        swing and the effect sign; largest swing first.

    Examples
    --------
    >>> r = sensitivity(RoiInputs(), spread=0.2)
    >>> r.metric, r.spread
    ('npv', 0.2)
    """

    title = "Sensitivity (tornado)"

    def __init__(self, *, metric: str, spread: float, base: float, rows: list[dict]):
        self.metric = metric
        self.spread = spread
        self.base = base
        self.rows = list(rows)

    def row(self, name: str) -> dict:
        """The row of one input.

        Raises
        ------
        InputError
            The input is not in the result.
        """
        for r in self.rows:
            if r["input"] == name:
                return dict(r)
        raise InputError.invalid("input", name, "one of " + ", ".join(FIELDS))

    def to_dict(self) -> dict:
        return {
            "metric": self.metric,
            "spread": self.spread,
            "base": self.base,
            "rows": [dict(r) for r in self.rows],
        }

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame.from_records(self.rows, columns=_COLUMNS)

    def _fmt(self, value: float) -> str:
        return money(value) if self.metric == "npv" else f"{value:.2f}x"

    def summary(self) -> str:
        top = self.rows[0]
        return (
            f"{self.metric.upper()} {self._fmt(self.base)} at base; +-{self.spread:.0%} on "
            f"{top['input']} moves it most ({self._fmt(top['metric_low'])} to "
            f"{self._fmt(top['metric_high'])})"
        )

    def plot(self, ax=None, top: int | None = 10):
        """Draw the tornado chart (the ``top`` inputs by swing) and return the Axes.

        Each input has two bars from the base value: the input moved down
        (blue) and moved up (orange). A bar pointing right raises the metric.
        """
        ax = get_ax(ax, figsize=(7, 4))
        rows = [r for r in self.rows if r["swing"] > 0][:top] or self.rows[:top]
        rows = rows[::-1]  # largest at the top
        ys = range(len(rows))
        low = [r["metric_low"] - self.base for r in rows]
        high = [r["metric_high"] - self.base for r in rows]
        ax.barh(ys, low, left=self.base, color="#1f77b4", label=f"input -{self.spread:.0%}")
        ax.barh(ys, high, left=self.base, color="#ff7f0e", label=f"input +{self.spread:.0%}")
        ax.axvline(self.base, color="black", linewidth=0.8)
        ax.set_yticks(list(ys))
        ax.set_yticklabels([r["input"] for r in rows], fontsize=8)
        if self.metric == "npv":
            from matplotlib.ticker import FuncFormatter

            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: money(x)))
        ax.set_xlabel(self.metric.upper())
        ax.set_title(f"Sensitivity of {self.metric.upper()} to +-{self.spread:.0%} on each input")
        ax.legend(fontsize=8, loc="lower right")
        return ax
