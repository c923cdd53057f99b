"""Dataset fingerprints: stable across processes, sensitive to every change."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlops_kit.errors import InputError
from mlops_kit.tracking.fingerprint import DIGEST_LENGTH, fingerprint, mlflow_digest


def make_df():
    return pd.DataFrame(
        {
            "age": [25, 40, 33],
            "income": [1.5, np.nan, 3.25],
            "city": ["Oslo", "Lima", None],
            "when": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
            "grade": pd.Categorical(["a", "b", "a"]),
            "ok": [True, False, True],
        }
    )


def test_stable_within_and_across_processes():
    df = make_df()
    fp = fingerprint(df)
    assert len(fp) == 64 and int(fp, 16) >= 0
    assert fingerprint(df) == fp == fingerprint(make_df()) == fingerprint(df.copy())
    here = str(Path(__file__).parent)
    code = (
        f"import sys; sys.path.insert(0, {here!r});"
        "from test_fingerprint import make_df;"
        "from mlops_kit.tracking.fingerprint import fingerprint; print(fingerprint(make_df()))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    ).stdout.strip()
    assert other == fp


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.assign(age=[25, 40, 34]),  # one value
        lambda d: d.assign(income=[1.5, 0.0, 3.25]),  # NaN -> value
        lambda d: d.assign(city=["Oslo", "Lima", "Rome"]),  # None -> value
        lambda d: d.rename(columns={"age": "Age"}),  # column name
        lambda d: d[list(reversed(d.columns))],  # column order
        lambda d: d.iloc[[1, 0, 2]].reset_index(drop=True),  # row order
        lambda d: d.astype({"age": "int32"}),  # dtype, same values
        lambda d: d.astype({"age": "float64"}),  # dtype, same values
        lambda d: d.astype({"grade": "object"}),  # categorical -> object
        lambda d: d.iloc[:2],  # a row dropped
        lambda d: d.drop(columns="ok"),  # a column dropped
    ],
)
def test_any_change_changes_the_fingerprint(change):
    df = make_df()
    assert fingerprint(change(df)) != fingerprint(df)


def test_index_ignored_unless_asked():
    df = make_df()
    moved = df.set_axis([10, 11, 12])
    assert fingerprint(moved) == fingerprint(df)
    assert fingerprint(moved, index=True) != fingerprint(df, index=True)


def test_mixed_object_values_keep_their_type():
    a = pd.DataFrame({"x": pd.Series([1, "1"], dtype=object)})
    b = pd.DataFrame({"x": pd.Series(["1", 1], dtype=object)})
    c = pd.DataFrame({"x": pd.Series(["1", "1"], dtype=object)})
    assert len({fingerprint(a), fingerprint(b), fingerprint(c)}) == 3
    assert fingerprint(pd.DataFrame({1: [1]})) != fingerprint(pd.DataFrame({"1": [1]}))


def test_series_arrays_and_bad_input():
    s = pd.Series([1.0, 2.0], name="x")
    assert fingerprint(s) == fingerprint(s.to_frame())
    arr = np.arange(6).reshape(2, 3)
    assert fingerprint(arr) == fingerprint(arr.copy())
    assert fingerprint(arr) != fingerprint(arr.T.copy())
    assert fingerprint(arr) != fingerprint(arr.astype("int32"))
    assert fingerprint(np.array(["a", 1], dtype=object)) != fingerprint(
        np.array([1, "a"], dtype=object)
    )
    with pytest.raises(InputError, match="Invalid data: got 'list'"):
        fingerprint([1, 2])
    with pytest.raises(InputError, match="index"):
        fingerprint(make_df(), index="yes")


def test_mlflow_digest_fits_mlflow_column():
    fp = fingerprint(make_df())
    assert mlflow_digest(fp) == fp[:DIGEST_LENGTH] and len(mlflow_digest(fp)) <= 36
