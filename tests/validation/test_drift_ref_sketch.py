"""The sketched reference column without Spark: histogram bounds, and runs against the exact path.

A small grid (``max_cells=512``) makes the bounds wide enough to matter; the
sketches are built from the values (``RefSketch.from_sorted``), as a Spark fit
does for a column found just above its cap.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest

from mlops_kit.validation import DriftCheck
from mlops_kit.validation.drift import stattests as st
from mlops_kit.validation.drift.ref_sketch import RefSketch, binned_bound

METHODS = {"w": "wasserstein", "ks": "ks", "psi": "psi", "js": "jensenshannon"}


def _frame(seed: int, shift: float = 0.0, n: int = 20_000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "w": rng.normal(shift, 1.0, n),
            "ks": np.round(rng.gamma(2.0, 1.0 + shift, n), 3),
            "psi": rng.exponential(1.0 + shift / 4, n),
            "js": rng.uniform(0, 10 + 2 * shift, n),
        }
    )


def test_histogram_bounds_contain_the_exact_counts():
    values = np.sort(_frame(0)["ks"].to_numpy())
    sk = RefSketch.from_sorted(values, max_cells=256)
    rng = np.random.default_rng(1)
    edge_sets = [
        st.sturges_edges(values[0] - 1, values[-1] + 2, 2 * values.size, False),
        np.concatenate([[values[0]], np.sort(rng.uniform(values[0], values[-1], 30)), [99.0]]),
        sk.grid,  # on grid points: exact
    ]
    for edges in edge_sets:
        low, est, high = sk.histogram(edges)
        exact = np.histogram(values, edges)[0]
        assert (low <= exact).all() and (exact <= high).all()
        assert math.isclose(est.sum(), values.size)
    np.testing.assert_array_equal(low, high)  # the grid's own edges cut no cell


@pytest.mark.parametrize("test", ["jensenshannon", "psi"])
def test_binned_bound_contains_the_true_statistic(test):
    fn = st.js_distance if test == "jensenshannon" else st.psi_value
    rng = np.random.default_rng(2)
    below = above = 0
    for _ in range(300):
        ref, cur = rng.integers(50, 500, 12).astype(float), rng.integers(50, 500, 12)
        low, high = ref - rng.integers(0, 40, 12), ref + rng.integers(0, 40, 12)
        est = ref + rng.uniform(-1, 1, 12) * np.minimum(ref - low, high - ref)
        stat, truth = fn(est, cur), fn(ref, cur)  # a statistic on an estimate; the truth
        bound = binned_bound(test, stat, low, high, cur, ref.sum())
        assert abs(truth - stat) <= bound + 1e-12
        below, above = below + (truth < stat), above + (truth > stat)
    assert below and above  # both sides of the bound were exercised


def _sketched(check: DriftCheck, max_cells: int) -> DriftCheck:
    out = copy.deepcopy(check)
    for col in out.reference_.columns:
        col.sketch = RefSketch.from_sorted(col.values, max_cells)
        col.values = None
    return out


@pytest.mark.parametrize("shift", [0.0, 0.05, 0.3])
def test_pandas_window_on_sketch_within_bounds(shift):
    exact = DriftCheck(method=METHODS).fit(_frame(0))
    sketched = _sketched(exact, 512)
    cur = _frame(3, shift=shift, n=15_000)
    want, got = exact.run(cur), sketched.run(cur)
    for p, s in zip(want.columns, got.columns):
        assert (s.test, s.n_reference, s.n_current) == (p.test, p.n_reference, p.n_current)
        if p.column in ("psi", "js"):  # Sturges edges cut grid cells: a reported bound
            assert s.error_bound > 0, p.column
        assert abs(s.statistic - p.statistic) <= s.error_bound + 1e-12, p.column
        if abs(p.statistic - p.threshold) > s.error_bound:
            assert s.drifted == p.drifted, p.column
        elif "effect is small" not in s.note:  # the large-sample note takes precedence
            assert "error bound" in s.note, p.column
