"""A Spark fit with more distinct reference values than ``max_reference_values``: the sketch.

The reference has 50,000 rows and the cap is 5,000 (so the tests stay fast): its
continuous columns are sketched, its few-valued ones counted exactly. Every run
is compared with the exact pandas path (pandas fit, pandas window, in memory).
"""

from __future__ import annotations

import math
import pickle

import numpy as np
import pandas as pd
import pytest

from mlops_kit.errors import InputError
from mlops_kit.validation import DriftCheck
from mlops_kit.validation.drift.spark_fit import summary_from_spark

CAP = 5_000
N = 50_000
METHODS = {"w": "wasserstein", "ks": "ks", "psi": "psi", "js": "jensenshannon"}


def _frame(seed: int, shift: float = 0.0, n: int = N) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    w = rng.normal(shift, 1.0, n)
    w[rng.random(n) < 0.05] = np.nan  # missing values are dropped, as in pandas
    return pd.DataFrame(
        {
            "w": w,
            "ks": rng.gamma(2.0, 1.0 + shift, n),
            "psi": rng.exponential(1.0 + shift / 4, n),
            "js": rng.uniform(0, 10 + 2 * shift, n),
            "few": rng.integers(0, 3_000, n).astype(np.float64) + shift * 100,  # below the cap
            "mid": rng.integers(0, 6_000, n),  # just above the cap: counted, then sketched
            "c": rng.choice(["a", "b"], n),
        }
    )


@pytest.fixture(scope="module")
def fitted(spark):
    ref = _frame(0)
    exact = DriftCheck(method=METHODS).fit(ref)
    sketched = DriftCheck(method=METHODS, max_reference_values=CAP).fit(spark.createDataFrame(ref))
    return ref, exact, sketched


def test_sketched_and_exact_columns(fitted):
    _, exact, sketched = fitted
    want, got = exact.reference_, sketched.reference_
    for name in ("w", "ks", "psi", "js", "mid"):
        col = got[name]
        assert col.values is None and col.sketch is not None, name
        values = want[name].values
        sk = col.sketch
        assert sk.n == values.size and int(sk.count.sum()) == values.size, name
        assert (sk.lo, sk.hi) == (values[0], values[-1]), name
        assert math.isclose(sk.mean, values.mean(), rel_tol=1e-12), name
        assert math.isclose(sk.std, values.std(), rel_tol=1e-9), name
    # below the cap: the pandas summary, bit for bit
    np.testing.assert_array_equal(got["few"].values, want["few"].values)
    assert got["few"].sketch is None
    assert got["c"].counts.sort_index().to_dict() == want["c"].counts.sort_index().to_dict()


def test_driver_summary_does_not_grow_with_rows(spark):
    sizes = {}
    for n in (20_000, 60_000):
        df = spark.createDataFrame(_frame(1, n=n)[["w", "few"]])
        summary = summary_from_spark(df, max_reference_values=CAP, max_cells=1024)
        assert summary["w"].values is None and summary["w"].sketch.grid.size <= 1024
        assert summary["few"].values.size == n  # below the cap: every value, as pandas
        sizes[n] = len(pickle.dumps(summary["w"]))
    assert sizes[60_000] <= 1.01 * sizes[20_000]
    assert max(sizes.values()) < 4 * 8 * 1030 + 4_000  # four arrays of at most max_cells + 1


def _assert_within_bounds(want, got):
    assert [c.column for c in got.columns] == [c.column for c in want.columns]
    for p, s in zip(want.columns, got.columns):
        assert (s.test, s.n_reference, s.n_current) == (p.test, p.n_reference, p.n_current)
        bound = s.error_bound
        assert abs(s.statistic - p.statistic) <= bound + 1e-9, (p.column, s.statistic, bound)
        if abs(p.statistic - p.threshold) > bound:
            assert s.drifted == p.drifted, p.column
        if p.column in ("few", "c"):  # exact columns stay exact
            assert bound == 0.0 and math.isclose(s.statistic, p.statistic, rel_tol=1e-9)


@pytest.mark.parametrize("shift", [0.0, 0.3])
def test_runs_within_reported_bounds(fitted, spark, shift):
    _, exact, sketched = fitted
    cur = _frame(7, shift=shift)
    want = exact.run(cur)
    got = sketched.run(spark.createDataFrame(cur))
    _assert_within_bounds(want, got)
    tests = {c.column: c.test for c in got.columns}
    assert (tests["w"], tests["ks"], tests["psi"], tests["mid"]) == (
        "wasserstein",
        "ks",
        "psi",
        "wasserstein",
    )
    bounds = {c.column: c.error_bound for c in got.columns}
    assert 0 < bounds["psi"] < 0.05 and 0 < bounds["js"] < 0.05  # reported, and small
    assert got.dataset_drift == want.dataset_drift
    assert {c.column for c in got.columns if c.drifted} >= ({"w", "ks", "js"} if shift else set())
    print(got.to_frame()[["column", "test", "statistic", "error_bound", "drifted"]])
    # a pandas window against the sketched reference: the streamed engine, one chunk
    local = sketched.run(cur)
    for s, p in zip(got.columns, local.columns):
        assert math.isclose(s.statistic, p.statistic, rel_tol=1e-9, abs_tol=1e-12), s.column


def test_small_window_uses_grid_ks(fitted):
    _, exact, sketched = fitted
    cur = _frame(8, shift=0.05, n=2_000)
    _assert_within_bounds(exact.run(cur), sketched.run(cur))


def test_save_load_round_trip(fitted, tmp_path):
    _, _, sketched = fitted
    loaded = DriftCheck.load(sketched.save(tmp_path / "ref.npz"))
    assert loaded.max_reference_values == CAP
    for name in ("w", "mid"):
        a, b = sketched.reference_[name].sketch, loaded.reference_[name].sketch
        for key in ("grid", "count", "offset", "equal"):
            np.testing.assert_array_equal(getattr(a, key), getattr(b, key))
        assert (a.n, a.mean, a.std, a.lo, a.hi) == (b.n, b.mean, b.std, b.lo, b.hi)
    cur = _frame(9, shift=0.2, n=5_000)
    assert loaded.run(cur).to_dict() == sketched.run(cur).to_dict()


def test_categorical_current_on_sketched_column_is_one_line_error(fitted):
    _, _, sketched = fitted
    cur = _frame(10, n=300).assign(w=np.tile([1, 2, 3], 100))  # 3 integers: typed categorical
    with pytest.raises(InputError, match=r"^Column 'w' was fitted as a sketch.*column_types"):
        sketched.run(cur)


@pytest.mark.parametrize("bad", [0, True, "5000", 999])
def test_bad_max_reference_values(bad):
    ref = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    with pytest.raises(InputError, match=r"^Invalid max_reference_values: got .*allowed: "):
        DriftCheck(max_reference_values=bad).fit(ref)
