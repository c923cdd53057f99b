"""Real scikit-learn models on the credit sample, registered in a real SQLite MLflow store.

Shared by the deploy tests (gate CLI, pipeline, canary): version 1 is the
three-feature baseline (promoted to ``champion``), version 2 a better
candidate using every feature, version 3 a deliberately worse candidate that
only sees ``loan_amount`` (it predicts almost nobody defaults).
"""

from __future__ import annotations

from mlops_kit._tour_models import TARGET, _baseline, _candidate, _features
from mlops_kit.data import make_credit

MODEL = "credit-risk"


def worse_model():
    """A logistic regression on ``loan_amount`` alone: deliberately worse."""
    from sklearn.compose import make_column_transformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    prep = make_column_transformer((StandardScaler(), ["loan_amount"]))
    return make_pipeline(prep, LogisticRegression())


def trained(n_rows: int = 3_000, seed: int = 0) -> dict:
    """Fit the baseline, the good and the worse model on ``make_credit(n_rows, seed)``."""
    df = make_credit(n_rows=n_rows, seed=seed)
    X, numeric, categorical = _features(df)
    y = df[TARGET]
    return {
        "baseline": _baseline().fit(X, y),
        "good": _candidate(numeric, categorical).fit(X, y),
        "worse": worse_model().fit(X, y),
    }


def register_all(tracking_uri: str, models: dict | None = None) -> dict:
    """Register baseline (v1, champion), good (v2) and worse (v3); return name -> version."""
    from mlops_kit import tracking

    models = models or trained()
    versions = {}
    for key in ("baseline", "good", "worse"):
        info = tracking.register(models[key], MODEL, tracking_uri=tracking_uri)
        versions[key] = info.version
    tracking.promote(
        MODEL, versions["baseline"], "champion", reason="first model", tracking_uri=tracking_uri
    )
    return versions


def holdout(path, n_rows: int = 2_000, seed: int = 7):
    """Write an evaluation file (features and target) of fresh sample rows; return the path."""
    df = make_credit(n_rows=n_rows, seed=seed).drop(columns=["id", "application_date"])
    df.to_parquet(path)
    return path
