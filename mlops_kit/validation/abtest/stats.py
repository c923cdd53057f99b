"""The statistics of an A/B test: McNemar, the two-proportion z-test, and rows needed.

- :func:`mcnemar_test`: two models' predictions on the same rows. Only the rows
  where they disagree carry evidence; statsmodels' ``mcnemar`` runs the exact
  binomial test when they are few (fewer than 25 discordant rows by default)
  and the chi-square test with continuity correction otherwise.
- :func:`two_proportion_z`: the kit's one two-proportion z-test (pooled
  variance, two-sided), on counts; :func:`proportions_test` applies it to
  per-row successes of split traffic and adds Newcomb's score interval of the
  difference (statsmodels ``confint_proportions_2indep``), which keeps its
  coverage near 0 and 1 where the plain Wald interval does not.
- :func:`sample_size`: rows per arm for a two-sided two-proportion test, from
  Cohen's effect size ``h`` and ``NormalIndPower`` (statsmodels);
  :func:`rows_from_se` extrapolates from an observed standard error, for
  paired tests and metrics other than accuracy (the error shrinks as ``1/sqrt(n)``).

statsmodels is imported only when a test runs.

Examples
--------
>>> import numpy as np
>>> a = np.r_[np.ones(50), np.ones(10), np.zeros(25), np.zeros(15)]
>>> b = np.r_[np.ones(50), np.zeros(10), np.ones(25), np.zeros(15)]
>>> out = mcnemar_test(a, b)
>>> out["table"], out["statistic"], round(out["p_value"], 4)
([[50, 10], [25, 15]], 5.6, 0.018)
>>> round(proportions_test(np.r_[np.ones(500), np.zeros(500)],
...                        np.r_[np.ones(550), np.zeros(450)])["p_value"], 4)
0.0252
>>> sample_size(0.5, 0.1)   # 50% -> 60% accuracy, alpha 0.05, power 0.8
388
"""

from __future__ import annotations

import math

import numpy as np

from mlops_kit._params import Interval, check_param
from mlops_kit.metrics import as_array, described

__all__ = [
    "EXACT_BELOW",
    "as_binary",
    "mcnemar_test",
    "proportions_test",
    "rows_from_se",
    "sample_size",
    "two_proportion_z",
]

#: Use McNemar's exact binomial test below this many discordant rows.
EXACT_BELOW = 25
PROBABILITY = [Interval(float, 0, 1, closed="neither")]


def as_binary(values, name: str):
    """Return ``values`` as a 0/1 float array, or raise InputError naming ``name``.

    Examples
    --------
    >>> as_binary([True, False, 1], "correct_a").tolist()
    [1.0, 0.0, 1.0]
    """
    arr = as_array(values, name)
    if arr.dtype.kind not in "biuf" or not np.isin(arr, (0, 1)).all():
        shown = np.unique(arr)[:5].tolist() if arr.dtype.kind != "O" else "mixed values"
        raise described(
            name,
            f"values {shown}",
            "binary 0/1 (or True/False) outcomes: 1 where the model was right",
        )
    return arr.astype(float)


def mcnemar_test(correct_a, correct_b, *, exact: bool | None = None) -> dict:
    """McNemar's test of paired per-row successes of models A and B.

    Parameters
    ----------
    correct_a, correct_b : array-like of 0/1, same length
        Row ``i`` of both refers to the same example (1 = the model was right).
    exact : bool, optional
        Force the exact binomial test (True) or the chi-square test (False);
        by default exact when fewer than 25 rows are discordant.

    Returns
    -------
    dict
        ``test``, ``statistic``, ``p_value``, ``exact``, ``table``
        (``[[both right, A only], [B only, both wrong]]``), ``n_a_only``,
        ``n_b_only``, ``value_a``, ``value_b``, ``difference`` (B - A).

    Examples
    --------
    With only three discordant rows the exact test is used, and it finds no evidence:

    >>> a = [1, 1, 1, 0, 1, 0, 1, 1]
    >>> b = [1, 1, 0, 1, 1, 1, 1, 1]
    >>> out = mcnemar_test(a, b)
    >>> out["test"], out["n_a_only"], out["n_b_only"], out["p_value"]
    ('McNemar exact', 1, 2, 1.0)
    >>> out["difference"]
    0.125
    """
    from statsmodels.stats.contingency_tables import mcnemar

    a, b = as_binary(correct_a, "correct_a"), as_binary(correct_b, "correct_b")
    if len(a) != len(b):
        raise described(
            "correct_b", f"{len(b)} rows", f"as many rows as correct_a ({len(a)}), paired"
        )
    check_param("exact", exact, [None, "boolean"])
    both = int(((a == 1) & (b == 1)).sum())
    a_only = int(((a == 1) & (b == 0)).sum())
    b_only = int(((a == 0) & (b == 1)).sum())
    neither = len(a) - both - a_only - b_only
    table = [[both, a_only], [b_only, neither]]
    if exact is None:
        exact = a_only + b_only < EXACT_BELOW
    if a_only + b_only == 0:
        stat, p_value = 0.0, 1.0
    else:
        res = mcnemar(table, exact=exact, correction=True)
        stat, p_value = float(res.statistic), float(res.pvalue)
    n = len(a)
    return {
        "test": "McNemar exact" if exact else "McNemar",
        "statistic": stat,
        "p_value": min(1.0, p_value),
        "exact": exact,
        "table": table,
        "n_a_only": a_only,
        "n_b_only": b_only,
        "value_a": (both + a_only) / n,
        "value_b": (both + b_only) / n,
        "difference": (b_only - a_only) / n,
    }


def two_proportion_z(count_a: int, n_a: int, count_b: int, n_b: int) -> tuple[float, float]:
    """Pooled two-proportion z-test of ``count_b / n_b - count_a / n_a``: ``(z, p_value)``.

    ``z = (p_b - p_a) / sqrt(p (1 - p) (1/n_a + 1/n_b))`` with the pooled share
    ``p``; the p-value is two-sided. When both shares are 0 or both 1 there is
    no variance and no evidence: ``(0.0, 1.0)``.

    Examples
    --------
    >>> z, p = two_proportion_z(500, 1000, 560, 1000)
    >>> round(z, 4), round(p, 5)
    (2.6881, 0.00719)
    """
    from scipy.stats import norm

    pooled = (count_a + count_b) / (n_a + n_b)
    if pooled in (0.0, 1.0):
        return 0.0, 1.0
    z = (count_b / n_b - count_a / n_a) / math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    return float(z), float(2 * norm.sf(abs(z)))


def proportions_test(correct_a, correct_b, *, alpha: float = 0.05) -> dict:
    """Two-proportion z-test of ``mean(correct_b) - mean(correct_a)`` on split traffic.

    Parameters
    ----------
    correct_a, correct_b : array-like of 0/1
        Per-row success of each arm (1 = the model was right); lengths may differ.
    alpha : float, default 0.05
        ``1 - alpha`` is the confidence level of the interval.

    Returns
    -------
    dict
        ``test``, ``statistic`` (z), ``p_value`` (two-sided), ``value_a``,
        ``value_b``, ``difference`` (B - A), ``ci_difference`` (Newcomb),
        ``ci_method``.

    Raises
    ------
    InputError
        Empty or non-binary inputs, or ``alpha`` outside (0, 1).

    Examples
    --------
    >>> a = [1, 1, 1, 0] * 50      # 75% right on 200 rows
    >>> b = [1, 1, 1, 1, 0] * 40   # 80% right on 200 other rows
    >>> out = proportions_test(a, b)
    >>> out["value_a"], out["value_b"], round(out["p_value"], 3)
    (0.75, 0.8, 0.231)
    >>> [round(v, 3) for v in out["ci_difference"]]
    [-0.032, 0.131]
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    alpha = check_param("alpha", alpha, PROBABILITY)
    a, b = as_binary(correct_a, "correct_a"), as_binary(correct_b, "correct_b")
    count_a, count_b, n_a, n_b = int(a.sum()), int(b.sum()), len(a), len(b)
    stat, p_value = two_proportion_z(count_a, n_a, count_b, n_b)
    low, high = confint_proportions_2indep(
        count_b, n_b, count_a, n_a, method="newcomb", compare="diff", alpha=alpha
    )
    return {
        "test": "two-proportion z-test",
        "statistic": stat,
        "p_value": p_value,
        "value_a": count_a / n_a,
        "value_b": count_b / n_b,
        "difference": count_b / n_b - count_a / n_a,
        "ci_difference": [float(np.clip(low, -1, 1)), float(np.clip(high, -1, 1))],
        "ci_method": "Newcomb score interval",
    }


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

    p1 = check_param("baseline_accuracy", baseline_accuracy, PROBABILITY)
    mdd = check_param(
        "min_detectable_difference",
        min_detectable_difference,
        [Interval(float, 0, round(1 - p1, 12), closed="right")],
        hint="The baseline plus the difference must be at most 1.",
    )
    alpha = check_param("alpha", alpha, PROBABILITY)
    power = check_param("power", power, PROBABILITY)
    ratio = check_param("ratio", ratio, [Interval(float, 0, None, closed="neither")])
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

    alpha = check_param("alpha", alpha, PROBABILITY)
    power = check_param("power", power, PROBABILITY)
    if not (isinstance(se, (int, float)) and math.isfinite(se) and se > 0):
        return None
    z = norm.ppf(1 - alpha / 2) + norm.ppf(power)
    return math.ceil(n * (z * se / min_detectable_difference) ** 2 - 1e-9)
