"""Benchmark: the native drift engine against what a user would run instead, same data, same run.

Rows, each in its own subprocess (fresh interpreter) that builds the same
seeded data (reference and current of ``--rows`` rows, 15 numeric and 5
categorical columns, drift injected into 7 of them) and times the check
``--repeats`` times (median reported):

- ``evidently preset``: Evidently 0.7's ``DataDriftPreset`` report, what a
  user runs today (most of its time is building the report);
- ``evidently stattests``: like for like, Evidently's own stattests called
  directly per column (its default choice, ``get_stattest``), no report;
- ``scipy/pandas loop``: like for like, a plain loop a user would write:
  ``scipy.stats.wasserstein_distance`` / reference std for numeric columns,
  ``value_counts`` and ``scipy.spatial.distance.jensenshannon`` for
  categorical ones;
- ``native``: ``DriftCheck().run(reference, current)``;
- ``native, fitted``: ``run(current)`` on a check fitted once beforehand;
- ``native, streamed Parquet``: the current data read from a Parquet file.

Every row's per-column test, statistic (relative 1e-6) and verdict are
compared with the native engine's (the streamed row's Wasserstein distances
within the ``error_bound`` it reports); any mismatch prints the column and
the benchmark exits 1. Peak memory is the subprocess's peak resident set size.

Usage::

    .venv/bin/python benchmarks/bench_drift.py                 # 1M rows x 20 columns
    .venv/bin/python benchmarks/bench_drift.py --rows 100000   # quick run
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

N_NUM, N_CAT = 15, 5
REL = 1e-6
ENGINES = (
    "evidently preset",
    "evidently stattests",
    "scipy/pandas loop",
    "native",
    "native, fitted",
    "native, streamed Parquet",
)


def make_frames(rows: int, seed: int = 0, current: bool = True):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    cats = np.array([f"cat_{i}" for i in range(8)], dtype=object)

    def frame(drift: bool):
        data = {}
        for i in range(N_NUM):
            shift = 0.3 * (i % 3 == 0) if drift else 0.0  # 5 drifted numeric columns
            data[f"num_{i}"] = rng.normal(shift, 1.0 + 0.1 * i, rows)
        for j in range(N_CAT):
            p = np.full(8, 1 / 8)
            if drift and j < 2:  # 2 drifted categorical columns
                p = np.linspace(1, 3, 8)
                p /= p.sum()
            data[f"cat_{j}"] = cats[rng.choice(8, rows, p=p)]
        return pd.DataFrame(data)

    reference = frame(False)
    return reference, frame(True) if current else None


def _evidently_preset(ref, cur):
    from evidently import Report
    from evidently.presets import DataDriftPreset

    from mlops_kit.validation.drift.methods import method_from_display_name

    snap = Report([DataDriftPreset()], include_tests=True).run(cur, ref)
    data = snap.dict()
    status = {
        t["metric_config"]["metric_id"]: t["status"] for t in data["tests"] if t["id"] == "drift"
    }
    out = {}
    for m in data["metrics"]:
        config = m["config"]
        if config["type"].endswith("ValueDrift"):
            out[config["column"]] = (
                method_from_display_name(config["method"]),
                float(m["value"]),
                status[m["id"]] == "FAIL",
                0.0,
            )
    return out


def _evidently_stattests(ref, cur):
    from evidently.legacy.calculations.stattests.registry import get_stattest
    from evidently.legacy.core import ColumnType

    out = {}
    for col in ref.columns:
        kind = ColumnType.Numerical if col.startswith("num") else ColumnType.Categorical
        test = get_stattest(ref[col], cur[col], kind, None)
        res = test(ref[col], cur[col], kind, None)
        out[col] = (test.name, float(res.drift_score), bool(res.drifted), 0.0)
    return out


def _scipy_loop(ref, cur):
    import numpy as np
    from scipy import stats
    from scipy.spatial import distance

    out = {}
    for col in ref.columns:
        if col.startswith("num"):
            r, c = ref[col].to_numpy(), cur[col].to_numpy()
            w = stats.wasserstein_distance(r, c) / max(np.std(r), 0.001)
            out[col] = ("wasserstein", float(w), bool(w >= 0.1), 0.0)
        else:
            rc = ref[col].value_counts()
            cc = cur[col].value_counts()
            keys = rc.index.union(cc.index)
            rp = rc.reindex(keys, fill_value=0).to_numpy() / len(ref)
            cp = cc.reindex(keys, fill_value=0).to_numpy() / len(cur)
            js = distance.jensenshannon(rp, cp)
            out[col] = ("jensenshannon", float(js), bool(js >= 0.1), 0.0)
    return out


def _native_rows(result):
    return {c.column: (c.test, c.statistic, c.drifted, c.error_bound) for c in result.checked}


def worker(engine: str, rows: int, repeats: int, parquet: str | None) -> dict:
    import warnings

    warnings.simplefilter("ignore")
    ref, cur = make_frames(rows, current=parquet is None)
    import scipy.spatial
    import scipy.stats  # noqa: F401

    from mlops_kit.validation import DriftCheck

    if engine.startswith("evidently"):
        import evidently.presets  # noqa: F401  (imports are not timed)
    fitted = DriftCheck().fit(ref) if engine == "native, fitted" else None
    run = {
        "evidently preset": lambda: _evidently_preset(ref, cur),
        "evidently stattests": lambda: _evidently_stattests(ref, cur),
        "scipy/pandas loop": lambda: _scipy_loop(ref, cur),
        "native": lambda: _native_rows(DriftCheck().run(ref, cur)),
        "native, fitted": lambda: _native_rows(fitted.run(cur)),
        "native, streamed Parquet": lambda: _native_rows(DriftCheck().run(ref, parquet)),
    }[engine]
    times, columns = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        columns = run()
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": times, "peak_mb": peak, "columns": columns}


def run_sub(engine: str, rows: int, repeats: int, parquet: str | None = None) -> dict:
    cmd = [sys.executable, __file__, "--worker", engine, "--rows", str(rows)]
    cmd += ["--repeats", str(repeats)]
    if parquet:
        cmd += ["--parquet", parquet]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def mismatches(reference: dict, other: dict) -> list[str]:
    """Columns whose test, statistic or verdict differ from the native engine's.

    Statistics agree within 1e-6 relative, or within the error bound a row
    states for it (the streamed normed Wasserstein distance).
    """
    bad = []
    for col, (test, value, drifted, _) in reference.items():
        if col not in other:
            bad.append(f"{col}: missing")
            continue
        o_test, o_value, o_drifted, bound = other[col]
        same_value = math.isclose(value, o_value, rel_tol=REL, abs_tol=1e-12) or (
            abs(value - o_value) <= bound
        )
        if o_test != test or not same_value or o_drifted != drifted:
            bad.append(
                f"{col}: native {test} {value:.9g} {drifted}, got {o_test} {o_value:.9g} "
                f"{o_drifted}"
            )
    return bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per engine (median)")
    parser.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--parquet", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.rows, args.repeats, args.parquet)))
        return 0
    print(
        f"{args.rows:,} rows x {N_NUM + N_CAT} columns ({N_NUM} numeric, {N_CAT} categorical), "
        f"reference and current each; median of {args.repeats} runs per row"
    )
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "current.parquet")
        make_frames(args.rows)[1].to_parquet(path, row_group_size=65_536)
        for engine in ENGINES:
            parquet = path if engine.endswith("Parquet") else None
            results[engine] = run_sub(engine, args.rows, args.repeats, parquet)
    native = results["native"]
    base = statistics.median(native["seconds"])
    print(
        f"{'row':26s} {'median s':>9s} {'min s':>7s} {'max s':>7s} {'time / native':>14s} "
        f"{'peak MB':>8s} {'drifted':>7s}"
    )
    failures = []
    for name, r in results.items():
        med = statistics.median(r["seconds"])
        n_drifted = sum(1 for v in r["columns"].values() if v[2])
        print(
            f"{name:26s} {med:9.2f} {min(r['seconds']):7.2f} {max(r['seconds']):7.2f} "
            f"{med / base:13.1f}x {r['peak_mb']:8.0f} {n_drifted:7d}"
        )
        failures += [f"{name}: {m}" for m in mismatches(native["columns"], r["columns"])]
    if failures:
        print("MISMATCH between engines (test, statistic or verdict):")
        for line in failures:
            print("  " + line)
        return 1
    print(
        "every row agrees with the native engine on every column's test, statistic (streamed "
        "Wasserstein: within its stated error bound) and verdict"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
