"""Fit the reference once: fit/run, the one-call form, and the saved summary file."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from mlops_kit.errors import InputError
from mlops_kit.validation import DriftCheck


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


@pytest.fixture
def windows(make_drift_frame):
    reference = make_drift_frame(800, 1)
    return reference, [make_drift_frame(300, 10 + i, drift=0.5 * (i % 2)) for i in range(4)]


def test_fit_once_gives_the_one_call_result_on_every_window(windows):
    reference, currents = windows
    check = DriftCheck(method={"num_same": "psi"}, target="flag").fit(reference)
    for current in currents:
        fitted = _quiet(check.run, current)
        one_call = _quiet(
            DriftCheck(method={"num_same": "psi"}, target="flag").run, reference, current
        )
        assert fitted.to_dict() == one_call.to_dict()
    assert {_quiet(check.run, c).dataset_drift for c in currents} == {True, False}


def test_one_call_form_leaves_the_check_as_it_was(windows):
    reference, currents = windows
    check = DriftCheck()
    _quiet(check.run, reference, currents[0])
    assert not hasattr(check, "reference_")
    with pytest.raises(InputError, match="not fitted"):
        check.run(currents[0])
    with pytest.raises(InputError, match="run arguments"):
        check.run(reference, currents[0], currents[1])
    fitted = DriftCheck().fit(currents[0])
    _quiet(fitted.run, reference, currents[1])  # a one-call run on a fitted check
    assert _quiet(fitted.run, currents[0]).n_drifted == 0  # still fitted on currents[0]


def test_native_fit_keeps_a_summary_not_the_frame(windows):
    reference, _ = windows
    check = DriftCheck().fit(reference)
    assert check.reference_frame_ is None
    assert check.reference_.names == list(reference.columns)
    assert np.array_equal(check.reference_["num_shift"].values, np.sort(reference["num_shift"]))
    assert check.reference_["color"].counts.sum() == len(reference)
    text = repr(DriftCheck(drift_share=0.3, target="y"))
    assert text == "DriftCheck(drift_share=0.3, target='y')"


def test_saved_summary_gives_identical_results_without_the_frame(windows, tmp_path):
    reference, currents = windows
    check = DriftCheck(threshold={"cat": 0.2}, drift_share=0.3, id_columns=["int_many"])
    check.fit(reference)
    path = check.save(tmp_path / "sub" / "reference.npz")
    assert path.exists() and not list(path.parent.glob("*.tmp*"))
    with np.load(path, allow_pickle=False) as data:  # no pickled object in the file
        assert "__meta__" in data.files
    loaded = DriftCheck.load(path)
    assert loaded.get_params() == {**check.get_params(), "id_columns": ["int_many"]}
    for current in currents:
        assert _quiet(loaded.run, current).to_dict() == _quiet(check.run, current).to_dict()
    # streamed windows against the loaded summary too
    chunks = [currents[1].iloc[:150], currents[1].iloc[150:]]
    assert (
        _quiet(loaded.run, chunks).to_dict()["columns"]
        == _quiet(check.run, currents[1]).to_dict()["columns"]
    )


def test_save_and_load_errors(windows, tmp_path):
    reference, _ = windows
    with pytest.raises(InputError, match="not fitted"):
        DriftCheck().save(tmp_path / "x.npz")
    with pytest.raises(InputError, match="engine"):
        DriftCheck(engine="evidently").fit(reference).save(tmp_path / "x.npz")
    with pytest.raises(InputError, match=r"\.npz"):
        DriftCheck().fit(reference).save(tmp_path / "x.json")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(InputError, match=r"Invalid path.*Reading failed"):
        DriftCheck.load(bad)
    with pytest.raises(InputError, match="exists"):
        DriftCheck.load(tmp_path / "missing.npz")
    np.savez(tmp_path / "other.npz", a=np.arange(3))
    with pytest.raises(InputError, match="Reading failed"):
        DriftCheck.load(tmp_path / "other.npz")
