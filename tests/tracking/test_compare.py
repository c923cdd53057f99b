"""compare_runs on real MLflow runs in a SQLite store."""

from __future__ import annotations

import json

import pytest

from mlops_kit.errors import InputError, StoreUnreachableError
from mlops_kit.results import Result
from mlops_kit.tracking.compare import compare_runs, lower_is_better

RUNS = [
    ("lr", {"model": "lr", "C": "1.0"}, {"accuracy": 0.81, "rmse": 0.44}),
    ("rf", {"model": "rf", "C": "0.5"}, {"accuracy": 0.93, "rmse": 0.31}),
    ("gbm", {"model": "gbm"}, {"accuracy": 0.90, "rmse": 0.29, "f1": 0.7}),
]


@pytest.fixture
def experiment(tracking_uri, tmp_path, monkeypatch):
    """Experiment 'iris' with three finished runs (logged with plain MLflow)."""
    import mlflow

    from mlops_kit.tracking.store import ensure_experiment

    monkeypatch.chdir(tmp_path)
    exp_id = ensure_experiment("iris", tracking_uri)
    ensure_experiment("other", tracking_uri)
    for name, params, metrics in RUNS:
        with mlflow.start_run(experiment_id=exp_id, run_name=name):
            mlflow.log_params(params)
            mlflow.log_metrics(metrics)
    return "iris"


def test_frame_has_one_row_per_run_with_params_and_metrics(experiment):
    cmp = compare_runs(experiment)
    assert isinstance(cmp, Result)
    frame = cmp.to_frame()
    assert frame.columns.tolist() == [
        "run_id", "run_name", "status", "start_time", "C", "model", "accuracy", "f1", "rmse",
    ]  # fmt: skip
    assert sorted(frame["run_name"]) == ["gbm", "lr", "rf"]
    assert frame["start_time"].is_monotonic_decreasing  # newest first
    assert (frame["status"] == "FINISHED").all()
    assert str(frame["start_time"].dt.tz) == "UTC"
    by_name = frame.set_index("run_name")
    assert by_name.loc["rf", "accuracy"] == pytest.approx(0.93)
    assert by_name.loc["rf", "C"] == pytest.approx(0.5)  # numeric params become numbers
    assert by_name["f1"].isna().sum() == 2  # runs without the metric get NaN


def test_chosen_metrics_params_and_summary(experiment):
    cmp = compare_runs(experiment, ["accuracy", "rmse"], params="model")
    assert cmp.to_frame().columns.tolist()[4:] == ["model", "accuracy", "rmse"]
    summary = cmp.summary()
    assert summary.startswith("3 runs of experiment 'iris'")
    assert "best accuracy 0.93 (run 'rf')" in summary
    assert "best rmse 0.29 (run 'gbm', lower is better)" in summary
    assert cmp.best("rmse") == (pytest.approx(0.29), "gbm")
    data = json.loads(cmp.to_json())
    assert data["experiment"] == "iris" and data["metrics"] == ["accuracy", "rmse"]
    assert {r["run_name"] for r in data["runs"]} == {"lr", "rf", "gbm"}


def test_max_runs_and_order_by(experiment):
    cmp = compare_runs(experiment, "accuracy", max_runs=2, order_by=["metrics.accuracy DESC"])
    assert cmp.to_frame()["run_name"].tolist() == ["rf", "gbm"]
    with pytest.raises(InputError, match="max_runs"):
        compare_runs(experiment, max_runs=0)
    with pytest.raises(InputError, match="order_by"):
        compare_runs(experiment, order_by=["nonsense ordering clause"])


def test_plot_draws_grouped_bars_with_run_names(experiment):
    import matplotlib.pyplot as plt

    cmp = compare_runs(experiment, ["accuracy", "rmse"], order_by=["metrics.accuracy DESC"])
    _, ax = plt.subplots()
    assert cmp.plot(ax=ax) is ax
    assert len(ax.patches) == 3 * 2
    assert [t.get_text() for t in ax.get_xticklabels()] == ["rf", "gbm", "lr"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["accuracy", "rmse"]
    heights = sorted(round(p.get_height(), 2) for p in ax.patches)
    assert heights == [0.29, 0.31, 0.44, 0.81, 0.9, 0.93]


def test_unknown_experiment_and_metric(experiment):
    with pytest.raises(InputError, match="experiment") as err:
        compare_runs("nope")
    assert "'iris'" in str(err.value) and "'other'" in str(err.value)
    with pytest.raises(InputError, match="auc") as err:
        compare_runs(experiment, ["accuracy", "auc"])
    assert "'accuracy', 'f1', 'rmse'" in str(err.value)
    with pytest.raises(InputError, match="params"):
        compare_runs(experiment, params=["depth"])


def test_empty_experiment_and_id_lookup(experiment, tracking_uri):
    import mlflow

    cmp = compare_runs("other")
    assert cmp.to_frame().empty and cmp.summary() == "0 runs of experiment 'other'"
    assert cmp.plot() is not None
    exp_id = mlflow.MlflowClient(tracking_uri).get_experiment_by_name("iris").experiment_id
    assert len(compare_runs(exp_id).to_frame()) == 3


def test_param_named_like_a_metric_is_prefixed(experiment):
    import mlflow

    exp = mlflow.get_experiment_by_name("iris")
    with mlflow.start_run(experiment_id=exp.experiment_id, run_name="clash"):
        mlflow.log_param("accuracy", "target")
        mlflow.log_metric("accuracy", 0.5)
    frame = compare_runs(experiment, ["accuracy"], params=["accuracy"]).to_frame()
    assert "param.accuracy" in frame.columns and "accuracy" in frame.columns


def test_example_html_escapes_and_saves(tmp_path, example_comparison):
    cmp = example_comparison
    html = cmp._repr_html_()
    assert "<b>gbm</b>" not in html and "&lt;b&gt;gbm&lt;/b&gt;" in html
    assert len(html) < 10_000
    page = cmp.save_html(tmp_path / "cmp.html")
    assert "data:image/png;base64" in page.read_text()
    assert "RunComparison" in repr(cmp)


def test_lower_is_better_guess():
    assert lower_is_better("log_loss") and lower_is_better("val_MAE")
    assert not lower_is_better("roc_auc") and not lower_is_better("precision")


def test_unreachable_store(tmp_path):
    with pytest.raises(StoreUnreachableError):
        compare_runs("iris", tracking_uri=f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
