"""Bad input gives the same clear error, or the same documented result, in both engines."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from mlops_kit.errors import ColumnError, InputError
from mlops_kit.validation import DriftCheck

ENGINES = ["native", "evidently"]


def _frame(n=300, seed=0, **extra):
    rng = np.random.default_rng(seed)
    data = {
        "x": rng.normal(size=n),
        "c": np.array(["a", "b", "c"], dtype=object)[rng.integers(0, 3, n)],
    }
    data.update(extra)
    return pd.DataFrame(data)


def _run(engine, reference, current, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return DriftCheck(engine=engine, **kwargs).run(reference, current)


@pytest.mark.parametrize("engine", ENGINES)
def test_missing_column_names_the_column_and_side(engine):
    ref, cur = _frame(), _frame(seed=1)
    with pytest.raises(ColumnError, match=r"'c' is missing from current"):
        _run(engine, ref, cur.drop(columns=["c"]))
    with pytest.raises(ColumnError, match=r"'extra' is missing from reference"):
        _run(engine, ref, cur.assign(extra=1.0))
    with pytest.raises(ColumnError, match=r"'zzz' is missing from reference"):
        _run(engine, ref, cur, columns=["x", "zzz"])


@pytest.mark.parametrize("engine", ENGINES)
def test_numbers_arriving_as_strings_name_both_dtypes(engine):
    ref, cur = _frame(), _frame(seed=1)
    cur["x"] = cur["x"].map(lambda v: f"{v:.3f}")
    with pytest.raises(
        ColumnError,
        match=r"'x'.*numbers in reference \(dtype float64\).*"
        r"strings in current \(dtype object.*pd\.to_numeric",
    ):
        _run(engine, ref, cur)


@pytest.mark.parametrize("engine", ENGINES)
def test_all_missing_columns_are_skipped_with_a_reason(engine):
    ref = _frame(empty_cur=np.linspace(0, 1, 300), empty_ref=np.nan)
    cur = _frame(seed=1, empty_cur=np.nan, empty_ref=np.linspace(0, 1, 300))
    result = _run(engine, ref, cur)
    skipped = {c.column: c.note for c in result.skipped}
    assert skipped == {
        "empty_cur": "all values missing in current",
        "empty_ref": "all values missing in reference",
    }
    assert result.n_columns == 2  # x and c only: skipped columns do not count in the share
    data = result.to_dict()
    assert {c["column"] for c in data["columns"]} == {"x", "c"}
    assert {s["column"] for s in data["skipped"]} == {"empty_cur", "empty_ref"}
    assert "2 skipped" in result.summary()


@pytest.mark.parametrize("engine", ENGINES)
def test_constant_columns_are_tested_like_evidently(engine):
    ref = _frame(same=5.0, changed=1.0, label="k")
    cur = _frame(seed=1, same=5.0, changed=2.0, label="k")
    result = _run(engine, ref, cur)
    assert result["same"].test == "z" and result["same"].statistic == 1.0
    assert not result["same"].drifted and not result["label"].drifted
    assert result["changed"].drifted  # a constant that moved is drift
    big_ref, big_cur = _frame(2000, same=5.0), _frame(2000, seed=1, same=5.0)
    big = _run(engine, big_ref, big_cur)
    assert big["same"].test == "jensenshannon" and big["same"].statistic == 0.0


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("side", ["reference", "current"])
def test_infinities_are_rejected_with_the_column_named(engine, side):
    frames = {"reference": _frame(), "current": _frame(seed=1)}
    frames[side].loc[[3, 7], "x"] = [np.inf, -np.inf]
    with pytest.raises(InputError, match=rf"'x' in {side}: got 2 infinite"):
        _run(engine, frames["reference"], frames["current"])


@pytest.mark.parametrize("engine", ENGINES)
def test_empty_frames(engine):
    with pytest.raises(InputError, match=r"reference.*0 rows"):
        _run(engine, _frame().iloc[:0], _frame())
    with pytest.raises(InputError, match=r"current.*0 columns"):
        _run(engine, _frame(), pd.DataFrame(index=range(3)))
    with pytest.raises(InputError, match="DataFrame"):
        _run(engine, {"x": [1.0]}, _frame())


@pytest.mark.parametrize("engine", ENGINES)
def test_unseen_categories_are_their_own_bins(engine):
    ref = _frame()
    cur = _frame(seed=1)
    cur.loc[:39, "c"] = "brand-new"
    small = _run(engine, ref, cur)
    assert small["c"].test == "chisquare" and small["c"].statistic == 0.0 and small["c"].drifted
    big_ref, big_cur = _frame(3000), _frame(3000, seed=1)
    big_cur.loc[:299, "c"] = "brand-new"
    big = _run(engine, big_ref, big_cur)
    assert big["c"].test == "jensenshannon" and big["c"].drifted
    assert big["c"].statistic == pytest.approx(_run("native", big_ref, big_cur)["c"].statistic)


@pytest.mark.parametrize("engine", ENGINES)
def test_mixed_types_in_one_column(engine):
    ref = _frame()
    cur = _frame(seed=1)
    cur["c"] = cur["c"].astype(object)
    cur.loc[5, "c"] = 42
    with pytest.raises(ColumnError, match=r"'c' in current mixes value types \(int, str\)"):
        _run(engine, ref, cur)


@pytest.mark.parametrize("engine", ENGINES)
def test_duplicate_column_names(engine):
    ref = _frame()
    dup = pd.concat([ref, ref[["x"]]], axis=1)
    with pytest.raises(ColumnError, match=r"Duplicate column names in reference: \['x'\]"):
        _run(engine, dup, _frame(seed=1))
    with pytest.raises(ColumnError, match="Duplicate names in columns"):
        _run(engine, ref, _frame(seed=1), columns=["x", "x"])


@pytest.mark.parametrize("engine", ENGINES)
def test_text_and_datetime_columns_are_skipped(engine):
    n = 300
    ids = np.array([f"id-{i}" for i in range(n)], dtype=object)
    when = pd.date_range("2024-01-01", periods=n, freq="h")
    result = _run(engine, _frame(ident=ids, when=when), _frame(seed=1, ident=ids, when=when))
    notes = {c.column: c.note for c in result.skipped}
    assert "free text or IDs" in notes["ident"] and "unsupported dtype" in notes["when"]
    forced = _run(
        engine, _frame(ident=ids), _frame(seed=1, ident=ids), column_types={"ident": "cat"}
    )
    assert forced["ident"].test == "chisquare"


def test_nullable_and_object_numbers_are_numeric():
    ref = _frame(n=300)
    cur = _frame(seed=1)
    ref["x"] = ref["x"].astype(object)  # numbers held in an object column
    cur["x"] = cur["x"].astype("Float64")
    cur.loc[0, "x"] = pd.NA
    result = _run("native", ref, cur)
    assert result["x"].type == "num" and result["x"].n_current == 299


@pytest.mark.parametrize("batch_size", [2, 65_536], ids=["chunks", "one-batch"])
def test_streamed_files_that_fail_to_parse_give_the_standard_error(tmp_path, batch_size):
    ref = _frame()[["x"]]
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text('x\n1.0\n2.0\n3.0\n"4.0\n5.0\n')  # a quote never closed
    bad_parquet = tmp_path / "bad.parquet"
    bad_parquet.write_bytes(b"PAR1 not a parquet file PAR1")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"x,c\n" + "1.0,caf\xe9\n".encode("latin-1") * 5)
    for path in (bad_csv, bad_parquet, latin):
        with pytest.raises(InputError, match=r"Invalid current: .*Reading failed|Invalid current"):
            DriftCheck().fit(ref).run(path, batch_size=batch_size)
