"""Benchmark: the kit's buffered metric logging vs plain ``mlflow.log_metric``.

Both write to the same SQLite store and the same run. The peer is N plain
``mlflow.log_metric`` calls (one database transaction each); the kit logs M
values through :class:`~mlops_kit.tracking.run.Run` and the figure includes
the final flush, i.e. the time until every value is stored. Every value is
counted in the database afterwards.

Run::

    .venv/bin/python benchmarks/bench_tracking.py [--n 500] [--m 50000] [--keys 1] [--repeat 3]

Target: the kit's throughput is at least 20x the peer's.
"""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import statistics
import sys
import tempfile
import time


def count_rows(db_path: str, run_id: str, keys: list[str]) -> int:
    con = sqlite3.connect(db_path)
    try:
        marks = ",".join("?" * len(keys))
        sql = f"SELECT COUNT(*) FROM metrics WHERE run_uuid = ? AND key IN ({marks})"
        return con.execute(sql, [run_id, *keys]).fetchone()[0]
    finally:
        con.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="plain mlflow.log_metric calls")
    parser.add_argument("--m", type=int, default=50_000, help="values logged through the kit")
    parser.add_argument("--keys", type=int, default=1, help="distinct keys, interleaved")
    parser.add_argument("--flush-interval", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best is reported")
    args = parser.parse_args(argv)

    logging.getLogger("mlflow").setLevel(logging.WARNING)
    os.environ["MLFLOW_ENABLE_ASYNC_LOGGING"] = "false"
    import mlflow

    from mlops_kit.tracking.fluent import start_run

    folder = tempfile.mkdtemp(prefix="bench-tracking-")
    db_path = os.path.join(folder, "mlruns.db")
    uri = f"sqlite:///{db_path}"
    run = start_run("bench", tracking_uri=uri, flush_interval=args.flush_interval)
    plain_times, kit_times, plain_keys, kit_keys = [], [], [], []
    try:
        mlflow.log_metric("warmup", 0.0)  # open connections, compile queries
        run.log_metric("warmup_kit", 0.0)
        run.flush()
        for r in range(args.repeat):  # alternate, so machine load hits both alike
            key = f"plain_{r}"
            plain_keys.append(key)
            t0 = time.perf_counter()
            for i in range(args.n):
                mlflow.log_metric(key, i * 0.5, step=i)
            plain_times.append(time.perf_counter() - t0)

            keys = [f"kit_{r}_{k}" for k in range(args.keys)]
            kit_keys.extend(keys)
            t0 = time.perf_counter()
            for i in range(args.m):
                run.log_metric(keys[i % args.keys], i * 0.5)
            run.flush()  # included: the time until every value is stored
            kit_times.append(time.perf_counter() - t0)
    finally:
        run.end()

    stored_plain = count_rows(db_path, run.run_id, plain_keys)
    stored_kit = count_rows(db_path, run.run_id, kit_keys)
    plain_s, kit_s = min(plain_times), min(kit_times)
    plain_rate, kit_rate = args.n / plain_s, args.m / kit_s
    med_ratio = (args.m / statistics.median(kit_times)) / (args.n / statistics.median(plain_times))
    print(f"store: {uri}  (best of {args.repeat} alternating rounds)")
    print(
        "rounds (s): plain "
        + " ".join(f"{t:.2f}" for t in plain_times)
        + " | kit "
        + " ".join(f"{t:.2f}" for t in kit_times)
    )
    print(
        f"mlflow.log_metric : {args.n:>7} values in {plain_s:7.3f} s = {plain_rate:>9.0f} values/s"
    )
    print(
        f"mlops-kit buffered: {args.m:>7} values in {kit_s:7.3f} s = {kit_rate:>9.0f} values/s"
        f"  ({args.keys} key(s), final flush included)"
    )
    print(
        f"stored: {stored_plain} of {args.n * args.repeat} plain, {stored_kit} of "
        f"{args.m * args.repeat} kit values (counted in the database)"
    )
    print(
        f"ratio kit / mlflow.log_metric: {kit_rate / plain_rate:.1f}x best, "
        f"{med_ratio:.1f}x median (target >= 20x)"
    )
    ok = stored_plain == args.n * args.repeat and stored_kit == args.m * args.repeat
    if not ok:
        print("ERROR: not every value was stored", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
