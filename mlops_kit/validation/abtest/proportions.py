"""Two-proportion z-test for a difference in accuracy on split traffic.

Each arm saw different rows; a row is a success when the model was right.
The test and the confidence interval of the difference come from statsmodels
(``proportions_ztest`` and ``confint_proportions_2indep`` with Newcomb's
score interval, which keeps its coverage near 0 and 1 where the plain Wald
interval does not).

Examples
--------
>>> import numpy as np
>>> a = np.r_[np.ones(500), np.zeros(500)]   # 50.0% correct
>>> b = np.r_[np.ones(550), np.zeros(450)]   # 55.0% correct
>>> out = proportions_test(a, b)
>>> round(out["difference"], 3), round(out["p_value"], 4)
(0.05, 0.0252)
"""

from __future__ import annotations

from mlops_kit.errors import InputError
from mlops_kit.validation.abtest.metrics import as_array, described

__all__ = ["as_binary", "proportions_test"]


def as_binary(values, name: str):
    """Return ``values`` as a 0/1 float array, or raise InputError naming ``name``.

    Examples
    --------
    >>> as_binary([True, False, 1], "correct_a").tolist()
    [1.0, 0.0, 1.0]
    """
    import numpy as np

    arr = as_array(values, name)
    if arr.dtype.kind not in "biuf" or not np.isin(arr, (0, 1)).all():
        shown = np.unique(arr)[:5].tolist() if arr.dtype.kind != "O" else "mixed values"
        raise described(
            name,
            f"values {shown}",
            "binary 0/1 (or True/False) outcomes: 1 where the model was right",
        )
    return arr.astype(float)


def proportions_test(correct_a, correct_b, *, alpha: float = 0.05) -> dict:
    """Two-proportion z-test of ``mean(correct_b) - mean(correct_a)``.

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
    import numpy as np
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise InputError.invalid("alpha", alpha, "a number strictly between 0 and 1")
    a, b = as_binary(correct_a, "correct_a"), as_binary(correct_b, "correct_b")
    count_a, count_b, n_a, n_b = int(a.sum()), int(b.sum()), len(a), len(b)
    pooled = (count_a + count_b) / (n_a + n_b)
    if pooled in (0.0, 1.0):  # both arms all wrong or all right: no variance, no evidence
        stat, p_value = 0.0, 1.0
    else:
        stat, p_value = proportions_ztest([count_b, count_a], [n_b, n_a])
    low, high = confint_proportions_2indep(
        count_b, n_b, count_a, n_a, method="newcomb", compare="diff", alpha=alpha
    )
    return {
        "test": "two-proportion z-test",
        "statistic": float(stat),
        "p_value": float(p_value),
        "value_a": count_a / n_a,
        "value_b": count_b / n_b,
        "difference": count_b / n_b - count_a / n_a,
        "ci_difference": [float(np.clip(low, -1, 1)), float(np.clip(high, -1, 1))],
        "ci_method": "Newcomb score interval",
    }
