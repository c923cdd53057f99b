"""The Spark path of DriftCheck against the pandas path, on the same data, in a real local Spark.

Every comparison fits and runs both paths on one pandas frame and its Spark copy
(``spark.createDataFrame``). Exact statistics must agree to rounding; the
Wasserstein distance (grid sketch) within the error bound each column reports.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from mlops_kit.errors import ColumnError, InputError
from mlops_kit.validation import DriftCheck

N = 24_000  # above the 10 000 values kept whole: the sketch and count paths run

#: one method per numeric column, so one run covers Wasserstein, exact K-S and Sturges PSI
METHODS = {"w": "wasserstein", "ks": "ks", "psi": "psi", "js": "jensenshannon"}


def _frame(seed: int, shift: float = 0.0, n: int = N) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    w = rng.normal(shift, 1.0, n)
    w[rng.random(n) < 0.05] = np.nan  # missing values are dropped, as in pandas
    cats = np.array(["a", "b", "c", None], dtype=object)
    p = [0.4, 0.3, 0.2, 0.1] if shift == 0 else [0.2, 0.3, 0.4, 0.1]
    return pd.DataFrame(
        {
            "w": w,
            "ks": np.round(rng.gamma(2.0, 1.0 + shift, n), 2),  # ties: many equal values
            "psi": rng.exponential(1.0 + shift, n),
            "js": rng.uniform(0, 10 + 10 * shift, n),
            "k": rng.integers(0, 4 + int(shift > 0), n),  # integers typed categorical
            "c": rng.choice(cats, n, p=p),
            "b": rng.random(n) < (0.5 + shift / 5),
            "id": np.arange(n) + seed * n,  # identifiers: skipped on both paths
        }
    )


@pytest.fixture(scope="module")
def frames(spark):
    ref, same, drifted = _frame(0), _frame(1), _frame(2, shift=0.5)
    return {
        name: (df, spark.createDataFrame(df))
        for name, df in (("ref", ref), ("same", same), ("drifted", drifted))
    }


def _assert_same(pandas_result, spark_result):
    assert [c.column for c in spark_result.columns] == [c.column for c in pandas_result.columns]
    for p, s in zip(pandas_result.columns, spark_result.columns):
        assert (s.test, s.type, s.role) == (p.test, p.type, p.role), p.column
        assert (s.n_reference, s.n_current) == (p.n_reference, p.n_current), p.column
        if p.test == "skipped":
            continue
        bound = s.error_bound
        if p.test == "wasserstein":
            # the grid sketch: within the bound it reports (0 when no cell mixes signs)
            assert abs(s.statistic - p.statistic) <= bound + 1e-9, (p.column, bound)
        else:  # exact in Spark: the same counts, the same arithmetic
            assert bound == 0.0, p.column
            assert math.isclose(s.statistic, p.statistic, rel_tol=1e-9, abs_tol=1e-12), p.column
            # a K-S column's effect size is its Wasserstein distance: the grid sketch's bound
            tol = 1e-3 if p.effect_measure == "wasserstein" else 1e-12
            assert math.isclose(s.effect_size, p.effect_size, rel_tol=1e-9, abs_tol=tol)
        if abs(p.statistic - p.threshold) > bound:
            assert s.drifted == p.drifted, p.column


def test_fitted_summary_equals_pandas(frames):
    pdf, sdf = frames["ref"]
    kw = {"target": "b", "id_columns": ["id"]}
    want = DriftCheck(**kw).fit(pdf).reference_
    got = DriftCheck(**kw).fit(sdf).reference_
    assert got.names == want.names
    for g, w in zip(got.columns, want.columns):
        assert (g.role, g.family.name, g.np_int, g.has_values, g.n_rows, g.all_unique) == (
            w.role,
            w.family.name,
            w.np_int,
            w.has_values,
            w.n_rows,
            w.all_unique,
        ), g.name
        if w.values is not None:
            np.testing.assert_array_equal(g.values, w.values)
        else:
            assert g.values is None
        if w.counts is not None:
            assert g.counts.sort_index().to_dict() == w.counts.sort_index().to_dict()


@pytest.mark.parametrize("window", ["drifted", "same"])
def test_run_matches_pandas(frames, window):
    ref_p, ref_s = frames["ref"]
    cur_p, cur_s = frames[window]
    want = DriftCheck(method=METHODS).run(ref_p, cur_p)
    got = DriftCheck(method=METHODS).run(ref_s, cur_s)
    _assert_same(want, got)
    tests = {c.column: c.test for c in got.columns}
    assert tests == {
        "w": "wasserstein",
        "ks": "ks",
        "psi": "psi",
        "js": "jensenshannon",
        "k": "jensenshannon",
        "c": "jensenshannon",
        "b": "jensenshannon",
        "id": "skipped",
    }
    assert got.dataset_drift is (window == "drifted")
    assert got.engine == "native"


def test_small_window_and_mixed_sides(frames, spark):
    """A pandas-fitted check runs on a small Spark window: values kept whole, scipy's exact K-S."""
    ref_p, _ = frames["ref"]
    small = _frame(3, shift=0.1, n=800)
    check = DriftCheck(method={"num": "ks"}, columns=["w", "ks", "c"]).fit(ref_p)
    want = check.run(small)
    got = check.run(spark.createDataFrame(small))
    _assert_same(want, got)
    assert [c.test for c in got.columns] == ["ks", "ks", "jensenshannon"]


def test_unsupported_spark_type_names_the_column(spark):
    df = spark.createDataFrame(
        [(float(i), [1, 2], {"a": 1}) for i in range(30)],
        "x double, arr array<int>, m map<string,int>",
    )
    with pytest.raises(InputError, match=r"column 'arr' in reference: got 'Spark type array<int>'"):
        DriftCheck().fit(df)
    # left out with columns=[...], the rest of the frame is tested
    result = DriftCheck(columns=["x"]).run(df, df)
    assert [(c.column, c.drifted) for c in result.columns] == [("x", False)]
    check = DriftCheck().fit(pd.DataFrame({"x": [1.0, 2.0], "m": [1.0, 2.0]}))
    with pytest.raises(
        InputError, match=r"column 'm' in current: got 'Spark type map<string,int>'"
    ):
        check.run(df.select("x", "m"))


def test_infinite_values_raise_on_the_driver(spark, frames):
    ref_p, _ = frames["ref"]
    bad = spark.createDataFrame(pd.DataFrame({"w": [1.0, np.inf, 2.0]}))
    with pytest.raises(InputError, match=r"column 'w'.*infinite"):
        DriftCheck(columns=["w"]).fit(ref_p).run(bad)


def test_missing_column_and_evidently_engine(spark, frames):
    ref_p, _ = frames["ref"]
    cur = spark.createDataFrame(pd.DataFrame({"w": [1.0, 2.0]}))
    with pytest.raises(ColumnError, match="Column 'ks' is missing from current"):
        DriftCheck(columns=["w", "ks"]).fit(ref_p).run(cur)
    with pytest.raises(InputError, match="Invalid engine: got 'evidently'"):
        DriftCheck(engine="evidently").run(ref_p, cur)
    with pytest.raises(InputError, match="Invalid engine: got 'evidently'"):
        DriftCheck(engine="evidently").fit(cur)  # a Spark reference too
