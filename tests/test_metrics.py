"""The metric registry: lookup, task checks, sklearn agreement, bootstrap forms, directions."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skm

from mlops_kit.errors import InputError
from mlops_kit.metrics import (
    DEFAULT_METRICS,
    METRICS,
    MetricUndefined,
    compute_metric,
    get_metric,
    infer_task,
    lower_is_better,
    metric_for_key,
    metric_names,
)

RNG = np.random.default_rng(0)
Y = RNG.integers(0, 2, 300)
PRED = np.where(RNG.random(300) < 0.8, Y, 1 - Y)
SCORE = np.round(RNG.random(300) + 0.3 * Y, 1) / 1.3  # rounded: many ties
VALUES = RNG.normal(size=300)
APPROX = VALUES + RNG.normal(size=300)

SKLEARN = {
    "accuracy": (skm.accuracy_score, Y, PRED),
    "precision": (skm.precision_score, Y, PRED),
    "recall": (skm.recall_score, Y, PRED),
    "f1": (skm.f1_score, Y, PRED),
    "roc_auc": (skm.roc_auc_score, Y, SCORE),
    "log_loss": (skm.log_loss, Y, SCORE),
    "mae": (skm.mean_absolute_error, VALUES, APPROX),
    "mse": (skm.mean_squared_error, VALUES, APPROX),
    "rmse": (skm.root_mean_squared_error, VALUES, APPROX),
    "r2": (skm.r2_score, VALUES, APPROX),
}


def test_every_registry_metric_is_checked_against_sklearn():
    assert set(SKLEARN) == set(METRICS)


@pytest.mark.parametrize("name", sorted(SKLEARN))
def test_point_value_equals_sklearn(name):
    fn, t, p = SKLEARN[name]
    metric = METRICS[name]
    kwargs = {"y_score": p} if metric.needs_scores else {"y_pred": p}
    assert compute_metric(name, t, **kwargs) == pytest.approx(fn(t, p))


@pytest.mark.parametrize("name", metric_names(bootstrap=True))
def test_bootstrap_form_equals_sklearn_on_the_rows_and_on_resamples(name):
    fn, t, p = SKLEARN[name]
    metric = get_metric(name, bootstrap=True)
    rows = metric.prepare(t, p, "a", 1)
    assert metric.point_of(rows) == pytest.approx(fn(t, p))
    idx = np.random.default_rng(1).integers(0, len(t), size=(3, len(t)))
    resampled = metric.resampled(idx, rows)
    for k in range(3):
        assert resampled[k] == pytest.approx(fn(t[idx[k]], p[idx[k]])), k


def test_lookup_is_case_insensitive_with_aliases():
    assert get_metric("AUC").name == "roc_auc"
    assert get_metric(" Mean_Absolute_Error ").name == "mae"
    assert get_metric("r_squared").name == "r2"
    assert get_metric(METRICS["f1"]) is METRICS["f1"]


def test_unknown_metric_error_names_the_parameter_and_lists_the_choices():
    with pytest.raises(InputError, match=r"Invalid thresholds\['mape'\]: got 'mape'.*'rmse'"):
        get_metric("mape", where="thresholds['mape']")
    with pytest.raises(InputError, match=r"Invalid metric: got 'r2'; allowed: one of .*'rmse'"):
        get_metric("r2", bootstrap=True)
    with pytest.raises(InputError, match="Invalid metric: got None"):
        get_metric(None)


def test_task_checks():
    with pytest.raises(InputError, match="a regression metric"):
        get_metric("mae", task="classification")
    with pytest.raises(InputError, match="mae is a regression metric"):
        compute_metric("mae", ["yes", "no"], y_pred=["yes", "yes"])
    with pytest.raises(InputError, match="accuracy is a classification metric"):
        compute_metric("accuracy", [0.5, 1.25], y_pred=[0.5, 1.25])
    with pytest.raises(InputError, match="a classification metric"):
        compute_metric("mae", [0, 1, 1], y_pred=[0, 1, 0], task="classification")
    # integer labels are fine for both kinds when no task is given
    assert compute_metric("mae", [0, 1, 1], y_pred=[0, 1, 0]) == pytest.approx(1 / 3)


def test_undefined_metrics_say_why():
    with pytest.raises(MetricUndefined, match="roc_auc needs both classes"):
        compute_metric("roc_auc", [1, 1, 1], y_score=[0.2, 0.5, 0.9])
    with pytest.raises(MetricUndefined, match="needs scores"):
        compute_metric("roc_auc", [0, 1], y_pred=[0, 1])
    with pytest.raises(MetricUndefined, match="r2 needs at least 2 rows"):
        compute_metric("r2", [1.0], y_pred=[1.5])
    with pytest.raises(InputError, match="Invalid y_pred: got 2 rows"):
        compute_metric("accuracy", [0, 1, 1], y_pred=[0, 1])


def test_binary_metrics_use_the_larger_label_or_pos_label_and_macro_for_many_classes():
    y, p = ["no", "yes", "yes", "no"], ["yes", "yes", "no", "no"]
    assert compute_metric("recall", y, y_pred=p) == pytest.approx(0.5)  # positive "yes"
    assert compute_metric("precision", y, y_pred=["no", "yes", "yes", "yes"], pos_label="no") == 1
    y3, p3 = [0, 1, 2, 2], [0, 2, 2, 1]
    expected = skm.f1_score(y3, p3, average="macro")
    assert compute_metric("f1", y3, y_pred=p3) == pytest.approx(expected)


def test_multiclass_roc_auc_from_probabilities():
    y = np.array([0, 1, 2, 2, 1, 0])
    proba = np.array(
        [[0.7, 0.2, 0.1], [0.2, 0.5, 0.3], [0.1, 0.2, 0.7], [0.3, 0.3, 0.4], [0.1, 0.6, 0.3],
         [0.5, 0.4, 0.1]]
    )  # fmt: skip
    got = compute_metric("roc_auc", y, y_score=proba, classes=[0, 1, 2])
    assert got == pytest.approx(skm.roc_auc_score(y, proba, multi_class="ovr"))


def test_infer_task_and_defaults():
    assert infer_task(np.array([0, 1, 1])) == "classification"
    assert infer_task(np.arange(100)) == "regression"
    assert infer_task(np.array([0.5, 1.0])) == "regression"
    with pytest.raises(InputError, match="Invalid task"):
        infer_task([0, 1], task="ranking")
    for task, names in DEFAULT_METRICS.items():
        assert all(METRICS[n].task == task for n in names)


def test_direction_of_logged_keys():
    assert metric_for_key("valid_auc_by_rows").name == "roc_auc"
    assert metric_for_key("test/RMSE").name == "rmse"
    assert metric_for_key("throughput") is None
    assert lower_is_better("val_MAE") and lower_is_better("log_loss")
    assert lower_is_better("train_loss") and lower_is_better("val_error")
    assert not lower_is_better("roc_auc") and not lower_is_better("precision")
    assert not lower_is_better("r2_score")
