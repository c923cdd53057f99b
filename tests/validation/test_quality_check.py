"""QualityCheck and QualityReport: messages, verdict, gate, plot, MLflow logging, bad input."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from mlops_kit.errors import ConfigError, GateFailedError, InputError, TrackingError
from mlops_kit.validation.quality import Expectations, QualityCheck

N = 1000


@pytest.fixture
def reference():
    rng = np.random.default_rng(1)
    return pd.DataFrame(
        {
            "age": rng.integers(18, 96, N),  # 18..95
            "income": rng.normal(50_000, 8_000, N),
            "region": rng.choice(["north", "south", "east", "west"], N),
        }
    )


@pytest.fixture
def expectations(reference):
    return Expectations.learn(reference, missing_tolerance=0.01, range_tolerance=0.0)


@pytest.fixture
def bad(reference):
    """A batch with 3.2% missing income, 12 unseen regions and 4 ages above 95."""
    df = reference.copy()
    df.loc[:31, "income"] = np.nan
    df.loc[100:111, "region"] = "XX"
    df.loc[200:203, "age"] = [96, 97, 120, 99]
    return df


def test_clean_data_passes_every_expectation(reference, expectations):
    report = QualityCheck(expectations).check(reference)
    assert report.passed
    frame = report.to_frame()
    assert frame["passed"].all()
    assert report.failures == [] and report.warnings == []
    assert report.summary().startswith("Data quality passed: all")
    assert report.failure_cases is None
    assert report.raise_if_failed() is report


def test_report_names_column_expectation_and_observed_value(bad, expectations):
    report = QualityCheck(expectations).check(bad)
    assert not report.passed
    assert report.failures == [
        "age: 4 values above max 95 (highest 120)",
        "income: 3.2% missing > allowed 1.0%",
        "region: unseen categories ['XX'] (12 rows)",
    ]
    frame = report.to_frame()
    assert list(frame.columns) == [
        "column",
        "expectation",
        "expected",
        "observed",
        "passed",
        "severity",
        "failing_rows",
        "message",
    ]
    failed = frame[~frame["passed"]].set_index(["column", "expectation"])
    assert failed.loc[("income", "max_missing"), "observed"] == pytest.approx(0.032)
    assert failed.loc[("income", "max_missing"), "failing_rows"] == 32
    assert failed.loc[("region", "categories"), "observed"] == ["XX"]
    assert failed.loc[("age", "max"), "observed"] == 120
    assert failed.loc[("age", "max"), "failing_rows"] == 4
    # one row per expectation: 3 columns x (present, dtype, max_missing) + 2x(min,max)
    # + 1 categories + row_count + duplicates
    assert len(frame) == 9 + 4 + 1 + 2
    assert set(frame["severity"]) == {"error"}


def test_failure_cases_point_at_the_offending_rows(bad, expectations):
    cases = QualityCheck(expectations).check(bad).failure_cases
    region = cases[cases["column"] == "region"]
    assert sorted(region["index"].astype(int)) == list(range(100, 112))
    assert set(region["failure_case"]) == {"XX"}


def test_a_fresh_sample_of_the_same_data_passes_with_default_tolerances():
    def sample(seed, n=2000):
        rng = np.random.default_rng(seed)
        return pd.DataFrame(
            {
                "row_id": np.arange(seed * n, (seed + 1) * n),  # ids always grow
                "x": rng.normal(size=n),
                "count": rng.poisson(2, size=n),
                "group": rng.choice(["a", "b", "c"], n),
            }
        )

    exp = Expectations.learn(sample(0))
    assert "min" not in exp.to_dict()["columns"]["row_id"]  # row ids get no range
    for seed in range(1, 4):
        report = QualityCheck(exp).check(sample(seed))
        assert report.passed, report.failures
    # ... while a unit change (x in thousandths) fails
    broken = sample(5).assign(x=lambda d: d["x"] * 1000)
    failures = QualityCheck(exp).check(broken).failures
    assert any(f.startswith("x: ") and "> allowed 1.0%; highest" in f for f in failures)


def test_range_tolerance_is_a_share_of_non_missing_values():
    exp = Expectations().expect_column("v", max=10, max_out_of_range=0.05)
    ok = pd.DataFrame({"v": [1.0] * 95 + [11.0] * 4 + [None] * 20})  # 4 of 99 = 4.0%
    report = QualityCheck(exp).check(ok)
    assert report.passed
    assert (
        report.to_frame().iloc[-1]["message"] == "v: 4 values above max 10 (4.0% <= allowed 5.0%)"
    )
    bad = pd.DataFrame({"v": [1.0] * 90 + [11.0] * 9 + [30.0]})
    assert QualityCheck(exp).check(bad).failures == [
        "v: 10 values above max 10 (10.0% > allowed 5.0%; highest 30)"
    ]


def test_gate_raises_listing_every_failure(bad, expectations):
    report = QualityCheck(expectations).check(bad)
    with pytest.raises(GateFailedError) as info:
        report.raise_if_failed()
    text = str(info.value)
    assert "3 of 16 expectations" in text
    assert "income: 3.2% missing > allowed 1.0%" in text
    assert "region: unseen categories ['XX'] (12 rows)" in text


def test_schema_problems_missing_column_wrong_dtype_extra_column(reference, expectations):
    df = reference.drop(columns="region").assign(age=reference["age"].astype(float), new=1)
    report = QualityCheck(expectations.expect_no_extra_columns()).check(df)
    assert "region: column missing" in report.failures
    assert "age: dtype float64, expected int64" in report.failures
    # an extra column is a warning by default: reported, does not fail by itself
    assert report.warnings == ["new: unexpected column (not in expectations)"]
    with pytest.raises(GateFailedError, match="new: unexpected column"):
        report.raise_if_failed(include_warnings=True)


def test_warning_severity_reports_without_failing(bad):
    exp = Expectations().expect_column("income", max_missing=0.0, severity="warning")
    report = QualityCheck(exp).check(bad)
    assert report.passed
    assert report.warnings == ["income: 3.2% missing > allowed 0.0%"]
    assert report.summary().startswith("Data quality passed with 1 warning:")


def test_row_count_and_duplicate_share():
    df = pd.DataFrame({"a": [1, 1, 1, 2, 3], "b": ["x", "x", "x", "y", "z"]})
    exp = Expectations().expect_row_count(min=10).expect_max_duplicate_share(0.1)
    report = QualityCheck(exp).check(df)
    assert report.failures == [
        "(table): 5 rows < min 10",
        "(table): 40.0% duplicate rows > allowed 10.0% (2 rows)",
    ]
    report = QualityCheck(Expectations().expect_row_count(max=4)).check(df)
    assert report.failures == ["(table): 5 rows > max 4"]


def test_numeric_check_on_text_column_reports_instead_of_crashing():
    exp = Expectations().expect_column("age", min=0)
    report = QualityCheck(exp).check(pd.DataFrame({"age": ["ten", "eleven"]}))
    assert not report.passed
    assert report.failures[0].startswith("age: min check could not run (TypeError")


def test_category_and_string_dtypes_and_missing_values_are_handled():
    ref = pd.DataFrame(
        {
            "c": pd.Categorical(["a", "b", "a", None]),
            "s": pd.array(["x", "y", None, "x"], dtype="string"),
        }
    )
    new = pd.DataFrame(
        {
            "c": pd.Categorical(["a", "zz", None, None]),
            "s": pd.array(["x", "y", "x", "q"], dtype="string"),
        }
    )
    report = QualityCheck(Expectations.learn(ref, missing_tolerance=0.3)).check(new)
    assert report.failures == [
        "c: unseen categories ['zz'] (1 row)",
        "s: unseen categories ['q'] (1 row)",
    ]


def test_dict_spec_is_accepted_and_bad_dtype_is_a_config_error():
    report = QualityCheck({"columns": {"x": {"max": 1}}}).check(pd.DataFrame({"x": [0, 2]}))
    assert report.failures == ["x: 1 value above max 1 (highest 2)"]
    with pytest.raises(ConfigError, match=r"columns\.x\.dtype: got 'no-such-type'"):
        QualityCheck({"columns": {"x": {"dtype": "no-such-type"}}}).check(pd.DataFrame({"x": [0]}))


@pytest.mark.parametrize(
    ("data", "error", "match"),
    [
        ({"a": [1]}, InputError, "Invalid data: got a dict"),
        (pd.DataFrame({"a": []}), InputError, "empty DataFrame"),
        (pd.DataFrame([[1, 2]], columns=["a", "a"]), InputError, r"duplicated column names"),
    ],
)
def test_run_rejects_bad_data(expectations, data, error, match):
    with pytest.raises(error, match=match):
        QualityCheck(expectations).check(data)


def test_run_rejects_bad_expectations():
    allowed = "allowed: an Expectations object or a spec dict"
    with pytest.raises(InputError, match=f"Invalid expectations: got 'age > 3'; {allowed}"):
        QualityCheck("age > 3").check(pd.DataFrame({"a": [1]}))


def test_to_dict_is_json_and_plot_counts_failures_per_column(bad, expectations):
    report = QualityCheck(expectations).check(bad)
    data = json.loads(report.to_json())
    assert data["passed"] is False and data["n_failed"] == 3 and data["n_rows"] == N
    assert len(data["expectations"]) == 16
    ax = report.plot()
    heights = {t.get_text(): 0 for t in ax.get_xticklabels()}
    assert set(heights) == {"age", "income", "region"}
    assert sum(p.get_height() for p in ax.patches) == 3
    assert "3 of 16 failed" in ax.get_title()


def test_example_report_and_html_escaping(result_examples):
    report = result_examples.quality_report()
    html = report._repr_html_()
    assert "&lt;north&gt;" in html and "<north>" not in html


def test_log_to_mlflow_writes_metrics_and_report(tracking_uri, bad, expectations):
    import mlflow

    report = QualityCheck(expectations).check(bad)
    with mlflow.start_run() as run:
        run_id = report.log_to_mlflow()
    assert run_id == run.info.run_id
    logged = mlflow.get_run(run_id).data.metrics
    assert logged == {
        "quality_passed": 0.0,
        "quality_n_failed": 3.0,
        "quality_n_expectations": 16.0,
    }
    path = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="quality/report.json")
    with open(path) as fh:
        assert json.load(fh)["n_failed"] == 3
    # an explicit run id works outside an active run
    assert report.log_to_mlflow(run_id, prefix="batch2") == run_id
    assert mlflow.get_run(run_id).data.metrics["batch2_passed"] == 0.0


def test_log_to_mlflow_without_a_run_or_with_unknown_run(tracking_uri, result_examples):
    report = result_examples.quality_report()
    with pytest.raises(TrackingError, match="No active MLflow run"):
        report.log_to_mlflow()
    with pytest.raises(TrackingError, match="Cannot log to run 'nope'"):
        report.log_to_mlflow("nope")
