"""McNemar's test for two models' predictions on the same rows.

Only the rows where the models disagree carry evidence: ``n_a_only`` (A right,
B wrong) and ``n_b_only`` (B right, A wrong). statsmodels' ``mcnemar`` runs
the exact binomial test when they are few (fewer than 25 discordant rows by
default) and the chi-square test with continuity correction otherwise.

Examples
--------
>>> import numpy as np
>>> a = np.r_[np.ones(50), np.ones(10), np.zeros(25), np.zeros(15)]
>>> b = np.r_[np.ones(50), np.zeros(10), np.ones(25), np.zeros(15)]
>>> out = mcnemar_test(a, b)
>>> out["table"], out["statistic"], round(out["p_value"], 4)
([[50, 10], [25, 15]], 5.6, 0.018)
"""

from __future__ import annotations

from mlops_kit.errors import InputError
from mlops_kit.validation.abtest.metrics import described
from mlops_kit.validation.abtest.proportions import as_binary

__all__ = ["EXACT_BELOW", "mcnemar_test"]

#: Use the exact binomial test below this many discordant rows.
EXACT_BELOW = 25


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
    if exact is not None and not isinstance(exact, bool):
        raise InputError.invalid("exact", exact, "True, False or None")
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
