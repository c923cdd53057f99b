"""The two credit-risk models the tour trains: a scorecard baseline and a candidate.

The baseline is the kind of first model a team ships (three features); the
candidate uses every feature and is measurably better on the sample data.

Examples
--------
>>> from mlops_kit.data import make_credit
>>> df = make_credit(n_rows=1_000, seed=0)
>>> X, numeric, categorical = _features(df)
>>> "region" in categorical and "income" in numeric
True
"""

from __future__ import annotations

TARGET = "default"
_DROP = ("id", "application_date", TARGET)


def _features(df):
    X = df.drop(columns=[c for c in _DROP if c in df.columns])
    categorical = [c for c in X.columns if X[c].dtype == object or str(X[c].dtype) == "category"]
    numeric = [c for c in X.columns if c not in categorical]
    return X, numeric, categorical


BASELINE_FEATURES = ["credit_score", "income", "debt_to_income"]


def _baseline():
    """A three-feature scorecard: the kind of first model a team ships."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    prep = ColumnTransformer([("num", StandardScaler(), BASELINE_FEATURES)], remainder="drop")
    return Pipeline([("prep", prep), ("model", LogisticRegression(max_iter=500))])


def _candidate(numeric, categorical, c=1.0):
    """Every feature: scaled numerics and one-hot categoricals."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    prep = ColumnTransformer(
        [
            ("num", StandardScaler(), numeric),
            ("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
        ],
        remainder="drop",
    )
    return Pipeline([("prep", prep), ("model", LogisticRegression(C=c, max_iter=1000))])


def _scores(model, X, y) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

    proba = model.predict_proba(X)[:, 1]
    pred = (proba >= 0.5).astype(int)
    return {
        "roc_auc": float(roc_auc_score(y, proba)),
        "accuracy": float(accuracy_score(y, pred)),
        "f1": float(f1_score(y, pred, zero_division=0)),
    }


def _worse():
    """A logistic regression on ``loan_amount`` alone: a deliberately worse candidate."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    prep = ColumnTransformer([("num", StandardScaler(), ["loan_amount"])], remainder="drop")
    return Pipeline([("prep", prep), ("model", LogisticRegression())])
