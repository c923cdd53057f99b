"""A/B test of two model versions: which is better, by how much, how sure.

Which test runs:

- accuracy, split traffic (different rows per arm): two-proportion z-test,
  Newcomb interval of the difference (statsmodels);
- accuracy, same rows (paired): McNemar's test (exact when few rows are
  discordant), paired bootstrap interval;
- precision, recall, f1, roc_auc (``y_pred`` are scores), mae, mse, rmse:
  bootstrap interval and bootstrap p-value (paired when the rows are the same).

Metrics come from the kit's registry (:mod:`mlops_kit.metrics`): every metric
with a bootstrap form can be compared.

When the difference is not significant the verdict says how many rows per
arm would detect ``min_detectable_difference`` (default 2 points for
accuracy, f1 and roc_auc) with the chosen ``power``.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> y = rng.integers(0, 2, 4000)
>>> pred_a = np.where(rng.random(4000) < 0.80, y, 1 - y)   # ~80% accurate
>>> pred_b = np.where(rng.random(4000) < 0.85, y, 1 - y)   # ~85% accurate
>>> result = ab_test(y, pred_a, y_pred_b=pred_b)            # same rows: paired
>>> result.winner, result.test
('B', 'McNemar')
"""

from __future__ import annotations

import math

import numpy as np

from mlops_kit._params import InstanceOf, Interval, Params, check_param
from mlops_kit.errors import InputError
from mlops_kit.metrics import Metric, as_array, described, get_metric
from mlops_kit.validation.abtest.bootstrap import BOOTSTRAP_CONSTRAINTS, bootstrap_difference
from mlops_kit.validation.abtest.result import ABTestResult
from mlops_kit.validation.abtest.stats import (
    PROBABILITY,
    mcnemar_test,
    proportions_test,
    rows_from_se,
    sample_size,
)

__all__ = ["ABTest", "ab_test"]


def _p(p: float) -> str:
    return "p<0.001" if p < 0.001 else f"p={p:.3g}"


class ABTest(Params):
    """Compare model A and model B on one metric.

    Parameters
    ----------
    metric : str, default "accuracy"
        A registry metric with a bootstrap form: accuracy, precision, recall,
        f1, roc_auc, mae, mse or rmse (aliases accepted). For ``roc_auc`` the
        predictions are scores of the positive class.
    alpha : float, default 0.05
        Significance level; intervals are ``1 - alpha``.
    n_boot : int, default 2000
        Bootstrap resamples.
    seed : int or None, default 0
        Bootstrap seed (the same seed gives the same result).
    power : float, default 0.8
        Power used for the rows-needed advice.
    min_detectable_difference : float, optional
        Smallest difference worth detecting, in metric units (0.02 = 2 points);
        default 0.02 for accuracy, f1 and roc_auc, none for mae and rmse.
    pos_label : default 1
        Positive class for precision, recall, ``f1`` and ``roc_auc``.

    Examples
    --------
    >>> ABTest("f1", n_boot=500)
    ABTest(metric='f1', n_boot=500)
    >>> y = [1, 0, 1, 1, 0, 1, 0, 0] * 50
    >>> ABTest("accuracy").run(y, y, y_pred_b=y).verdict
    'no difference: A and B made the same prediction on every row (n=400)'
    """

    _parameter_constraints = {
        "metric": [InstanceOf(str, Metric, description="a metric name")],
        **BOOTSTRAP_CONSTRAINTS,
        "power": PROBABILITY,
        "min_detectable_difference": [None, Interval(float, 0, None, closed="neither")],
    }

    def __init__(
        self,
        metric: str = "accuracy",
        *,
        alpha: float = 0.05,
        n_boot: int = 2000,
        seed: int | None = 0,
        power: float = 0.8,
        min_detectable_difference: float | None = None,
        pos_label=1,
    ):
        self.metric = metric
        self.alpha = alpha
        self.n_boot = n_boot
        self.seed = seed
        self.power = power
        self.min_detectable_difference = min_detectable_difference
        self.pos_label = pos_label

    def _pairing(self, y_true_a, y_true_b, y_pred_b, paired):
        if y_pred_b is None:
            raise InputError.invalid("y_pred_b", None, "the predictions of model B")
        check_param("paired", paired, [None, "boolean"], hint="None infers it.")
        if y_true_b is None:
            return y_true_a, (True if paired is None else paired)
        if paired is None:
            return y_true_b, y_true_b is y_true_a
        if paired:
            a, b = as_array(y_true_a, "y_true_a"), as_array(y_true_b, "y_true_b")
            if a.shape != b.shape or not np.array_equal(a, b):
                raise described(
                    "y_true_b",
                    "labels that differ from y_true_a",
                    "the same labels as y_true_a for a paired test (same rows)",
                    "Pass paired=False for split traffic.",
                )
        return y_true_b, paired

    def _min_difference(self, metric) -> float | None:
        mdd = self.min_detectable_difference
        if mdd is None:
            return 0.02 if metric.in_points else None
        if metric.in_points:
            check_param("min_detectable_difference", mdd, [PROBABILITY[0]])
        return float(mdd)

    def run(self, y_true_a, y_pred_a, y_true_b=None, y_pred_b=None, *, paired=None):
        """Run the test and return an :class:`~.result.ABTestResult`.

        Parameters
        ----------
        y_true_a, y_pred_a : array-like
            True labels (values) and predictions (scores for roc_auc) of arm A.
        y_true_b : array-like, optional
            True labels of arm B; omit when B was scored on the same rows as A.
        y_pred_b : array-like
            Predictions of arm B.
        paired : bool, optional
            Same rows in both arms. Default: True when ``y_true_b`` is omitted
            or is the same object as ``y_true_a``, else False.

        Raises
        ------
        InputError
            Names the parameter: empty arrays, length mismatch, non-binary
            labels for f1/roc_auc, scores given for accuracy, ``alpha`` outside
            (0, 1), ...
        """
        self._validate_params()
        metric = get_metric(self.metric, bootstrap=True)
        mdd = self._min_difference(metric)
        y_true_b, paired = self._pairing(y_true_a, y_true_b, y_pred_b, paired)
        boot = bootstrap_difference(
            metric, y_true_a, y_pred_a, y_true_b, y_pred_b, paired=paired,
            n_boot=self.n_boot, seed=self.seed, alpha=self.alpha, pos_label=self.pos_label,
        )  # fmt: skip
        pred_a, pred_b = as_array(y_pred_a, "y_pred_a"), as_array(y_pred_b, "y_pred_b")
        n_a, n_b = len(pred_a), len(pred_b)
        out = {
            "test": "paired bootstrap" if paired else "bootstrap",
            "statistic": None,
            "p_value": boot["p_value"],
            "ci_difference": boot["ci_difference"],
            "ci_method": ("paired " if paired else "") + "bootstrap percentile",
            "table": None,
        }
        if metric.name == "accuracy":
            correct_a = np.asarray(as_array(y_true_a, "y_true_a") == pred_a, dtype=float)
            correct_b = np.asarray(as_array(y_true_b, "y_true_b") == pred_b, dtype=float)
            if paired:
                res = mcnemar_test(correct_a, correct_b)
                out.update(test=res["test"], table=res["table"])
            else:
                res = proportions_test(correct_a, correct_b, alpha=self.alpha)
                out.update(test=res["test"], ci_difference=res["ci_difference"])
                out["ci_method"] = res["ci_method"]
            out.update(statistic=res["statistic"], p_value=res["p_value"])
        diff = boot["difference"]
        significant = out["p_value"] < self.alpha and diff != 0
        b_better = (diff > 0) == metric.higher_is_better
        winner = ("B" if b_better else "A") if significant else None
        result = {
            "metric": metric.name, "greater_is_better": metric.higher_is_better,
            "in_points": metric.in_points, "paired": paired, "alpha": self.alpha,
            "power": self.power, "significant": significant, "winner": winner,
            "n_a": n_a, "n_b": n_b, "value_a": boot["value_a"], "value_b": boot["value_b"],
            "ci_a": boot["ci_a"], "ci_b": boot["ci_b"], "difference": diff,
            "min_detectable_difference": mdd, "rows_needed": None, "n_boot": self.n_boot,
            "seed": self.seed, **out,
        }  # fmt: skip
        same = paired and pred_a.shape == pred_b.shape and np.array_equal(pred_a, pred_b)
        if not significant and not same and mdd is not None:
            result["rows_needed"] = self._rows_needed(metric, boot, paired, n_a, n_b, mdd)
        result["verdict"] = self._verdict(result, same)
        return ABTestResult(**result)

    def _rows_needed(self, metric, boot, paired, n_a, n_b, mdd) -> dict | None:
        if metric.name == "accuracy" and not paired:
            baseline = min(max(boot["value_a"], 1e-6), 1 - mdd)
            need_a = sample_size(baseline, mdd, self.alpha, self.power, ratio=n_b / n_a)
        else:
            need_a = rows_from_se(boot["se_difference"], n_a, mdd, self.alpha, self.power)
        if need_a is None:
            return None
        return {"A": need_a, "B": math.ceil(need_a * n_b / n_a - 1e-9)}

    def _verdict(self, r: dict, same: bool) -> str:
        def fmt(value, sign=True):
            if r["in_points"]:
                return f"{100 * value:+.1f}" if sign else f"{100 * value:.1f}"
            return f"{value:+.4g}" if sign else f"{value:.4g}"

        unit = " pts" if r["in_points"] else ""
        lo, hi = r["ci_difference"]
        level = f"{100 * (1 - r['alpha']):g}%"
        body = (
            f"{fmt(r['difference'])}{unit} {r['metric']} (B - A), {level} CI "
            f"[{fmt(lo, False)}, {fmt(hi, False)}], {_p(r['p_value'])}"
        )
        if r["significant"]:
            return f"{r['winner']} is better: {body} ({r['test']})"
        if same:
            return f"no difference: A and B made the same prediction on every row (n={r['n_a']})"
        text = f"no significant difference ({body}, {r['test']})"
        mdd, need = r["min_detectable_difference"], r["rows_needed"]
        if mdd is None:
            return text + "; pass min_detectable_difference=... to see the rows needed"
        if need is None:
            return text
        target = f"{100 * mdd:g} pts" if r["in_points"] else f"{mdd:g}"
        if need["A"] > r["n_a"]:
            if r["n_a"] == r["n_b"]:
                return (
                    f"{text}; to detect {target} you need ~{need['A']:,} rows per arm, "
                    f"you have {r['n_a']:,}"
                )
            return (
                f"{text}; to detect {target} you need ~{need['A']:,} rows in A and "
                f"~{need['B']:,} in B, you have {r['n_a']:,} and {r['n_b']:,}"
            )
        return (
            f"{text}; {r['n_a']:,} rows would detect {target} {r['power']:.0%} of the time, "
            "so any real difference is probably smaller"
        )


def ab_test(
    y_true_a,
    y_pred_a,
    y_true_b=None,
    y_pred_b=None,
    *,
    paired: bool | None = None,
    metric: str = "accuracy",
    alpha: float = 0.05,
    n_boot: int = 2000,
    seed: int | None = 0,
    power: float = 0.8,
    min_detectable_difference: float | None = None,
    pos_label=1,
) -> ABTestResult:
    """Compare two model versions; shorthand for ``ABTest(...).run(...)``.

    See :class:`ABTest` for the parameters.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(3)
    >>> y_a, y_b = rng.integers(0, 2, 300), rng.integers(0, 2, 300)
    >>> r = ab_test(y_a, y_a, y_b, np.where(rng.random(300) < 0.9, y_b, 1 - y_b))
    >>> r.paired, r.test, r.winner
    (False, 'two-proportion z-test', 'A')
    """
    return ABTest(
        metric, alpha=alpha, n_boot=n_boot, seed=seed, power=power,
        min_detectable_difference=min_detectable_difference, pos_label=pos_label,
    ).run(y_true_a, y_pred_a, y_true_b, y_pred_b, paired=paired)  # fmt: skip
