"""Benchmark: native drift engine vs Evidently 0.7's DataDriftPreset, same data, same run.

Each engine runs in its own subprocess (fresh interpreter) that builds the
same seeded data (reference and current of ``--rows`` rows, 15 numeric and 5
categorical columns, drift injected into 7 of them), then times the drift
check alone. Peak memory is the subprocess's peak resident set size
(``ru_maxrss``); "working memory" subtracts the RSS measured just before the
check (interpreter, imports and the data itself).

Usage::

    .venv/bin/python benchmarks/bench_drift.py              # 1M rows x 20 columns
    .venv/bin/python benchmarks/bench_drift.py --rows 100000  # quick run

A third row times the native engine streaming the current data from a
Parquet file (``--no-stream`` skips it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

N_NUM, N_CAT = 15, 5


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


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")  # pragma: no cover


def worker(engine: str, rows: int, parquet: str | None) -> dict:
    import warnings

    warnings.simplefilter("ignore")
    ref, cur = make_frames(rows, current=parquet is None)
    if engine == "evidently":
        from evidently import Report
        from evidently.presets import DataDriftPreset
    else:
        import scipy.spatial
        import scipy.stats  # noqa: F401

        from mlops_kit.validation import DriftCheck
    if parquet:
        cur = parquet
    before = _rss_mb()
    start = time.perf_counter()
    if engine == "evidently":
        snap = Report([DataDriftPreset()]).run(cur, ref)
        value = next(m["value"] for m in snap.dict()["metrics"] if "count" in m["value"])
        n_drifted = int(value["count"])
    else:
        n_drifted = DriftCheck().run(ref, cur).n_drifted
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "before_mb": before, "n_drifted": n_drifted}


def run_sub(engine: str, rows: int, parquet: str | None = None) -> dict:
    cmd = [sys.executable, __file__, "--worker", engine, "--rows", str(rows)]
    if parquet:
        cmd += ["--parquet", parquet]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--worker", choices=["native", "evidently"], help=argparse.SUPPRESS)
    parser.add_argument("--parquet", help=argparse.SUPPRESS)
    parser.add_argument("--no-stream", action="store_true", help="skip the streamed native run")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.rows, args.parquet)))
        return
    print(
        f"{args.rows:,} rows x {N_NUM + N_CAT} columns ({N_NUM} numeric, {N_CAT} categorical), "
        "reference and current each"
    )
    results = {"native": run_sub("native", args.rows), "evidently": run_sub("evidently", args.rows)}
    if not args.no_stream:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "current.parquet")
            make_frames(args.rows)[1].to_parquet(path, row_group_size=65_536)
            results["native, streamed Parquet"] = run_sub("native", args.rows, path)
    ev = results["evidently"]
    print(
        f"{'engine':26s} {'time s':>8s} {'speed-up':>9s} {'peak MB':>8s} {'x Evid.':>8s} "
        f"{'work MB':>8s} {'x Evid.':>8s} {'drifted':>7s}"
    )
    for name, r in results.items():
        work, ev_work = r["peak_mb"] - r["before_mb"], ev["peak_mb"] - ev["before_mb"]
        print(
            f"{name:26s} {r['seconds']:8.2f} {ev['seconds'] / r['seconds']:8.1f}x "
            f"{r['peak_mb']:8.0f} {r['peak_mb'] / ev['peak_mb']:8.2f} {work:8.0f} "
            f"{work / ev_work:8.2f} {r['n_drifted']:7d}"
        )
    same = results["native"]["n_drifted"] == ev["n_drifted"]
    print(f"drifted-column counts {'agree' if same else 'DIFFER'} between the engines")


if __name__ == "__main__":
    main()
