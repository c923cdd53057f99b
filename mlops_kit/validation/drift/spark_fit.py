"""Fitting a drift reference on a PySpark DataFrame, with a bounded driver-side summary.

``DriftCheck(max_reference_values=N).fit(spark_df)`` takes this path. Every
column is reduced in Spark, in the executors (``mapInPandas``), and the
per-partition results are added up by a tree reduction (``treeReduce``), so
the driver receives one merged summary, never one per partition:

- string and boolean columns: counts per category (exact, as pandas);
- a numeric column with **at most N distinct values**: counts per distinct
  value - the fitted column equals the pandas one, bit for bit;
- a numeric column with **more than N distinct values**: a
  :class:`~.ref_sketch.RefSketch`, whose size does not grow with the rows:
  exact ``n``, mean, population std, min and max (Spark aggregates), a grid of
  ``max_cells / 2`` quantiles (Spark's ``approxQuantile``, relative rank
  error :data:`~.ref_sketch.QUANTILE_ERROR`) and ``max_cells / 2`` evenly
  spaced points, and the reference's exact counts, offset sums and
  equal-counts on that grid (the pass above, with the grid shipped to the
  executors).

Which columns exceed N: a first aggregate job estimates each numeric
column's distinct values (HyperLogLog++, ``approx_count_distinct`` with a
relative standard deviation of :data:`APPROX_RSD`). A column estimated above
``SKETCH_MARGIN * N`` is sketched in Spark (the estimate is then more than 10
standard deviations above N: a column with at most N distinct values is never
sent that way in practice). The others are counted per distinct value; if the
exact count then exceeds N, the column is sketched on the driver from those
values (exact quantiles). The rule is therefore exact - sketched if and only
if more than N distinct values - and the driver never holds more than about
``SKETCH_MARGIN * N`` values of a column.

Numeric Spark types only (``tinyint`` ... ``double``, ``decimal``) are
sketched; other columns are fitted as before.

Examples
--------
>>> summary_from_spark([1, 2])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
mlops_kit.errors.InputError: Invalid reference: got 'list'; allowed: a Spark DataFrame...
"""

from __future__ import annotations

import functools
import pickle

import numpy as np

from mlops_kit.errors import InputError, MlopsKitError
from mlops_kit.validation.drift.spark import (
    _check_frame,
    _mapped_states,
    _raise_carried,
    is_spark_frame,
)

__all__ = ["APPROX_RSD", "SKETCH_MARGIN", "summary_from_spark"]

#: relative standard deviation asked of Spark's approx_count_distinct
APPROX_RSD = 0.05
#: columns estimated above this many times the cap are sketched without counting their values
SKETCH_MARGIN = 1.5
_SPARK_NUMERIC = ("tinyint", "smallint", "int", "bigint", "float", "double", "decimal")
_SPARK_INTEGER = ("tinyint", "smallint", "int", "bigint")


class _RefPartial:
    """What one partition contributes to the reference summary of one column.

    ``grid`` (a sketched column): the reference values are added to a
    :class:`~.grid.GridSketch` on that grid instead of being counted per value.
    """

    def __init__(self, name, grid=None):
        from mlops_kit.validation.drift.grid import GridSketch

        self.name = name
        self.fam = None
        self.np_int = True
        self.is_int = True
        self.present = False
        self.n_rows = 0
        self.count = 0
        self.keys = np.empty(0)
        self.key_counts = np.zeros(0, dtype=np.int64)
        self.counts = None
        self.grid = None if grid is None else GridSketch(np.empty(0), grid=grid)

    def add(self, series) -> None:
        from mlops_kit.validation.drift.columns import has_values, is_integer_dtype
        from mlops_kit.validation.drift.families import check_compatible, family_of, to_float
        from mlops_kit.validation.drift.native import CatStats

        fam = family_of(series, self.name, "reference")
        if fam.name != "empty":
            if self.fam is None:
                self.fam = fam
            else:
                check_compatible(self.name, self.fam, fam)
        dtype = series.dtype
        self.np_int &= isinstance(dtype, np.dtype) and dtype.kind in "iu"
        self.is_int &= is_integer_dtype(dtype)
        self.n_rows += len(series)
        self.count += int(series.count())
        self.present |= has_values(series, fam, self.name, "reference")
        if fam.name == "numeric":
            values = to_float(series)
            values = values[~np.isnan(values)]
            if self.grid is not None:
                self.grid.add(values)
            else:
                keys, counts = np.unique(values, return_counts=True)
                self._add_keys(keys, counts)
        elif fam.name in ("string", "bool"):
            vc = CatStats.counts(series)
            self.counts = vc if self.counts is None else self.counts.add(vc, fill_value=0)

    def _add_keys(self, keys, counts) -> None:
        from mlops_kit.validation.drift.native import _align

        self.keys, mine, more = _align(self.keys, self.key_counts, keys, counts)
        self.key_counts = mine + more

    def merge(self, other: _RefPartial) -> None:
        from mlops_kit.validation.drift.families import check_compatible

        if other.fam is not None:
            if self.fam is None:
                self.fam = other.fam
            else:
                check_compatible(self.name, self.fam, other.fam)
        self.np_int &= other.np_int
        self.is_int &= other.is_int
        self.n_rows += other.n_rows
        self.count += other.count
        self.present |= other.present
        if self.grid is not None:
            for key in ("count", "offset", "equal"):
                setattr(self.grid, key, getattr(self.grid, key) + getattr(other.grid, key))
            self.grid.n += other.grid.n
        else:
            self._add_keys(other.keys, other.key_counts)
        if other.counts is not None:
            self.counts = (
                other.counts if self.counts is None else self.counts.add(other.counts, fill_value=0)
            )

    def ref_column(self, role: str, cap: int, plan=None):
        from mlops_kit.validation.drift.families import Family
        from mlops_kit.validation.drift.grid import DEFAULT_MAX_CELLS
        from mlops_kit.validation.drift.ref_sketch import RefSketch
        from mlops_kit.validation.drift.reference import ID_MIN_ROWS, RefColumn

        fam = self.fam or Family("empty", "empty")
        n_distinct = self.keys.size if plan is None else plan["distinct"]
        all_unique = (
            self.is_int
            and self.n_rows >= ID_MIN_ROWS
            and self.count == self.n_rows
            and (plan is not None or int(self.key_counts.sum()) == self.n_rows)
            and n_distinct == self.n_rows
        )
        col = RefColumn(
            self.name, role, fam, self.np_int, self.present, self.n_rows, bool(all_unique)
        )
        if not self.present or fam.name == "empty":
            return col
        if fam.name == "numeric" and plan is not None:
            if self.grid.n != plan["n"]:
                raise InputError.invalid(
                    "reference",
                    f"a Spark DataFrame whose column {self.name!r} held {plan['n']} values in one "
                    f"job and {self.grid.n} in the next",
                    "the same rows in every Spark job",
                    "cache or checkpoint a non-deterministic reference before fitting",
                )
            g = self.grid
            col.sketch = RefSketch(
                g.n, plan["mean"], plan["std"], plan["lo"], plan["hi"], g.grid, g.count,
                g.offset, g.equal, plan["n_estimate"],
            )  # fmt: skip
        elif fam.name == "numeric":
            values = np.repeat(self.keys.astype(np.float64), self.key_counts)
            if cap is not None and self.keys.size > cap:  # counted above the cap: sketch here
                col.sketch = RefSketch.from_sorted(values, DEFAULT_MAX_CELLS, self.keys.size)
            else:
                col.values = values
        elif fam.name in ("string", "bool"):
            counts = self.counts.astype(np.int64)
            col.counts = counts[counts > 0]
        return col


def _as_double(name: str, spark_type: str):
    from pyspark.sql import functions as F

    col = F.col("`" + name.replace("`", "``") + "`").cast("double")
    if spark_type.split("(")[0] in ("float", "double"):  # NaN: a value in Spark, missing in pandas
        col = F.when(F.isnan(col), None).otherwise(col)
    return col


def _plan_sketches(df, names, types, cap: int, max_cells: int) -> dict:
    """The columns to sketch in Spark (estimated above the cap), with their moments and grid."""
    from pyspark.sql import functions as F

    from mlops_kit.validation.drift.ref_sketch import QUANTILE_ERROR, make_grid

    names = [n for n in names if types[n].split("(")[0] in _SPARK_NUMERIC]
    if not names:
        return {}
    sel = df.select(*[_as_double(n, types[n]).alias(f"c{i}") for i, n in enumerate(names)])
    aggs = [F.count(F.lit(1)).alias("rows")]
    for i in range(len(names)):
        c = F.col(f"c{i}")
        aggs += [
            F.approx_count_distinct(c, rsd=APPROX_RSD),
            F.count(c),
            F.mean(c),
            F.stddev_pop(c),
            F.min(c),
            F.max(c),
        ]
    row = list(sel.agg(*aggs).first())
    rows, plans = row[0], {}
    for i, name in enumerate(names):
        est, n, mean, std, lo, hi = row[1 + 6 * i : 7 + 6 * i]
        if est > SKETCH_MARGIN * cap:
            if not (np.isfinite(lo) and np.isfinite(hi)):
                raise InputError.invalid(
                    f"column {name!r} in reference", "infinite values", "finite numbers"
                )
            plans[name] = {"i": i, "n_estimate": int(est), "n": int(n), "mean": mean}
            plans[name].update(std=std, lo=lo, hi=hi, distinct=int(est))
    if not plans:
        return {}
    probs = np.linspace(0.0, 1.0, max(max_cells // 2, 2)).tolist()
    picked = [f"c{p['i']}" for p in plans.values()]
    quantiles = sel.approxQuantile(picked, probs, QUANTILE_ERROR)
    exact_ids = [
        (name, plan)
        for name, plan in plans.items()
        if types[name].split("(")[0] in _SPARK_INTEGER and plan["n"] == rows
    ]
    if exact_ids:  # identifier candidates: the exact distinct count decides (a Spark shuffle)
        counts = sel.agg(*[F.count_distinct(f"c{p['i']}") for _, p in exact_ids]).first()
        for (_, plan), count in zip(exact_ids, counts):
            plan["distinct"] = int(count)
    for plan, q in zip(plans.values(), quantiles):
        plan["grid"] = make_grid(np.asarray(q), plan["lo"], plan["hi"], max_cells)
    return plans


def _fit_states(df, names, fn):
    """Run ``fn`` (batches -> state) on every partition and add the states up in Spark.

    A tree reduction in the executors: the driver receives the merged state only
    (``collect`` and a local sum where the DataFrame has no RDD, as on Spark Connect).
    """

    def merge(a, b):
        if "__error__" in a or "__error__" in b:
            return a if "__error__" in a else b
        try:
            for mine, theirs in zip(a["parts"], b["parts"]):
                mine.merge(theirs)
        except MlopsKitError as exc:
            return {"__error__": (type(exc), str(exc))}
        return a

    mapped = _mapped_states(df, names, fn)
    try:
        rdd = mapped.rdd
    except Exception:  # Spark Connect has no RDD API: reduce on the driver
        rdd = None
    if rdd is not None:
        if rdd.getNumPartitions() == 0:
            return None
        state = rdd.map(lambda r: pickle.loads(r.state)).treeReduce(merge, depth=2)
    else:
        states = [pickle.loads(r.state) for r in mapped.collect()]  # our executors' output
        if not states:
            return None
        state = functools.reduce(merge, states)
    _raise_carried(state)
    return state["parts"]


def summary_from_spark(
    reference,
    columns=None,
    column_types=None,
    target=None,
    prediction=None,
    id_columns=None,
    params=None,
    max_reference_values=None,
    max_cells=None,
):
    """The :class:`~.reference.ReferenceSummary` of a Spark DataFrame, counted in Spark.

    Same arguments and result as :meth:`ReferenceSummary.from_frame`, plus
    ``max_reference_values`` (numeric columns with more distinct values are
    sketched; ``None``: never - :class:`~.check.DriftCheck` passes its own) and
    ``max_cells`` (the sketch's grid size; default that of :mod:`.grid`).
    """
    from mlops_kit._params import Interval, check_param
    from mlops_kit.validation.drift.columns import check_column_types
    from mlops_kit.validation.drift.grid import DEFAULT_MAX_CELLS
    from mlops_kit.validation.drift.reference import ReferenceSummary, column_roles

    if not is_spark_frame(reference):
        raise InputError.invalid("reference", type(reference).__name__, "a Spark DataFrame")
    cap = max_reference_values
    check_param("max_reference_values", cap, [None, Interval(int, 1000, None)])
    max_cells = DEFAULT_MAX_CELLS if max_cells is None else max_cells
    check_param("max_cells", max_cells, [Interval(int, 4, None)])
    _check_frame(reference, "reference", [])
    roles, names = column_roles(list(reference.columns), columns, id_columns, target, prediction)
    check_column_types(column_types, names)
    types = _check_frame(reference, "reference", names)
    plans = {} if cap is None else _plan_sketches(reference, names, types, cap, max_cells)
    grids = {name: plan["grid"] for name, plan in plans.items()}

    def fit_partition(batches):
        parts = [_RefPartial(n, grids.get(n)) for n in names]
        for batch in batches:
            for part in parts:
                part.add(batch[part.name])
        return {"parts": parts}

    merged = _fit_states(reference, names, fit_partition)
    if merged is None or merged[0].n_rows == 0:
        raise InputError.invalid("reference", "a Spark DataFrame with 0 rows", "at least one row")
    cols = [m.ref_column(roles.get(m.name, "feature"), cap, plans.get(m.name)) for m in merged]
    return ReferenceSummary(cols, params, explicit_columns=columns is not None)
