"""Streamed current data (chunks, generators, Parquet, CSV) against the in-memory result."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from mlops_kit.errors import ColumnError, InputError
from mlops_kit.validation import DriftCheck


def _run(reference, current, **kwargs):
    run_kw = {k: kwargs.pop(k) for k in ("batch_size",) if k in kwargs}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return DriftCheck(**kwargs).run(reference, current, **run_kw)


def _chunks(frame, size):
    return [frame.iloc[i : i + size] for i in range(0, len(frame), size)]


def assert_matches_in_memory(in_memory, streamed, exact_tests=True):
    assert [c.column for c in streamed.columns] == [c.column for c in in_memory.columns]
    for a, b in zip(in_memory.columns, streamed.columns):
        assert (b.test, b.type, b.drifted) == (a.test, a.type, a.drifted), a.column
        assert (b.n_reference, b.n_current) == (a.n_reference, a.n_current), a.column
        if a.test == "wasserstein":
            # the stated bound holds (and is tiny); midpoint estimates are usually closer
            assert abs(b.statistic - a.statistic) <= b.error_bound + 1e-12, a.column
            assert b.error_bound < 1e-4, a.column
        elif exact_tests:
            assert b.statistic == pytest.approx(a.statistic, rel=1e-12, abs=1e-300), a.column
            assert b.error_bound == 0.0, a.column
    assert streamed.n_drifted == in_memory.n_drifted


@pytest.mark.parametrize(
    ("n_ref", "kwargs"),
    [(800, {}), (3000, {}), (3000, {"method": "psi"}), (1500, {"method": {"num": "ks"}})],
    ids=["small-ref", "large-ref", "psi", "ks"],
)
def test_chunks_match_in_memory(make_drift_frame, n_ref, kwargs):
    reference = make_drift_frame(n_ref, 1)
    current = make_drift_frame(24_000, 2, drift=0.2)
    expected = _run(reference, current, **dict(kwargs))
    assert_matches_in_memory(expected, _run(reference, _chunks(current, 5000), **dict(kwargs)))
    generator = (part for part in _chunks(current, 7000))  # one-shot: spooled when needed
    assert_matches_in_memory(expected, _run(reference, generator, **dict(kwargs)))


def test_parquet_and_csv_files_are_read_in_batches(make_drift_frame, tmp_path):
    reference = make_drift_frame(2000, 3)
    current = make_drift_frame(15_000, 4, drift=0.5)
    parquet, csv = tmp_path / "current.parquet", tmp_path / "current.csv"
    current.to_parquet(parquet, row_group_size=4000)
    current.to_csv(csv, index=False)
    expected = _run(reference, current)
    assert_matches_in_memory(expected, _run(reference, parquet, batch_size=3000))
    # CSV re-parses numbers from text: statistics agree to float precision
    from_csv = _run(reference, str(csv), batch_size=3000)
    assert_matches_in_memory(expected, from_csv, exact_tests=False)
    # psi on numeric columns needs the current range first: the file is read twice
    assert_matches_in_memory(
        _run(reference, current, method="psi"),
        _run(reference, parquet, method="psi", batch_size=2500),
    )


def test_small_current_is_kept_whole_and_exact(make_drift_frame):
    reference = make_drift_frame(20_000, 5)
    current = make_drift_frame(6000, 6, drift=0.1)  # <= 10 000 rows: kept whole
    expected = _run(reference, current)
    streamed = _run(reference, _chunks(current, 1000))
    for a, b in zip(expected.columns, streamed.columns):
        assert b.statistic == pytest.approx(a.statistic, rel=1e-12), a.column
        assert b.error_bound == 0.0


def test_integer_column_is_typed_on_all_chunks_together():
    rng = np.random.default_rng(7)
    reference = pd.DataFrame({"code": rng.integers(0, 8, 3000)})
    # each chunk has few values, all chunks together more than 10: numeric, as in memory
    parts = [pd.DataFrame({"code": rng.integers(3 * i, 3 * i + 3, 4000)}) for i in range(5)]
    streamed = _run(reference, parts)
    in_memory = _run(reference, pd.concat(parts, ignore_index=True))
    assert streamed["code"].type == in_memory["code"].type == "num"
    few = [pd.DataFrame({"code": rng.integers(0, 8, 4000)}) for _ in range(3)]
    assert _run(reference, few)["code"].type == "cat"


def test_errors_inside_the_stream_name_the_chunk(make_drift_frame):
    reference = make_drift_frame(500, 8)
    good = make_drift_frame(500, 9)
    missing = good.drop(columns=["color"])
    with pytest.raises(ColumnError, match=r"'color'.*chunk 1"):
        _run(reference, [good, missing])
    infinite = good.copy()
    infinite.loc[3, "num_same"] = np.inf
    with pytest.raises(InputError, match=r"'num_same'.*chunk 2.*infinite"):
        _run(reference, iter([good, good, infinite]))
    strings = good.copy()
    strings["num_shift"] = strings["num_shift"].astype(str)
    with pytest.raises(ColumnError, match="num_shift"):
        _run(reference, [good, strings])
    with pytest.raises(InputError, match="at least one DataFrame chunk"):
        _run(reference, iter([]))
    with pytest.raises(InputError, match="0 rows"):
        _run(reference, [good.iloc[:0]])
    with pytest.raises(InputError, match="chunk 1"):
        _run(reference, [good, "not a frame"])


def test_missing_file_and_unknown_format(tmp_path, make_drift_frame):
    reference = make_drift_frame(100, 1)
    with pytest.raises(InputError, match="that exists"):
        _run(reference, tmp_path / "nope.parquet")
    other = tmp_path / "data.txt"
    other.write_text("x\n1\n")
    with pytest.raises(InputError, match="Parquet"):
        _run(reference, other)
    broken = tmp_path / "broken.parquet"
    broken.write_text("not parquet")
    with pytest.raises(InputError, match=r"broken\.parquet"):
        _run(reference, broken)


def test_evidently_engine_refuses_a_stream(make_drift_frame):
    reference = make_drift_frame(100, 1)
    with pytest.raises(InputError, match="engine='native'"):
        _run(reference, iter([reference]), engine="evidently")


def test_categorical_dtype_numbers_in_current():
    rng = np.random.default_rng(8)
    reference = pd.DataFrame({"grade": rng.integers(0, 30, 3000).astype(float)})
    current = pd.DataFrame({"grade": pd.Categorical(rng.integers(0, 30, 20_000).astype(float))})
    in_memory = _run(reference, current)
    streamed = _run(reference, _chunks(current, 4000))
    assert in_memory["grade"].type == streamed["grade"].type == "cat"
    assert streamed["grade"].statistic == pytest.approx(in_memory["grade"].statistic, rel=1e-12)


def test_streamed_ks_is_exact_where_the_grid_bracket_straddles_the_threshold():
    """More distinct reference values than grid points: the grid only brackets the p-value.

    With a coarse grid (256 cells) the bracket below straddles 0.05 and its upper end
    says "no drift" although the exact p-value is below 0.05. The streamed engine
    counts current values at every distinct reference value for K-S columns instead,
    so its p-value and verdict are the in-memory ones, bit for bit.
    """
    from scipy import stats

    from mlops_kit.validation.drift.chunked import run_stream
    from mlops_kit.validation.drift.grid import GridSketch
    from mlops_kit.validation.drift.reference import ReferenceSummary

    ref = np.random.default_rng(0).normal(size=40_000)
    cur = np.random.default_rng(1).normal(0.032, 1, size=20_000)
    exact = stats.ks_2samp(ref, cur).pvalue
    sketch = GridSketch(np.sort(ref), max_cells=256)
    ref_sketch = sketch.empty_like()
    ref_sketch.add(np.sort(ref), presorted=True)
    sketch.add(cur)
    upper, _, width = sketch.ks(ref_sketch)
    assert not sketch.exact_ks and upper - width < exact < 0.05 < upper  # the straddling case

    summary = ReferenceSummary.from_frame(pd.DataFrame({"x": ref}))
    chunks = [pd.DataFrame({"x": cur[i : i + 4096]}) for i in range(0, cur.size, 4096)]
    (streamed,) = run_stream(summary, chunks, method="ks", max_cells=256)
    in_memory = DriftCheck(method="ks").run(pd.DataFrame({"x": ref}), pd.DataFrame({"x": cur}))
    assert streamed.error_bound == 0.0 and streamed.drifted
    assert streamed.statistic == in_memory["x"].statistic == pytest.approx(exact, rel=1e-9)
