"""Benchmark: DriftCheck on Spark (local mode) against the pandas path, same data, same run.

Seeded data is written once to Parquet in a temporary folder: a reference of
``--ref-rows`` rows and a current window of ``--rows`` rows (3 numeric and 2
categorical columns, drift injected into 2). Each engine runs in its own
subprocess (fresh interpreter), which fits the reference once and times
``run(current)`` ``--repeats`` times (median reported):

- ``pandas``: ``pd.read_parquet`` then ``DriftCheck().run(current)``, the kit's
  in-memory path (reading is part of each timed run: the data starts on disk);
- ``spark local[N]``: ``spark.read.parquet`` then ``DriftCheck().run(current)``
  on the Spark DataFrame; the statistics are computed in Spark's executors.

Both results are compared per column (test, verdict; exact statistics to
1e-9, Wasserstein within the ``error_bound`` the Spark path reports); any
mismatch prints the column and the benchmark exits 1. Memory: the peak
resident set of the Python driver process and, for Spark, of its JVM (the
child process); Spark's Python workers (``mapInPandas``) are not counted.

With ``--reference-rows N`` it benchmarks the *fit* instead: a Spark fit on
an N-row reference, exact (every distinct value to the driver,
``max_reference_values`` above N) against sketched (the default cap of 1M:
the continuous columns are sketched), each in its own subprocess: median fit
time, driver peak RSS, JVM peak RSS, pickled summary size. Both fitted checks
then run on the same pandas window (``--rows``; the exact one in memory, the
sketched one through the streamed engine) and must agree within the bounds
the sketched run reports (verdicts equal unless a statistic lies within its
bound of the threshold); otherwise the benchmark exits 1.

Usage::

    .venv/bin/python benchmarks/bench_spark_drift.py                # 1M rows
    .venv/bin/python benchmarks/bench_spark_drift.py --rows 10000000
    .venv/bin/python benchmarks/bench_spark_drift.py --reference-rows 5000000 --rows 200000
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_data(folder: Path, rows: int, ref_rows: int) -> None:
    import numpy as np
    import pandas as pd

    def frame(n, seed, shift):
        rng = np.random.default_rng(seed)
        return pd.DataFrame(
            {
                "x1": rng.normal(shift, 1.0, n),
                "x2": np.round(rng.gamma(2.0, 1.0, n), 2),
                "x3": rng.exponential(1.0 + shift, n),
                "c1": rng.choice(["a", "b", "c", "d"], n, p=[0.4, 0.3, 0.2, 0.1]),
                "c2": rng.choice(["u", "v"], n, p=[0.5 + shift / 2, 0.5 - shift / 2]),
            }
        )

    frame(ref_rows, 0, 0.0).to_parquet(folder / "reference.parquet")
    chunk = 1_000_000
    (folder / "current").mkdir()
    for i, start in enumerate(range(0, rows, chunk)):
        frame(min(chunk, rows - start), 1 + i, 0.2).to_parquet(folder / "current" / f"{i}.parquet")


def spark_session(cores: int):
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(f"local[{cores}]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def jvm_peak_mb(spark) -> float:
    pid = spark.sparkContext._gateway.proc.pid  # the JVM that runs Spark, child of this one
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):  # its peak resident set
            return int(line.split()[1]) / 1024
    return 0.0


def fit_worker(mode: str, folder: Path, repeats: int, cores: int, cap: int) -> dict:
    """Fit a Spark reference exactly or sketched; run the fitted check on a pandas window."""
    import pandas as pd

    from mlops_kit.validation import DriftCheck

    spark = spark_session(cores)
    ref = spark.read.parquet(str(folder / "reference.parquet"))
    cap = 10**12 if mode == "exact" else cap
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        check = DriftCheck(max_reference_values=cap).fit(ref)
        times.append(time.perf_counter() - t0)
    driver_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # after the fits
    jvm_mb = jvm_peak_mb(spark)
    spark.stop()
    sketched = [c.name for c in check.reference_.columns if c.sketch is not None]
    summary_mb = len(pickle.dumps(check.reference_)) / 2**20  # before a run fills its caches
    result = check.run(pd.read_parquet(folder / "current"))
    return {
        "median_s": statistics.median(times),
        "times": times,
        "driver_mb": driver_mb,
        "jvm_mb": jvm_mb,
        "summary_mb": summary_mb,
        "sketched": sketched,
        "columns": [vars(c) for c in result.columns],
    }


def run_worker(flags: list) -> dict | None:
    """Run this script with ``flags`` in a fresh interpreter; its JSON result (None: failed)."""
    proc = subprocess.run([sys.executable, __file__, *flags], capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fit_main(args) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_data(folder, args.rows, args.reference_rows)
        runs = {}
        for mode in ("exact", "sketch"):
            flags = ["--fit-worker", mode, "--folder", tmp, "--repeats", str(args.repeats)]
            flags += ["--cores", str(args.cores)]
            runs[mode] = run_worker(
                [*flags, "--max-reference-values", str(args.max_reference_values)]
            )
            if runs[mode] is None:
                return 2
    base = runs["exact"]
    print(f"Spark fit of {args.reference_rows:,} reference rows x 5 columns, local[{args.cores}],")
    print(
        f"median of {args.repeats} fits each; max_reference_values={args.max_reference_values:,}"
        f" sketches {runs['sketch']['sketched']}"
    )
    head = f"{'fit':<10}{'median s':>10}{'vs exact':>10}{'driver MB':>11}{'JVM MB':>9}"
    print(head + f"{'summary MB':>12}")
    for mode, r in runs.items():
        ratio = r["median_s"] / base["median_s"]
        print(
            f"{mode:<10}{r['median_s']:>10.2f}{ratio:>9.2f}x{r['driver_mb']:>11.0f}"
            f"{r['jvm_mb']:>9.0f}{r['summary_mb']:>12.2f}"
        )
    print(f"then both run on a pandas window of {args.rows:,} rows:")
    for c in runs["sketch"]["columns"]:
        print(f"  {c['column']:<4}{c['test']:<15}{c['statistic']:.6g} +- {c['error_bound']:.2g}")
    bad = compare(base["columns"], runs["sketch"]["columns"])
    if not runs["sketch"]["sketched"]:
        bad.append("no column was sketched")
    for line in bad:
        print("MISMATCH", line)
    print("results agree within the reported bounds" if not bad else "RESULTS DISAGREE")
    return 1 if bad else 0


def worker(engine: str, folder: Path, repeats: int, cores: int) -> dict:
    import pandas as pd

    from mlops_kit.validation import DriftCheck

    ref = pd.read_parquet(folder / "reference.parquet")
    check = DriftCheck().fit(ref)
    times, result, spark = [], None, None
    if engine == "spark":
        spark = spark_session(cores)
    for _ in range(repeats):
        t0 = time.perf_counter()
        if engine == "spark":
            current = spark.read.parquet(str(folder / "current"))
        else:
            current = pd.read_parquet(folder / "current")
        result = check.run(current)
        times.append(time.perf_counter() - t0)
    jvm_mb = 0.0
    if spark is not None:
        jvm_mb = jvm_peak_mb(spark)
        spark.stop()
    kb = 1024  # ru_maxrss is in KiB on Linux
    return {
        "median_s": statistics.median(times),
        "times": times,
        "driver_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / kb,
        "jvm_mb": jvm_mb,
        "columns": [c.to_dict() if hasattr(c, "to_dict") else vars(c) for c in result.columns],
    }


def compare(want: list, got: list) -> list:
    bad = []
    for p, s in zip(want, got):
        name = p["column"]
        if (p["test"], p["drifted"]) != (s["test"], s["drifted"]):
            near = abs(p["statistic"] - p["threshold"]) <= s["error_bound"]
            if p["test"] != s["test"] or not near:
                bad.append(
                    f"{name}: pandas {p['test']}/{p['drifted']}, spark {s['test']}/{s['drifted']}"
                )
                continue
        if p["test"] == "wasserstein" or s["error_bound"] > 0:  # bounded: grid or sketch
            ok = abs(p["statistic"] - s["statistic"]) <= s["error_bound"] + 1e-9
        else:
            ok = math.isclose(p["statistic"], s["statistic"], rel_tol=1e-9, abs_tol=1e-12)
        if not ok:
            bad.append(f"{name}: statistic pandas {p['statistic']!r}, spark {s['statistic']!r}")
    if len(want) != len(got):
        bad.append(f"{len(want)} columns in pandas, {len(got)} in spark")
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--ref-rows", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--reference-rows", type=int, help="benchmark the fit: exact vs sketched")
    ap.add_argument("--max-reference-values", type=int, default=1_000_000, help="the cap")
    ap.add_argument("--worker", choices=["pandas", "spark"])
    ap.add_argument("--fit-worker", choices=["exact", "sketch"])
    ap.add_argument("--folder")
    args = ap.parse_args()
    if args.fit_worker:
        out = fit_worker(
            args.fit_worker, Path(args.folder), args.repeats, args.cores, args.max_reference_values
        )
        print(json.dumps(out, default=str))
        return 0
    if args.reference_rows:
        return fit_main(args)
    if args.worker:
        out = worker(args.worker, Path(args.folder), args.repeats, args.cores)
        print(json.dumps(out, default=str))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_data(folder, args.rows, args.ref_rows)
        runs = {}
        for engine in ("pandas", "spark"):
            flags = ["--worker", engine, "--folder", tmp, "--repeats", str(args.repeats)]
            runs[engine] = run_worker([*flags, "--cores", str(args.cores)])
            if runs[engine] is None:
                return 2
    base = runs["pandas"]
    print(f"drift on {args.rows:,} current rows x 5 columns (reference {args.ref_rows:,} rows),")
    print(f"median of {args.repeats} runs each, read from Parquet + run; Spark local[{args.cores}]")
    print(f"{'engine':<16}{'median s':>10}{'vs pandas':>11}{'driver MB':>11}{'JVM MB':>9}")
    for engine, r in runs.items():
        label = "pandas" if engine == "pandas" else f"spark local[{args.cores}]"
        ratio = r["median_s"] / base["median_s"]
        jvm = f"{r['jvm_mb']:.0f}" if engine == "spark" else "-"
        print(f"{label:<16}{r['median_s']:>10.2f}{ratio:>10.2f}x{r['driver_mb']:>11.0f}{jvm:>9}")
    bad = compare(base["columns"], runs["spark"]["columns"])
    for line in bad:
        print("MISMATCH", line)
    print("results agree" if not bad else "RESULTS DISAGREE")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
