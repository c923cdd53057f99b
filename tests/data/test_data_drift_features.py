"""Covariate and category-mix drift: P(x) changes where asked, P(y|x) and the rest do not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chisquare

from mlops_kit.data import get_concept, inject_drift

CREDIT_START = pd.Timestamp("2023-10-01")
DEMAND_START = pd.Timestamp("2024-01-01")


def _calibrated(y, p, tolerance_se=4.0):
    """Observed mean of y is within ``tolerance_se`` binomial standard errors of mean(p)."""
    se = np.sqrt(np.sum(p * (1 - p))) / len(p)
    return abs(np.mean(y) - np.mean(p)) < tolerance_se * se


def _untouched(before, after, columns):
    for column in columns:
        pd.testing.assert_series_equal(before[column], after[column], check_names=True)


# --- covariate ------------------------------------------------------------------------


def test_covariate_shifts_named_float_columns_by_severity_std_after_start_only(credit):
    out = inject_drift(credit, "covariate", columns=["loan_amount", "debt_to_income"], severity=0.5)
    window = (credit["application_date"] >= CREDIT_START).to_numpy()
    assert 0.4 < window.mean() < 0.6  # default start is the middle of the span
    for column in ["loan_amount", "debt_to_income"]:
        diff = (out[column] - credit[column]).to_numpy()
        expected = 0.5 * credit[column].std()
        np.testing.assert_allclose(diff[window], expected, rtol=1e-9)
        assert (diff[~window] == 0).all()
    # rows before start: byte-identical, target included
    pd.testing.assert_frame_equal(out[~window], credit[~window])
    # every other feature column: byte-identical everywhere
    others = [c for c in credit.columns if c not in ("loan_amount", "debt_to_income", "default")]
    _untouched(credit, out, others)


def test_covariate_integer_column_keeps_dtype_and_moves_mean_by_expected_amount(credit):
    out = inject_drift(credit, "covariate", columns="credit_score", severity=0.3, seed=5)
    assert out["credit_score"].dtype == np.int64
    window = (credit["application_date"] >= CREDIT_START).to_numpy()
    diff = (out["credit_score"] - credit["credit_score"]).to_numpy()
    expected = 0.3 * credit["credit_score"].std()
    assert set(np.unique(diff[window])) <= {np.floor(expected), np.floor(expected) + 1}
    assert abs(diff[window].mean() - expected) < 0.05
    assert (diff[~window] == 0).all()


def test_covariate_keeps_p_y_given_x(credit, credit_model):
    from sklearn.metrics import roc_auc_score

    out = inject_drift(credit, "covariate", severity=0.8, seed=1)
    window = (out["application_date"] >= CREDIT_START).to_numpy()
    current, original = out[window], credit[window]
    concept = get_concept(credit)
    # the shift is real: the default rate in the window goes up ...
    assert current["default"].mean() > original["default"].mean() + 0.05
    # ... exactly as the unchanged concept predicts for the shifted features
    assert _calibrated(current["default"], concept.expected(current))
    p = concept.expected(current)
    bins = pd.qcut(p, 5, labels=False)
    observed = current["default"].groupby(bins).mean().to_numpy()
    assert np.abs(observed - pd.Series(p).groupby(bins).mean().to_numpy()).max() < 0.05
    # a model fit before the drift keeps its ranking and its calibration
    auc_before = roc_auc_score(original["default"], credit_model(original))
    auc_after = roc_auc_score(current["default"], credit_model(current))
    assert abs(auc_after - auc_before) < 0.03
    assert abs(credit_model(current).mean() - current["default"].mean()) < 0.03


def test_covariate_on_demand_keeps_the_regression_concept(demand, demand_model):
    from scipy.stats import ks_2samp
    from sklearn.metrics import r2_score

    out = inject_drift(demand, "covariate", columns=["temperature"], severity=1.0)
    window = (out["date"] >= DEMAND_START).to_numpy()
    shift = (out["temperature"] - demand["temperature"])[window]
    np.testing.assert_allclose(shift, demand["temperature"].std(), rtol=1e-9)
    assert ks_2samp(out.loc[window, "temperature"], demand.loc[window, "temperature"]).pvalue < 1e-6
    current = out[window]
    ratio = current["demand"] / get_concept(out).expected(current)
    assert abs(ratio.mean() - 1) < 0.015  # E[y | x] still exp(eta(x))
    assert current["demand"].mean() > demand.loc[window, "demand"].mean()  # warmer, more sold
    r2_after = r2_score(current["demand"], demand_model(current))
    r2_before = r2_score(demand.loc[window, "demand"], demand_model(demand[window]))
    assert r2_after > r2_before - 0.1
    _untouched(demand, out, [c for c in demand.columns if c not in ("temperature", "demand")])


def test_covariate_start_before_the_data_drifts_every_row(credit):
    out = inject_drift(credit, "covariate", columns="income", severity=0.2, start="2000-01-01")
    assert ((out["income"] - credit["income"]) > 0).all()
    assert out.attrs["mlops_kit_drift"][0]["start"] == "2000-01-01 00:00:00"


# --- category mix -------------------------------------------------------------------


def test_category_mix_moves_proportions_towards_the_least_frequent_level(credit):
    severity = 0.4
    out = inject_drift(credit, "category_mix", columns="loan_purpose", severity=severity, seed=2)
    window = (credit["application_date"] >= CREDIT_START).to_numpy()
    counts = credit["loan_purpose"].value_counts()
    level = counts.idxmin()
    assert out.attrs["mlops_kit_drift"][0]["category"] == {"loan_purpose": level}
    p = credit.loc[window, "loan_purpose"].value_counts(normalize=True)
    expected = (1 - severity) * p
    expected[level] += severity
    observed = out.loc[window, "loan_purpose"].value_counts().reindex(expected.index)
    assert chisquare(observed, expected * window.sum()).pvalue > 0.001
    assert observed[level] / window.sum() > 2 * p[level]
    # only the named column (and targets of re-mixed rows) change
    _untouched(credit, out, [c for c in credit.columns if c not in ("loan_purpose", "default")])
    pd.testing.assert_frame_equal(out[~window], credit[~window])
    moved = (out["loan_purpose"] != credit["loan_purpose"]).to_numpy()
    assert (out["default"] == credit["default"])[~moved].all()
    assert (credit.loc[moved, "loan_purpose"] != level).all()


def test_category_mix_keeps_p_y_given_x(credit):
    out = inject_drift(
        credit, "category_mix", columns="employment_type", category="unemployed", severity=0.5
    )
    window = (out["application_date"] >= CREDIT_START).to_numpy()
    current = out[window]
    assert (current["employment_type"] == "unemployed").mean() > 0.45
    assert current["default"].mean() > credit.loc[window, "default"].mean() + 0.03
    assert _calibrated(current["default"], get_concept(out).expected(current))


def test_category_mix_severity_one_concentrates_on_the_level(demand):
    out = inject_drift(demand, "category_mix", category="snacks", severity=1.0)
    window = (demand["date"] >= DEMAND_START).to_numpy()
    assert (out.loc[window, "product_category"] == "snacks").all()
    assert (out.loc[~window, "product_category"] == demand.loc[~window, "product_category"]).all()
    ratio = out.loc[window, "demand"] / get_concept(out).expected(out[window])
    assert abs(ratio.mean() - 1) < 0.015


def test_category_mix_on_bool_and_several_columns(demand):
    out = inject_drift(
        demand,
        "category_mix",
        columns=["promo", "store_size"],
        category={"promo": True},
        severity=0.5,
    )
    window = (demand["date"] >= DEMAND_START).to_numpy()
    assert out["promo"].dtype == bool
    before = demand.loc[window, "promo"].mean()
    assert abs(out.loc[window, "promo"].mean() - (before + 0.5 * (1 - before))) < 0.03
    smallest = demand["store_size"].value_counts().idxmin()
    assert out.attrs["mlops_kit_drift"][0]["category"] == {"promo": True, "store_size": smallest}
    # a promo row without a discount is new, and allowed: only named columns change
    _untouched(demand, out, ["discount_pct", "price", "product_category", "date", "id"])


@pytest.mark.parametrize("kind", ["covariate", "category_mix"])
def test_same_seed_same_drift(credit, kind):
    a = inject_drift(credit, kind, seed=4)
    pd.testing.assert_frame_equal(a, inject_drift(credit, kind, seed=4))
    assert not a.equals(inject_drift(credit, kind, seed=5))
