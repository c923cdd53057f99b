"""Model cards with skops' card module, from a real MLflow store."""

from __future__ import annotations

import mlflow
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from mlops_kit.errors import InputError, ModelNotFoundError
from mlops_kit.governance.approvals import approve
from mlops_kit.governance.cards import model_card
from mlops_kit.governance.policy import AUTHOR_TAG
from mlops_kit.tracking import register
from mlops_kit.tracking.store import get_client


@pytest.fixture
def credit(tracking_uri):
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(60, 3)), columns=["income", "debt", "age"])
    y = (X["income"] > X["debt"]).astype(int)
    with mlflow.start_run() as run:
        mlflow.log_params({"C": 0.5})
        mlflow.log_metric("accuracy", 0.875)
        mlflow.log_input(mlflow.data.from_pandas(X, name="credit-train"), context="training")
        info = register(LogisticRegression(C=0.5).fit(X, y), "credit", tags={AUTHOR_TAG: "ana"})
    approve("credit", 1, by="val", notes="gates pass")
    return info, run.info.run_id


def test_card_holds_what_the_store_knows_and_is_logged(credit):
    _info, run_id = credit
    card = model_card("credit", 1, intended_use="Pre-screen loan applications")
    md = card.markdown
    digest = get_client().get_run(run_id).inputs.dataset_inputs[0].dataset.digest
    for text in (
        "Pre-screen loan applications",
        "accuracy",
        "0.875",
        "credit-train",
        digest,
        "val",
        "approve",
        "registered by ana",
        "Limitations:** not stated",
    ):
        assert text in md, text
    assert "<h" in card.html and "Pre-screen loan applications" in card.html
    assert card.params == {"C": "0.5"}
    logged = {f.path for f in get_client().list_artifacts(run_id, "model_card")}
    assert logged == {"model_card/model_card.md", "model_card/model_card.html"}
    text = mlflow.artifacts.load_text(f"runs:/{run_id}/model_card/model_card.md")
    assert text == md


def test_card_errors_name_the_problem(credit):
    with pytest.raises(ModelNotFoundError, match="Version 9"):
        model_card("credit", 9)
    with pytest.raises(InputError, match="Invalid intended_use"):
        model_card("credit", 1, intended_use=3)
    run_id = credit[1]
    assert get_client().list_artifacts(run_id, "model_card") == []
