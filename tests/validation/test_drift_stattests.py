"""The drift statistics against the scipy/numpy computations Evidently runs."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from scipy.spatial import distance

from mlops_kit.validation.drift import stattests as st
from mlops_kit.validation.drift.grid import GridSketch
from mlops_kit.validation.drift.methods import METHODS, auto_method


@pytest.mark.parametrize(("n", "m"), [(50, 50), (37, 101), (1000, 733), (5, 2)])
def test_wasserstein_sorted_equals_scipy(n, m):
    rng = np.random.default_rng(n * m)
    u, v = rng.normal(size=n), rng.gamma(2.0, size=m)
    u[: n // 3] = 1.0  # ties
    expected = stats.wasserstein_distance(u, v)
    assert st.wasserstein_sorted(np.sort(u), np.sort(v)) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("values", "is_int"),
    [
        (np.random.default_rng(0).normal(size=1234), False),
        (np.random.default_rng(1).integers(0, 7, size=400), True),  # width < 1 -> 1
        (np.random.default_rng(2).integers(-50, 5000, size=999), True),
        (np.full(10, 3.0), False),  # constant: range expanded by 0.5
    ],
)
def test_sturges_edges_equal_numpy(values, is_int):
    edges = st.sturges_edges(values.min(), values.max(), values.size, is_int)
    assert np.array_equal(edges, np.histogram_bin_edges(values, bins="sturges"))


def test_ks_statistic_from_counts_is_scipys():
    rng = np.random.default_rng(3)
    ref = np.round(rng.normal(size=300), 1)  # many ties
    cur = np.round(rng.normal(0.2, 1, size=450), 1)
    values, counts = st.distinct_counts(np.sort(ref))
    cur_sorted = np.sort(cur)
    d = st.ks_d_from_counts(
        np.cumsum(counts),
        np.searchsorted(cur_sorted, values, side="right"),
        np.searchsorted(cur_sorted, values, side="left"),
        300,
        450,
    )
    # scipy's exact mode rounds d to a multiple of 1/lcm(n, m): equal to float precision
    assert d == pytest.approx(stats.ks_2samp(ref, cur).statistic, rel=1e-12)


def test_ks_pvalue_switches_to_asymptotic_like_scipy():
    rng = np.random.default_rng(4)
    ref, cur = rng.normal(size=10_001), rng.normal(0.03, 1, size=12_000)
    expected = stats.ks_2samp(ref, cur)
    assert st.ks_pvalue(expected.statistic, ref.size, cur.size) == pytest.approx(
        expected.pvalue, rel=1e-12
    )


def test_js_and_psi_on_counts():
    ref, cur = np.array([10, 20, 0, 70]), np.array([30, 20, 5, 45])
    expected_js = distance.jensenshannon(ref / ref.sum(), cur / cur.sum())
    assert st.js_distance(ref, cur) == pytest.approx(expected_js, rel=1e-12)
    r = st.fill_zeroes(ref / 100.0)
    assert r[2] == 0.0001  # smallest non-zero share 0.1 > 0.0001: Evidently fills 0.0001
    c = cur / 100.0
    assert st.psi_value(ref, cur) == pytest.approx(np.sum((r - c) * np.log(r / c)), rel=1e-12)


def test_chi_square_edge_cases():
    assert st.chi_square_pvalue([10], [12]) == 1.0  # one category: nothing to compare
    assert st.chi_square_pvalue([10, 0], [5, 5]) == 0.0  # unseen category in current
    p = st.chi_square_pvalue([50, 50], [60, 40])
    assert p == pytest.approx(stats.chisquare([60, 40], [50, 50]).pvalue)


def test_z_test_matches_the_formula():
    # ref: 30 of 100 are the second value; cur: 50 of 100
    p = st.z_test_pvalue(ref_first=70, n_ref=100, cur_first=50, n_cur=100, n_values=2)
    pooled = 0.4
    z = (0.3 - 0.5) / np.sqrt(pooled * (1 - pooled) * (2 / 100))
    assert p == pytest.approx(2 * (1 - stats.norm.cdf(abs(z))))
    assert st.z_test_pvalue(100, 100, 80, 80, n_values=1) == 1.0


def test_auto_method_follows_evidently_rules():
    assert auto_method("num", 1000, 6) == "ks"
    assert auto_method("num", 1000, 5) == "chisquare"
    assert auto_method("num", 1000, 2) == "z"
    assert auto_method("cat", 1000, 3) == "chisquare"
    assert auto_method("num", 1001, 6) == "wasserstein"
    assert auto_method("num", 1001, 5) == "jensenshannon"
    assert auto_method("cat", 1001, 2) == "jensenshannon"
    assert METHODS["ks"].is_drift(0.05, 0.05) and not METHODS["z"].is_drift(0.05, 0.05)
    assert METHODS["psi"].is_drift(0.1, 0.1) and not METHODS["psi"].is_drift(0.099, 0.1)


def test_grid_sketch_memory_does_not_grow_with_rows():
    ref = np.sort(np.random.default_rng(5).normal(size=2000))
    sketch = GridSketch(ref, max_cells=1024)
    sizes = (sketch.count.size, sketch.offset.size, sketch.equal.size)
    for seed in range(5):
        sketch.add(np.random.default_rng(seed).normal(size=20_000))
    assert (sketch.count.size, sketch.offset.size, sketch.equal.size) == sizes
    assert sketch.n == 100_000 and sketch.count.sum() == 100_000


def test_grid_sketch_bounds_hold_with_a_coarse_grid():
    rng = np.random.default_rng(6)
    ref = np.sort(rng.normal(size=5000))
    cur = rng.normal(0.05, 1.1, size=40_000)
    sketch = GridSketch(ref, max_cells=256)  # far fewer cells than reference values
    for part in np.array_split(cur, 7):
        sketch.add(part)
    ref_sketch = sketch.empty_like()
    ref_sketch.add(ref)
    w, bound = sketch.wasserstein(ref_sketch)
    exact = stats.wasserstein_distance(ref, cur)
    assert bound > 0 and abs(w - exact) <= bound
    p, d, p_err = sketch.ks(ref_sketch)
    exact_ks = stats.ks_2samp(ref, cur)
    assert d <= exact_ks.statistic + 1e-12  # a lower bound of the supremum ...
    assert p >= exact_ks.pvalue - 1e-12 and p - p_err <= exact_ks.pvalue + 1e-12  # ... bracketed
