"""Bounded-memory summaries of a streamed numeric column, and the statistics they give.

The current data is summarised on a fixed grid derived from the reference:
every distinct reference value (or, above ``max_cells / 2`` of them, that many
reference quantiles) plus ``max_cells / 2`` evenly spaced points over the
reference range. Per grid cell ``[g_k, g_k+1)`` the sketch keeps the count of
current values, the sum of their offsets from ``g_k`` and the count equal to
``g_k``; values below the reference minimum or from the maximum on are kept in
two tail cells. Memory is O(max_cells), whatever the number of rows.

What is exact and what is bounded:

- **K-S**: the reference ECDF is flat inside a cell, so the supremum of
  ``|F_ref - F_cur|`` is reached at a grid point or just below one: the
  statistic is *exact* (bit for bit scipy's) whenever every distinct reference
  value is a grid point (up to ``max_cells / 2`` distinct reference values;
  the automatic choice uses K-S only for references of at most 1000 rows).
  Beyond that the grid only brackets it; the streamed engine then counts
  current values at every distinct reference value instead (see
  :mod:`.chunked`), so a streamed K-S statistic is always exact.
  Up to 10 000 current rows the values are kept and scipy's exact test is run.
- **Wasserstein** (normed): the signed integral of ``F_ref - F_cur`` over a
  cell is exact from the counts and offset sums, and so is the absolute one
  wherever the sign of ``F_ref - F_cur`` cannot change inside the cell (always
  in the tails). In the remaining cells the value lies between two computed
  bounds; the midpoint is reported and half the width, summed, is the
  ``error_bound`` (in units of the reference standard deviation). With the
  default 65 536 cells the bound is at most about ``2 * range / (65 536 * std)``
  (about 3e-4 for normal data, 300x below the 0.1 threshold) and the actual
  error is usually far smaller.

Examples
--------
>>> import numpy as np
>>> ref = np.sort(np.random.default_rng(0).normal(size=500))
>>> sketch, ref_sketch = GridSketch(ref), None
>>> ref_sketch = sketch.empty_like()
>>> ref_sketch.add(ref, presorted=True)
>>> sketch.add(np.random.default_rng(1).normal(0.3, 1, size=20_000))
>>> p, d, bound = sketch.ks(ref_sketch)
>>> bound
0.0
"""

from __future__ import annotations

import numpy as np

__all__ = ["DEFAULT_MAX_CELLS", "GridSketch"]

DEFAULT_MAX_CELLS = 2**16


def _distinct(sorted_values: np.ndarray) -> np.ndarray:
    keep = np.empty(sorted_values.size, dtype=bool)
    keep[:1] = True
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=keep[1:])
    return sorted_values[keep]


class GridSketch:
    """Counts and offset sums of streamed values on a reference-derived grid."""

    def __init__(self, ref_sorted: np.ndarray, max_cells: int = DEFAULT_MAX_CELLS, grid=None):
        if grid is None:
            half = max(max_cells // 2, 2)
            ref_values = _distinct(ref_sorted)
            self.exact_ks = ref_values.size <= half
            if not self.exact_ks:
                picks = np.linspace(0, ref_sorted.size - 1, half).astype(int)
                ref_values = _distinct(ref_sorted[picks])
            grid = np.union1d(ref_values, np.linspace(ref_sorted[0], ref_sorted[-1], half))
        self.grid = grid
        size = self.grid.size + 1  # cell 0: below the grid; cell k: [g_k-1, g_k); last: >= g_-1
        self.count = np.zeros(size, dtype=np.int64)
        self.offset = np.zeros(size, dtype=np.float64)
        self.equal = np.zeros(self.grid.size, dtype=np.int64)
        self.n = 0

    def empty_like(self) -> GridSketch:
        """A new, empty sketch on the same grid."""
        out = GridSketch(np.empty(0), grid=self.grid)
        out.exact_ks = self.exact_ks
        return out

    def add(self, values: np.ndarray, presorted: bool = False) -> None:
        """Accumulate finite values (missing values already dropped)."""
        if values.size == 0:
            return
        if not presorted:
            values = np.sort(values)  # sorted keys make the binary searches cache-friendly
        idx = np.searchsorted(self.grid, values, side="right") - 1
        cells = idx + 1
        left = self.grid[np.maximum(idx, 0)]
        size = self.count.size
        self.count += np.bincount(cells, minlength=size)
        self.offset += np.bincount(cells, weights=values - left, minlength=size)
        on_grid = (idx >= 0) & (values == left)
        self.equal += np.bincount(idx[on_grid], minlength=self.grid.size)
        self.n += values.size

    # --- ECDFs at the grid points ----------------------------------------------
    def _cdfs(self):
        below = np.cumsum(self.count)[:-1]  # values < g_j
        return below, below + self.equal  # (< g_j, <= g_j)

    def ks(self, ref_sketch: GridSketch):
        """``(p_value, d, p_error)`` of the K-S test against the reference's sketch.

        Uses the asymptotic p-value (the streamed engine keeps current data of
        at most 10 000 rows whole and runs scipy's exact test on it instead).
        """
        from mlops_kit.validation.drift import stattests as st

        n_ref, n_cur = ref_sketch.n, self.n
        ref_lt, ref_le = ref_sketch._cdfs()
        cur_lt, cur_le = self._cdfs()
        at = ref_le / n_ref - cur_le / n_cur
        before = ref_lt / n_ref - cur_lt / n_cur
        d = float(min(max(np.abs(at).max(), np.abs(before).max()), 1.0))
        p = st.ks_pvalue(d, n_ref, n_cur)
        if self.exact_ks:
            return p, d, 0.0
        # inside a cell both ECDFs move: bound the supremum by the cell's extremes
        hi = np.maximum(
            ref_lt[1:] / n_ref - cur_le[:-1] / n_cur, cur_lt[1:] / n_cur - ref_le[:-1] / n_ref
        )
        d_hi = float(min(max(d, hi.max()), 1.0))
        return p, d, p - st.ks_pvalue(d_hi, n_ref, n_cur)

    def wasserstein(self, ref_sketch: GridSketch) -> tuple[float, float]:
        """``(w1, error_bound)``: first Wasserstein distance to the reference sketch."""
        n_r, n_c = ref_sketch.n, self.n
        # tails: reference ECDF is 0 below its minimum and 1 from its maximum on
        total = -self.offset[0] / n_c + self.offset[-1] / n_c
        width = np.diff(self.grid)
        r_lt, r_le = ref_sketch._cdfs()
        c_lt, c_le = self._cdfs()

        def integral(lt, count, offset, n):  # integral of the ECDF over each inner cell
            return (lt[:-1] * width + count[1:-1] * width - offset[1:-1]) / n

        signed = integral(r_lt, ref_sketch.count, ref_sketch.offset, n_r) - integral(
            c_lt, self.count, self.offset, n_c
        )
        lo = r_le[:-1] / n_r - c_lt[1:] / n_c  # min of F_ref - F_cur inside the cell
        hi = r_lt[1:] / n_r - c_le[:-1] / n_c  # max
        exact = np.where(lo >= 0, signed, np.where(hi <= 0, -signed, np.nan))
        mixed = np.isnan(exact)
        abs_s = np.abs(signed[mixed])
        upper = np.minimum(
            signed[mixed] + 2 * width[mixed] * (-lo[mixed]),
            -signed[mixed] + 2 * width[mixed] * hi[mixed],
        )
        upper = np.maximum(upper, abs_s)
        total += exact[~mixed].sum() + ((abs_s + upper) / 2).sum()
        return float(total), float(((upper - abs_s) / 2).sum())
