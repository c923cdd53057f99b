"""How many rows an A/B test needs.

:func:`sample_size` is the classical answer for accuracy on split traffic:
the rows per arm for a two-sided two-proportion test, from Cohen's effect
size ``h`` (statsmodels ``proportion_effectsize``) and ``NormalIndPower``.
:func:`rows_from_se` extrapolates from an observed standard error, for paired
tests and metrics other than accuracy (the standard error shrinks as
``1/sqrt(n)``).

Examples
--------
>>> sample_size(0.5, 0.1)   # 50% -> 60% accuracy, alpha 0.05, power 0.8
388
"""

from __future__ import annotations

import math

from mlops_kit.errors import InputError

__all__ = ["rows_from_se", "sample_size"]


def _prob(value, name: str, allowed: str = "a number strictly between 0 and 1") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise InputError.invalid(name, value, allowed)
    return float(value)


def sample_size(
    baseline_accuracy: float,
    min_detectable_difference: float,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
) -> int:
    """Rows needed in arm A to detect a change in accuracy (arm B gets ``ratio`` times as many).

    Parameters
    ----------
    baseline_accuracy : float
        Accuracy of the current model, in (0, 1).
    min_detectable_difference : float
        Smallest absolute change worth detecting (0.02 = 2 points), > 0, with
        ``baseline_accuracy + min_detectable_difference <= 1``.
    alpha : float, default 0.05
        Two-sided significance level.
    power : float, default 0.8
        Chance of detecting a true difference of that size.
    ratio : float, default 1.0
        Rows in B per row in A.

    Returns
    -------
    int
        Rows in arm A (rounded up).

    Examples
    --------
    >>> sample_size(0.80, 0.02)
    6036
    """
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    p1 = _prob(baseline_accuracy, "baseline_accuracy")
    mdd = min_detectable_difference
    if isinstance(mdd, bool) or not isinstance(mdd, (int, float)) or not 0 < mdd <= 1 - p1:
        raise InputError.invalid(
            "min_detectable_difference",
            mdd,
            f"a number in (0, {1 - p1:.4g}] (so that baseline + difference <= 1)",
        )
    alpha = _prob(alpha, "alpha")
    power = _prob(power, "power")
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not ratio > 0:
        raise InputError.invalid("ratio", ratio, "a number > 0 (rows in B per row in A)")
    effect = proportion_effectsize(p1 + mdd, p1)
    n = NormalIndPower().solve_power(
        effect_size=effect, alpha=alpha, power=power, ratio=ratio, alternative="two-sided"
    )
    return math.ceil(float(n) - 1e-9)


def rows_from_se(
    se: float, n: int, min_detectable_difference: float, alpha: float = 0.05, power: float = 0.8
) -> int | None:
    """Rows needed, extrapolated from a standard error ``se`` observed with ``n`` rows.

    ``n * ((z_(1-alpha/2) + z_power) * se / min_detectable_difference) ** 2``,
    rounded up; None when ``se`` is 0 or not finite.

    Examples
    --------
    >>> rows_from_se(0.02, 1000, 0.02)
    7849
    """
    from scipy.stats import norm

    alpha, power = _prob(alpha, "alpha"), _prob(power, "power")
    if not (isinstance(se, (int, float)) and math.isfinite(se) and se > 0):
        return None
    z = norm.ppf(1 - alpha / 2) + norm.ppf(power)
    return math.ceil(n * (z * se / min_detectable_difference) ** 2 - 1e-9)
