"""Drift on current data larger than memory: one pass over chunks, bounded memory.

The reference stays in memory; the current data arrives as DataFrame chunks
(an iterable, or a Parquet/CSV file read batch by batch, see :mod:`.sources`).
Per column only a fixed-size summary is kept, and the same decision code as the
in-memory engine (:func:`.native.evaluate`) runs on it:

- categorical columns and numeric columns tested by value (chi-square, Z-test,
  Jensen-Shannon/PSI over few values): value counts, summed over chunks -
  **exact**; memory grows with the number of distinct values only;
- Jensen-Shannon/PSI of a numeric column: counts over the same Sturges bins
  Evidently builds from both sides together - **exact** (the bins depend on the
  current range and size, so these columns are read twice; a one-shot iterator
  is spooled to a temporary Parquet file for that);
- K-S and Wasserstein: a reference-derived grid sketch (:mod:`.grid`): K-S is
  **exact** when the reference has at most 32 768 distinct values, Wasserstein
  carries a stated ``error_bound`` (reported per column); with at most 10 000
  current rows the values are kept and both are exact.

Column typing follows the in-memory rules on the *whole* current data (an
integer column is categorical when all of current has at most 10 distinct
values), so streamed and in-memory runs type columns alike.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> ref = pd.DataFrame({"x": rng.normal(size=2000)})
>>> chunks = [pd.DataFrame({"x": rng.normal(size=1000)}) for _ in range(3)]
>>> [c.test for c in run_stream(ref, chunks)]
['wasserstein']
"""

from __future__ import annotations

import numpy as np

from mlops_kit.errors import ColumnError, InputError
from mlops_kit.validation.drift import stattests as st
from mlops_kit.validation.drift.grid import DEFAULT_MAX_CELLS, GridSketch
from mlops_kit.validation.drift.methods import lookup
from mlops_kit.validation.drift.native import (
    BIN_BY_VALUE_MAX,
    CatStats,
    NumStats,
    _align,
    evaluate,
    skipped_column,
)
from mlops_kit.validation.drift.sources import Spool, check_chunk, open_source
from mlops_kit.validation.drift.validate import (
    INTEGER_CARDINALITY_LIMIT,
    Family,
    check_column_types,
    check_compatible,
    check_finite,
    check_frame,
    decide,
    family_of,
    pick_columns,
    to_float,
)

__all__ = ["run_stream"]


class _Column:
    """What is accumulated for one column over the chunks."""

    def __init__(self, name, ref_series, forced, method, max_cells):
        self.name, self.forced = name, forced
        self.ref_series = ref_series
        self.fam_ref = family_of(ref_series, name, "reference")
        self.fam_cur = None
        self.all_int = True
        self.n = 0
        self.numeric = self.fam_ref.name == "numeric" and forced != "cat"
        self.active = self.fam_ref.name in ("numeric", "string", "bool")
        self.counts = None  # categorical value counts (pandas Series)
        self.sturges = False
        if self.fam_ref.name == "numeric":
            check_finite(name, "reference", to_float(ref_series))
        if self.numeric:
            ref = self.ref_sorted()
            self.active = ref.size > 0
            if not self.active:
                return
            self.n_ref_values = int(np.count_nonzero(ref[1:] != ref[:-1])) + 1
            self.ref_values = self.ref_counts = None
            if self.n_ref_values <= BIN_BY_VALUE_MAX:
                self.ref_values, self.ref_counts = st.distinct_counts(ref)
            wanted = lookup(method, name, "num") in ("jensenshannon", "psi")
            by_value = wanted and self.n_ref_values <= BIN_BY_VALUE_MAX
            self.cap = None if by_value else INTEGER_CARDINALITY_LIMIT
            self.sturges = wanted and not by_value
            self.sketch = GridSketch(ref, max_cells)
            self.ref_sketch = self.sketch.empty_like()  # exact: the whole reference
            self.ref_sketch.add(ref, presorted=True)
            self.ref_std = max(float(np.std(ref)), 0.001)
            self.ref_min, self.ref_max = ref[0], ref[-1]
            self.keys = np.empty(0)
            self.key_counts = np.zeros(0, dtype=np.int64)
            self.buffer = []
            self.lo, self.hi = np.inf, -np.inf

    def ref_sorted(self) -> np.ndarray:
        """The reference values, sorted (rebuilt when needed rather than held)."""
        values = to_float(self.ref_series)
        values = values[~np.isnan(values)]
        values.sort()
        return values

    def add(self, series, where: str) -> None:
        fam = family_of(series, self.name, where)
        if fam.name != "empty":
            if self.fam_cur is None:
                check_compatible(self.name, self.fam_ref, fam)
                self.fam_cur = fam
                if fam.categorical_dtype and self.numeric and self.keys is not None:
                    self.cap = None  # a categorical current is tested by value: count them all
            elif fam.name != self.fam_cur.name:
                raise ColumnError(
                    f"Column {self.name!r} changes kind in {where}: dtype {fam.dtype} there, "
                    f"{self.fam_cur.dtype} in earlier chunks."
                )
        dtype = series.dtype
        self.all_int &= isinstance(dtype, np.dtype) and dtype.kind in "iu"
        if not self.active:
            self.n += int(series.count())
            return
        if not self.numeric:
            vc = CatStats.counts(series)
            self.counts = vc if self.counts is None else self.counts.add(vc, fill_value=0)
            self.n += int(vc.sum())
            return
        values = to_float(series)
        check_finite(self.name, where, values)
        values = values[~np.isnan(values)]
        if values.size == 0:
            return
        self.n += values.size
        self.lo, self.hi = min(self.lo, values.min()), max(self.hi, values.max())
        self.sketch.add(values)
        if self.keys is not None:
            keys, counts = np.unique(values, return_counts=True)
            self.keys, self.key_counts, more = _align(self.keys, self.key_counts, keys, counts)
            self.key_counts = self.key_counts + more
            if self.cap is not None and self.keys.size > self.cap:
                self.keys = None
        if self.buffer is not None:
            self.buffer.append(values)
            if self.n > st.KS_EXACT_MAX_N:
                self.buffer = None

    def spec(self):
        fam_cur = self.fam_cur or Family("empty", "empty")
        if self.numeric:
            dtype = np.dtype("int64") if self.all_int else np.dtype("float64")
            distinct = self.keys.size if self.keys is not None else INTEGER_CARDINALITY_LIMIT + 1
        else:
            dtype = np.dtype(object)
            distinct = 0 if self.counts is None else int((self.counts > 0).sum())
        ref_has = self.active if self.numeric else bool(self.ref_series.count())
        spec = decide(
            self.name,
            self.fam_ref,
            fam_cur,
            dtype,
            self.forced,
            ref_has,
            self.n > 0,
            lambda: (distinct, self.n),
        )
        ref_dtype = self.ref_series.dtype
        spec.is_int = self.all_int and isinstance(ref_dtype, np.dtype) and ref_dtype.kind in "iu"
        return spec

    def stats(self, kind: str, is_int: bool):
        if kind == "num":
            if self.buffer is not None:  # small current data: kept whole, everything exact
                cur = np.sort(np.concatenate(self.buffer))
                return NumStats(self.ref_sorted(), cur, is_int)
            return _StreamNumStats(self, is_int)
        if self.numeric:  # an integer column typed categorical: its counts are complete
            import pandas as pd

            cur = pd.Series(self.key_counts, index=self.keys)
        else:
            cur = self.counts.astype(np.int64)
        return CatStats(CatStats.counts(self.ref_series), cur)


class _StreamNumStats:
    """The :class:`~.native.NumStats` interface over a streamed column's summary."""

    def __init__(self, col: _Column, is_int: bool):
        self.col = col
        self.is_int = is_int
        self.n_ref, self.n_cur = col.ref_sketch.n, col.n
        self.n_ref_distinct = col.n_ref_values
        self.ks_error = self.w_error = 0.0
        self.ref_hist = self.cur_hist = None

    def n_values(self) -> int:
        if self.n_ref_distinct > 5:
            return int(self.n_ref_distinct)
        if self.col.keys is None:
            return INTEGER_CARDINALITY_LIMIT + 1
        return int(np.union1d(self.col.ref_values, self.col.keys).size)

    def value_counts(self):
        col = self.col
        return _align(col.ref_values, col.ref_counts, col.keys, col.key_counts)

    def ks(self):
        p, d, self.ks_error = self.col.sketch.ks(self.col.ref_sketch)
        return p, d

    def wasserstein(self) -> float:
        w, bound = self.col.sketch.wasserstein(self.col.ref_sketch)
        self.w_error = bound / self.col.ref_std
        return w / self.col.ref_std

    def histograms(self):
        return self.ref_hist, self.cur_hist


def _second_pass(source, columns, spool, batch_size) -> None:
    """Histogram the Sturges columns over their final bins (re-read or spooled data).

    ``columns`` holds ``(position in the spool, column, stats)`` triples.
    """
    edges = []
    for _, col, stats in columns:
        lo, hi = min(col.ref_min, col.lo), max(col.ref_max, col.hi)
        edges.append(st.sturges_edges(lo, hi, stats.n_ref + stats.n_cur, stats.is_int))
        stats.ref_hist = np.histogram(col.ref_sorted(), edges[-1])[0]
        stats.cur_hist = np.zeros(edges[-1].size - 1, dtype=np.int64)
    if spool is not None:
        batches = ([arrays[i] for i, _, _ in columns] for arrays in spool.read(batch_size))
    else:
        names = [col.name for _, col, _ in columns]
        batches = ([to_float(chunk[n]) for n in names] for chunk in source.chunks(names))
    for arrays in batches:
        for (_, _, stats), edge, values in zip(columns, edges, arrays):
            values = values[~np.isnan(values)]
            stats.cur_hist += np.histogram(values, edge)[0]


def run_stream(
    reference,
    current,
    columns=None,
    column_types=None,
    method="auto",
    threshold=None,
    negligible_effect=0.1,
    batch_size=65_536,
    max_cells=DEFAULT_MAX_CELLS,
):
    """Evaluate every column with ``current`` streamed in chunks; return ColumnDrift rows."""
    check_frame(reference, "reference")
    source = open_source(current, batch_size)
    names = pick_columns(reference.columns, source.columns, columns)
    types = check_column_types(column_types, names)
    cols = [_Column(n, reference[n], types.get(n), method, max_cells) for n in names]
    sturges = [c for c in cols if c.sturges]
    spool = Spool([c.name for c in sturges]) if sturges and not source.reiterable else None
    try:
        rows = 0
        for i, chunk in enumerate(source.chunks(names)):
            check_chunk(chunk, i)
            missing = [n for n in names if n not in chunk.columns]
            if missing:
                raise ColumnError(f"Column {missing[0]!r} is missing from current (chunk {i}).")
            rows += len(chunk)
            for col in cols:
                col.add(chunk[col.name], f"current (chunk {i})")
            if spool is not None:
                spool.write([to_float(chunk[c.name]) for c in sturges])
        if rows == 0:
            raise InputError.invalid("current", "chunks with 0 rows in total", "at least one row")
        specs = {c.name: c.spec() for c in cols}
        stats = {}  # built early only for the columns that need a second pass
        for c in sturges:
            spec = specs[c.name]
            if spec.kind is not None:
                stats[c.name] = c.stats(spec.kind, spec.is_int)
        second = [
            (i, c, stats[c.name])
            for i, c in enumerate(sturges)
            if isinstance(stats.get(c.name), _StreamNumStats)
        ]
        if second:
            _second_pass(source, second, spool, batch_size)
    finally:
        if spool is not None:
            spool.close()
    out = []
    for col in cols:
        spec = specs[col.name]
        if spec.kind is None:
            out.append(skipped_column(spec))
            continue
        col_stats = stats.pop(col.name, None) or col.stats(spec.kind, spec.is_int)
        out.append(evaluate(col.name, spec.kind, col_stats, method, threshold, negligible_effect))
    return out
