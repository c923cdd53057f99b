"""Drift statistics computed from sorted arrays or counts, matching Evidently 0.7.

Each function reproduces the arithmetic of the Evidently stattest of the same
name (``evidently/legacy/calculations/stattests``) but works on sufficient
statistics (sorted values, per-value or per-bin counts), so that the engines can
compute them with vectorised numpy and, for streamed data, from accumulated
counts. scipy is used for the distributions and small-sample exact tests.

Examples
--------
>>> import numpy as np
>>> ref, cur = np.sort(np.arange(10.0)), np.sort(np.arange(10.0) + 1)
>>> round(wasserstein_sorted(ref, cur), 6)
1.0
>>> round(js_distance(np.array([5, 5]), np.array([5, 5])), 6)
0.0
"""

from __future__ import annotations

import math
import warnings

import numpy as np

__all__ = [
    "KS_EXACT_MAX_N",
    "chi_square_pvalue",
    "distinct_counts",
    "fill_zeroes",
    "js_distance",
    "ks_d_from_counts",
    "ks_pvalue",
    "psi_value",
    "sturges_edges",
    "wasserstein_norm",
    "wasserstein_sorted",
    "z_test_pvalue",
]

#: scipy's ks_2samp(method="auto") is exact up to this sample size, asymptotic above.
KS_EXACT_MAX_N = 10_000


def distinct_counts(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(values, counts)`` of a sorted array (like ``np.unique`` without re-sorting).

    Examples
    --------
    >>> distinct_counts(np.array([1.0, 1.0, 3.0]))
    (array([1., 3.]), array([2, 1]))
    """
    if sorted_values.size == 0:
        return sorted_values, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], sorted_values[1:] != sorted_values[:-1])))
    counts = np.diff(np.append(starts, sorted_values.size))
    return sorted_values[starts], counts


def ks_d_from_counts(ref_le, cur_le, cur_lt, n_ref: int, n_cur: int) -> float:
    """Two-sided K-S statistic from counts at every distinct reference value.

    ``ref_le[i]``, ``cur_le[i]`` count values ``<= r_i`` and ``cur_lt[i]`` current
    values ``< r_i``, for the sorted distinct reference values ``r_i``. Between
    two reference values the reference ECDF is flat and the current one
    monotone, so the supremum is reached at ``r_i`` or just below it: the result
    is scipy's ``ks_2samp`` statistic (the same integer ratios; scipy's exact
    mode then rounds it to a multiple of ``1/lcm(n, m)``).

    Examples
    --------
    >>> ks_d_from_counts(np.array([1, 2]), np.array([0, 1]), np.array([0, 0]), 2, 2)
    0.5
    """
    ref_at = ref_le / n_ref
    ref_before = np.concatenate(([0.0], ref_at[:-1]))
    diff_at = ref_at - cur_le / n_cur
    diff_before = ref_before - cur_lt / n_cur
    d = max(np.max(diff_at), np.max(diff_before), -np.min(diff_at), -np.min(diff_before), 0.0)
    return float(min(d, 1.0))


def ks_pvalue(d: float, n_ref: int, n_cur: int, ref=None, cur=None) -> float:
    """p-value of the two-sided K-S test, as ``scipy.stats.ks_2samp(method="auto")``.

    Up to :data:`KS_EXACT_MAX_N` values per side scipy's exact test is run on the
    data (``ref``/``cur`` must be given); above it the asymptotic Kolmogorov
    distribution ``kstwo.sf(d, round(n*m/(n+m)))`` is used, exactly as scipy does.
    """
    from scipy import stats

    if max(n_ref, n_cur) <= KS_EXACT_MAX_N:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return float(stats.ks_2samp(ref, cur).pvalue)
    m, n = sorted([float(n_ref), float(n_cur)], reverse=True)
    en = m * n / (m + n)
    return float(np.clip(stats.kstwo.sf(d, np.round(en)), 0, 1))


def wasserstein_sorted(u: np.ndarray, v: np.ndarray) -> float:
    """First Wasserstein distance of two sorted samples, exactly as scipy defines it.

    Computed as the integral of ``|Q_u(t) - Q_v(t)|`` over quantile levels on
    the merged grid of breakpoints ``i/n`` and ``j/m`` (integer arithmetic, no
    search), which equals scipy's integral of ``|F_u - F_v|`` over values.

    Examples
    --------
    >>> wasserstein_sorted(np.array([0.0, 1.0, 3.0]), np.array([5.0, 6.0]))
    4.166666666666667
    """
    n, m = u.size, v.size
    if n == m:
        return float(np.abs(u - v).mean())
    if n * m < 2**62:
        t = np.concatenate(
            (np.arange(1, n + 1, dtype=np.int64) * m, np.arange(1, m + 1, dtype=np.int64) * n)
        )
        t.sort(kind="stable")  # two sorted runs: a linear merge
        lengths = np.diff(t, prepend=0).astype(np.float64)
        du = u[(t - 1) // m] - v[(t - 1) // n]
        return float(np.dot(np.abs(du), lengths) / (float(n) * float(m)))
    from scipy import stats  # pragma: no cover - beyond 2**31 rows per side

    return float(stats.wasserstein_distance(u, v))  # pragma: no cover


def wasserstein_norm(ref_sorted: np.ndarray, cur_sorted: np.ndarray, ref_std=None) -> float:
    """Evidently's normed Wasserstein distance: W1 / max(std(reference), 0.001)."""
    norm = max(float(np.std(ref_sorted)) if ref_std is None else ref_std, 0.001)
    return wasserstein_sorted(ref_sorted, cur_sorted) / norm


def sturges_edges(lo, hi, n_total: int, is_int: bool) -> np.ndarray:
    """``np.histogram_bin_edges(combined, "sturges")`` from min, max and size only.

    Mirrors numpy's code path (same float operations), so streamed data can be
    binned exactly as Evidently bins the concatenated reference and current.

    Examples
    --------
    >>> x = np.array([0.0, 0.5, 2.0, 7.5])
    >>> edges = sturges_edges(0.0, 7.5, 4, is_int=False)
    >>> bool(np.array_equal(edges, np.histogram_bin_edges(x, "sturges")))
    True
    """
    first, last = lo, hi
    if first == last:
        first, last = first - 0.5, last + 0.5
    width = (hi - lo) / (np.log2(n_total) + 1.0)
    if width:
        if is_int and width < 1:
            width = 1
        n_bins = int(np.ceil((last - first) / width))
    else:
        n_bins = 1
    return np.linspace(first, last, n_bins + 1, endpoint=True, dtype=np.float64)


def fill_zeroes(percents: np.ndarray) -> np.ndarray:
    """Evidently's ``feel_zeroes``: replace empty bins by a tiny share (PSI only)."""
    out = percents.astype(np.float64, copy=True)
    low = out[out != 0].min()
    out[out == 0] = low / 10**6 if low <= 0.0001 else 0.0001
    return out


def _percents(counts) -> np.ndarray:
    counts = np.asarray(counts, dtype=np.float64)
    return counts / counts.sum()


def js_distance(ref_counts, cur_counts) -> float:
    """Jensen-Shannon distance (natural log) of two count vectors over the same bins."""
    from scipy.spatial import distance

    return float(distance.jensenshannon(_percents(ref_counts), _percents(cur_counts)))


def psi_value(ref_counts, cur_counts) -> float:
    """Population stability index of two count vectors (Evidently's zero filling)."""
    ref, cur = fill_zeroes(_percents(ref_counts)), fill_zeroes(_percents(cur_counts))
    return float(np.sum((ref - cur) * np.log(ref / cur)))


def chi_square_pvalue(ref_counts, cur_counts) -> float:
    """Chi-square goodness of fit of current counts to reference shares (scipy).

    A category never seen in the reference has an expected count of 0, which
    scipy turns into an infinite statistic and p = 0 (as in Evidently). With a
    single category in total there is nothing to compare: p = 1 (Evidently
    returns NaN there).
    """
    from scipy.stats import chisquare

    ref_counts = np.asarray(ref_counts, dtype=np.float64)
    cur_counts = np.asarray(cur_counts, dtype=np.float64)
    if ref_counts.size < 2:
        return 1.0
    k_norm = cur_counts.sum() / ref_counts.sum()
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        p = float(chisquare(cur_counts, ref_counts * k_norm)[1])
    return p


def z_test_pvalue(ref_first: int, n_ref: int, cur_first: int, n_cur: int, n_values: int) -> float:
    """Two-proportion Z-test p-value, as Evidently's ``z`` stattest.

    ``ref_first``/``cur_first`` count the values equal to the smallest value
    (after sorting the distinct values); the test compares the share of the
    other value.
    """
    from scipy.stats import norm

    if n_values <= 1:
        return 1.0
    p1 = float(n_ref - ref_first) / n_ref
    p2 = float(n_cur - cur_first) / n_cur
    pooled = float(p1 * n_ref + p2 * n_cur) / (n_ref + n_cur)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / n_ref + 1.0 / n_cur))
    p = 2 * (1 - norm.cdf(np.abs(z)))
    return float(p) if not math.isnan(p) else 1.0
