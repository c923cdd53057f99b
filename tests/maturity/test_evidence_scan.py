"""Evidence scan over a real MLflow store and a real repo folder."""

from __future__ import annotations

import json

import pytest

from mlops_kit.errors import InputError, StoreUnreachableError
from mlops_kit.maturity import EvidenceScan, assess, load_bank, scan
from mlops_kit.tracking.store import get_client

HISTORY = "mlops_kit.alias_history.champion.{:06d}"


def _populate(uri):
    import mlflow
    import pandas as pd

    mlflow.set_experiment("credit")
    with mlflow.start_run():  # tracked, with a dataset input
        mlflow.log_params({"C": 1.0, "penalty": "l2"})
        mlflow.log_metric("auc", 0.81)
        mlflow.log_input(mlflow.data.from_pandas(pd.DataFrame({"x": [1.0, 2.0]}), name="train"))
    with mlflow.start_run() as second:  # tracked, with a drift metric
        mlflow.log_param("C", 0.5)
        mlflow.log_metrics({"auc": 0.83, "drift_share": 0.1})
        mlflow.set_tag("mlops_kit.validation.status", "passed")
    with mlflow.start_run():  # only a drift report artifact
        mlflow.log_text("<html></html>", "reports/drift_report.html")
    client = get_client(uri)
    client.create_registered_model("credit-model")
    for _ in range(2):
        client.create_model_version(
            "credit-model", f"runs:/{second.info.run_id}/model", run_id=second.info.run_id
        )
    client.set_registered_model_alias("credit-model", "champion", "1")
    events = [
        {"action": "promote", "from_version": None, "to_version": 1},
        {"action": "promote", "from_version": 1, "to_version": 2},
        {"action": "rollback", "from_version": 2, "to_version": 1},
    ]
    for seq, event in enumerate(events, start=1):
        client.set_registered_model_tag("credit-model", HISTORY.format(seq), json.dumps(event))
    client.create_registered_model("churn")


def _repo(root):
    root.mkdir()
    (root / ".git").mkdir()
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "ci.yml").write_text("steps:\n  - run: pytest --nbval\n")
    (root / "tests").mkdir()
    (root / "tests" / "__init__.py").write_text("")
    (root / "tests" / "test_model.py").write_text("def test_x():\n    assert True\n")
    (root / "requirements.txt").write_text("# pinned\nnumpy==1.26.4\npandas==2.2.0\n")
    (root / "prometheus").mkdir()
    (root / "prometheus" / "alert_rules.yml").write_text("groups: []\n")
    (root / "grafana" / "dashboards").mkdir(parents=True)
    (root / "grafana" / "dashboards" / "model.json").write_text("{}")
    (root / ".venv" / "lib").mkdir(parents=True)  # skipped
    (root / ".venv" / "lib" / "test_ignored.py").write_text("")
    return root


def test_scan_real_store_and_repo_proposes_answers_with_evidence(tracking_uri, tmp_path):
    _populate(tracking_uri)
    answers = {i.id: 1 for i in load_bank().items}
    assess(answers).log_to_mlflow(tracking_uri=tracking_uri)
    repo = _repo(tmp_path / "repo")

    result = scan(tracking_uri, repo=repo)
    assert isinstance(result, EvidenceScan)
    proposed, evidence = result.proposed_answers(), result.evidence()
    assert proposed == {
        "vt_code_in_git": 1,
        "vt_experiment_tracking": 1,
        "vt_environment_pinned": 1,
        "vt_data_versioning": 1,
        "vt_model_registry": 1,
        "tv_unit_tests": 1,
        "tv_data_validation": 1,
        "tv_notebook_tests": 1,
        "cicd_ci_pipeline": 1,
        "cicd_model_promotion": 1,
        "cicd_rollback": 1,
        "mon_production_metrics": 1,
        "mon_drift_detection": 1,
        "mon_alerting": 1,
        "tg_maturity_reviews": 0.5,
    }
    # the maturity run is not counted as a training run
    assert (
        evidence["vt_experiment_tracking"] == "2 runs with parameters and metrics in 1 experiment"
    )
    assert evidence["vt_data_versioning"] == "dataset inputs recorded in 1 of 3 runs"
    assert evidence["vt_model_registry"] == "2 registered models (churn, credit-model)"
    assert evidence["cicd_model_promotion"] == (
        "1 registered model with aliases (credit-model@champion)"
    )
    assert evidence["cicd_rollback"] == (
        "1 registered model with aliases; 1 rollback recorded for credit-model@champion"
    )
    assert "2 runs with validation results" in evidence["tv_data_validation"]
    assert "reports/drift_report.html" in evidence["mon_drift_detection"]
    assert "drift_share" in evidence["mon_drift_detection"]
    assert evidence["vt_code_in_git"] == "git repository found (.git)"
    assert evidence["cicd_ci_pipeline"] == "CI config found: .github/workflows/ci.yml"
    assert evidence["tv_unit_tests"] == "1 test file, with CI config (.github/workflows/ci.yml)"
    assert evidence["vt_environment_pinned"] == "requirements.txt pins 2 of 2 packages with =="
    assert evidence["tv_notebook_tests"] == "nbval configured in .github/workflows/ci.yml"
    assert "grafana/dashboards/model.json" in evidence["mon_production_metrics"]
    assert evidence["mon_alerting"] == "alert rules found: prometheus/alert_rules.yml"
    assert evidence["tg_maturity_reviews"].startswith("1 maturity assessment logged")

    # the user confirms or overrides, then scores with the rest unanswered
    a = assess({**proposed, "mon_alerting": 0}, allow_missing=True)
    assert a.answers["mon_alerting"] == 0 and a.answers["cicd_rollback"] == 1
    assert "vt_lineage" in a.unanswered
    frame = result.to_frame()
    assert set(frame["source"]) == {"store", "repo"}
    assert "evidence for 15 of 15 items" in result.summary()


def test_empty_store_and_empty_folder_propose_zeros_with_no_evidence(tracking_uri, tmp_path):
    get_client(tracking_uri)  # a real, empty store
    empty = tmp_path / "empty"
    empty.mkdir()
    result = scan(tracking_uri, repo=empty)
    assert len(result.records) == 15
    assert set(result.proposed_answers().values()) == {0}
    assert all(e.startswith("no evidence") for e in result.evidence().values())


def test_named_missing_sqlite_file_is_reported_missing_and_is_not_created(tmp_path):
    # a mistyped path must not yield a confident "no evidence" (issue 7, section 10)
    db = tmp_path / "never.db"
    with pytest.raises(StoreUnreachableError, match="does not exist"):
        scan(f"sqlite:///{db}")
    assert not db.exists()


def test_partial_evidence_proposes_half(tmp_path):
    repo = tmp_path / "r"
    (repo / "tests").mkdir(parents=True)
    (repo / "tests" / "test_a.py").write_text("")
    (repo / "requirements.txt").write_text("numpy==1.26\nnbval\npandas>=2\n")
    result = scan(repo=repo, store=False)
    proposed, evidence = result.proposed_answers(), result.evidence()
    assert proposed["tv_unit_tests"] == 0.5
    assert evidence["tv_unit_tests"] == "1 test file, but no CI config runs them"
    assert proposed["vt_environment_pinned"] == 0.5
    assert evidence["vt_environment_pinned"] == "requirements.txt pins 1 of 3 packages with =="
    assert proposed["tv_notebook_tests"] == 0.5
    assert "vt_model_registry" not in proposed  # the store was not scanned


def test_unreachable_store_and_missing_repo(tmp_path):
    with pytest.raises(StoreUnreachableError):
        scan(f"sqlite:///{tmp_path}/no/such/dir/mlruns.db")
    with pytest.raises(InputError, match=r"Invalid repo: got '.*nope'; allowed: the path of an"):
        scan(store=False, repo=tmp_path / "nope")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(InputError, match="Invalid repo"):
        scan(store=False, repo=tmp_path / "file.txt")


def test_plot_and_dict():
    import matplotlib.axes

    rec = {
        "item": "vt_model_registry",
        "dimension": "versioning_tracking",
        "level": 3,
        "rule": "model_registry",
        "source": "store",
        "proposed": 1,
        "evidence": "1 registered model (<credit-model>)",
        "text": "Are trained models registered with versions in a model registry?",
    }
    result = EvidenceScan([rec], {"store": "sqlite:///example.db", "repo": None}, {})
    assert isinstance(result.plot(), matplotlib.axes.Axes)
    assert result.to_dict()["records"][0]["proposed"] == 1
