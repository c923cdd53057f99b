"""The inputs of the cost-of-failure / ROI model: :class:`RoiInputs`.

Every input can be changed. The defaults are the ``framework`` preset of
``presets.yaml`` (the source framework's cost of a failed project, the 87%
failure rate quoted at VentureBeat Transform 2019, a 50% cut in
time-to-production) plus a few figures that mlops-kit had to assume and that a
team should replace with its own (projects per year, value of a model in
production, staff, tools). ``presets.yaml`` records the source of each.

Examples
--------
>>> from mlops_kit.roi import RoiInputs
>>> RoiInputs().cost_per_failure
2600000.0
>>> RoiInputs(failure_rate=0.46).failure_rate
0.46
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlops_kit.errors import InputError
from mlops_kit.roi.fields import FIELDS, check_field

__all__ = ["FIELDS", "RoiInputs", "check_field"]


@dataclass(frozen=True)
class RoiInputs:
    """Inputs of the cost-of-failure and ROI model (all changeable).

    Money is in US dollars. Rates are fractions in [0, 1]. Values are checked
    when the object is made against their one declaration
    (:data:`~mlops_kit.roi.fields.FIELDS`, every bound finite); a bad value
    raises :class:`~mlops_kit.errors.InputError`.

    Parameters
    ----------
    projects_per_year : float
        ML projects started a year (> 0; may be an average). Assumption: 10.
    failure_rate : float
        Share of projects that never reach production. Default 0.87
        (VentureBeat Transform 2019 panel; Gartner's 2022 survey gives 0.46).
    development_cost, opportunity_cost, corrective_cost, reputational_cost : float
        Cost of one failed project by component; the framework's defaults
        $800k + $1.0M + $500k + $300k = $2.6M.
    failure_reduction : float
        Relative cut in the failure rate that MLOps brings: with MLOps the
        failure rate is ``failure_rate * (1 - failure_reduction)``. No published
        figure exists; the default 0.25 is an mlops-kit assumption to replace.
    time_to_production_months : float
        Months from project start to production without MLOps (assumption: 6).
    time_to_production_cut : float
        Cut in time to production with MLOps; the framework's 50% (0.5).
    value_per_model_month : float
        Value a model in production brings a month (assumption: $50k). Each
        model that reaches production gains ``months * cut`` months of it.
    tool_cost_monthly : float
        Tool cost a month, given or from :func:`mlops_kit.stack.recommend`
        (see :meth:`from_stack`). Assumption: $2,000.
    staff_fte, staff_cost_per_fte : float
        MLOps staff (FTEs, > 0) and the fully loaded yearly cost of one FTE.
    setup_cost : float
        One-off cost paid at the start (default 0).
    ramp_up_months : float
        Months before the benefits start (costs run from month 1; assumption: 6).
    horizon_years : float
        Years over which ROI and NPV are computed (> 0).
    discount_rate : float
        Yearly discount rate for the NPV (default 0.08), applied monthly.

    Examples
    --------
    >>> inputs = RoiInputs(projects_per_year=4, failure_rate=0.46)
    >>> inputs.replace(staff_fte=1).staff_fte
    1.0
    >>> RoiInputs(horizon_years=0)
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid horizon_years: got 0; allowed: a number in (0, 50].
    """

    projects_per_year: float = 10.0
    failure_rate: float = 0.87
    development_cost: float = 800_000.0
    opportunity_cost: float = 1_000_000.0
    corrective_cost: float = 500_000.0
    reputational_cost: float = 300_000.0
    failure_reduction: float = 0.25
    time_to_production_months: float = 6.0
    time_to_production_cut: float = 0.5
    value_per_model_month: float = 50_000.0
    tool_cost_monthly: float = 2_000.0
    staff_fte: float = 2.0
    staff_cost_per_fte: float = 150_000.0
    setup_cost: float = 0.0
    ramp_up_months: float = 6.0
    horizon_years: float = 3.0
    discount_rate: float = 0.08

    def __post_init__(self) -> None:
        for name in FIELDS:
            object.__setattr__(self, name, check_field(name, getattr(self, name)))
        total = self.annual_investment + self.setup_cost
        if total < 1:
            raise InputError.invalid(
                "investment (tool_cost_monthly, staff_cost_per_fte, setup_cost)",
                total,
                "a yearly total of at least $1",
                "ROI is undefined without an investment.",
            )

    # --- derived figures ----------------------------------------------------
    @property
    def cost_per_failure(self) -> float:
        """Cost of one failed project: the sum of the four components."""
        return (
            self.development_cost
            + self.opportunity_cost
            + self.corrective_cost
            + self.reputational_cost
        )

    @property
    def annual_investment(self) -> float:
        """Yearly running investment: tools x 12 + staff FTEs x cost."""
        return self.tool_cost_monthly * 12 + self.staff_fte * self.staff_cost_per_fte

    @property
    def horizon_months(self) -> int:
        """The horizon in whole months (``horizon_years * 12`` rounded up)."""
        return max(1, math.ceil(round(self.horizon_years * 12, 9)))

    # --- building -------------------------------------------------------------
    def replace(self, **changes: Any) -> RoiInputs:
        """Return a copy with some inputs changed (checked like the constructor).

        Examples
        --------
        >>> RoiInputs().replace(failure_rate=0.5).failure_rate
        0.5
        """
        unknown = sorted(set(changes) - set(FIELDS))
        if unknown:
            raise InputError.invalid("input name", unknown[0], "one of " + ", ".join(FIELDS))
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, float]:
        """Return the inputs as a plain dict.

        Examples
        --------
        >>> RoiInputs().to_dict()["failure_rate"]
        0.87
        """
        return {name: getattr(self, name) for name in FIELDS}

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> RoiInputs:
        """Build from a mapping; a ``preset`` key starts from that preset.

        Unknown keys raise :class:`~mlops_kit.errors.InputError`.

        Examples
        --------
        >>> RoiInputs.from_dict({"preset": "gartner", "projects_per_year": 4}).failure_rate
        0.46
        """
        if not isinstance(values, Mapping):
            raise InputError.invalid("inputs", type(values).__name__, "a mapping of input names")
        values = dict(values)
        preset = values.pop("preset", None)
        base = cls.from_preset(preset) if preset is not None else cls()
        return base.replace(**values)

    @classmethod
    def from_preset(cls, name: str = "framework", **overrides: Any) -> RoiInputs:
        """Build from a named preset of ``presets.yaml``, then apply ``overrides``.

        Examples
        --------
        >>> RoiInputs.from_preset("gartner").failure_rate
        0.46
        """
        from mlops_kit.roi.presets import get_preset

        return cls().replace(**get_preset(name).inputs).replace(**overrides)

    @classmethod
    def from_stack(cls, recommendation, base: RoiInputs | None = None, **overrides: Any):
        """Take the tool cost from a :func:`mlops_kit.stack.recommend` result.

        Parameters
        ----------
        recommendation : StackRecommendation
            Its ``total_monthly_cost`` becomes ``tool_cost_monthly``.
        base : RoiInputs, optional
            Inputs to start from (default: the defaults).
        **overrides
            Other inputs to change.

        Examples
        --------
        >>> from mlops_kit.stack import recommend
        >>> rec = recommend(team_size=5, monthly_budget=1000)
        >>> RoiInputs.from_stack(rec).tool_cost_monthly == rec.total_monthly_cost
        True
        """
        cost = getattr(recommendation, "total_monthly_cost", None)
        if cost is None:
            raise InputError.invalid(
                "recommendation", type(recommendation).__name__, "a StackRecommendation"
            )
        base = base if base is not None else cls()
        return base.replace(tool_cost_monthly=cost, **overrides)
