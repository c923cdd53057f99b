"""A real SQLite MLflow store with two registered versions of a small model, for serving tests.

Version 1 and version 2 are scikit-learn logistic regressions trained on the
same rows with opposite labels, so every row's prediction says which
version answered it. Shared by the serving, blue-green and router tests
(a helper module rather than a conftest.py, which the deploy-pipeline tests own).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

NAME = "toy-risk"


@dataclass
class ServingStore:
    uri: str
    folder: Path
    X: object  # pandas.DataFrame of inputs
    models: dict  # version -> fitted estimator


def make_store(folder: Path, empty_db: Path) -> ServingStore:
    """Copy the initialised empty store into ``folder``; register v1 (champion) and v2."""
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    from mlops_kit.tracking import promote, register

    db = folder / "mlruns.db"
    shutil.copyfile(empty_db, db)
    with sqlite3.connect(db) as con:
        con.execute(
            "UPDATE experiments SET artifact_location = ? WHERE experiment_id = 0",
            ((folder / "mlartifacts" / "0").as_uri(),),
        )
    uri = f"sqlite:///{db}"
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"income": rng.normal(50, 10, 200), "debt": rng.normal(20, 5, 200)})
    y = (X["income"] - 2 * X["debt"] + rng.normal(0, 3, 200) > 10).astype(int)
    models = {
        1: LogisticRegression().fit(X, y),
        2: LogisticRegression().fit(X, 1 - y),
    }
    cwd = os.getcwd()
    os.chdir(folder)  # plain MLflow may put files in ./mlruns: keep them in the temp folder
    try:
        for version, model in models.items():
            info = register(model, NAME, input_example=X.head(3), tracking_uri=uri)
            assert info.version == version
        promote(NAME, 1, "champion", reason="first", tracking_uri=uri)
    finally:
        os.chdir(cwd)
    return ServingStore(uri=uri, folder=folder, X=X, models=models)


def group_pids(pgid: int) -> list[int]:
    """PIDs of the live processes in process group ``pgid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] not in ("Z", "X") and int(fields[2]) == pgid:
            found.append(int(entry.name))
    return found
