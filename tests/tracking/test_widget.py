"""experiment_browser(): driven through its traitlets on a real SQLite store and real models."""

from __future__ import annotations

import pytest

from mlops_kit.errors import AliasNotFoundError, InputError
from mlops_kit.tracking.compare import RunComparison, compare_runs
from mlops_kit.tracking.registry import current, register
from mlops_kit.tracking.store import ensure_experiment, get_client
from mlops_kit.tracking.widget import (
    ExperimentBrowser,
    chart_png,
    default_metrics,
    experiment_browser,
    frame_html,
    message_html,
    narrow,
    runs_table_html,
)
from mlops_kit.tracking.widget_registry import history_table_html, versions_table_html

PNG = b"\x89PNG"
IRIS = [
    ("lr", {"C": "1.0"}, {"accuracy": 0.81, "f1": 0.7, "rmse": 0.44}),
    ("rf", {"C": "0.5"}, {"accuracy": 0.93, "f1": 0.9, "rmse": 0.31}),
]
WINE = [
    ("svm", {"kernel": "rbf"}, {"accuracy": 0.88, "log_loss": 0.35}),
    ("knn", {"kernel": "none"}, {"accuracy": 0.79, "log_loss": 0.52}),
]


def _log(uri, experiment, runs):
    import mlflow

    exp_id = ensure_experiment(experiment, uri)
    for name, params, metrics in runs:
        with mlflow.start_run(experiment_id=exp_id, run_name=name):
            mlflow.log_params(params)
            mlflow.log_metrics(metrics)


@pytest.fixture
def runs_store(tracking_uri):
    _log(tracking_uri, "iris", IRIS)
    _log(tracking_uri, "wine", WINE)
    return tracking_uri


@pytest.fixture
def model_store(tracking_uri):
    """Registered model 'churn' with versions 1 and 2 (real scikit-learn models)."""
    from sklearn.linear_model import LogisticRegression

    X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
    for c in (1.0, 0.1):
        register(LogisticRegression(C=c).fit(X, y), "churn", tracking_uri=tracking_uri)
    return tracking_uri


# --- pure logic, no widgets -----------------------------------------------------------


def test_message_html_escapes_and_checks_kind():
    assert "&lt;b&gt;x&lt;/b&gt;" in message_html("<b>x</b>", "success")
    with pytest.raises(InputError, match="kind"):
        message_html("x", "loud")


def test_frame_html_is_compact_escaped_and_says_how_many_rows_are_hidden():
    import pandas as pd

    frame = pd.DataFrame({"name": ["<i>a</i>", None] * 15, "v": [1 / 3, float("nan")] * 15})
    page = frame_html(frame, max_rows=4, what="runs")
    assert page.count("</tr>") == 5  # header + 4 rows
    assert "&lt;i&gt;a&lt;/i&gt;" in page and "<i>a</i>" not in page
    assert "0.3333" in page and "None" not in page and "nan" not in page
    assert "26 more runs not shown" in page
    assert "\n" not in page


def test_narrow_keeps_runs_and_restricts_metrics(example_comparison):
    full = example_comparison
    one = narrow(full, ["rmse"])
    assert one.metrics == ["rmse"] and len(one.records) == len(full.records)
    assert "accuracy" not in one.to_frame().columns
    assert all("accuracy" not in r for r in one.to_dict()["runs"])
    with pytest.raises(InputError, match="metrics"):
        narrow(full, ["auc"])
    assert default_metrics(["a", "b", "c", "d"], limit=2) == ["a", "b"]


def test_runs_table_and_chart_of_a_comparison(example_comparison):
    cmp = example_comparison
    page = runs_table_html(cmp)
    assert "&lt;b&gt;gbm&lt;/b&gt;" in page and "<b>gbm</b>" not in page
    assert "best accuracy 0.91" in page
    assert chart_png(cmp).startswith(PNG)
    assert chart_png(narrow(cmp, [])) == b""
    assert "has no runs yet" in runs_table_html(RunComparison("e", [], [], []))


def test_chart_draws_run_names_with_dollar_signs_as_typed(example_comparison):
    cmp = example_comparison
    cmp.records[0]["run_name"] = "$x_$"  # invalid mathtext
    assert chart_png(cmp).startswith(PNG)


def test_registry_tables_handle_empty_frames():
    assert "No versions" in versions_table_html(None)
    assert "No alias moves" in history_table_html(None)


# --- the widget -----------------------------------------------------------------------


def test_empty_store_shows_friendly_messages_and_buttons_do_not_raise(tracking_uri):
    b = experiment_browser()
    assert isinstance(b, ExperimentBrowser)
    assert b.experiment.options == () and b.experiment.value is None  # empty Default is hidden
    assert "No experiments with runs" in b.runs_table.value
    assert b.comparison is None and b.chart.value == b""
    assert b.model.options == () and "No registered models" in b.versions_table.value
    assert b.promote_button.disabled and b.rollback_button.disabled
    b.promote_button.click()
    assert "Cannot promote" in b.status.value and "mlops-kit-error" in b.status.value
    b.rollback_button.click()
    assert "Cannot roll back" in b.status.value


def test_labels_and_display_are_stable(tracking_uri):
    b = experiment_browser()
    shown = (b.experiment, b.metrics, b.model, b.version, b.alias, b.reason)
    buttons = (b.promote_button, b.rollback_button, b.refresh_button)
    labels = [w.description for w in (*shown, *buttons)]
    expected = ["Experiment", "Metrics", "Model", "Version", "Alias", "Reason"]
    assert labels == [*expected, "Promote", "Roll back", "Refresh"]
    assert b.alias.value == "champion"
    assert b.tab.titles == ("Runs", "Registry")
    assert b.widget.children == (b.refresh_button, b.tab)
    assert "application/vnd.jupyter.widget-view+json" in b._repr_mimebundle_()
    with pytest.raises(InputError, match="max_runs"):
        experiment_browser(max_runs=0)


def test_choosing_an_experiment_fills_metric_options(runs_store):
    b = experiment_browser()
    assert b.experiment.options == ("iris", "wine")
    assert b.experiment.value == "iris"
    assert b.metrics.options == ("accuracy", "f1", "rmse")
    assert b.metrics.value == ("accuracy", "f1", "rmse")
    b.metrics.value = ("rmse",)
    b.experiment.value = "wine"
    assert b.metrics.options == ("accuracy", "log_loss")
    assert b.metrics.value == ("accuracy", "log_loss")  # rmse is not logged in wine
    assert b.comparison.experiment == "wine"
    assert ">svm<" in b.runs_table.value and ">lr<" not in b.runs_table.value
    b.metrics.value = ("log_loss",)
    b.experiment.value = "iris"
    b.metrics.value = ("accuracy",)
    b.experiment.value = "wine"
    assert b.metrics.value == ("accuracy",)  # a metric both experiments log is kept


def test_choosing_metrics_updates_the_table_and_the_chart(runs_store):
    import pandas as pd

    b = experiment_browser()
    before = bytes(b.chart.value)
    assert before.startswith(PNG)
    b.metrics.value = ("accuracy",)
    assert b.comparison.metrics == ["accuracy"]
    pd.testing.assert_frame_equal(
        b.comparison.to_frame(), compare_runs("iris", ["accuracy"]).to_frame()
    )
    assert "<th>accuracy</th>" in b.runs_table.value
    assert "<th>rmse</th>" not in b.runs_table.value
    after = bytes(b.chart.value)
    assert after.startswith(PNG) and after != before
    b.metrics.value = ()
    assert b.chart.value == b""
    assert "Choose metrics" in b.runs_table.value and ">rf<" in b.runs_table.value


def test_user_strings_are_escaped(tracking_uri):
    _log(tracking_uri, "<i>lab</i>", [("<b>x</b>", {"note": "<img src=x>"}, {"acc": 0.5})])
    b = experiment_browser()
    page = b.runs_table.value
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page
    assert "&lt;img src=x&gt;" in page and "<img" not in page
    assert "&lt;i&gt;lab&lt;/i&gt;" in page and "<i>lab</i>" not in page
    assert bytes(b.chart.value).startswith(PNG)


def test_refresh_rereads_the_store_and_keeps_the_selection(tracking_uri):
    b = experiment_browser()
    _log(tracking_uri, "iris", IRIS)
    _log(tracking_uri, "wine", WINE)
    assert b.experiment.options == ()  # not re-read yet
    b.refresh_button.click()
    assert b.experiment.options == ("iris", "wine")
    b.experiment.value = "wine"
    b.metrics.value = ("log_loss",)
    _log(tracking_uri, "wine", [("tree", {"kernel": "n/a"}, {"accuracy": 0.7, "log_loss": 0.6})])
    b.refresh_button.click()
    assert b.experiment.value == "wine" and b.metrics.value == ("log_loss",)
    assert len(b.comparison.records) == 3 and ">tree<" in b.runs_table.value


def test_deleted_experiment_is_reported_not_raised(runs_store):
    b = experiment_browser()
    client = get_client()
    client.delete_experiment(client.get_experiment_by_name("wine").experiment_id)
    b.experiment.value = "wine"
    assert "Cannot read the runs of &#x27;wine&#x27;: Invalid experiment" in b.runs_table.value
    assert b.comparison is None and b.metrics.options == ()
    b.refresh_button.click()
    assert b.experiment.options == ("iris",)


def test_promote_and_roll_back_with_the_buttons(model_store):
    b = experiment_browser(user="tester")
    assert b.model.value == "churn"
    assert [v for _, v in b.version.options] == [2, 1] and b.version.value == 2
    assert b.history_frame.empty and "No alias moves" in b.history_table.value

    b.version.value = 1
    b.reason.value = "first <model>"
    b.promote_button.click()
    assert current("churn", "champion").version == 1
    assert "Promoted" in b.status.value and "version 1" in b.status.value
    assert b.reason.value == ""
    assert b.history_frame[["action", "to_version", "user"]].values.tolist() == [
        ["promote", 1, "tester"]
    ]
    assert "first &lt;model&gt;" in b.history_table.value and "<model>" not in b.history_table.value
    aliases = b.versions_frame.set_index("version")["aliases"]
    assert aliases[1] == "champion" and aliases[2] == ""

    b.version.value = 2
    b.promote_button.click()
    assert current("churn", "champion").version == 2

    b.rollback_button.click()
    assert current("churn", "champion").version == 1
    assert "Rolled back" in b.status.value and "(was 2)" in b.status.value
    assert b.history_frame["action"].tolist() == ["promote", "promote", "rollback"]
    page = b.history_table.value
    assert page.index("rollback") < page.index("promote")  # newest first

    b.rollback_button.click()  # nothing earlier than version 1
    assert "Could not roll back" in b.status.value and "no earlier version" in b.status.value
    assert "mlops-kit-error" in b.status.value
    assert current("churn", "champion").version == 1
    assert len(b.history_frame) == 3


def test_bad_alias_and_unset_alias_are_reported_and_change_nothing(model_store):
    b = experiment_browser()
    b.alias.value = "v1"
    b.promote_button.click()
    assert "Invalid alias" in b.status.value
    b.alias.value = "challenger"
    b.rollback_button.click()
    assert "is not set" in b.status.value
    with pytest.raises(AliasNotFoundError):
        current("churn", "champion")
    b.refresh_button.click()
    assert b.history_frame.empty


def test_registry_refresh_and_deleted_model(model_store):
    from sklearn.dummy import DummyClassifier

    b = experiment_browser()
    b.version.value = 1
    register(DummyClassifier().fit([[0.0], [1.0]], [0, 1]), "churn", tracking_uri=model_store)
    b.refresh_button.click()
    assert [v for _, v in b.version.options] == [3, 2, 1] and b.version.value == 1
    get_client().delete_registered_model("churn")
    b.promote_button.click()
    assert "Could not promote" in b.status.value and "not found" in b.status.value
    b.refresh_button.click()
    assert b.model.options == () and "No registered models" in b.versions_table.value
