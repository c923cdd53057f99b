"""ab_test / ABTest: verdicts on simulated models, bad input, the ABTestResult surface."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mlops_kit.errors import InputError
from mlops_kit.validation.abtest import ABTest, ABTestResult, ab_test, sample_size


def _labels_and_preds(n, accuracies, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    preds = [np.where(rng.random(n) < acc, y, 1 - y) for acc in accuracies]
    return y, preds


def test_b_truly_better_on_the_same_rows_gives_b_with_mcnemar():
    y, (a, b) = _labels_and_preds(5000, (0.80, 0.85), seed=0)
    r = ab_test(y, a, y_pred_b=b)
    assert r.paired and r.test == "McNemar"
    assert r.winner == "B" and r.significant and r.p_value < r.alpha
    assert r.verdict.startswith("B is better: +")
    assert "pts accuracy (B - A), 95% CI [" in r.verdict and r.verdict.endswith("(McNemar)")
    lo, hi = r.ci_difference
    assert 0 < lo < r.difference < hi
    assert r.rows_needed is None
    assert sum(sum(row) for row in r.table) == 5000


def test_a_better_on_split_traffic_uses_the_z_test():
    (y_a, (a,)), (y_b, (b,)) = (
        _labels_and_preds(4000, (0.85,), seed=1),
        _labels_and_preds(3000, (0.80,), seed=2),
    )
    r = ab_test(y_a, a, y_b, b)
    assert not r.paired and r.test == "two-proportion z-test"
    assert r.winner == "A" and r.p_value < 0.05
    assert r.verdict.startswith("A is better: -")
    assert r.ci_method == "Newcomb score interval"
    assert (r.n_a, r.n_b) == (4000, 3000)


def test_identical_models_say_no_difference():
    y, (a,) = _labels_and_preds(1000, (0.8,), seed=3)
    r = ab_test(y, a, y_pred_b=a.copy())
    assert r.winner is None and not r.significant and r.p_value == 1.0
    assert r.verdict == "no difference: A and B made the same prediction on every row (n=1000)"


def test_equally_good_models_say_more_data_is_needed():
    y, (a, b) = _labels_and_preds(1000, (0.8, 0.8), seed=4)
    r = ab_test(y, a, y_pred_b=b)
    assert r.winner is None and r.p_value >= 0.05
    assert r.verdict.startswith("no significant difference (")
    assert (
        "; to detect 2 pts you need ~" in r.verdict and "rows per arm, you have 1,000" in r.verdict
    )
    assert r.rows_needed["A"] > 1000
    # split traffic: the rows needed come from the textbook sample size
    y_b, (b2,) = _labels_and_preds(1000, (0.8,), seed=5)
    split = ab_test(y, a, y_b, b2, min_detectable_difference=0.03)
    assert not split.significant and split.test == "two-proportion z-test"
    assert split.rows_needed["A"] == sample_size(split.value_a, 0.03) > 1000
    assert "to detect 3 pts you need ~" in split.verdict


def test_enough_rows_says_any_difference_is_probably_small():
    y, (a, b) = _labels_and_preds(20_000, (0.80, 0.80), seed=6)
    r = ab_test(y, a, y_pred_b=b, min_detectable_difference=0.05, n_boot=200)
    assert not r.significant
    assert "20,000 rows would detect 5 pts 80% of the time" in r.verdict


def test_error_metric_lower_is_better():
    rng = np.random.default_rng(7)
    y = rng.normal(size=3000)
    a = y + rng.normal(scale=1.0, size=3000)
    b = y + rng.normal(scale=0.8, size=3000)
    r = ab_test(y, a, y_pred_b=b, metric="mae")
    assert r.winner == "B" and r.difference < 0
    assert r.test == "paired bootstrap" and r.greater_is_better is False
    assert r.verdict.startswith("B is better: -")
    worse = ab_test(y, b, y_pred_b=a, metric="rmse")
    assert worse.winner == "A"


def test_roc_auc_compares_scores():
    rng = np.random.default_rng(8)
    y = rng.integers(0, 2, 2000)
    score_a = rng.random(2000) + 0.3 * y
    score_b = rng.random(2000) + 0.6 * y
    r = ab_test(y, score_a, y_pred_b=score_b, metric="roc_auc", n_boot=500)
    assert r.winner == "B" and "roc_auc" in r.verdict


def test_no_significant_error_metric_without_mdd_asks_for_it():
    rng = np.random.default_rng(21)
    y = rng.normal(size=300)
    a, b = y + rng.normal(size=300), y + rng.normal(size=300)
    r = ab_test(y, a, y_pred_b=b, metric="mae", n_boot=200)
    assert not r.significant and r.rows_needed is None
    assert r.verdict.endswith("pass min_detectable_difference=... to see the rows needed")


def test_same_seed_same_result_and_class_api():
    y, (a, b) = _labels_and_preds(800, (0.7, 0.72), seed=10)
    test = ABTest("f1", n_boot=300, seed=5)
    one, two = test.run(y, a, y_pred_b=b), test.run(y, a, y_pred_b=b)
    assert one.to_dict() == two.to_dict()
    assert test.metric == "f1"  # the constructor only stores arguments


def test_paired_is_inferred_from_the_same_label_object():
    y, (a, b) = _labels_and_preds(500, (0.8, 0.8), seed=11)
    assert ab_test(y, a, y, b).paired is True
    assert ab_test(y, a, y.copy(), b).paired is False
    assert ab_test(y, a, y.copy(), b, paired=True).paired is True


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda y, p: ab_test(y, p[:-1], y_pred_b=p), "Invalid y_pred_a: got 99 rows"),
        (lambda y, p: ab_test(y, p, y_pred_b=p[:-1]), "Invalid y_pred_b: got 99 rows"),
        (lambda y, p: ab_test(y, p, y_pred_b=p, alpha=1.5), "Invalid alpha: got 1.5"),
        (lambda y, p: ab_test(y, p, y_pred_b=p, alpha=0), "Invalid alpha: got 0"),
        (lambda y, p: ab_test([], [], y_pred_b=[]), "Invalid y_true_a: got an empty array"),
        (lambda y, p: ab_test(y, p), "Invalid y_pred_b: got None"),
        (lambda y, p: ab_test(y, p, y_pred_b=p, metric="r2"), "Invalid metric: got 'r2'"),
        (lambda y, p: ab_test(y, p, y_pred_b=p, n_boot=5), "Invalid n_boot"),
        (lambda y, p: ab_test(y, p, y_pred_b=p, power=1.2), "Invalid power"),
        (lambda y, p: ab_test(y, p, y_pred_b=p, paired="yes"), "Invalid paired"),
        (
            lambda y, p: ab_test(y, p, y_pred_b=p, min_detectable_difference=-1),
            "Invalid min_detectable_difference",
        ),
        (
            lambda y, p: ab_test(y, p, 1 - y, p, paired=True),
            "Invalid y_true_b: got labels that differ from y_true_a",
        ),
        (
            lambda y, p: ab_test(y, p / 3, y_pred_b=p),
            r"Invalid y_pred_a: got non-integer floats \(scores or probabilities\?\)",
        ),
        (
            lambda y, p: ab_test(y * 2 + p, p, y_pred_b=p, metric="f1"),
            r"Invalid y_true_a: got labels \[0, 1, 2, 3\]",
        ),
        (
            lambda y, p: ab_test(np.ones(100), p, y_pred_b=p, metric="roc_auc"),
            "Invalid y_true_a: got a single class",
        ),
        (
            lambda y, p: ab_test(y, np.where(p == 1, np.nan, 0.0), y_pred_b=p, metric="mae"),
            "Invalid y_pred_a: got NaN values",
        ),
    ],
)
def test_bad_input_names_the_parameter(call, match):
    y, (p,) = _labels_and_preds(100, (0.8,), seed=12)
    with pytest.raises(InputError, match=match):
        call(y, p)


def test_result_surface():
    y, (a, b) = _labels_and_preds(2000, (0.80, 0.84), seed=13)
    r = ab_test(y, a, y_pred_b=b, n_boot=300)
    frame = r.to_frame()
    assert frame["arm"].tolist() == ["A", "B", "B - A"]
    assert frame.loc[2, "accuracy"] == pytest.approx(r.difference)
    assert frame.loc[2, "p_value"] == pytest.approx(r.p_value)
    data = json.loads(r.to_json())
    assert data["winner"] == r.winner and data["verdict"] == r.summary()
    ax = r.plot()
    assert len(ax.containers) == 2  # one error bar per arm
    assert "B - A" in ax.get_title()
    assert isinstance(r, ABTestResult)


def test_result_logs_to_mlflow(tracking_uri, result_examples):
    import mlflow

    r = result_examples.ab_test_result()
    with mlflow.start_run() as run:
        assert r.log_to_mlflow() == run.info.run_id
    data = mlflow.get_run(run.info.run_id).data
    assert data.metrics["ab_difference"] == pytest.approx(0.031)
    assert data.metrics["ab_significant"] == 1.0
    assert data.params == {"ab_metric": "accuracy", "ab_test": "McNemar"}
