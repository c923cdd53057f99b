"""The README's Python examples run as written, on sample data and a real store."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_has_python_examples():
    assert len(_python_blocks()) >= 4


@pytest.mark.slow
def test_readme_python_examples_run(tracking_uri, tmp_path, monkeypatch):
    import numpy as np
    import pandas as pd

    from mlops_kit._tour_models import _candidate, _features
    from mlops_kit.data import inject_drift, make_credit, split_reference_current

    monkeypatch.chdir(tmp_path)
    df = make_credit(n_rows=3000, seed=0)
    train = df.iloc[:2000]
    X, numeric, categorical = _features(train)
    y = train["default"]
    model = _candidate(numeric, categorical)
    reference, current = split_reference_current(
        inject_drift(df, "covariate", columns=["income"], severity=0.5)
    )
    current.to_parquet(tmp_path / "current.parquet")
    fitted = _candidate(numeric, categorical).fit(X, y)
    ns = {
        "train": train,
        "model": model,
        "new_model": fitted,
        "X": X,
        "y": y,
        "curve": [0.7, 0.75, 0.8],
        "reference": reference,
        "current": current,
        "candidate": fitted,
        "pred_champion": fitted.predict(X),
        "pred_candidate": np.where(np.arange(len(y)) % 10 == 0, 1 - y, fitted.predict(X)),
        "window_results": pd.DataFrame(
            {
                "timestamp": pd.date_range("2024-01-01", periods=3, freq="W"),
                "accuracy": [0.9, 0.7, 0.7],
                "drift_share": [0.1, 0.2, 0.6],
            }
        ),
    }
    for block in _python_blocks():
        if "RollbackPolicy" in block:  # Step 1's example rolled back: a newer champion again
            ns["tracking"].promote("credit-risk", ns["v2"].version, reason="retrained")
        exec(compile(block, "README.md", "exec"), ns)
    # the examples did what they say
    assert ns["tracking"].history("credit-risk", "champion")["action"].tolist() == [
        "promote",
        "promote",
        "rollback",
        "promote",
        "rollback",
    ]
    assert ns["tracking"].current("credit-risk").version == ns["v1"].version
    assert ns["a"].level >= 1
    assert ns["result"].roi > 0
    assert ns["drift"].to_dict()["columns"]
    assert ns["gate"].to_dict()["passed"] in (True, False)
    assert (tmp_path / "drift.html").is_file()
