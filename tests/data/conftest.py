"""Shared sample frames and pre-drift models for the mlops_kit.data tests.

The frames are session-scoped: tests must not modify them (``inject_drift``
never does, and one test checks exactly that).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

N_ROWS = 12_000
CREDIT_START = pd.Timestamp("2023-10-01")  # middle of the default 18 months
DEMAND_START = pd.Timestamp("2024-01-01")  # middle of the default 24 months


@pytest.fixture(scope="session")
def credit():
    from mlops_kit.data import make_credit

    return make_credit(n_rows=N_ROWS, seed=3)


@pytest.fixture(scope="session")
def demand():
    from mlops_kit.data import make_demand

    return make_demand(n_rows=N_ROWS, seed=3)


def credit_design(df: pd.DataFrame) -> pd.DataFrame:
    """One-hot categoricals and log money columns: the concept's own feature space."""
    X = pd.get_dummies(df.drop(columns=["id", "application_date", "default"]), dtype=float)
    for column in ("income", "loan_amount"):
        X[column] = np.log(X[column])
    return X


def demand_design(df: pd.DataFrame) -> pd.DataFrame:
    return pd.get_dummies(df.drop(columns=["id", "date", "demand"]), dtype=float)


@pytest.fixture(scope="session")
def credit_model(credit):
    """A logistic regression fit on the rows before CREDIT_START; returns ``predict(df)``."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pre = credit[credit["application_date"] < CREDIT_START]
    X = credit_design(pre)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2_000)).fit(
        X, pre["default"]
    )

    def predict(df):
        return model.predict_proba(credit_design(df).reindex(columns=X.columns, fill_value=0))[:, 1]

    return predict


@pytest.fixture(scope="session")
def demand_model(demand):
    """A gradient-boosting regressor fit on the rows before DEMAND_START; returns ``predict``."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    pre = demand[demand["date"] < DEMAND_START]
    X = demand_design(pre)
    model = HistGradientBoostingRegressor(random_state=0).fit(X, pre["demand"])

    def predict(df):
        return model.predict(demand_design(df).reindex(columns=X.columns, fill_value=0))

    return predict
