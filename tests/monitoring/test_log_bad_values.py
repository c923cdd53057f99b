"""A row the log cannot hold (no prediction, NaN, a bad value) fails alone, never its batch.

With ``on_error="record"`` (what served-prediction logging uses) such a row is kept,
whole, in the ``rejected`` table with its one-line reason and the rest of the batch is
written; with ``on_error="raise"`` the batch raises that line and writes nothing.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from mlops_kit.errors import InputError
from mlops_kit.monitoring.log import PredictionLog

BAD = {
    "none": None,
    "nan": float("nan"),
    "np-nan": np.float64("nan"),
    "pd-na": pd.NA,
    "nat": pd.NaT,
    "list": [0.2, 0.8],
}


def _row(i, prediction, **extra):
    return {"id": i, "time": "2024-03-01T12:00", "prediction": prediction, **extra}


@pytest.fixture
def log(tmp_path):
    return PredictionLog(tmp_path / "log.db")


def test_recorded_bad_values_keep_the_rest_of_the_batch(log):
    rows = [_row("good-0", 1)]
    rows += [_row(name, value) for name, value in BAD.items()]
    rows += [_row("bad-features", 0, features={"x": {1, 2}}), _row("good-1", 0.25)]
    assert log.append(rows, on_error="record") == 2
    assert log.read()["id"].tolist() == ["good-0", "good-1"]
    rejected = log.rejected()
    payloads = [json.loads(p) for p in rejected["payload"]]
    assert [p["id"] for p in payloads] == [*BAD, "bad-features"]  # each kept whole
    reasons = dict(zip([p["id"] for p in payloads], rejected["reason"], strict=True))
    for name in ("none", "nan", "np-nan", "pd-na", "nat"):
        assert reasons[name].startswith("Invalid rows: got \"a row without 'prediction'\"")
    assert reasons["list"].startswith("Invalid prediction: got 'list'")
    assert reasons["bad-features"].startswith("Invalid features")
    assert set(rejected["kind"]) == {"prediction"}


@pytest.mark.parametrize("name", list(BAD))
def test_raised_bad_values_write_nothing(log, name):
    with pytest.raises(InputError, match=r"Invalid (rows|prediction)"):
        log.append([_row("good", 1), _row(name, BAD[name])])
    assert len(log) == 0 and log.rejected().empty
