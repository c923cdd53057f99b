"""Performance gate: threshold parsing, task inference and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression

from mlops_kit.errors import ColumnError, InputError, TrackingError
from mlops_kit.metrics import infer_task
from mlops_kit.validation.performance import PerformanceGate, parse_thresholds
from mlops_kit.validation.performance.mlflow_log import metric_key


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"x": rng.normal(size=300), "group": rng.choice(["a", "b"], 300)})
    y = (X["x"] + rng.normal(scale=0.5, size=300) > 0).astype(int)
    return X, y, LogisticRegression().fit(X[["x"]], y)


class OnX:
    """Wrap a model fitted on column x so it accepts the whole frame."""

    def __init__(self, model):
        self.model = model

    def predict(self, X):
        return self.model.predict(X[["x"]])


def test_threshold_forms_parse_to_the_same_bounds():
    forms = [
        {"roc_auc": ">= 0.75", "rmse": "<= 12"},
        {"roc_auc": 0.75, "rmse": 12},
        [{"metric": "roc_auc", "min": 0.75}, {"metric": "rmse", "max": 12}],
        ["roc_auc >= 0.75", "RMSE <= 12"],
        {"auc": {"min": 0.75}, "rmse": {"max": 12}},
    ]
    for form in forms:
        parsed = parse_thresholds(form)
        assert [(t.metric, t.text) for t in parsed] == [("roc_auc", ">= 0.75"), ("rmse", "<= 12")]
    single = parse_thresholds({"metric": "f1", "min": 0.5, "max_drop": "2%"})[0]
    assert (single.metric, single.max_drop, single.drop_relative) == ("f1", 0.02, True)
    assert parse_thresholds(["f1"])[0].text is None
    assert parse_thresholds({"accuracy": "> 0.8"})[0].failure(0.8) == "0.8 <= 0.8"


@pytest.mark.parametrize(
    ("thresholds", "match"),
    [
        ({"rocauc": 0.7}, r"thresholds\['rocauc'\]: got 'rocauc'; allowed: one of \['accuracy'"),
        (["f1", "bogus"], r"thresholds\[1\].*allowed: one of"),
        ({"roc_auc": ">= abc"}, r"thresholds\['roc_auc'\]: got '>= abc'"),
        ({"roc_auc": "=> 0.7"}, r"thresholds\['roc_auc'\]"),
        ({"roc_auc": {"minimum": 0.7}}, r"thresholds\['roc_auc'\] key: got 'minimum'"),
        ({"roc_auc": {"min": float("nan")}}, r"thresholds\['roc_auc'\]\['min'\]"),
        ({"roc_auc": {"max_drop": -1}}, r"max_drop"),
        ({"roc_auc": True}, r"thresholds\['roc_auc'\]"),
        ([{"min": 0.7}], r"thresholds\[0\]"),
        (42, r"Invalid thresholds"),
        (["f1", "f1 >= 0.2"], r"each metric once"),
    ],
)
def test_malformed_thresholds_name_the_threshold(data, thresholds, match):
    X, y, model = data
    with pytest.raises(InputError, match=match):
        PerformanceGate(thresholds).check(OnX(model), X, y)


def test_metric_that_does_not_fit_the_task(data):
    X, y, _ = data
    reg = LinearRegression().fit(X[["x"]], X["x"] * 2.5)
    with pytest.raises(InputError, match=r"thresholds\['roc_auc'\].*a regression metric"):
        PerformanceGate({"roc_auc": 0.7}).check(OnX(reg), X, X["x"] * 2.5)
    with pytest.raises(InputError, match=r"thresholds\['rmse'\].*classification metric"):
        PerformanceGate({"rmse": 1}).check(OnX(data[2]), X, y)


def test_length_mismatch_and_empty_data(data):
    X, y, model = data
    with pytest.raises(InputError, match=r"Invalid y: got '299 values'.*300 rows"):
        PerformanceGate().check(OnX(model), X, y[:-1])
    with pytest.raises(InputError, match="at least 1 row"):
        PerformanceGate().check(OnX(model), X.iloc[:0], y[:0])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"slices": {"nope": None}}, ColumnError, r"slices\['nope'\].*Columns of X: 'x', 'group'"),
        ({"slices": {"bad": "x >>> 1"}}, InputError, r"slices\['bad'\]"),
        ({"slices": {"short": np.ones(5, dtype=bool)}}, InputError, r"shape \(300,\)"),
        ({"slices": {"overall": None}}, InputError, "other than 'overall'"),
        ({"slices": 3}, InputError, "Invalid slices"),
        ({"min_slice_size": 0}, InputError, "min_slice_size"),
        ({"if_no_champion": "maybe"}, InputError, "if_no_champion"),
        ({"task": "ranking"}, InputError, "Invalid task"),
        ({"alias": "v1"}, InputError, "Invalid alias"),
        ({"max_drop": "lots"}, InputError, "Invalid max_drop"),
        ({"max_drop": {"bogus": 0.1}}, InputError, "Invalid max_drop"),
        ({"champion": 3}, InputError, "Invalid champion"),
    ],
)
def test_bad_gate_arguments(data, kwargs, error, match):
    X, y, model = data
    with pytest.raises(error, match=match):
        PerformanceGate(["accuracy"], **kwargs).check(OnX(model), X, y)


def test_bad_model_argument(data):
    X, y, _ = data
    with pytest.raises(InputError, match="Invalid model: got 'object'"):
        PerformanceGate().check(object(), X, y)
    with pytest.raises(InputError, match="Invalid model: got 'credit'"):
        PerformanceGate().check("credit", X, y)


def test_task_inference():
    assert infer_task(np.array([0, 1, 1])) == "classification"
    assert infer_task(pd.Series(["no", "yes"])) == "classification"
    assert infer_task(np.array([True, False])) == "classification"
    assert infer_task(np.arange(100)) == "regression"  # many distinct integers
    assert infer_task(np.array([0.5, 1.0])) == "regression"
    assert infer_task(np.array([0.0, 1.0, 2.0])) == "classification"


def test_roc_auc_needs_scores_and_both_classes(data):
    X, y, model = data
    report = PerformanceGate(
        {"roc_auc": 0.5, "accuracy": 0.5}, slices={"one": y.to_numpy() == 1}, min_slice_size=10
    ).check(OnX(model), X, y)
    rows = {(r["slice"], r["metric"]): r for r in report.checks}
    assert rows[("overall", "roc_auc")]["status"] == "skipped"
    assert "no predict_proba" in rows[("overall", "roc_auc")]["reason"]
    assert rows[("one", "accuracy")]["status"] == "passed"
    assert report.passed


def test_string_labels_and_pos_label(data):
    X, y, _ = data
    labels = np.where(y == 1, "bad", "good")
    clf = LogisticRegression().fit(X[["x"]], labels)

    class Wrapped(OnX):
        def predict_proba(self, X):
            return self.model.predict_proba(X[["x"]])

        @property
        def classes_(self):
            return self.model.classes_

    default = PerformanceGate(["recall", "roc_auc"]).check(Wrapped(clf), X, labels)
    as_bad = PerformanceGate(["recall", "roc_auc"], pos_label="bad").check(Wrapped(clf), X, labels)
    assert default.checks[1]["value"] == pytest.approx(as_bad.checks[1]["value"])
    assert default.checks[0]["value"] != pytest.approx(as_bad.checks[0]["value"])
    with pytest.raises(InputError, match="pos_label"):
        PerformanceGate(["roc_auc"], pos_label="ugly").check(Wrapped(clf), X, labels)


def test_log_without_a_run_is_refused(data):
    X, y, model = data
    report = PerformanceGate(["accuracy"]).check(OnX(model), X, y)
    with pytest.raises(TrackingError, match="No active MLflow run"):
        report.log_to_mlflow()


def test_metric_keys_are_valid_mlflow_names():
    from mlflow.utils.validation import _validate_metric_name

    for name in ["region=north", "a b/c", "<b>x</b>", "ünïcode", "..", "loan_amount > 20000"]:
        key = metric_key(name, "roc_auc", "delta")
        _validate_metric_name(key)
        assert key.startswith("perf.") and key.endswith(".roc_auc.delta")


def test_a_gate_that_computed_nothing_does_not_pass():
    from sklearn.linear_model import LogisticRegression

    X = pd.DataFrame({"x": np.arange(40.0)})
    y = np.r_[np.zeros(20), np.ones(20)].astype(int)
    clf = LogisticRegression().fit(X, y)
    with pytest.raises(InputError, match=r"Invalid y: got rows on which no gate metric"):
        PerformanceGate({"roc_auc": 0.5}).check(clf, X.iloc[:20], y[:20])
    # one computable metric is enough: the undefined one is reported as skipped
    report = PerformanceGate({"roc_auc": 0.5, "accuracy": 0.5}).check(clf, X.iloc[:20], y[:20])
    statuses = dict(zip(report.to_frame()["metric"], report.to_frame()["status"], strict=True))
    assert statuses == {"roc_auc": "skipped", "accuracy": "passed"}


def test_gate_parameters_are_declared_once():
    gate = PerformanceGate({"roc_auc": 0.7}, min_slice_size=10)
    assert gate.get_params()["min_slice_size"] == 10
    assert repr(gate) == "PerformanceGate(thresholds={'roc_auc': 0.7}, min_slice_size=10)"
    X, y = pd.DataFrame({"x": [0.0, 1.0]}), np.array([0, 1])
    for kwargs, name in [
        ({"min_slice_size": 0}, "min_slice_size"),
        ({"if_no_champion": "maybe"}, "if_no_champion"),
        ({"task": "ranking"}, "task"),
        ({"champion": 3}, "champion"),
        ({"max_drop": -0.1}, "max_drop"),
    ]:
        with pytest.raises(InputError, match=f"Invalid {name}"):
            PerformanceGate(**kwargs).check(object(), X, y)
