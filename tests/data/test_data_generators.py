"""make_credit and make_demand: determinism, schema, time span, base rate, learnable concept."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pandas as pd
import pytest

from mlops_kit.data import (
    CreditConcept,
    DemandConcept,
    get_concept,
    make_credit,
    make_demand,
)
from mlops_kit.errors import ColumnError, InputError

CREDIT_NUMERIC = [
    "age",
    "employment_years",
    "income",
    "loan_amount",
    "loan_term_months",
    "credit_score",
    "num_credit_lines",
    "num_delinquencies",
    "debt_to_income",
]
CREDIT_CATEGORICAL = ["region", "employment_type", "home_ownership", "loan_purpose"]
DEMAND_NUMERIC = ["temperature", "price", "discount_pct", "competitor_price"]
DEMAND_CATEGORICAL = ["store_region", "store_size", "product_category", "day_of_week"]


@pytest.mark.parametrize("make", [make_credit, make_demand])
def test_same_seed_same_frame_other_seed_other_frame(make):
    a = make(n_rows=2_000, seed=7)
    pd.testing.assert_frame_equal(a, make(n_rows=2_000, seed=7))
    b = make(n_rows=2_000, seed=8)
    assert not a.drop(columns="id").equals(b.drop(columns="id"))


def test_credit_schema_and_dtypes(credit):
    assert len(credit) == 12_000
    assert credit.attrs["mlops_kit_dataset"] == "credit"
    assert list(credit["id"]) == list(range(1, 12_001))
    assert str(credit["application_date"].dtype) == "datetime64[ns]"
    for column in CREDIT_NUMERIC:
        assert pd.api.types.is_numeric_dtype(credit[column]), column
    for column in ["age", "credit_score", "loan_term_months", "num_credit_lines"]:
        assert credit[column].dtype == np.int64, column
    for column in CREDIT_CATEGORICAL:
        assert credit[column].dtype == object, column
        assert 3 <= credit[column].nunique() <= 8, column
    assert credit["default"].dtype == np.int64
    assert set(credit["default"].unique()) == {0, 1}
    assert not credit.isna().any().any()
    assert credit["credit_score"].between(300, 850).all()
    assert credit["age"].between(21, 75).all()
    assert (credit["income"] > 0).all() and (credit["loan_amount"] >= 1_000).all()


def test_demand_schema_and_dtypes(demand):
    assert demand.attrs["mlops_kit_dataset"] == "demand"
    assert str(demand["date"].dtype) == "datetime64[ns]"
    for column in DEMAND_NUMERIC:
        assert demand[column].dtype == np.float64, column
    for column in DEMAND_CATEGORICAL:
        assert demand[column].dtype == object, column
    assert demand["promo"].dtype == bool and demand["is_holiday"].dtype == bool
    assert demand["demand"].dtype == np.float64
    assert (demand["demand"] > 0).all()
    days = demand["date"].dt.day_name().str[:3]
    assert (days == demand["day_of_week"]).all()
    assert (demand.loc[~demand["promo"], "discount_pct"] == 0).all()
    assert not demand.isna().any().any()


@pytest.mark.parametrize(
    ("make", "column", "months"), [(make_credit, "application_date", 18), (make_demand, "date", 24)]
)
def test_time_is_sorted_and_spans_the_requested_months(make, column, months):
    df = make(n_rows=5_000, seed=0)
    times = df[column]
    assert times.is_monotonic_increasing
    assert times.min() >= pd.Timestamp("2023-01-01")
    assert times.max() < pd.Timestamp("2023-01-01") + pd.DateOffset(months=months)
    assert (times.max() - times.min()).days >= 365  # at least 12 months of data
    per_month = times.dt.to_period("M").value_counts()
    assert len(per_month) == months
    assert per_month.min() > 0.5 * len(df) / months  # spread, not bunched


def test_start_and_months_move_the_period():
    df = make_credit(n_rows=300, seed=0, start="2020-03-15", months=2)
    assert df["application_date"].min() >= pd.Timestamp("2020-03-15")
    assert df["application_date"].max() < pd.Timestamp("2020-05-15")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_credit_base_rate_is_between_10_and_20_percent(seed):
    rate = make_credit(n_rows=10_000, seed=seed)["default"].mean()
    assert 0.10 <= rate <= 0.20


def test_credit_target_follows_its_concept(credit):
    p = get_concept(credit).expected(credit)
    assert abs(credit["default"].mean() - p.mean()) < 3 * np.sqrt(
        p.mean() * (1 - p.mean()) / len(p)
    )
    bins = pd.qcut(p, 10, labels=False)
    observed = credit["default"].groupby(bins).mean().to_numpy()
    expected = pd.Series(p).groupby(bins).mean().to_numpy()
    assert np.abs(observed - expected).max() < 0.05


def test_credit_concept_is_learnable():
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    df = make_credit(n_rows=10_000, seed=11)
    X = pd.get_dummies(df.drop(columns=["id", "application_date", "default"]), dtype=float)
    train = np.arange(len(df)) < 7_000
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2_000))
    model.fit(X[train], df["default"][train])
    auc = roc_auc_score(df["default"][~train], model.predict_proba(X[~train])[:, 1])
    assert auc > 0.75


def test_demand_concept_is_learnable_and_mean_matches_concept():
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.metrics import r2_score

    df = make_demand(n_rows=10_000, seed=11)
    X = pd.get_dummies(df.drop(columns=["id", "date", "demand"]), dtype=float)
    train = np.arange(len(df)) < 7_000
    model = HistGradientBoostingRegressor(random_state=0).fit(X[train], df["demand"][train])
    assert r2_score(df["demand"][~train], model.predict(X[~train])) > 0.6
    ratio = df["demand"] / DemandConcept().expected(df)  # multiplicative noise with mean 1
    assert abs(ratio.mean() - 1) < 0.01


def test_demand_default_halves_have_the_same_seasons(demand):
    from scipy.stats import ks_2samp

    before = demand[demand["date"] < "2024-01-01"]
    after = demand[demand["date"] >= "2024-01-01"]
    for column in ["temperature", "price", "demand"]:
        assert ks_2samp(before[column], after[column]).pvalue > 0.001, column


BAD_ARGS = [
    ({"n_rows": 0}, "n_rows"),
    ({"n_rows": -5}, "n_rows"),
    ({"n_rows": 10.5}, "n_rows"),
    ({"n_rows": True}, "n_rows"),
    ({"n_rows": "100"}, "n_rows"),
    ({"seed": -1}, "seed"),
    ({"seed": 1.5}, "seed"),
    ({"seed": None}, "seed"),
    ({"months": 0}, "months"),
    ({"months": 2.5}, "months"),
    ({"start": "not a date"}, "start"),
    ({"start": 2023}, "start"),
]


@pytest.mark.parametrize("make", [make_credit, make_demand])
@pytest.mark.parametrize(("kwargs", "name"), BAD_ARGS)
def test_bad_arguments_raise_input_error_naming_them(make, kwargs, name):
    with pytest.raises(InputError, match=f"Invalid {name}: got .*; allowed"):
        make(**{"n_rows": 10, **kwargs})


def test_one_row_is_allowed():
    assert len(make_credit(n_rows=1)) == 1
    assert len(make_demand(n_rows=1)) == 1


def test_concept_objects():
    concept = CreditConcept()
    assert concept == get_concept("credit")
    assert set(concept.feature_columns) == set(CREDIT_NUMERIC + CREDIT_CATEGORICAL)
    flipped = concept.drifted(1.0, ["credit_score", "region"])
    assert flipped.numeric["credit_score"][2] == -concept.numeric["credit_score"][2]
    assert flipped.categorical["region"] == {
        k: -v for k, v in concept.categorical["region"].items()
    }
    assert flipped.numeric["income"] == concept.numeric["income"]
    assert concept.drifted(0.0, ["age"]) == concept
    assert concept != flipped
    table = DemandConcept().to_frame()
    assert table.iloc[0]["term"] == "intercept"
    assert set(table["term"]) - {"intercept"} == set(DemandConcept().feature_columns)
    with pytest.raises(ColumnError, match="'id' is not a feature of the credit concept"):
        concept.drifted(0.5, ["id"])
    with pytest.raises(ColumnError, match="'credit_score' is needed"):
        concept.expected(pd.DataFrame({"age": [30]}))


def test_get_concept_rejects_unknown_datasets():
    with pytest.raises(InputError, match="Invalid dataset: got 'iris'"):
        get_concept("iris")
    with pytest.raises(InputError, match="make_credit or make_demand"):
        get_concept(pd.DataFrame({"a": [1]}))
    # attrs lost (e.g. after a round trip through a file): recognised by its columns
    df = make_demand(n_rows=5)
    df.attrs.clear()
    assert isinstance(get_concept(df), DemandConcept)


MODULES = [
    "mlops_kit.data",
    "mlops_kit.data._checks",
    "mlops_kit.data.concept",
    "mlops_kit.data._drift_kinds",
    "mlops_kit.data.credit",
    "mlops_kit.data.demand",
    "mlops_kit.data.drift",
    "mlops_kit.data.spec",
    "mlops_kit.data.split",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
