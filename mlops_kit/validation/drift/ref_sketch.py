"""A sketched reference column: bounded size whatever the number of reference rows.

A Spark fit (:func:`.spark_fit.summary_from_spark`) keeps every distinct value of
a numeric reference column only up to ``DriftCheck(max_reference_values=N)``
distinct values. Above that the column is fitted as a :class:`RefSketch`,
whose size depends on ``max_cells`` only (about ``4 * max_cells`` numbers,
~2 MB at the default 65 536 cells):

- ``n``, ``mean``, ``std`` (population), ``min``, ``max``: exact (Spark
  aggregates, or numpy when built from values);
- the grid of the streamed engine (:mod:`.grid`): ``max_cells / 2`` reference
  quantiles (Spark's ``approxQuantile`` with relative rank error
  :data:`QUANTILE_ERROR`, or exact ones from values) unioned with
  ``max_cells / 2`` evenly spaced points over ``[min, max]``;
- the reference's **exact** counts, offset sums and equal-counts on that grid
  (a Spark pass adds every reference value to the grid), so the reference
  side of the grid statistics is exact: the quantile error only shapes the
  grid, it never enters a statistic.

What a sketched column gives a drift run (the streamed engine, :mod:`.chunked`):

- Wasserstein (normed): the grid's own ``error_bound``, as for any streamed
  column;
- K-S: the grid K-S (the supremum bracketed between grid points) with its
  ``p_error`` bound; there are no counts at every distinct reference value;
- Jensen-Shannon / PSI over Sturges bins: the reference histogram on the final
  edges is derived from the grid counts (:meth:`RefSketch.histogram`): an edge
  that cuts through a grid cell leaves that cell's mass undecided between the
  two bins; :func:`binned_bound` turns these intervals into a bound on the
  statistic, reported as the column's ``error_bound``.

Examples
--------
>>> import numpy as np
>>> values = np.sort(np.random.default_rng(0).normal(size=10_000))
>>> sk = RefSketch.from_sorted(values, max_cells=256)
>>> sk.n, round(sk.mean, 6) == round(float(values.mean()), 6), sk.grid.size <= 256
(10000, True, True)
>>> int(sk.count.sum()) == sk.n
True
"""

from __future__ import annotations

import numpy as np

from mlops_kit.validation.drift.grid import DEFAULT_MAX_CELLS, GridSketch

__all__ = ["QUANTILE_ERROR", "RefSketch", "binned_bound", "make_grid"]
#: relative rank error of Spark's approxQuantile for the grid's quantile points
QUANTILE_ERROR = 1e-4
_ARRAYS = ("grid", "count", "offset", "equal")
_SCALARS = ("n", "mean", "std", "lo", "hi", "n_distinct")


def make_grid(quantiles: np.ndarray, lo: float, hi: float, max_cells: int) -> np.ndarray:
    """The grid: the distinct quantile points unioned with evenly spaced points over [lo, hi].

    Examples
    --------
    >>> make_grid(np.array([0.0, 0.1, 0.1, 1.0]), 0.0, 1.0, 6).tolist()
    [0.0, 0.1, 0.5, 1.0]
    """
    half = max(max_cells // 2, 2)
    q = np.asarray(quantiles, dtype=np.float64)
    q = q[(q >= lo) & (q <= hi)]
    return np.union1d(q, np.linspace(lo, hi, half))


class RefSketch:
    """Exact moments and exact grid counts of one numeric reference column.

    Build one with :meth:`from_sorted` (from values) or, in Spark, from
    aggregates and a grid pass (see :mod:`.spark`).

    Examples
    --------
    >>> sk = RefSketch.from_sorted(np.arange(100.0), max_cells=16)
    >>> sk.n, sk.lo, sk.hi, sk.grid.size
    (100, 0.0, 99.0, 14)
    """

    def __init__(self, n, mean, std, lo, hi, grid, count, offset, equal, n_distinct):
        self.n = int(n)
        self.mean, self.std = float(mean), float(std)
        self.lo, self.hi = float(lo), float(hi)
        self.grid = np.asarray(grid, dtype=np.float64)
        self.count = np.asarray(count, dtype=np.int64)
        self.offset = np.asarray(offset, dtype=np.float64)
        self.equal = np.asarray(equal, dtype=np.int64)
        self.n_distinct = int(n_distinct)  # a lower bound: more than the cap

    def __repr__(self) -> str:
        return f"<RefSketch: {self.n} values, {self.grid.size} grid points>"

    @classmethod
    def from_sorted(cls, values: np.ndarray, max_cells: int = DEFAULT_MAX_CELLS, n_distinct=None):
        """Sketch sorted finite values (exact quantiles on the grid)."""
        half = max(max_cells // 2, 2)
        picks = np.linspace(0, values.size - 1, half).astype(int)
        grid = make_grid(values[picks], values[0], values[-1], max_cells)
        sketch = GridSketch(np.empty(0), grid=grid)
        sketch.add(values, presorted=True)
        if n_distinct is None:
            n_distinct = int(np.count_nonzero(np.diff(values))) + 1
        return cls(
            values.size,
            values.mean(),
            values.std(),
            values[0],
            values[-1],
            grid,
            sketch.count,
            sketch.offset,
            sketch.equal,
            n_distinct,
        )

    def grid_sketch(self) -> GridSketch:
        """The reference's :class:`~.grid.GridSketch` (exact counts; K-S only bracketed)."""
        out = GridSketch(np.empty(0), grid=self.grid)
        out.exact_ks = False
        out.count, out.offset, out.equal = self.count.copy(), self.offset.copy(), self.equal.copy()
        out.n = self.n
        return out

    def nbytes(self) -> int:
        """Bytes held by the arrays (independent of the number of reference rows)."""
        return sum(getattr(self, k).nbytes for k in _ARRAYS)

    # --- histogram on any edges ---------------------------------------------------
    def count_below(self, x: np.ndarray):
        """``(low, estimate, high)``: bounds and estimate of the count of values ``< x``.

        Exact at grid points and outside ``[min, max]``; inside a cell the values
        strictly above its left point may fall on either side of ``x`` (the
        estimate spreads them evenly over the cell).

        Examples
        --------
        >>> sk = RefSketch.from_sorted(np.arange(10.0), max_cells=8)
        >>> [a.tolist() for a in sk.count_below(np.array([0.0, 3.0, 9.0, 10.0]))]
        [[0.0, 3.0, 9.0, 10.0], [0.0, 3.0, 9.0, 10.0], [0.0, 3.0, 9.0, 10.0]]
        """
        x = np.asarray(x, dtype=np.float64)
        g = self.grid
        below = np.concatenate([[0], np.cumsum(self.count)])  # below[j] = values < g_j (j >= 1)
        j = np.searchsorted(g, x, side="right") - 1  # g_j <= x < g_j+1
        jj = np.clip(j, 0, g.size - 2)
        base = below[jj + 1] + self.equal[jj]  # values < g_j, plus those equal to g_j
        rest = self.count[jj + 1] - self.equal[jj]  # values in (g_j, g_j+1): side unknown
        on_point = g[jj] == x
        frac = (x - g[jj]) / (g[jj + 1] - g[jj])
        low = np.where(on_point, below[jj + 1], base).astype(np.float64)
        high = np.where(on_point, below[jj + 1], base + rest).astype(np.float64)
        est = np.where(on_point, low, base + rest * frac)
        # outside the grid: nothing below the minimum; from the maximum on, all but the maximum
        at_max = self.n - self.count[-1]
        for arr in (low, high, est):
            arr[j < 0] = 0
            arr[j >= g.size - 1] = np.where(x[j >= g.size - 1] > g[-1], self.n, at_max)
        return low, est, high

    def histogram(self, edges: np.ndarray):
        """``(low, estimate, high)`` reference counts per bin (``np.histogram``'s bins).

        ``edges`` must cover ``[min, max]`` (as Sturges edges over both sides do).

        Examples
        --------
        >>> sk = RefSketch.from_sorted(np.arange(10.0), max_cells=8)
        >>> [h.tolist() for h in sk.histogram(np.array([0.0, 4.5, 9.0]))]
        [[4.0, 4.0], [5.0, 5.0], [6.0, 6.0]]
        """
        low, est, high = self.count_below(edges[1:-1])
        n = np.array([float(self.n)])
        zero = np.zeros(1)
        lo_c, est_c, hi_c = (np.concatenate([zero, a, n]) for a in (low, est, high))
        est_h = np.diff(est_c)
        low_h = np.maximum(lo_c[1:] - hi_c[:-1], 0)
        high_h = hi_c[1:] - lo_c[:-1]
        return low_h, est_h, high_h

    # --- file format ----------------------------------------------------------------
    def to_arrays(self, prefix: str) -> tuple[dict, dict]:
        """``(arrays, header)`` for :meth:`ReferenceSummary.save`."""
        arrays = {f"{prefix}_{k}": getattr(self, k) for k in _ARRAYS}
        header = {k: getattr(self, k) for k in _SCALARS}
        return arrays, header

    @classmethod
    def from_arrays(cls, prefix: str, arrays: dict, header: dict) -> RefSketch:
        """Inverse of :meth:`to_arrays`."""
        kw = {k: arrays[f"{prefix}_{k}"] for k in _ARRAYS}
        kw.update({k: header[k] for k in _SCALARS})
        return cls(**kw)


def _js_terms(r, c):
    m = (r + c) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(r > 0, r * np.log(r / m), 0.0)
        b = np.where(c > 0, c * np.log(c / m), 0.0)
    return (a + b) / 2


def _psi_terms(r, c):
    return (r - c) * np.log(r / c)


def binned_bound(test: str, statistic: float, ref_low, ref_high, cur_counts, n_ref: int) -> float:
    """Bound on a Jensen-Shannon / PSI statistic whose reference counts lie in ``[low, high]``.

    Both are sums of per-bin terms convex in the reference share and smallest
    where it equals the current share, so each bin's term lies between its
    value at the nearest point of the interval and the larger of its values at
    the ends; the sums bound the statistic (a relaxation: the true allocation
    of each cut cell is one point of these boxes). Returns the larger distance
    from ``statistic`` to either end.

    Examples
    --------
    >>> binned_bound("psi", 0.0, np.array([5.0, 5.0]), np.array([5.0, 5.0]), [5, 5], 10)
    0.0
    """
    cur = np.asarray(cur_counts, dtype=np.float64)
    c = cur / cur.sum()
    r_lo, r_hi = np.asarray(ref_low) / n_ref, np.asarray(ref_high) / n_ref
    r_best = np.clip(c, r_lo, r_hi)
    if test == "jensenshannon":
        hi = np.maximum(_js_terms(r_lo, c), _js_terms(r_hi, c)).sum()
        lo = _js_terms(r_best, c).sum()
        s_lo, s_hi = np.sqrt(max(lo, 0.0)), np.sqrt(max(hi, 0.0))
    else:  # Evidently's zero filling, on each candidate vector as on the real one
        from mlops_kit.validation.drift.stattests import fill_zeroes

        def fill(r):
            return fill_zeroes(r) if (r > 0).any() else np.full(r.size, 1e-4)

        cf = fill(c)
        hi = np.maximum(_psi_terms(fill(r_lo), cf), _psi_terms(fill(r_hi), cf)).sum()
        s_lo, s_hi = float(_psi_terms(fill(r_best), cf).sum()), float(hi)
    return float(max(s_hi - statistic, statistic - s_lo, 0.0))
