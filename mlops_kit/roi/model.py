"""The cost-of-failure / ROI model: :class:`RoiModel` and its vectorised core.

The arithmetic (all yearly figures are the steady state after ramp-up):

- cost of one failure ``C = development + opportunity + corrective + reputational``;
- expected loss without MLOps ``L = projects * failure_rate * C`` a year;
- with MLOps the failure rate is ``failure_rate * (1 - failure_reduction)``, so the
  loss avoided is ``projects * failure_rate * failure_reduction * C`` a year;
- faster time to production: each project that reaches production (with MLOps)
  earns ``time_to_production_months * time_to_production_cut`` more months of
  ``value_per_model_month``;
- investment: ``tool_cost_monthly * 12 + staff_fte * staff_cost_per_fte`` a year plus
  a one-off ``setup_cost`` at the start;
- month by month over the horizon, costs run from month 1 and benefits from the
  month after ``ramp_up_months``. ROI = (benefits - investment) / investment over the
  horizon (undiscounted); NPV discounts each month at ``(1 + discount_rate) ** (m / 12)``;
  the payback month is the first month whose cumulative net is >= 0.
- break-even values (:func:`break_even`): the failure reduction, and the number
  of projects a year, at which ROI over the horizon is exactly 0 (benefits equal
  the investment), all other inputs unchanged. The yearly benefit is linear in
  each, so both are solved exactly.

:func:`evaluate` does this on numpy arrays so that the Monte Carlo simulation
runs every draw at once; :class:`RoiModel` runs it once on :class:`RoiInputs`.

Examples
--------
>>> from mlops_kit.roi import RoiInputs, RoiModel
>>> result = RoiModel(RoiInputs(projects_per_year=1)).run()
>>> round(result.expected_loss_per_year)
2262000
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mlops_kit._params import InstanceOf, Params
from mlops_kit.roi.inputs import FIELDS, RoiInputs
from mlops_kit.roi.results import RoiResult

__all__ = ["RoiModel", "break_even", "evaluate"]


def evaluate(params: Mapping[str, object], horizon_months: int) -> dict[str, np.ndarray]:
    """Compute the model on arrays of inputs (one element per scenario).

    Parameters
    ----------
    params : mapping
        Every name of :data:`~mlops_kit.roi.inputs.FIELDS` except ``horizon_years``
        -> a scalar or a 1-D array (broadcast together). Values are not checked
        here: check them with :func:`~mlops_kit.roi.inputs.check_field` first.
    horizon_months : int
        Number of months in the horizon (the same for every scenario).

    Returns
    -------
    dict of str to numpy.ndarray
        Yearly figures, horizon totals, ``roi``, ``npv`` and ``payback_month``
        (NaN when the investment is not paid back within the horizon).

    Examples
    --------
    >>> p = RoiInputs().to_dict()
    >>> out = evaluate(p, 36)
    >>> float(out["cost_per_failure"][0])
    2600000.0
    """
    names = [n for n in FIELDS if n != "horizon_years"]
    arrays = np.broadcast_arrays(*(np.atleast_1d(np.asarray(params[n], float)) for n in names))
    p = dict(zip(names, arrays, strict=True))
    cost = p["development_cost"] + p["opportunity_cost"] + p["corrective_cost"]
    cost = cost + p["reputational_cost"]
    k, rate = p["projects_per_year"], p["failure_rate"]
    rate_with = rate * (1 - p["failure_reduction"])
    loss = k * rate * cost
    loss_with = k * rate_with * cost
    avoided = loss - loss_with
    months_saved = p["time_to_production_months"] * p["time_to_production_cut"]
    time_value = k * (1 - rate_with) * months_saved * p["value_per_model_month"]
    benefit_year = avoided + time_value
    invest_month = p["tool_cost_monthly"] + p["staff_fte"] * p["staff_cost_per_fte"] / 12

    months = np.arange(1, horizon_months + 1, dtype=float)
    active = months[None, :] > p["ramp_up_months"][:, None]
    benefit_m = np.where(active, (benefit_year / 12)[:, None], 0.0)
    net_m = benefit_m - invest_month[:, None]
    discount = (1 + p["discount_rate"])[:, None] ** (-months[None, :] / 12)
    setup = p["setup_cost"]
    npv = -setup + (net_m * discount).sum(axis=1)
    active_months = active.sum(axis=1)
    benefit_total = benefit_m.sum(axis=1)
    invest_total = setup + invest_month * horizon_months
    with np.errstate(divide="ignore", invalid="ignore"):
        roi = np.where(invest_total > 0, (benefit_total - invest_total) / invest_total, np.nan)
    cumulative = -setup[:, None] + np.cumsum(net_m, axis=1)
    paid = cumulative >= -1e-6  # dollars: ignore floating-point dust
    payback = np.where(paid.any(axis=1), paid.argmax(axis=1) + 1.0, np.nan)
    return {
        "cost_per_failure": cost,
        "failure_rate_with_mlops": rate_with,
        "expected_loss_per_year": loss,
        "expected_loss_with_mlops_per_year": loss_with,
        "loss_avoided_per_year": avoided,
        "time_value_per_year": time_value,
        "benefit_per_year": benefit_year,
        "investment_per_year": invest_month * 12,
        "loss_avoided_total": avoided / 12 * active_months,
        "time_value_total": time_value / 12 * active_months,
        "benefit_total": benefit_total,
        "investment_total": invest_total,
        "roi": roi,
        "npv": npv,
        "payback_month": payback,
        "_benefit_m": benefit_m,
        "_invest_month": invest_month,
        "_discount": discount,
        "_cumulative": cumulative,
    }


def break_even(inputs: RoiInputs) -> dict:
    """The failure reduction and the projects a year at which MLOps pays back (ROI = 0).

    Each is solved with every other input unchanged. ROI is over the horizon,
    undiscounted, as :attr:`RoiResult.roi`. A value is ``None`` when no value in
    the allowed range pays back, with the reason in ``*_note``.

    Returns
    -------
    dict
        ``failure_reduction``, ``failure_reduction_note``, ``projects_per_year``,
        ``projects_per_year_note``.

    Examples
    --------
    >>> be = break_even(RoiInputs())
    >>> round(be["failure_reduction"], 4), round(be["projects_per_year"], 2)
    (0.0081, 0.63)
    >>> be = break_even(RoiInputs(projects_per_year=1, failure_reduction=0.05))
    >>> round(be["failure_reduction"], 3), round(be["projects_per_year"], 2)
    (0.154, 2.79)
    """
    i = inputs
    active = int(np.sum(np.arange(1, i.horizon_months + 1) > i.ramp_up_months))
    out = {
        "failure_reduction": None,
        "failure_reduction_note": "",
        "projects_per_year": None,
        "projects_per_year_note": "",
    }
    if active == 0:
        note = "no benefit within the horizon: the ramp-up lasts the whole horizon"
        out["failure_reduction_note"] = out["projects_per_year_note"] = note
        return out
    invest_month = i.tool_cost_monthly + i.staff_fte * i.staff_cost_per_fte / 12
    invest_total = i.setup_cost + invest_month * i.horizon_months
    needed = invest_total * 12 / active  # yearly benefit at which ROI = 0
    k, r, c = i.projects_per_year, i.failure_rate, i.cost_per_failure
    mv = i.time_to_production_months * i.time_to_production_cut * i.value_per_model_month
    # benefit a year = k * ((1 - r) * mv + r * f * (c + mv)), linear in f and in k
    slope = k * r * (c + mv)
    base = k * (1 - r) * mv
    if slope <= 0:
        out["failure_reduction_note"] = "the failure reduction does not change the benefit"
    else:
        f = (needed - base) / slope
        if f <= 0:
            out["failure_reduction"] = 0.0
            out["failure_reduction_note"] = "pays back from faster time to production alone"
        elif f > 1:
            out["failure_reduction_note"] = "no pay-back even if MLOps prevented every failure"
        else:
            out["failure_reduction"] = float(f)
    per_project = r * i.failure_reduction * c + (1 - r * (1 - i.failure_reduction)) * mv
    if per_project <= 0:
        out["projects_per_year_note"] = "a project brings no benefit with these inputs"
    else:
        out["projects_per_year"] = float(needed / per_project)
    return out


class RoiModel(Params):
    """The cost-of-failure and ROI model over one set of inputs.

    Parameters
    ----------
    inputs : RoiInputs or mapping, optional
        The inputs (default: ``RoiInputs()``, the framework preset). A mapping is
        passed to :meth:`RoiInputs.from_dict` when :meth:`run` is called.

    Examples
    --------
    >>> result = RoiModel(RoiInputs(projects_per_year=5)).run()
    >>> result.cost_per_failure
    2600000.0
    >>> result.roi > 0
    True
    """

    _parameter_constraints = {
        "inputs": [None, InstanceOf(RoiInputs, Mapping, description="RoiInputs or a mapping")]
    }

    def __init__(self, inputs: RoiInputs | Mapping | None = None):
        self.inputs = inputs

    def run(self) -> RoiResult:
        """Compute every figure once and return a :class:`~mlops_kit.roi.results.RoiResult`.

        Raises
        ------
        InputError
            An input is not allowed (the message names it).
        """
        self._validate_params()
        inputs = _as_inputs(self.inputs)
        out = evaluate(inputs.to_dict(), inputs.horizon_months)
        scalars = {k: float(v[0]) for k, v in out.items() if not k.startswith("_")}
        payback = scalars.pop("payback_month")
        cashflow = _cashflow(inputs, out)
        return RoiResult(
            inputs=inputs,
            payback_month=None if np.isnan(payback) else int(payback),
            breakdown=_breakdown(inputs, scalars),
            cashflow=cashflow,
            break_even=break_even(inputs),
            **scalars,
        )


def _as_inputs(inputs) -> RoiInputs:
    if inputs is None:
        return RoiInputs()
    if isinstance(inputs, RoiInputs):
        return inputs
    return RoiInputs.from_dict(inputs)


def _breakdown(inputs: RoiInputs, s: dict) -> list[dict]:
    """Steps of the yearly waterfall, from the expected loss to the net with MLOps."""
    failures = inputs.projects_per_year * inputs.failure_rate
    steps = [
        ("Development", failures * inputs.development_cost, "increase"),
        ("Opportunity loss", failures * inputs.opportunity_cost, "increase"),
        ("Corrective measures", failures * inputs.corrective_cost, "increase"),
        ("Reputational damage", failures * inputs.reputational_cost, "increase"),
        ("Expected loss without MLOps", None, "total"),
        ("Failures avoided with MLOps", -s["loss_avoided_per_year"], "decrease"),
        ("Faster time to production", -s["time_value_per_year"], "decrease"),
        ("MLOps investment", s["investment_per_year"], "increase"),
        ("Net a year with MLOps", None, "total"),
    ]
    rows, running = [], 0.0
    for step, amount, kind in steps:
        if kind == "total":
            rows.append({"step": step, "amount": running, "kind": kind, "running_total": running})
            continue
        running += amount
        rows.append({"step": step, "amount": amount, "kind": kind, "running_total": running})
    return rows


def _cashflow(inputs: RoiInputs, out: dict) -> list[dict]:
    benefit = out["_benefit_m"][0]
    invest = float(out["_invest_month"][0])
    discount = out["_discount"][0]
    cumulative = out["_cumulative"][0]
    rows = []
    for i, b in enumerate(benefit):
        cost = invest + (inputs.setup_cost if i == 0 else 0.0)
        rows.append(
            {
                "month": i + 1,
                "benefit": float(b),
                "cost": cost,
                "net": float(b) - cost,
                "discounted_net": (float(b) - invest) * float(discount[i])
                - (inputs.setup_cost if i == 0 else 0.0),
                "cumulative_net": float(cumulative[i]),
            }
        )
    return rows
