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
- K-S: **exact**, always. Up to ``max_cells / 2`` (32 768) distinct reference
  values every one of them is a point of the grid sketch (:mod:`.grid`), which
  then gives scipy's statistic bit for bit; beyond that, a column tested with
  K-S also counts the current values at every distinct reference value (one
  integer per distinct reference value: never more memory than the reference
  itself), which gives the exact statistic in the same single pass. (The
  automatic choice uses K-S only for references of at most 1000 rows.)
  With at most 10 000 current rows the values are kept and scipy's exact
  test is run, as in memory.
- Wasserstein (normed): the grid sketch, **bounded**: ``error_bound`` (per
  column) bounds the error of the statistic; the verdict can differ from the
  in-memory one only when the statistic is within ``error_bound`` of the
  threshold, and the column's note then says so. With at most 10 000 current
  rows it is exact.
- identifier candidates (integer columns all distinct in the reference) keep
  their distinct current values until the column turns out not to be integer,
  to apply the same 95% rule as in memory.

A *sketched* reference column (a Spark fit above ``max_reference_values``,
:mod:`.ref_sketch`) brings its own grid and the reference's exact counts on it:
Wasserstein keeps the grid's ``error_bound``; K-S uses the grid (``error_bound``
is then the p-value's bound); Jensen-Shannon/PSI over Sturges bins take the
reference histogram from the grid counts, with the bound of the cells the edges
cut; small current data is not kept whole (no reference values to compare it with).

Column typing follows the in-memory rules on the *whole* current data (an
integer column is categorical when all of current has at most 10 distinct
values), so streamed and in-memory runs type columns alike.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> ref = pd.DataFrame({"x": rng.normal(size=2000)})
>>> chunks = [pd.DataFrame({"x": rng.normal(size=1000)}) for _ in range(3)]
>>> from mlops_kit.validation.drift.reference import ReferenceSummary
>>> [c.test for c in run_stream(ReferenceSummary.from_frame(ref), chunks)]
['wasserstein']
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from mlops_kit.errors import ColumnError, InputError
from mlops_kit.validation.drift import stattests as st
from mlops_kit.validation.drift.columns import (
    INTEGER_CARDINALITY_LIMIT,
    ColumnSpec,
    Family,
    check_column_types,
    check_compatible,
    check_finite,
    decide,
    family_of,
    is_integer_dtype,
    pick_columns,
    to_float,
)
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
from mlops_kit.validation.drift.reference import ID_UNIQUE_SHARE
from mlops_kit.validation.drift.sources import Spool, check_chunk, open_source

__all__ = ["run_stream"]


class _Column:
    """What is accumulated for one column over the chunks."""

    def __init__(self, ref, forced, method, max_cells):
        self.ref = ref
        self.name, self.forced = ref.name, forced
        self.fam_ref = ref.family
        self.fam_cur = None
        self.all_int = True
        self.n = 0
        self.numeric = self.fam_ref.name == "numeric" and forced != "cat"
        self.active = self.fam_ref.name in ("numeric", "string", "bool") and ref.role != "id"
        self.counts = None  # categorical value counts (pandas Series)
        self.sturges = False
        self.exact_ks = None  # counts at every distinct reference value (K-S beyond the grid)
        # identifier candidates keep their distinct current values (see current_specs)
        self.distinct = np.empty(0) if ref.all_unique and ref.role == "feature" else None
        self.n_id = 0
        self.keys = self.buffer = None
        if self.numeric and self.active:
            self.active = (ref.values.size if ref.sketch is None else ref.sketch.n) > 0
            if not self.active:
                return
            self.ref_values = self.ref_counts = None
            if ref.sketch is not None:  # a sketched reference: its grid and exact grid counts
                self._init_sketched(ref.sketch)
            else:
                self._init_values(ref, max_cells)
            wanted = lookup(method, self.name, "num")
            by_value = wanted in ("jensenshannon", "psi") and self.n_ref_values <= BIN_BY_VALUE_MAX
            self.cap = None if by_value else INTEGER_CARDINALITY_LIMIT
            self.sturges = wanted in ("jensenshannon", "psi") and not by_value
            if wanted == "ks" and not self.sketch.exact_ks and ref.sketch is None:
                self.exact_ks = np.zeros(self.n_ref_values + 1, dtype=np.int64)
                self.exact_ks_eq = np.zeros(self.n_ref_values, dtype=np.int64)
            self.keys = np.empty(0)
            self.key_counts = np.zeros(0, dtype=np.int64)
            # small current data is kept whole (exact statistics), unless the reference is a sketch
            self.buffer = [] if ref.sketch is None else None
            self.lo, self.hi = np.inf, -np.inf

    def _init_values(self, ref, max_cells) -> None:
        ref_values = ref.values
        self.n_ref_values = int(ref.distinct()[0].size)
        if self.n_ref_values <= BIN_BY_VALUE_MAX:
            self.ref_values, self.ref_counts = ref.distinct()
        self.sketch = GridSketch(ref_values, max_cells)
        self.ref_sketch = self.sketch.empty_like()  # exact: the whole reference
        self.ref_sketch.add(ref_values, presorted=True)
        self.ref_std = max(ref.std(), 0.001)
        self.ref_min, self.ref_max = ref_values[0], ref_values[-1]

    def _init_sketched(self, sk) -> None:
        self.n_ref_values = sk.n_distinct
        self.ref_sketch = sk.grid_sketch()  # exact counts of the whole reference on its grid
        self.sketch = self.ref_sketch.empty_like()
        self.ref_std = max(sk.std, 0.001)
        self.ref_min, self.ref_max = sk.lo, sk.hi

    def ref_sorted(self) -> np.ndarray:
        """The reference values, sorted (held by the fitted summary)."""
        return self.ref.values

    def ref_hist(self, stats, edges) -> None:
        """Set ``stats.ref_hist`` on ``edges``: exact from values, bounded from a sketch."""
        if self.ref.sketch is None:
            stats.ref_hist = np.histogram(self.ref.values, edges)[0]
            return
        stats.ref_low, stats.ref_hist, stats.ref_high = self.ref.sketch.histogram(edges)

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
        if self.distinct is not None:  # memory: the distinct values of an identifier
            if is_integer_dtype(dtype):
                ints = series.dropna().to_numpy(dtype=np.float64)
                self.distinct = np.union1d(self.distinct, ints)
                self.n_id += ints.size
            else:
                self.distinct = None
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
        if self.exact_ks is not None:
            ref_distinct = self.ref.distinct()[0]
            self.exact_ks += np.bincount(
                np.searchsorted(ref_distinct, values, side="right"),
                minlength=self.exact_ks.size,
            )
            pos = np.searchsorted(ref_distinct, values, side="left")
            hit = pos < ref_distinct.size
            hit[hit] = ref_distinct[pos[hit]] == values[hit]
            self.exact_ks_eq += np.bincount(pos[hit], minlength=ref_distinct.size)
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
        if self.ref.role == "id":
            return ColumnSpec(self.name, None, "identifier (declared in id_columns)", role="id")
        fam_cur = self.fam_cur or Family("empty", "empty")
        if self.numeric:
            dtype = np.dtype("int64") if self.all_int else np.dtype("float64")
            distinct = self.keys.size if self.keys is not None else INTEGER_CARDINALITY_LIMIT + 1
        else:
            dtype = np.dtype(object)
            distinct = 0 if self.counts is None else int((self.counts > 0).sum())
        ref_has = self.active if self.numeric else self.ref.has_values
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
        spec.role = self.ref.role
        spec.is_int = self.all_int and self.ref.np_int
        n_id = self.n_id
        if (
            spec.kind == "num"
            and self.forced is None
            and self.distinct is not None
            and n_id
            and self.distinct.size >= ID_UNIQUE_SHARE * n_id
        ):
            spec = ColumnSpec(
                self.name,
                None,
                f"identifier: integers all distinct in reference ({self.ref.n_rows} rows) and "
                f"{self.distinct.size / n_id:.0%} distinct in current; pass "
                f"column_types={{{self.name!r}: 'num'}} to test it",
                role="id",
            )
        return spec

    def stats(self, kind: str, is_int: bool):
        if kind == "num":
            if self.buffer is not None:  # small current data: kept whole, everything exact
                cur = np.sort(np.concatenate(self.buffer))
                ref = self.ref
                return NumStats(ref.values, cur, is_int, ref.distinct(), ref.std())
            return _StreamNumStats(self, is_int)
        if self.numeric:  # an integer column typed categorical: its counts are complete
            import pandas as pd

            cur = pd.Series(self.key_counts, index=self.keys)
        else:
            cur = self.counts.astype(np.int64)
        return CatStats(self.ref.value_counts(), cur)


class _StreamNumStats:
    """The :class:`~.native.NumStats` interface over a streamed column's summary."""

    def __init__(self, col: _Column, is_int: bool):
        self.col = col
        self.is_int = is_int
        self.n_ref, self.n_cur = col.ref_sketch.n, col.n
        self.n_ref_distinct = col.n_ref_values
        self.ks_error = self.w_error = 0.0
        self.ref_hist = self.cur_hist = None
        self.ref_low = self.ref_high = None  # bounds of ref_hist (sketched reference)

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
        col = self.col
        if col.exact_ks is None:  # every distinct reference value is a grid point: exact
            p, d, self.ks_error = col.sketch.ks(col.ref_sketch)
            return p, d
        # counts of current values <= / < each distinct reference value: the exact statistic
        cur_le = np.cumsum(col.exact_ks)[:-1]
        cur_lt = cur_le - col.exact_ks_eq
        ref_counts = col.ref.distinct()[1]
        d = st.ks_d_from_counts(np.cumsum(ref_counts), cur_le, cur_lt, self.n_ref, self.n_cur)
        self.ks_error = 0.0
        return st.ks_pvalue(d, self.n_ref, self.n_cur), d

    def wasserstein(self) -> float:
        w, bound = self.col.sketch.wasserstein(self.col.ref_sketch)
        self.w_error = bound / self.col.ref_std
        return w / self.col.ref_std

    def histograms(self):
        return self.ref_hist, self.cur_hist

    def hist_error(self, test: str, statistic: float) -> float:
        """Bound on a binned statistic from the reference histogram's bounds (0 when exact)."""
        if self.ref_low is None:
            return 0.0
        from mlops_kit.validation.drift.ref_sketch import binned_bound

        return binned_bound(test, statistic, self.ref_low, self.ref_high, self.cur_hist, self.n_ref)


def _second_pass(source, columns, spool, batch_size) -> None:
    """Histogram the Sturges columns over their final bins (re-read or spooled data).

    ``columns`` holds ``(position in the spool, column, stats)`` triples.
    """
    edges = []
    for _, col, stats in columns:
        lo, hi = min(col.ref_min, col.lo), max(col.ref_max, col.hi)
        edges.append(st.sturges_edges(lo, hi, stats.n_ref + stats.n_cur, stats.is_int))
        col.ref_hist(stats, edges[-1])
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
    summary,
    current,
    column_types=None,
    method="auto",
    threshold=None,
    negligible_effect=0.1,
    batch_size=65_536,
    max_cells=DEFAULT_MAX_CELLS,
):
    """Evaluate every column of streamed ``current`` against a fitted reference summary."""
    source = open_source(current, batch_size)
    explicit = summary.names if summary.explicit_columns else None
    names = pick_columns(summary.names, source.columns, explicit)
    types = check_column_types(column_types, names)
    cols = [_Column(summary[n], types.get(n), method, max_cells) for n in names]
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
    return evaluate_columns(cols, specs, stats, method, threshold, negligible_effect)


def evaluate_columns(cols, specs, stats, method, threshold, negligible_effect) -> list:
    """One result row per streamed column: its test on the gathered statistics, or why not.

    ``stats`` holds statistics finished apart (a second pass), keyed by column name;
    the others come from each column's own state.
    """
    out = []
    for col in cols:
        spec = specs[col.name]
        if spec.kind is None:
            out.append(skipped_column(spec))
            continue
        col_stats = stats.pop(col.name, None) or col.stats(spec.kind, spec.is_int)
        row = evaluate(col.name, spec.kind, col_stats, method, threshold, negligible_effect)
        out.append(row if spec.role == "feature" else replace(row, role=spec.role))
    return out
