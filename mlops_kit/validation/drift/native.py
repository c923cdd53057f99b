"""The native engine: per-column statistics with numpy, decided as Evidently 0.7 does.

A column's data is first reduced to sufficient statistics (sorted values for
numeric columns, value counts for categorical ones); :func:`evaluate` then
chooses the method (see :mod:`.methods`) and computes the statistic, verdict
and effect size. The streamed engine (:mod:`.chunked`) feeds :func:`evaluate`
with the same interface built from accumulated counts.

Missing values are dropped per column before anything else, as Evidently
does; the automatic method choice uses the row counts left after that.

Examples
--------
>>> import numpy as np, pandas as pd
>>> ref = pd.Series(np.arange(100.0))
>>> stats = NumStats.from_series(ref, ref + 50, is_int=False)
>>> col = evaluate("x", "num", stats, method="auto", threshold=None)
>>> col.test, col.drifted
('ks', True)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from mlops_kit.errors import InputError
from mlops_kit.validation.drift import stattests as st
from mlops_kit.validation.drift.families import to_float
from mlops_kit.validation.drift.methods import (
    METHODS,
    auto_method,
    resolve_method,
    resolve_threshold,
)
from mlops_kit.validation.drift.result import ColumnDrift

__all__ = [
    "CatStats",
    "NumStats",
    "column_stats",
    "evaluate",
    "large_sample_note",
    "skipped_column",
]

#: reference columns with at most this many distinct values are binned by value (Evidently)
BIN_BY_VALUE_MAX = 20


class NumStats:
    """A numeric column held in memory: both sides sorted, missing values dropped."""

    ks_error = 0.0  # exact statistics: no error (streamed stats may set bounds)
    w_error = 0.0

    def __init__(self, ref_sorted, cur_sorted, is_int: bool, ref_distinct=None, ref_std=None):
        self.ref = ref_sorted
        self.cur = cur_sorted
        self.is_int = is_int
        self.n_ref, self.n_cur = ref_sorted.size, cur_sorted.size
        if ref_distinct is None:
            ref_distinct = st.distinct_counts(ref_sorted)
        self.ref_values, self.ref_counts = ref_distinct
        self.ref_std = ref_std
        self.n_ref_distinct = self.ref_values.size
        self._cur_distinct = None

    @classmethod
    def from_series(cls, ref, cur, is_int: bool) -> NumStats:
        out = []
        for s in (ref, cur):
            values = to_float(s)
            values = values[~np.isnan(values)]
            values.sort()
            out.append(values)
        return cls(out[0], out[1], is_int)

    def cur_distinct(self):
        if self._cur_distinct is None:
            self._cur_distinct = st.distinct_counts(self.cur)
        return self._cur_distinct

    def n_values(self) -> int:
        """Distinct values of both sides together (exact up to 6; ">5" is all that matters)."""
        if self.ref_values.size > 5:
            return int(self.ref_values.size)
        cur_values = self.cur_distinct()[0]
        return int(np.union1d(self.ref_values, cur_values).size)

    def value_counts(self):
        """``(keys, ref_counts, cur_counts)`` over the distinct values of both sides."""
        cur_values, cur_counts = self.cur_distinct()
        return _align(self.ref_values, self.ref_counts, cur_values, cur_counts)

    def ks(self) -> tuple[float, float]:
        """``(p_value, d)`` of the two-sample K-S test."""
        d = st.ks_d_from_counts(
            np.cumsum(self.ref_counts),
            np.searchsorted(self.cur, self.ref_values, side="right"),
            np.searchsorted(self.cur, self.ref_values, side="left"),
            self.n_ref,
            self.n_cur,
        )
        return st.ks_pvalue(d, self.n_ref, self.n_cur, self.ref, self.cur), d

    def wasserstein(self) -> float:
        return st.wasserstein_norm(self.ref, self.cur, self.ref_std)

    def histograms(self):
        """Reference and current counts over Sturges bins of both sides together."""
        lo, hi = min(self.ref[0], self.cur[0]), max(self.ref[-1], self.cur[-1])
        edges = st.sturges_edges(lo, hi, self.n_ref + self.n_cur, self.is_int)
        return np.histogram(self.ref, edges)[0], np.histogram(self.cur, edges)[0]


class CatStats:
    """A categorical column as value counts (pandas Series, index = value)."""

    def __init__(self, ref_counts, cur_counts):
        self.ref_vc = ref_counts[ref_counts > 0]
        self.cur_vc = cur_counts[cur_counts > 0]
        self.n_ref, self.n_cur = int(self.ref_vc.sum()), int(self.cur_vc.sum())

    @staticmethod
    def counts(series):
        """Value counts of a column, missing values dropped, categories as plain values."""
        import pandas as pd

        vc = series.value_counts(dropna=True, sort=False)
        if isinstance(vc.index, pd.CategoricalIndex):
            vc.index = pd.Index(vc.index.astype(vc.index.categories.dtype))
        return vc

    @classmethod
    def from_series(cls, ref, cur, cur_counts=None) -> CatStats:
        return cls(cls.counts(ref), cls.counts(cur) if cur_counts is None else cur_counts)

    def value_counts(self):
        keys = self.ref_vc.index.union(self.cur_vc.index)
        ref = self.ref_vc.reindex(keys, fill_value=0).to_numpy(dtype=np.int64)
        cur = self.cur_vc.reindex(keys, fill_value=0).to_numpy(dtype=np.int64)
        return keys, ref, cur

    def n_values(self) -> int:
        return len(self.ref_vc.index.union(self.cur_vc.index))


def _align(ref_keys, ref_counts, cur_keys, cur_counts):
    keys = np.union1d(ref_keys, cur_keys)
    ref = np.zeros(keys.size, dtype=np.int64)
    cur = np.zeros(keys.size, dtype=np.int64)
    ref[np.searchsorted(keys, ref_keys)] = ref_counts
    cur[np.searchsorted(keys, cur_keys)] = cur_counts
    return keys, ref, cur


def _z(stats, n_values: int) -> float:
    keys, ref, cur = stats.value_counts()
    first = _first_key_index(keys)
    return st.z_test_pvalue(int(ref[first]), stats.n_ref, int(cur[first]), stats.n_cur, n_values)


def _first_key_index(keys) -> int:
    values = list(keys)
    return values.index(min(values))


def _binned(stats, kind: str):
    if kind == "num" and stats.n_ref_distinct > BIN_BY_VALUE_MAX:
        return stats.histograms()
    _, ref, cur = stats.value_counts()
    return ref, cur


def evaluate(name, kind: str, stats, method="auto", threshold=None, negligible_effect=0.1):
    """Choose the method for one column and return its :class:`ColumnDrift`.

    Parameters
    ----------
    name : column name
    kind : {"num", "cat"}
    stats : NumStats, CatStats or a streamed equivalent
    method, threshold : the options given to :class:`~mlops_kit.validation.DriftCheck`
    negligible_effect : float
        Effect sizes below this make a p-value drift a large-sample warning.
    """
    requested = resolve_method(method, name, kind)
    n_values = stats.n_values()
    test = requested or auto_method(kind, stats.n_ref, n_values)
    thr = resolve_threshold(threshold, name, kind, test)
    spec = METHODS[test]
    p_value = None
    bound = 0.0
    if test == "ks":
        p_value, _ = stats.ks()
        statistic = p_value
        bound = stats.ks_error
        effect, measure = stats.wasserstein(), "wasserstein"
    elif test == "wasserstein":
        statistic = effect = stats.wasserstein()
        measure = test
        bound = stats.w_error
    elif test in ("chisquare", "z"):
        _, ref, cur = stats.value_counts()
        chi = test == "chisquare"
        p_value = st.chi_square_pvalue(ref, cur) if chi else _z(stats, n_values)
        statistic = p_value
        effect, measure = st.js_distance(ref, cur), "jensenshannon"
    else:
        ref, cur = _binned(stats, kind)
        fn = st.js_distance if test == "jensenshannon" else st.psi_value
        statistic = effect = fn(ref, cur)
        measure = test
        binned = kind == "num" and stats.n_ref_distinct > BIN_BY_VALUE_MAX
        if binned and hasattr(stats, "hist_error"):  # a sketched reference's histogram
            bound = stats.hist_error(test, statistic)
    drifted = spec.is_drift(statistic, thr)
    note = ""
    if bound > 0 and abs(statistic - thr) <= bound:
        note = (
            f"column {str(name)!r}: the streamed {test} statistic {statistic:.6g} lies within "
            f"its error bound {bound:.2g} of the threshold {thr:g}, so the verdict may differ "
            "from an in-memory run; check this column with the current data in memory"
        )
    if spec.is_test and drifted and effect is not None and effect < negligible_effect:
        note = large_sample_note(
            name, test, statistic, thr, measure, effect, negligible_effect, stats.n_ref, stats.n_cur
        )
    return ColumnDrift(
        column=str(name),
        type=kind,
        test=test,
        statistic=float(statistic),
        p_value=None if p_value is None else float(p_value),
        threshold=thr,
        drifted=bool(drifted),
        effect_size=float(effect),
        effect_measure=measure,
        n_reference=int(stats.n_ref),
        n_current=int(stats.n_cur),
        error_bound=float(bound),
        note=note,
    )


def large_sample_note(name, test, p, thr, measure, effect, negligible, n_ref, n_cur) -> str:
    """The warning text for a significant but negligible drift."""
    alt = "wasserstein" if measure == "wasserstein" else "jensenshannon"
    return (
        f"column {str(name)!r}: {test} p-value {p:.3g} < {thr:g} flags drift, but the effect "
        f"is small ({measure} distance {effect:.3g} < {negligible:g}, the distance Evidently "
        f"requires on large samples); with {n_ref} reference and {n_cur} current rows even a "
        f"harmless shift is significant. Consider method={{{str(name)!r}: {alt!r}}} or a "
        "smaller threshold."
    )


def skipped_column(spec) -> ColumnDrift:
    """The result row of a column that was not tested."""
    return ColumnDrift(
        column=str(spec.name),
        role=spec.role,
        type=spec.kind or "-",
        test="skipped",
        statistic=None,
        p_value=None,
        threshold=None,
        drifted=False,
        note=spec.skip_reason or "",
    )


def column_stats(ref, spec, cur_series):
    """The statistics object of one tested column: a fitted RefColumn against a current Series."""
    if spec.kind == "num":
        if ref.values is None:  # a sketched reference: the streamed engine handles it
            raise InputError(
                f"Column {ref.name!r} was fitted as a sketch: run it through the streamed "
                "engine (DriftCheck.run does so for a pandas window)."
            )
        values = to_float(cur_series)
        values = values[~np.isnan(values)]
        values.sort()
        return NumStats(ref.values, values, spec.is_int, ref.distinct(), ref.std())
    cur_counts = spec.cur_counts if spec.cur_counts is not None else CatStats.counts(cur_series)
    if ref.numeric:  # numbers tested by value: both sides keyed by float
        cur_counts = cur_counts.copy()
        cur_counts.index = cur_counts.index.astype(np.float64)
    return CatStats(ref.value_counts(), cur_counts)


def run_frames(summary, current, specs, method, threshold, negligible_effect):
    """Evaluate every column of an in-memory current frame against a fitted reference."""
    out = []
    for spec in specs:
        if spec.kind is None:
            out.append(skipped_column(spec))
            continue
        stats = column_stats(summary[spec.name], spec, current[spec.name])
        col = evaluate(spec.name, spec.kind, stats, method, threshold, negligible_effect)
        out.append(col if spec.role == "feature" else replace(col, role=spec.role))
    return out
