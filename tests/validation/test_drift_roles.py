"""Column roles: identifiers skipped with the reason, target and prediction reported apart."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from mlops_kit.data import make_credit, split_reference_current
from mlops_kit.errors import ColumnError, InputError
from mlops_kit.validation import DriftCheck


def _run(check, *data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return check.run(*data)


@pytest.fixture(scope="module")
def credit():
    return split_reference_current(make_credit(n_rows=3000, seed=0))


def test_readme_example_has_no_false_alarm(credit):
    reference, current = credit
    result = _run(DriftCheck(target="default"), reference, current)
    assert not result.dataset_drift and result.n_drifted == 0
    assert result["id"].skipped and result["id"].note.startswith("identifier")
    assert result.target_drift.column == "default" and not result.target_drift.drifted
    assert "default" not in [c.column for c in result.features]
    assert result.n_columns == len(reference.columns) - 3  # id, the date, the target
    assert result.to_dict()["target_drift"] == {"column": "default", "drifted": False}
    assert "target 'default' stable" in result.summary()
    # without any declaration the ID is still recognised
    assert _run(DriftCheck(), reference, current)["id"].skipped


def test_identifier_rule_needs_all_distinct_reference_and_95_percent_current():
    rng = np.random.default_rng(0)
    n = 400
    reference = pd.DataFrame({"key": rng.permutation(10 * n)[:n], "x": rng.normal(size=n)})
    unique_cur = pd.DataFrame({"key": np.arange(n) + 5 * n, "x": rng.normal(size=n)})
    assert _run(DriftCheck(), reference, unique_cur)["key"].skipped
    # 90% distinct in current: not an identifier, tested (and its shift found)
    repeats = np.concatenate([np.arange(int(0.9 * n)), np.arange(n - int(0.9 * n))])
    tested = _run(DriftCheck(), reference, unique_cur.assign(key=repeats))["key"]
    assert not tested.skipped and tested.test == "ks"
    # one repeated reference value: not an identifier
    dup_ref = reference.assign(key=np.r_[reference["key"].to_numpy()[:-1], reference["key"][0]])
    assert not _run(DriftCheck(), dup_ref, unique_cur)["key"].skipped
    # a float column is never taken for an identifier; column_types forces a test
    assert not _run(
        DriftCheck(), reference.astype({"key": float}), unique_cur.astype({"key": float})
    )["key"].skipped
    forced = _run(DriftCheck(column_types={"key": "num"}), reference, unique_cur)["key"]
    assert not forced.skipped and forced.drifted
    # declared identifiers are skipped whatever their values
    declared = _run(DriftCheck(id_columns=["x"]), reference, unique_cur)["x"]
    assert declared.skipped and "declared" in declared.note


def test_prediction_and_target_are_reported_apart_and_not_counted():
    rng = np.random.default_rng(1)
    n = 600
    reference = pd.DataFrame(
        {"x": rng.normal(size=n), "y": rng.integers(0, 2, n), "p": rng.random(n)}
    )
    current = pd.DataFrame(
        {"x": rng.normal(size=n), "y": (rng.random(n) < 0.9).astype(int), "p": rng.random(n) + 1.0}
    )
    result = _run(DriftCheck(target="y", prediction="p", drift_share=0.5), reference, current)
    assert result.target_drift.drifted and result.prediction_drift.drifted
    assert result.n_columns == 1 and result.n_drifted == 0 and not result.dataset_drift
    assert "target 'y' drifted; prediction 'p' drifted" in result.summary()
    assert result.to_frame().set_index("column")["role"].to_dict() == {
        "x": "feature",
        "y": "target",
        "p": "prediction",
    }
    # with columns=[...] the target is still tested
    only = _run(DriftCheck(columns=["x"], target="y"), reference, current)
    assert [c.column for c in only.columns] == ["x", "y"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"target": "nope"}, ColumnError, "target names column 'nope'"),
        ({"id_columns": ["x"], "target": "x"}, ColumnError, "two roles"),
        ({"target": ["y"]}, InputError, "Invalid target"),
        ({"id_columns": "x"}, InputError, "Invalid id_columns"),
    ],
)
def test_bad_roles_are_named(kwargs, error, match):
    frame = pd.DataFrame({"x": [1.0, 2.0] * 20, "y": [0, 1] * 20})
    with pytest.raises(error, match=match):
        DriftCheck(**kwargs).fit(frame)


def test_nothing_compared_says_so():
    frame = pd.DataFrame({"when": pd.date_range("2024-01-01", periods=30)})
    result = _run(DriftCheck(), frame, frame)
    assert not result.checked and not result.dataset_drift
    assert result.summary().startswith("Nothing compared")


def test_drift_explorer_does_not_open_on_the_id_column(credit):
    from mlops_kit.validation import drift_explorer

    reference, current = credit
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        explorer = drift_explorer(reference, current, check=DriftCheck(target="default"))
    assert explorer.column.value != "id" and "id" not in explorer.column.options
    assert explorer.result["id"].skipped
    explorer.method.value = "psi"  # re-running keeps the roles of the starting check
    assert explorer.result.target_drift.column == "default" and explorer.result["id"].skipped
