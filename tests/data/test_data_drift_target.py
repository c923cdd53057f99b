"""Concept and label drift: the target changes as claimed, the features (or P(x|y)) do not."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency, ks_2samp

from mlops_kit.data import get_concept, inject_drift

CREDIT_START = pd.Timestamp("2023-10-01")
DEMAND_START = pd.Timestamp("2024-01-01")
CREDIT_NUMERIC = ["age", "income", "loan_amount", "credit_score", "debt_to_income"]


# --- concept ------------------------------------------------------------------------


@pytest.mark.parametrize("severity", [0.5, 1.0])
def test_concept_drift_leaves_features_identical_and_degrades_a_pre_drift_model(
    credit, credit_model, severity
):
    from sklearn.metrics import roc_auc_score

    out = inject_drift(credit, "concept", severity=severity, seed=3)
    features = credit.drop(columns="default")
    pd.testing.assert_frame_equal(out.drop(columns="default"), features)
    window = (credit["application_date"] >= CREDIT_START).to_numpy()
    pd.testing.assert_series_equal(out["default"][~window], credit["default"][~window])
    auc_before = roc_auc_score(credit["default"][window], credit_model(credit[window]))
    auc_after = roc_auc_score(out["default"][window], credit_model(out[window]))
    assert auc_before > 0.8
    assert auc_after < auc_before - (0.1 if severity == 0.5 else 0.35)


def test_concept_drift_targets_follow_the_drifted_concept(credit):
    out = inject_drift(credit, "concept", columns=["credit_score"], severity=1.0)
    window = (out["application_date"] >= CREDIT_START).to_numpy()
    drifted = get_concept(out).drifted(1.0, ["credit_score"])
    current = out[window]
    p = drifted.expected(current)
    bins = pd.qcut(p, 5, labels=False)
    observed = current["default"].groupby(bins).mean().to_numpy()
    assert np.abs(observed - pd.Series(p).groupby(bins).mean().to_numpy()).max() < 0.05
    # the sign of the credit-score effect flipped in the data
    low = current["credit_score"] < current["credit_score"].median()
    assert current.loc[low, "default"].mean() < current.loc[~low, "default"].mean()
    old = credit[window]
    assert old.loc[low, "default"].mean() > old.loc[~low, "default"].mean()


def test_concept_drift_on_demand(demand, demand_model):
    from sklearn.metrics import r2_score

    out = inject_drift(demand, "concept", columns=["price", "product_category"], severity=1.0)
    pd.testing.assert_frame_equal(out.drop(columns="demand"), demand.drop(columns="demand"))
    window = (demand["date"] >= DEMAND_START).to_numpy()
    r2_before = r2_score(demand["demand"][window], demand_model(demand[window]))
    r2_after = r2_score(out["demand"][window], demand_model(out[window]))
    assert r2_before > 0.6
    assert r2_after < r2_before - 0.3


def test_stacked_drift_redraws_from_the_concept_in_effect(credit):
    drifted = inject_drift(credit, "concept", columns=["credit_score"], severity=1.0)
    both = inject_drift(drifted, "covariate", columns=["income"], severity=0.5)
    assert [r["kind"] for r in both.attrs["mlops_kit_drift"]] == ["concept", "covariate"]
    window = (both["application_date"] >= CREDIT_START).to_numpy()
    current = both[window]
    flipped = get_concept(credit).drifted(1.0, ["credit_score"]).expected(current)
    base = get_concept(credit).expected(current)
    se = np.sqrt(np.sum(flipped * (1 - flipped))) / len(flipped)
    assert abs(current["default"].mean() - flipped.mean()) < 4 * se
    low = current["credit_score"] < current["credit_score"].median()
    assert current.loc[low, "default"].mean() < current.loc[~low, "default"].mean()
    assert abs(flipped.mean() - base.mean()) > 0  # the two concepts differ


# --- label --------------------------------------------------------------------------


@pytest.mark.parametrize("severity", [0.2, 0.5])
def test_label_shift_moves_the_default_rate_by_the_expected_amount(credit, severity):
    out = inject_drift(credit, "label", severity=severity, seed=9)
    window = (out["application_date"] >= CREDIT_START).to_numpy()
    before = credit.loc[(credit["application_date"] >= CREDIT_START), "default"].mean()
    expected = before + severity * (1 - before)
    observed = out.loc[window, "default"].mean()
    assert abs(observed - expected) < 4 * np.sqrt(severity * (1 - severity) / window.sum())
    pd.testing.assert_frame_equal(out[~window], credit[~window])
    assert out["application_date"].is_monotonic_increasing
    assert sorted(out["id"]) == sorted(credit["id"])
    assert len(out) == len(credit)


def test_label_shift_keeps_p_x_given_y(credit):
    out = inject_drift(credit, "label", severity=0.4, seed=2)
    old = credit[credit["application_date"] >= CREDIT_START]
    new = out[out["application_date"] >= CREDIT_START]
    for y in (0, 1):
        a, b = old[old["default"] == y], new[new["default"] == y]
        for column in CREDIT_NUMERIC:
            assert ks_2samp(a[column], b[column]).pvalue > 0.001, (y, column)
        for column in ["employment_type", "loan_purpose"]:
            table = pd.concat([a[column].value_counts(), b[column].value_counts()], axis=1)
            assert chi2_contingency(table.fillna(0).to_numpy()).pvalue > 0.001, (y, column)
    # ... while the marginal feature distribution does move (defaulters look different)
    assert ks_2samp(old["credit_score"], new["credit_score"]).pvalue < 1e-6


def test_label_shift_on_demand_moves_the_target_and_keeps_p_x_given_y(demand):
    from scipy.special import ndtri
    from scipy.stats import rankdata

    severity = 0.5
    out = inject_drift(demand, "label", severity=severity, seed=1)
    old = demand[demand["date"] >= DEMAND_START]
    new = out[out["date"] >= DEMAND_START]
    y = old["demand"].to_numpy()
    w = np.exp(ndtri(rankdata(y) / (len(y) + 1)))
    expected = (1 - severity) * y.mean() + severity * np.sum(w * y) / w.sum()
    assert new["demand"].mean() > y.mean() * 1.1
    assert abs(new["demand"].mean() - expected) / expected < 0.05
    edges = np.quantile(y, [0, 0.25, 0.5, 0.75, 1])
    for lo, hi in itertools.pairwise(edges):
        a = old[(old["demand"] >= lo) & (old["demand"] <= hi)]
        b = new[(new["demand"] >= lo) & (new["demand"] <= hi)]
        for column in ["price", "temperature"]:
            assert ks_2samp(a[column], b[column]).pvalue > 0.001, (lo, column)
    pd.testing.assert_frame_equal(
        out[out["date"] < DEMAND_START], demand[demand["date"] < DEMAND_START]
    )
    assert (new["day_of_week"] == new["date"].dt.day_name().str[:3]).all()  # rows copied whole


def test_label_shift_severity_one_makes_every_window_row_a_default(credit):
    out = inject_drift(credit, "label", severity=1.0, start="2024-06-01")
    assert (out.loc[out["application_date"] >= "2024-06-01", "default"] == 1).all()


# --- severity zero and the untouched input -----------------------------------------


@pytest.mark.parametrize("kind", ["covariate", "category_mix", "concept", "label"])
@pytest.mark.parametrize("dataset", ["credit", "demand"])
def test_severity_zero_changes_nothing_and_input_is_untouched(request, kind, dataset):
    df = request.getfixturevalue(dataset)
    snapshot = df.copy(deep=True)
    attrs = dict(df.attrs)
    out = inject_drift(df, kind, severity=0.0)
    assert out is not df
    pd.testing.assert_frame_equal(out, df)
    assert out.attrs["mlops_kit_drift"] == [
        {**out.attrs["mlops_kit_drift"][0], "kind": kind, "severity": 0.0}
    ]
    drifted = inject_drift(df, kind, severity=0.7)
    assert not drifted.equals(df)
    pd.testing.assert_frame_equal(df, snapshot)
    assert df.attrs == attrs


def test_drift_records_accumulate(credit):
    out = inject_drift(credit, "covariate", columns="income", severity=0.1, start="2024-01-01")
    out = inject_drift(out, "label", severity=0.2, seed=3)
    records = out.attrs["mlops_kit_drift"]
    assert records[0] == {
        "kind": "covariate",
        "columns": ["income"],
        "severity": 0.1,
        "start": "2024-01-01 00:00:00",
        "seed": 0,
    }
    assert records[1]["kind"] == "label" and records[1]["columns"] == ["default"]
    assert out.attrs["mlops_kit_dataset"] == "credit"
