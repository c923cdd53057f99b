"""Every working template in notebooks/ runs end to end on sample data with papermill."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.notebook
@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_template_runs_on_sample_data(path, tmp_path, monkeypatch):
    import papermill as pm

    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlruns.db'}")
    monkeypatch.setenv("MLOPS_KIT_HOME", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    out = tmp_path / path.name
    # default parameters use the shipped sample data; outputs go to the temp folder
    pm.execute_notebook(
        str(path),
        str(out),
        parameters={"output_dir": str(tmp_path / "out")},
        cwd=str(tmp_path),
        kernel_name="python3",
        progress_bar=False,
    )
    import nbformat

    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    assert (tmp_path / "out").exists(), "a template writes its results to output_dir"


@pytest.mark.notebook
def test_canary_plan_writes_the_plan_and_the_kserve_manifests(tmp_path, monkeypatch):
    """notebooks/canary_plan.ipynb on sample models: the plan CSV and one manifest per stage."""
    import pandas as pd
    import papermill as pm
    import yaml

    monkeypatch.setenv("MLOPS_KIT_HOME", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    out = tmp_path / "out"
    pm.execute_notebook(
        str(ROOT / "notebooks" / "canary_plan.ipynb"),
        str(tmp_path / "canary_plan.ipynb"),
        parameters={"output_dir": str(out), "schedule": [10, 50, 100], "namespace": "ml"},
        cwd=str(tmp_path),
        kernel_name="python3",
        progress_bar=False,
    )
    plan = pd.read_csv(out / "canary_plan.csv")
    assert plan["percent"].tolist() == [10, 50, 100]
    assert plan["on_success"].tolist() == ["advance", "advance", "promote"]
    assert (plan["challenger_rows"].iloc[:2] > 0).all() and plan["challenger_rows"].iloc[2] == 0
    docs = list(yaml.safe_load_all((out / "kserve.yaml").read_text()))
    assert [d["spec"]["predictor"].get("canaryTrafficPercent") for d in docs] == [
        None,
        10,
        50,
        None,
        0,
    ]
    assert {d["metadata"]["namespace"] for d in docs} == {"ml"}
    assert (
        docs[0]["spec"]["predictor"]["model"]["storageUri"]
        != docs[1]["spec"]["predictor"]["model"]["storageUri"]
    )
