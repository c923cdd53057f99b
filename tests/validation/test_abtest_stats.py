"""A/B building blocks: McNemar, two-proportion z-test, bootstrap, metrics, sample size."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from mlops_kit.errors import InputError
from mlops_kit.metrics import get_metric
from mlops_kit.validation.abtest import (
    bootstrap_difference,
    mcnemar_test,
    proportions_test,
    sample_size,
)
from mlops_kit.validation.abtest.stats import rows_from_se, two_proportion_z


def _paired(both, a_only, b_only, neither):
    a = np.r_[np.ones(both), np.ones(a_only), np.zeros(b_only), np.zeros(neither)]
    b = np.r_[np.ones(both), np.zeros(a_only), np.ones(b_only), np.zeros(neither)]
    return a, b


def test_mcnemar_chi_square_matches_hand_computation():
    a, b = _paired(50, 10, 25, 15)
    out = mcnemar_test(a, b)
    # chi2 with continuity correction: (|10 - 25| - 1)^2 / (10 + 25) = 196 / 35
    assert out["table"] == [[50, 10], [25, 15]]
    assert out["statistic"] == pytest.approx(196 / 35)
    assert out["p_value"] == pytest.approx(stats.chi2.sf(196 / 35, df=1))
    assert out["exact"] is False and out["test"] == "McNemar"
    assert out["difference"] == pytest.approx((25 - 10) / 100)


def test_mcnemar_is_exact_when_few_rows_disagree():
    a, b = _paired(40, 1, 6, 3)
    out = mcnemar_test(a, b)
    # exact two-sided binomial: 2 * P(X <= 1), X ~ Bin(7, 0.5) = 2 * 8 / 128
    assert out["exact"] is True and out["test"] == "McNemar exact"
    assert out["p_value"] == pytest.approx(2 * 8 / 128)
    a, b = _paired(40, 0, 0, 10)
    assert mcnemar_test(a, b)["p_value"] == 1.0


def test_two_proportion_z_test_matches_pooled_formula():
    a = np.r_[np.ones(500), np.zeros(500)]
    b = np.r_[np.ones(560), np.zeros(440)]
    out = proportions_test(a, b)
    p = (500 + 560) / 2000
    z = (0.56 - 0.50) / math.sqrt(p * (1 - p) * (2 / 1000))
    assert out["statistic"] == pytest.approx(z)
    assert out["p_value"] == pytest.approx(2 * stats.norm.sf(z))
    lo, hi = out["ci_difference"]
    assert lo < 0.06 < hi and lo > 0  # significant: interval excludes 0


def test_the_one_z_test_agrees_with_statsmodels_and_handles_no_variance():
    from statsmodels.stats.proportion import proportions_ztest

    for counts in [(130, 400, 170, 450), (3, 10, 9, 12), (0, 50, 4, 60)]:
        count_a, n_a, count_b, n_b = counts
        z, p = two_proportion_z(*counts)
        sm_z, sm_p = proportions_ztest([count_b, count_a], [n_b, n_a])
        assert (z, p) == pytest.approx((sm_z, sm_p)), counts
    assert two_proportion_z(0, 10, 0, 20) == (0.0, 1.0)
    assert two_proportion_z(10, 10, 20, 20) == (0.0, 1.0)


def test_proportion_tests_reject_non_binary_and_mismatched_input():
    with pytest.raises(InputError, match="Invalid correct_a: got values \\[0, 1, 2\\]"):
        proportions_test([0, 1, 2], [0, 1])
    with pytest.raises(InputError, match="Invalid correct_b"):
        mcnemar_test([0, 1, 1], [0.5, 1, 0])
    with pytest.raises(InputError, match="Invalid correct_b: got 2 rows"):
        mcnemar_test([0, 1, 1], [0, 1])
    with pytest.raises(InputError, match="Invalid alpha"):
        proportions_test([0, 1], [1, 1], alpha=1.2)
    with pytest.raises(InputError, match="Invalid correct_a: got an empty array"):
        proportions_test([], [1, 1])


def test_sample_size_matches_statsmodels_and_the_textbook_formula():
    # 50% -> 60%: Cohen's h = 2 asin(sqrt(.6)) - 2 asin(sqrt(.5)); n = 2 ((z_.975 + z_.8) / h)^2
    h = 2 * math.asin(math.sqrt(0.6)) - 2 * math.asin(math.sqrt(0.5))
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    assert sample_size(0.5, 0.1) == math.ceil(2 * (z / h) ** 2) == 388
    assert sample_size(0.80, 0.02) == 6036
    # more rows in B means fewer are needed in A; stricter alpha or more power need more
    assert sample_size(0.5, 0.1, ratio=2.0) < 388
    assert sample_size(0.5, 0.1, alpha=0.01) > 388
    assert sample_size(0.5, 0.1, power=0.9) > 388


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((1.2, 0.02), "baseline_accuracy"),
        ((0.5, 0.0), "min_detectable_difference"),
        ((0.99, 0.05), "min_detectable_difference"),
        ((0.5, 0.1, 0.0), "alpha"),
        ((0.5, 0.1, 0.05, 1.0), "power"),
        ((0.5, 0.1, 0.05, 0.8, -1), "ratio"),
    ],
)
def test_sample_size_rejects_bad_input(args, name):
    with pytest.raises(InputError, match=f"Invalid {name}"):
        sample_size(*args)


def test_rows_from_se_scales_with_the_square_of_the_se():
    assert rows_from_se(0.0, 100, 0.02) is None
    assert rows_from_se(0.02, 1000, 0.02) == pytest.approx(1000 * 2.8016**2, rel=1e-3)


def test_metric_formulas_equal_sklearn():
    from sklearn import metrics as skm

    SKLEARN = {
        "accuracy": skm.accuracy_score,
        "f1": skm.f1_score,
        "roc_auc": skm.roc_auc_score,
        "mae": skm.mean_absolute_error,
        "rmse": skm.root_mean_squared_error,
    }

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    pred = np.where(rng.random(300) < 0.8, y, 1 - y)
    score = np.round(rng.random(300) + 0.3 * y, 1)  # rounded: many ties
    values = rng.normal(size=300)
    approx = values + rng.normal(size=300)
    cases = [
        ("accuracy", y, pred),
        ("f1", y, pred),
        ("roc_auc", y, score),
        ("mae", values, approx),
        ("rmse", values, approx),
    ]
    idx = rng.integers(0, 300, size=(3, 300))  # three bootstrap resamples
    for name, t, p in cases:
        m = get_metric(name)
        rows = m.prepare(t, p, "a")
        assert m.point_of(rows) == pytest.approx(SKLEARN[name](t, p)), name
        resampled = m.resampled(idx, rows)
        sk = SKLEARN[name]
        for k in range(3):
            assert resampled[k] == pytest.approx(sk(t[idx[k]], p[idx[k]])), name


def _simulate(n, acc_a, acc_b, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    a = np.where(rng.random(n) < acc_a, y, 1 - y)
    b = np.where(rng.random(n) < acc_b, y, 1 - y)
    return y, a, b


def test_bootstrap_is_deterministic_for_a_seed():
    y, a, b = _simulate(500, 0.7, 0.75, seed=1)
    one = bootstrap_difference("accuracy", y, a, y, b, paired=True, n_boot=300, seed=7)
    two = bootstrap_difference("accuracy", y, a, y, b, paired=True, n_boot=300, seed=7)
    other = bootstrap_difference("accuracy", y, a, y, b, paired=True, n_boot=300, seed=8)
    assert one["ci_difference"] == two["ci_difference"]
    np.testing.assert_array_equal(one["samples_difference"], two["samples_difference"])
    assert one["ci_difference"] != other["ci_difference"]


def test_bootstrap_interval_covers_the_true_difference():
    # true accuracies 0.70 and 0.75: the 95% intervals cover +0.05 in (nearly) every repeat
    covered = 0
    for seed in range(20):
        y, a, b = _simulate(2000, 0.70, 0.75, seed=seed)
        lo, hi = bootstrap_difference("accuracy", y, a, y, b, paired=False, n_boot=400, seed=seed)[
            "ci_difference"
        ]
        covered += lo <= 0.05 <= hi
    assert covered >= 17  # expected 19 of 20; 17 or fewer has probability < 2%


def test_paired_bootstrap_is_narrower_when_models_share_errors():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 2000)
    a = np.where(rng.random(2000) < 0.8, y, 1 - y)
    b = a.copy()
    flip = rng.random(2000) < 0.05  # B differs from A on 5% of rows
    b[flip] = 1 - b[flip]
    paired = bootstrap_difference("accuracy", y, a, y, b, paired=True, n_boot=500, seed=0)
    split = bootstrap_difference("accuracy", y, a, y, b, paired=False, n_boot=500, seed=0)
    width = lambda r: r["ci_difference"][1] - r["ci_difference"][0]  # noqa: E731
    assert width(paired) < width(split) / 2


def test_bootstrap_rejects_bad_settings():
    y = np.array([0, 1] * 20)
    with pytest.raises(InputError, match="Invalid n_boot"):
        bootstrap_difference("accuracy", y, y, y, y, paired=True, n_boot=10)
    with pytest.raises(InputError, match="Invalid seed"):
        bootstrap_difference("accuracy", y, y, y, y, paired=True, seed=1.5)
    with pytest.raises(InputError, match="Invalid metric: got 'r2'"):
        bootstrap_difference("r2", y, y, y, y, paired=True)
