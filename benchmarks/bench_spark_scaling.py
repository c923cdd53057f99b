"""Benchmark: how the Spark drift path scales with executor cores on this machine.

Runs the same seeded drift job as ``bench_spark_drift.py`` (its data and its
worker, each engine in a fresh subprocess) with Spark ``local[1]`` and
``local[2]``, and the pandas path as the peer a user runs today. Each
configuration runs ``--repeats + 1`` times in one process; the first run
(JVM JIT and Python worker start-up) is shown but left out of the median. The
current window is written as 1M-row Parquet files, so ``--rows 4000000``
gives four input partitions for the cores to share. Prints the median of
``--repeats`` runs per configuration, the speed-up of each core count over
``local[1]``, and exits 1 if any Spark result disagrees with pandas'.

This machine has 2 cores, so only 1 and 2 can be measured here; a cluster
adds executors the same way (each partition is reduced independently and the
driver adds fixed-size states).

Usage::

    .venv/bin/python benchmarks/bench_spark_scaling.py                 # 4M rows
    .venv/bin/python benchmarks/bench_spark_scaling.py --rows 8000000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_spark_drift import compare, make_data, run_worker


def measure(engine: str, folder: str, repeats: int, cores: int) -> dict:
    flags = ["--worker", engine, "--folder", folder, "--repeats", str(repeats + 1)]
    out = run_worker([*flags, "--cores", str(cores)])
    if out is None:
        raise SystemExit(2)
    out["median_s"] = statistics.median(out["times"][1:])  # the first run warms up
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=4_000_000)
    ap.add_argument("--ref-rows", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--cores", default="1,2", help="comma-separated local[N] core counts")
    args = ap.parse_args()
    cores = [int(c) for c in args.cores.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        make_data(Path(tmp), args.rows, args.ref_rows)
        runs = {"pandas": measure("pandas", tmp, args.repeats, 1)}
        for n in cores:
            runs[f"spark local[{n}]"] = measure("spark", tmp, args.repeats, n)
    base = runs["pandas"]
    first = runs[f"spark local[{cores[0]}]"]
    print(f"drift on {args.rows:,} current rows x 5 columns (reference {args.ref_rows:,} rows),")
    print(f"median of {args.repeats} runs each after a warm-up, read from Parquet + run;")
    print(f"this machine: os.cpu_count() = {os.cpu_count()}")
    head = f"{'engine':<16}{'median s':>10}  {'runs s (1st: warm-up)':>34}{'vs pandas':>11}"
    print(head + f"{'vs local[' + str(cores[0]) + ']':>13}")
    bad = []
    for label, r in runs.items():
        times = ", ".join(f"{t:.1f}" for t in r["times"])
        speed = "-" if label == "pandas" else f"{first['median_s'] / r['median_s']:.2f}x"
        ratio = r["median_s"] / base["median_s"]
        print(f"{label:<16}{r['median_s']:>10.2f}  {times:>34}{ratio:>10.2f}x{speed:>13}")
        if label != "pandas":
            bad += [f"{label}: {line}" for line in compare(base["columns"], r["columns"])]
    for line in bad:
        print("MISMATCH", line)
    print("results agree" if not bad else "RESULTS DISAGREE")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
