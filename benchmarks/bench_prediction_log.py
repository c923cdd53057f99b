"""Benchmark: the prediction log's appends, and daily metrics over N predictions vs pandas.

Two parts, in one run:

1. **Appends** to :class:`mlops_kit.monitoring.PredictionLog` (SQLite in WAL
   mode): rows/s one at a time (``log_one``, one transaction each) and in
   batches of 10,000 (``append``). When DuckDB is installed, the same
   one-at-a-time appends to a DuckDB file are timed as the engine peer, and a
   second process tries to append to that file while the first holds it.
2. **Daily metrics** over a log of ``--rows`` predictions spread over
   ``--days`` days (80% labelled): volume, label coverage, accuracy,
   precision, recall, ROC AUC and latency p50/p95/p99 per day. The kit
   (:class:`~mlops_kit.monitoring.WindowedMetrics`, streaming one day at a
   time) against the obvious pandas approach (``read_sql`` of the whole log,
   then ``groupby`` day with the same registry metrics). Each runs in its own
   subprocess; peak memory is that subprocess's peak RSS. The kit also runs
   over the first quarter of the log, to show its memory does not grow with the
   log. Every run's table must equal pandas' (exit 1 otherwise).

Figures are medians over ``--repeats`` runs, printed as ratios against the
peer measured in the same run. Both wall-clock and CPU time (``time.process_time``
of the child) are printed: on a shared machine the CPU time is the steadier figure.

Usage::

    .venv/bin/python benchmarks/bench_prediction_log.py                 # 10M predictions
    .venv/bin/python benchmarks/bench_prediction_log.py --rows 200000   # quick run
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DAY_MS = 86_400_000
START_MS = 1_704_067_200_000  # 2024-01-01 UTC
COLUMNS = [
    "volume",
    "n_labelled",
    "label_coverage",
    "accuracy",
    "precision",
    "recall",
    "roc_auc",
    "latency_p50",
    "latency_p95",
    "latency_p99",
]


# --- the log ----------------------------------------------------------------
def fill_log(path: str, rows: int, days: int, seed: int = 0, chunk: int = 200_000) -> float:
    """Write ``rows`` seeded predictions (and 80% of their labels); return seconds.

    The rows go through the log's own schema in large transactions (this is
    set-up, not what is measured; appends are timed separately).
    """
    import numpy as np

    from mlops_kit.monitoring.log import PredictionLog

    t0 = time.perf_counter()
    log = PredictionLog(path, max_delay=None)
    con = log._connect()
    con.execute("PRAGMA cache_size=-500000")  # 500 MB of page cache: set-up, not measured
    rng = np.random.default_rng(seed)
    span = days * DAY_MS
    for start in range(0, rows, chunk):
        n = min(chunk, rows - start)
        # evenly spread over the days, in time order
        ts = START_MS + (np.arange(start, start + n, dtype=np.int64) * span) // rows
        prob = rng.beta(2, 5, n)
        pred = (prob >= 0.5).astype(int)
        label = (rng.random(n) < prob).astype(int)
        has = rng.random(n) < 0.8
        latency = np.round(rng.lognormal(np.log(8.0), 0.35, n), 3)
        x = np.round(rng.normal(size=(n, 4)), 4)
        seqs = range(start + 1, start + n + 1)
        con.execute("BEGIN")
        con.executemany(
            "INSERT INTO predictions (seq, id, ts, model, version, features, prediction,"
            " probability, latency_ms) VALUES (?, ?, ?, 'm', '1', ?, ?, ?, ?)",
            (
                (
                    s,
                    f"p{s}",
                    int(ts[i]),
                    f'{{"a": {x[i, 0]}, "b": {x[i, 1]}, "c": {x[i, 2]}, "d": {x[i, 3]}}}',
                    int(pred[i]),
                    float(prob[i]),
                    float(latency[i]),
                )
                for i, s in enumerate(seqs)
            ),
        )
        con.executemany(
            "INSERT INTO labels (seq, label, ts) VALUES (?, ?, ?)",
            ((s, int(label[i]), int(ts[i]) + DAY_MS) for i, s in enumerate(seqs) if has[i]),
        )
        con.execute("COMMIT")
    log.close()
    return time.perf_counter() - t0


def compact_log(path: str):
    """Compact the closed days of the log to Parquet; return (days, seconds)."""
    from mlops_kit.monitoring.log import PredictionLog

    log = PredictionLog(path, max_delay=None)
    t0 = time.perf_counter()
    days = log.compact()
    seconds = time.perf_counter() - t0
    if log.compact() != 0:
        raise SystemExit("compaction is not idempotent")
    log.close()
    return days, seconds


# --- the two approaches (each run in a child process) -------------------------
def kit_daily(path: str, end_ms: int | None):
    import pandas as pd

    from mlops_kit.monitoring import PredictionLog, WindowedMetrics

    end = None if end_ms is None else pd.Timestamp(end_ms, unit="ms", tz="UTC")
    result = WindowedMetrics(window="day", task="classification").run(PredictionLog(path), end=end)
    return result.to_frame()[COLUMNS]


def pandas_daily(path: str, end_ms: int | None):
    import sqlite3

    import numpy as np
    import pandas as pd

    from mlops_kit.monitoring._engines import window_metric

    con = sqlite3.connect(path)
    df = pd.read_sql(
        "SELECT p.*, l.label FROM predictions p LEFT JOIN labels l ON l.seq = p.seq", con
    )
    con.close()
    df["day"] = df["ts"] // DAY_MS
    rows = []
    for _, g in df.groupby("day", sort=True):
        lab = g[g["label"].notna()]
        y = lab["label"].to_numpy(float)
        p, s = lab["prediction"].to_numpy(float), lab["probability"].to_numpy(float)
        row = {"volume": len(g), "n_labelled": len(lab), "label_coverage": len(lab) / len(g)}
        for name in ("accuracy", "precision", "recall", "roc_auc"):
            row[name] = window_metric(name, y, p, s)
        for q in (0.5, 0.95, 0.99):
            row[f"latency_p{round(q * 100)}"] = float(np.quantile(g["latency_ms"], q))
        rows.append(row)
    return pd.DataFrame(rows)[COLUMNS]


def child(which: str, path: str, out: str, end_ms: int | None) -> None:
    import pandas  # noqa: F401 (both sides need it: not part of the timing)

    import mlops_kit.metrics  # noqa: F401

    t0, c0 = time.perf_counter(), time.process_time()
    frame = (kit_daily if which == "kit" else pandas_daily)(path, end_ms)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    frame.to_pickle(out)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb}))


def run_child(which: str, path: str, workdir: str, end_ms: int | None = None):
    import pandas as pd

    out = os.path.join(workdir, f"{which}.pkl")
    cmd = [sys.executable, __file__, "--child", which, "--log", path, "--out", out]
    if end_ms is not None:
        cmd += ["--end-ms", str(end_ms)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"{which} child failed")
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    return figures, pd.read_pickle(out)


# --- appends ----------------------------------------------------------------
def time_appends(workdir: str, repeats: int, single: int, batched: int):
    import numpy as np

    from mlops_kit.monitoring import PredictionLog

    one, many = [], []
    for r in range(repeats):
        log = PredictionLog(os.path.join(workdir, f"appends-{r}.db"), max_delay=None)
        t0 = time.perf_counter()
        for i in range(single):
            log.log_one(
                f"s{i}", {"a": 0.5, "b": 1.5}, prediction=1, probability=0.7, latency_ms=8.0
            )
        one.append(single / (time.perf_counter() - t0))
        rows = [
            {
                "id": f"b{i}",
                "features": {"a": 0.5, "b": 1.5},
                "prediction": 1,
                "probability": 0.7,
                "latency_ms": 8.0,
            }
            for i in range(batched)
        ]
        t0 = time.perf_counter()
        for start in range(0, batched, 10_000):
            log.append(rows[start : start + 10_000])
        many.append(batched / (time.perf_counter() - t0))
        assert len(log) == single + batched, "appends lost rows"
        log.close()
    return float(np.median(one)), float(np.median(many))


def time_duckdb(workdir: str, repeats: int, single: int):
    try:
        import duckdb
    except ImportError:
        return None, "duckdb not installed"
    rates = []
    for r in range(repeats):
        path = os.path.join(workdir, f"duck-{r}.duckdb")
        con = duckdb.connect(path)
        con.execute(
            "CREATE TABLE predictions (id VARCHAR PRIMARY KEY, ts BIGINT, features VARCHAR,"
            " prediction DOUBLE, probability DOUBLE, latency_ms DOUBLE)"
        )
        t0 = time.perf_counter()
        for i in range(single):
            con.execute(
                "INSERT INTO predictions VALUES (?, ?, ?, ?, ?, ?)",
                [f"s{i}", i, '{"a": 0.5, "b": 1.5}', 1.0, 0.7, 8.0],
            )
        rates.append(single / (time.perf_counter() - t0))
        if r == 0:  # a second process appending while this one holds the file
            code = (
                f"import duckdb; duckdb.connect({path!r}).execute("
                "\"INSERT INTO predictions VALUES ('x', 1, '{}', 1, 0.5, 1)\")"
            )
            proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
            second = "appended" if proc.returncode == 0 else "refused (file lock held)"
        con.close()
    return statistics.median(rates), second


# --- main ---------------------------------------------------------------------
def same(a, b) -> bool:
    import numpy as np

    if a.shape != b.shape:
        return False
    return bool(
        np.allclose(a.to_numpy(float), b.to_numpy(float), rtol=1e-9, atol=1e-12, equal_nan=True)
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--single", type=int, default=2_000, help="one-at-a-time appends")
    parser.add_argument("--batched", type=int, default=200_000, help="rows appended in batches")
    parser.add_argument("--child", choices=["kit", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--log", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--end-ms", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.log, args.out, args.end_ms)
        return 0
    if args.rows < 1_000 or args.days < 4 or args.repeats < 1:
        print("--rows >= 1000, --days >= 4 and --repeats >= 1", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="bench-log-") as workdir:
        print(f"Appends ({args.repeats} repeats, medians)")
        one, many = time_appends(workdir, args.repeats, args.single, args.batched)
        duck, second = time_duckdb(workdir, args.repeats, args.single)
        print(f"  kit (SQLite WAL) one at a time : {one:12,.0f} rows/s")
        print(f"  kit (SQLite WAL) batches of 10k: {many:12,.0f} rows/s")
        if duck is not None:
            print(
                f"  DuckDB file one at a time      : {duck:12,.0f} rows/s"
                f"  -> kit is {one / duck:,.0f}x faster"
            )
        print(f"  DuckDB file, second process    : {second}")

        path = os.path.join(workdir, "log.db")
        fill = fill_log(path, args.rows, args.days)
        size = os.path.getsize(path) / 1e6
        print(
            f"\nLog: {args.rows:,} predictions over {args.days} days, {size:,.0f} MB "
            f"(written in {fill:,.0f} s)"
        )
        # the streamed SQLite path, before any compaction (once: the figure to beat)
        (uf, unc_frame) = run_child("kit", path, workdir)
        if not same(unc_frame, run_child("pandas", path, workdir)[1]):
            print("MISMATCH: the SQLite path's daily metrics differ from pandas'", file=sys.stderr)
            return 1
        days, compaction = compact_log(path)
        parts = sum(f.stat().st_size for f in Path(path + ".parts").iterdir()) / 1e6
        print(
            f"Compaction of the closed days to Parquet: {days} days, {parts:,.0f} MB, "
            f"{compaction:,.1f} s (once per day of traffic; a second run writes nothing)"
        )
        quarter = START_MS + (args.days // 4) * DAY_MS
        kit_t, kit_m, pd_t, pd_m, small_m, kit_c, pd_c = [], [], [], [], [], [], []
        for _ in range(args.repeats):
            (kf, kit_frame) = run_child("kit", path, workdir)
            (pf, pd_frame) = run_child("pandas", path, workdir)
            (sf, small_frame) = run_child("kit", path, workdir, end_ms=quarter)
            if not same(kit_frame, pd_frame) or not same(
                small_frame, pd_frame.iloc[: len(small_frame)]
            ):
                print("MISMATCH: the kit's daily metrics differ from pandas'", file=sys.stderr)
                print(kit_frame.head().to_string(), pd_frame.head().to_string(), file=sys.stderr)
                return 1
            kit_t.append(kf["seconds"])
            kit_c.append(kf["cpu"])
            pd_c.append(pf["cpu"])
            kit_m.append(kf["peak_mb"])
            pd_t.append(pf["seconds"])
            pd_m.append(pf["peak_mb"])
            small_m.append(sf["peak_mb"])
        med = statistics.median
        print(
            f"Daily metrics ({len(kit_frame)} days, {args.repeats} repeats, medians; "
            "identical tables)"
        )
        print(
            f"  kit WindowedMetrics  : {med(kit_t):8.2f} s wall {med(kit_c):8.2f} s CPU  "
            f"peak RSS {med(kit_m):6,.0f} MB (first quarter of the log: {med(small_m):,.0f} MB)"
        )
        print(
            f"  pandas load + groupby: {med(pd_t):8.2f} s wall {med(pd_c):8.2f} s CPU  "
            f"peak RSS {med(pd_m):6,.0f} MB"
        )
        print(
            f"  kit before compaction: {uf['seconds']:8.2f} s wall {uf['cpu']:8.2f} s CPU  "
            f"peak RSS {uf['peak_mb']:6,.0f} MB (SQLite streamed; one run)"
        )
        speed, cpu = med(pd_t) / med(kit_t), med(pd_c) / med(kit_c)
        print(
            f"  -> kit is {speed:.1f}x faster (wall), {cpu:.1f}x (CPU), with "
            f"{med(pd_m) / med(kit_m):.1f}x less memory "
            f"(target >= 10x: {'met' if min(speed, cpu) >= 10 else 'NOT met'})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
