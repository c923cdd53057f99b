"""The inputs of the ROI model, declared once: name, allowed values, label and unit.

:data:`FIELDS` is the one declaration used by :class:`~mlops_kit.roi.inputs.RoiInputs`
(checked with :func:`mlops_kit._params.check_param`), by the presets file's
schema (:mod:`mlops_kit.roi.presets`), by the Monte Carlo ranges and by the
widget. Every bound is finite, so numbers that pass never overflow into
infinite or NaN results (money up to $1 trillion, up to 100,000 projects or
FTEs a year, horizons up to 50 years).

Examples
--------
>>> FIELDS["failure_rate"].allowed.text
'a number in [0, 1]'
>>> check_field("failure_rate", 0.5)
0.5
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlops_kit._params import Interval, check_param
from mlops_kit.errors import InputError

__all__ = ["FIELDS", "Field", "check_field"]

MAX_MONEY = 1e12
MAX_COUNT = 1e5


@dataclass(frozen=True)
class Field:
    """One input: its kind, allowed values, short label and unit.

    Examples
    --------
    >>> FIELDS["horizon_years"].allowed.text
    'a number in (0, 50]'
    """

    kind: str
    allowed: Interval
    label: str
    unit: str

    def __iter__(self):  # (kind, label, unit), as the earlier tuple
        return iter((self.kind, self.label, self.unit))

    def __getitem__(self, i):
        return (self.kind, self.label, self.unit)[i]


def _described(interval: Interval, text: str) -> Interval:
    interval.text = text
    return interval


def _rate():
    return Interval(float, 0, 1)


def _money():
    return _described(Interval(float, 0, MAX_MONEY), "an amount in [0, 1e12] (US dollars)")


def _count(high=MAX_COUNT):
    text = f"a number in (0, {high:g}]"
    return _described(Interval(float, 0, high, closed="right"), text)


def _months():
    return _described(Interval(float, 0, 600), "a number of months in [0, 600]")


#: input name -> Field; in the order of RoiInputs
FIELDS: dict[str, Field] = {
    "projects_per_year": Field("count", _count(), "ML projects per year", "projects"),
    "failure_rate": Field("rate", _rate(), "Share of projects that fail", "fraction"),
    "development_cost": Field("money", _money(), "Development cost of a failed project", "USD"),
    "opportunity_cost": Field("money", _money(), "Opportunity loss of a failed project", "USD"),
    "corrective_cost": Field("money", _money(), "Corrective measures after a failure", "USD"),
    "reputational_cost": Field("money", _money(), "Reputational damage of a failure", "USD"),
    "failure_reduction": Field(
        "rate", _rate(), "Relative cut in failure rate with MLOps", "fraction"
    ),
    "time_to_production_months": Field(
        "months", _months(), "Time to production without MLOps", "months"
    ),
    "time_to_production_cut": Field(
        "rate", _rate(), "Cut in time to production with MLOps", "fraction"
    ),
    "value_per_model_month": Field(
        "money", _money(), "Value of a model in production", "USD/month"
    ),
    "tool_cost_monthly": Field("money", _money(), "MLOps tool cost", "USD/month"),
    "staff_fte": Field("count", _count(), "MLOps staff", "FTE"),
    "staff_cost_per_fte": Field("money", _money(), "Fully loaded cost of one FTE", "USD/year"),
    "setup_cost": Field("money", _money(), "One-off set-up cost", "USD"),
    "ramp_up_months": Field("months", _months(), "Months before the benefits start", "months"),
    "horizon_years": Field("count", _count(50), "Horizon", "years"),
    "discount_rate": Field("rate", _rate(), "Yearly discount rate", "fraction"),
}


def check_field(name: str, value: Any) -> float:
    """Check one input against its declaration and return it as a float.

    Parameters
    ----------
    name : str
        A name from :data:`FIELDS`.
    value : number
        The value to check.

    Raises
    ------
    InputError
        The name is unknown or the value is not allowed; the message names
        the input, the value and what is allowed.

    Examples
    --------
    >>> check_field("failure_rate", 1.5)
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid failure_rate: got 1.5; allowed: a number in [0, 1].
    """
    if name not in FIELDS:
        raise InputError.invalid("input name", name, "one of " + ", ".join(FIELDS))
    return float(check_param(name, value, [FIELDS[name].allowed]))
