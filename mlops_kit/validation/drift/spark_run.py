"""Drift on a Spark DataFrame, the run half: one Spark job for one window or for many.

:func:`run_spark` evaluates a Spark DataFrame against a fitted reference summary
(``DriftCheck(...).run(spark_df)``); :func:`run_spark_keyed` does the same for
every value of a key at once (the calendar windows of
:class:`~mlops_kit.monitoring.windows.WindowedMetrics`), and ``run_spark`` is its
one-key case. Each Spark partition groups its rows by key and reduces each
group, in the executors (``mapInPandas``), to the per-column state of the
streamed engine (:class:`.chunked._Column`): one set of column states per key
present in the partition. The driver adds the states up per key and decides
with :func:`.chunked.evaluate_columns`, exactly as the streamed engine does
(what is exact and what is bounded: see :mod:`.spark`). Numeric columns tested
with Jensen-Shannon/PSI over Sturges bins need a second job, keyed too: each
key's bins come from its own range and size, and one pass counts them all.

Examples
--------
>>> run_spark_keyed([], [1, 2])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
mlops_kit.errors.InputError: Invalid current: got 'list'; allowed: a Spark DataFrame...
"""

from __future__ import annotations

import numpy as np

from mlops_kit.errors import ColumnError, InputError
from mlops_kit.validation.drift.spark import _check_frame, _collect_states, is_spark_frame

__all__ = ["KEY", "Part", "run_spark", "run_spark_keyed"]

#: the name of the key column inside the Spark job
KEY = "__mlops_kit_key__"
_SKETCH = ("count", "offset", "equal")


class Part:
    """Columns of one fitted reference summary to evaluate on a Spark DataFrame.

    Parameters
    ----------
    summary : ReferenceSummary
        The fitted reference (``DriftCheck(...).fit(...).reference_``).
    names : list of str
        The summary's columns to evaluate.
    sources : dict, optional
        ``{name: column of the Spark frame}`` when a column is read under another
        name (default: its own name).
    column_types : dict, optional
        ``{name: "num" | "cat"}`` overriding the type inference.
    min_values : int, default 1
        A key is evaluated only when it has at least this many rows (the whole
        part) and, for a one-column part, at least this many non-missing values.

    Examples
    --------
    >>> Part(None, ["x"], {"x": "x_v2"}).sources
    {'x': 'x_v2'}
    """

    def __init__(self, summary, names, sources=None, column_types=None, min_values=1):
        self.summary = summary
        self.names = list(names)
        self.sources = {n: (sources or {}).get(n, n) for n in self.names}
        self.column_types = column_types or {}
        self.min_values = min_values

    def ready(self, rows: int, cols) -> bool:
        if rows < self.min_values:
            return False
        return len(cols) != 1 or cols[0].n >= self.min_values


def _state(col) -> dict:
    """The accumulated part of a streamed column (:class:`.chunked._Column`) after a partition.

    The grid sketch travels sparse (its non-zero cells): a window fills few of its cells.
    """
    out = {
        "fam_cur": col.fam_cur,
        "all_int": col.all_int,
        "n": col.n,
        "distinct": col.distinct,
        "n_id": col.n_id,
        "counts": col.counts,
    }
    if col.numeric and col.active:
        sketch = col.sketch
        cells, on_grid = np.flatnonzero(sketch.count), np.flatnonzero(sketch.equal)
        out.update(
            lo=col.lo,
            hi=col.hi,
            sketch=(
                cells,
                sketch.count[cells],
                sketch.offset[cells],
                on_grid,
                sketch.equal[on_grid],
                sketch.n,
            ),
            exact_ks=None if col.exact_ks is None else (col.exact_ks, col.exact_ks_eq),
            keys=None if col.keys is None else (col.keys, col.key_counts),
            buffer=col.buffer,
        )
    return out


def _merge(col, s: dict) -> None:
    """Add a partition's state ``s`` into the driver's column ``col``."""
    from mlops_kit.validation.drift import stattests as st
    from mlops_kit.validation.drift.families import check_compatible
    from mlops_kit.validation.drift.native import _align

    fam = s["fam_cur"]
    if fam is not None:
        if col.fam_cur is None:
            check_compatible(col.name, col.fam_ref, fam)
            col.fam_cur = fam
        elif fam.name != col.fam_cur.name:
            raise ColumnError(
                f"Column {col.name!r} holds {fam.dtype} in one Spark partition of current and "
                f"{col.fam_cur.dtype} in another."
            )
    col.all_int &= s["all_int"]
    if col.distinct is not None:
        if s["distinct"] is None:
            col.distinct = None
        else:
            col.distinct = np.union1d(col.distinct, s["distinct"])
            col.n_id += s["n_id"]
    col.n += s["n"]
    if not col.active:
        return
    if not col.numeric:
        if s["counts"] is not None:
            col.counts = (
                s["counts"] if col.counts is None else col.counts.add(s["counts"], fill_value=0)
            )
        return
    col.lo, col.hi = min(col.lo, s["lo"]), max(col.hi, s["hi"])
    cells, count, offset, on_grid, equal, n = s["sketch"]
    col.sketch.count[cells] += count
    col.sketch.offset[cells] += offset
    col.sketch.equal[on_grid] += equal
    col.sketch.n += n
    if col.exact_ks is not None:
        col.exact_ks = col.exact_ks + s["exact_ks"][0]
        col.exact_ks_eq = col.exact_ks_eq + s["exact_ks"][1]
    if col.keys is not None:
        if s["keys"] is None:
            col.keys = None
        else:
            col.keys, mine, more = _align(col.keys, col.key_counts, *s["keys"])
            col.key_counts = mine + more
            if col.cap is not None and col.keys.size > col.cap:
                col.keys = None
    if col.buffer is not None:
        col.buffer = None if s["buffer"] is None else col.buffer + s["buffer"]
        if col.n > st.KS_EXACT_MAX_N:
            col.buffer = None


def _groups(batch, keyed: bool):
    """``(key, rows)`` of a pandas batch, one per key present (the whole batch when unkeyed)."""
    if not keyed:
        yield 0, batch
        return
    keys = batch[KEY].to_numpy()
    order = np.argsort(keys, kind="stable")
    distinct, starts = np.unique(keys[order], return_index=True)
    if distinct.size == 1:
        yield int(distinct[0]), batch
        return
    for key, rows in zip(distinct, np.split(order, starts[1:])):
        yield int(key), batch.iloc[rows]


def _histograms(df, second, keyed: bool) -> None:
    """Second Spark job: count current values on each key's Sturges bins, for every key at once.

    ``second`` holds ``(key, column, stats, source)``; each key has its own bins (they
    depend on the key's range and size), every one counted in the same pass.
    """
    from mlops_kit.validation.drift import stattests as st
    from mlops_kit.validation.drift.families import to_float

    wanted: dict = {}  # key -> [(position in second, source, edges)]
    for i, (key, col, stats, source) in enumerate(second):
        lo, hi = min(col.ref_min, col.lo), max(col.ref_max, col.hi)
        edges = st.sturges_edges(lo, hi, stats.n_ref + stats.n_cur, stats.is_int)
        col.ref_hist(stats, edges)  # exact from values, bounded from a sketched reference
        stats.cur_hist = np.zeros(edges.size - 1, dtype=np.int64)
        wanted.setdefault(key, []).append((i, source, edges))
    names = sorted({source for *_, source in second}) + ([KEY] if keyed else [])

    def hist_partition(batches):
        hists = {}
        for batch in batches:
            for key, rows in _groups(batch, keyed):
                for i, source, edges in wanted.get(key, ()):
                    values = to_float(rows[source])
                    hist = np.histogram(values[~np.isnan(values)], edges)[0]
                    hists[i] = hist if i not in hists else hists[i] + hist
        return {"hists": hists}

    for state in _collect_states(df, names, hist_partition, "current"):
        for i, hist in state["hists"].items():
            second[i][2].cur_hist += hist


class Keyed:
    """What one key (window) gave: its rows, its evaluated columns per part, its sums.

    ``columns[i]`` is the list of column results of ``parts[i]`` or None when the
    key has too few rows or values for that part (``Part.min_values``).
    """

    def __init__(self, rows, columns, sums):
        self.rows, self.columns, self.sums = rows, columns, sums


def run_spark_keyed(
    parts,
    current,
    key=None,
    method="auto",
    threshold=None,
    negligible_effect=0.1,
    max_cells=None,
    sums=None,
    sum_columns=(),
):
    """Evaluate ``parts`` on a Spark DataFrame for every value of ``key``, in one Spark job.

    Parameters
    ----------
    parts : list of Part
        The columns to evaluate, by fitted reference summary.
    current : pyspark.sql.DataFrame
        Its columns are checked (testable types) before any job runs.
    key : pyspark.sql.Column, optional
        An integer key per row (e.g. a window number); None: one key, ``0``.
    method, threshold, negligible_effect, max_cells
        As :class:`~mlops_kit.validation.drift.DriftCheck` (``max_cells``: the grid size).
    sums : callable, optional
        ``sums(rows) -> 1-D float array`` on a key's pandas rows, added up per key
        in the same job (e.g. a window's expected confusion counts).
    sum_columns : list of str
        The columns of ``current`` that ``sums`` reads.

    Returns
    -------
    dict
        ``{key: Keyed}`` for every key with at least one row, in key order.

    Examples
    --------
    >>> Keyed(3, [None], None).rows
    3
    """
    from mlops_kit.validation.drift.chunked import _Column, _StreamNumStats, evaluate_columns
    from mlops_kit.validation.drift.grid import DEFAULT_MAX_CELLS

    if not is_spark_frame(current):
        raise InputError.invalid("current", type(current).__name__, "a Spark DataFrame")
    from pyspark.sql import functions as F

    max_cells = DEFAULT_MAX_CELLS if max_cells is None else max_cells
    sources = sorted({s for p in parts for s in p.sources.values()} | set(sum_columns))
    _check_frame(current, "current", sources)
    keyed = key is not None
    frame = current.select(
        *[F.col("`" + s.replace("`", "``") + "`") for s in sources],
        *([key.cast("long").alias(KEY)] if keyed else []),
    )
    names = sources + ([KEY] if keyed else [])

    def make_columns():
        return [
            [_Column(p.summary[n], p.column_types.get(n), method, max_cells) for n in p.names]
            for p in parts
        ]

    def run_partition(batches):
        found = {}  # key -> [rows, columns per part, sums]
        for batch in batches:
            for k, rows in _groups(batch, keyed):
                if k not in found:
                    found[k] = [0, make_columns(), None]
                entry = found[k]
                entry[0] += len(rows)
                for part, cols in zip(parts, entry[1]):
                    for col in cols:
                        col.add(rows[part.sources[col.name]], "current")
                if sums is not None:
                    more = np.asarray(sums(rows), dtype=np.float64)
                    entry[2] = more if entry[2] is None else entry[2] + more
        return {
            k: (rows, [[_state(c) for c in cols] for cols in per_part], total)
            for k, (rows, per_part, total) in found.items()
        }

    merged: dict = {}
    for state in _collect_states(frame, names, run_partition, "current"):
        for k, (rows, per_part, total) in state.items():
            if k not in merged:
                merged[k] = [0, make_columns(), None]
            entry = merged[k]
            entry[0] += rows
            for cols, states in zip(entry[1], per_part):
                for col, s in zip(cols, states):
                    _merge(col, s)
            if total is not None:
                entry[2] = total if entry[2] is None else entry[2] + total
    plans, second = {}, []
    for k in sorted(merged):
        rows, per_part, _ = merged[k]
        for i, (part, cols) in enumerate(zip(parts, per_part)):
            if not part.ready(rows, cols):
                continue
            specs = {c.name: c.spec() for c in cols}
            stats = {}
            for c in cols:
                if c.sturges and specs[c.name].kind is not None:
                    stats[c.name] = c.stats(specs[c.name].kind, specs[c.name].is_int)
                    if isinstance(stats[c.name], _StreamNumStats):
                        second.append((k, c, stats[c.name], part.sources[c.name]))
            plans[k, i] = (cols, specs, stats)
    if second:
        _histograms(frame, second, keyed)
    out = {}
    for k in sorted(merged):
        rows, _, total = merged[k]
        columns = []
        for i in range(len(parts)):
            plan = plans.get((k, i))
            columns.append(
                None
                if plan is None
                else evaluate_columns(*plan, method, threshold, negligible_effect)
            )
        out[k] = Keyed(rows, columns, total)
    return out


def run_spark(
    summary,
    current,
    column_types=None,
    method="auto",
    threshold=None,
    negligible_effect=0.1,
    max_cells=None,
):
    """Evaluate every column of a Spark DataFrame ``current`` against a fitted reference summary.

    The one-key case of :func:`run_spark_keyed`: one Spark job reduces every
    partition to per-column summaries; a second one runs only for numeric
    columns tested with Jensen-Shannon/PSI over Sturges bins.

    Examples
    --------
    >>> run_spark(None, [1, 2])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid current: got 'list'; allowed: a Spark DataFrame...
    """
    from mlops_kit.validation.drift.columns import check_column_types, pick_columns

    if not is_spark_frame(current):
        raise InputError.invalid("current", type(current).__name__, "a Spark DataFrame")
    _check_frame(current, "current", [])
    explicit = summary.names if summary.explicit_columns else None
    names = pick_columns(summary.names, list(current.columns), explicit)
    types = check_column_types(column_types, names)
    part = Part(summary, names, column_types=types)
    found = run_spark_keyed([part], current, None, method, threshold, negligible_effect, max_cells)
    if not found:
        raise InputError.invalid("current", "a Spark DataFrame with 0 rows", "at least one row")
    return found[0].columns[0]
