"""Benchmark: WindowedMetrics with per-window drift on Spark vs the PredictionLog path.

The same seeded predictions (``--rows`` over ``--days`` days, a numeric and a
categorical feature, the probability of the positive class, 80% labelled,
drift from two thirds of the way on) go, once, into a
:class:`~mlops_kit.monitoring.PredictionLog` (compacted to Parquet, the log's
fast path) and into a Parquet folder. Then, ``--repeats`` times each (median
reported), with the same ``WindowedMetrics(window="day").fit(reference,
predictions=...)``:

- ``log``: ``wm.run(log)``, the kit's streaming path (one day in memory at a
  time, features parsed from the log's JSON, a DriftCheck per day);
- ``spark local[N]``: ``wm.run(spark.read.parquet(folder))``: one ``groupBy`` for
  the metrics and one keyed job for every day's drift.

Both results are compared: volumes, metrics and latency to 1e-9, drift
verdicts equal, drift scores (per window and per feature) to 1e-9; any
mismatch prints the window and the benchmark exits 1. The ratio is Spark's
median time over the log path's, measured in the same run.

Usage::

    .venv/bin/python benchmarks/bench_spark_windows.py                 # 1M predictions
    .venv/bin/python benchmarks/bench_spark_windows.py --rows 100000   # quick run
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

DAY_S = 86_400


def make_frame(rows: int, days: int, seed: int):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    day = np.sort(rng.integers(0, days, rows))
    late = day >= (2 * days) // 3
    x = rng.normal(np.where(late, 0.3, 0.0), 1.0, rows)
    c = np.where(
        late & (rng.random(rows) < 0.2),
        "a",
        rng.choice(["a", "b", "c"], rows, p=[0.4, 0.35, 0.25]),
    )
    prob = 1.0 / (1.0 + np.exp(-(x + rng.normal(0, 0.5, rows))))
    time = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(
        day * DAY_S + rng.integers(0, DAY_S, rows), unit="s"
    )
    truth = (rng.random(rows) < prob).astype(float)
    return pd.DataFrame(
        {
            "id": [f"p{i}" for i in range(rows)],
            "time": time,
            "x": x,
            "c": c,
            "probability": prob,
            "prediction": (prob >= 0.5).astype(int),
            "latency_ms": rng.gamma(2.0, 3.0, rows),
            "label": np.where(rng.random(rows) < 0.8, truth, np.nan),
        }
    )


def reference(n: int):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    ref = pd.DataFrame(
        {"x": rng.normal(0, 1, n), "c": rng.choice(["a", "b", "c"], n, p=[0.4, 0.35, 0.25])}
    )
    scores = 1.0 / (1.0 + np.exp(-(ref["x"].to_numpy() + rng.normal(0, 0.5, n))))
    return ref, scores


def fill_log(log, frame) -> None:
    step = 100_000
    for start in range(0, len(frame), step):
        part = frame.iloc[start : start + step]
        rows = part[["id", "x", "c", "probability", "prediction", "latency_ms"]].copy()
        rows.insert(1, "time", part["time"].map(lambda t: t.isoformat()))
        log.append(rows)
        known = part.dropna(subset=["label"])
        log.add_labels(dict(zip(known["id"], known["label"].astype(int))))
    log.compact()


def compare(want, got) -> list:
    bad = []
    w, g = want.windows, got.windows
    if len(w) != len(g):
        return [f"{len(w)} windows on the log path, {len(g)} on Spark"]
    numbers = ["volume", "n_labelled", "label_coverage", "accuracy", "latency_p50"]
    numbers += ["input_drift_share", "prediction_drift_score"]
    for i in range(len(w)):
        for name in numbers:
            a, b = float(w[name][i]), float(g[name][i])
            if not (math.isnan(a) and math.isnan(b)) and not math.isclose(a, b, rel_tol=1e-9):
                bad.append(f"window {i} {name}: log {a!r}, spark {b!r}")
        for name in ("input_drift", "prediction_drift"):
            if w[name][i] != g[name][i]:
                bad.append(f"window {i} {name}: log {w[name][i]!r}, spark {g[name][i]!r}")
        for col in want.feature_drift.columns:
            a, b = float(want.feature_drift[col][i]), float(got.feature_drift[col][i])
            if not math.isclose(a, b, rel_tol=1e-9):
                bad.append(f"window {i} feature {col}: log {a!r}, spark {b!r}")
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--ref-rows", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cores", type=int, default=2)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    from mlops_kit.monitoring import PredictionLog, WindowedMetrics

    ref, scores = reference(args.ref_rows)
    wm = WindowedMetrics(window="day", task="classification", metrics=["accuracy"])
    wm.fit(ref, predictions=scores)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        frame = make_frame(args.rows, args.days, seed=1)
        t0 = time.perf_counter()
        log = PredictionLog(folder / "log.db")
        fill_log(log, frame)
        print(
            f"{args.rows:,} predictions over {args.days} days written to the log in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        frame = frame.drop(columns=["id"])
        frame["time"] = frame["time"].astype("datetime64[us, UTC]")  # Spark reads micros
        frame.to_parquet(folder / "predictions.parquet", row_group_size=200_000)
        del frame

        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        from pyspark.sql import SparkSession

        spark = (
            SparkSession.builder.master(f"local[{args.cores}]")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", str(args.cores))
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.memory", "2g")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        times = {"log": [], "spark": []}
        results = {}
        try:
            for _ in range(args.repeats):
                for engine in ("log", "spark"):
                    t0 = time.perf_counter()
                    if engine == "log":
                        results[engine] = wm.run(log)
                    else:
                        df = spark.read.parquet(str(folder / "predictions.parquet"))
                        results[engine] = wm.run(df)
                    times[engine].append(time.perf_counter() - t0)
        finally:
            spark.stop()
    log_s, spark_s = statistics.median(times["log"]), statistics.median(times["spark"])
    drifted = int(results["spark"].windows["input_drift"].fillna(False).astype(bool).sum())
    print(
        f"daily windows with drift, {args.rows:,} predictions, reference {args.ref_rows:,} rows, "
        f"median of {args.repeats}"
    )
    runs = {k: ", ".join(f"{t:.2f}" for t in v) for k, v in times.items()}
    print(f"  PredictionLog path : {log_s:7.2f} s   (runs: {runs['log']})")
    print(f"  Spark local[{args.cores}]     : {spark_s:7.2f} s   (runs: {runs['spark']})")
    print(f"  Spark / log time   : {spark_s / log_s:.2f}x; {drifted} windows with input drift")
    bad = compare(results["log"], results["spark"])
    for line in bad[:20]:
        print("MISMATCH", line)
    print("results equal" if not bad else f"{len(bad)} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
