"""Benchmark: the kit's buffered metric logging against the ways a user logs with MLflow.

All peers write to the same SQLite store (one run each, same keys pattern) in
the same process, in alternating rounds so machine load hits them alike:

- ``mlflow.log_metric``: one synchronous call (one transaction) per value;
- ``mlflow.log_metrics``: one synchronous call per step with every key;
- ``MlflowClient.log_batch`` by hand: the user builds ``Metric`` objects and
  sends 1,000 per call (MLflow's limit): the fastest plain MLflow can go;
- MLflow async logging: ``mlflow.log_metric(..., synchronous=False)`` (what
  ``MLFLOW_ENABLE_ASYNC_LOGGING=true`` turns on), with
  ``mlflow.flush_async_logging()`` included;
- the kit: ``Run.log_metric`` per value, final flush included.

Every figure is the time until every value is stored, and every value is
counted in the database afterwards: a wrong count exits 1. Rates are
values per second, medians over ``--repeat`` rounds; ratios are the kit's
median rate over each peer's median rate.

Run::

    .venv/bin/python benchmarks/bench_tracking.py [--n 300] [--m 20000] [--m-async 1000]
        [--keys 5] [--repeat 3]
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


def count_rows(db_path: str, run_id: str) -> int:
    con = sqlite3.connect(db_path)
    try:
        sql = "SELECT COUNT(*) FROM metrics WHERE run_uuid = ?"
        return con.execute(sql, [run_id]).fetchone()[0]
    finally:
        con.close()


def _plain_log_metric(mlflow, client, run_id, keys, count):
    with mlflow.start_run(run_id=run_id):
        for i in range(count):
            mlflow.log_metric(keys[i % len(keys)], i * 0.5, step=i // len(keys))


def _plain_log_metrics(mlflow, client, run_id, keys, count):
    with mlflow.start_run(run_id=run_id):
        for step in range(count // len(keys)):
            mlflow.log_metrics({k: step * 0.5 for k in keys}, step=step)


def _hand_batched(mlflow, client, run_id, keys, count):
    from mlflow.entities import Metric

    batch = []
    for i in range(count):
        batch.append(Metric(keys[i % len(keys)], i * 0.5, int(time.time() * 1000), i))
        if len(batch) == 1000:
            client.log_batch(run_id, metrics=batch)
            batch = []
    if batch:
        client.log_batch(run_id, metrics=batch)


def _mlflow_async(mlflow, client, run_id, keys, count):
    with mlflow.start_run(run_id=run_id):
        for i in range(count):
            mlflow.log_metric(keys[i % len(keys)], i * 0.5, step=i, synchronous=False)
        mlflow.flush_async_logging()


def _kit_run(uri):
    from mlops_kit.tracking.fluent import start_run

    return start_run("bench-kit", tracking_uri=uri, flush_interval=2.0)


def _kit(run, keys, count):
    for i in range(count):
        run.log_metric(keys[i % len(keys)], i * 0.5)
    run.end()  # final flush included: the time until every value is stored


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="values for the per-call peers")
    parser.add_argument("--m", type=int, default=20_000, help="values for batched/async/kit")
    parser.add_argument(
        "--m-async", type=int, default=1000, help="values for MLflow async (slow: fewer)"
    )
    parser.add_argument("--keys", type=int, default=5, help="distinct keys, interleaved")
    parser.add_argument("--repeat", type=int, default=3, help="alternating rounds (medians)")
    args = parser.parse_args(argv)

    logging.getLogger("mlflow").setLevel(logging.ERROR)
    os.environ["MLFLOW_ENABLE_ASYNC_LOGGING"] = "false"  # async only where asked for
    import mlflow

    from mlops_kit.tracking.store import ensure_experiment, get_client

    folder = tempfile.mkdtemp(prefix="bench-tracking-")
    db_path = os.path.join(folder, "mlruns.db")
    uri = f"sqlite:///{db_path}"
    client = get_client(uri)
    mlflow.set_tracking_uri(uri)
    exp_id = ensure_experiment("bench", uri)
    keys = [f"metric_{k}" for k in range(args.keys)]

    peers = [
        ("mlflow.log_metric", _plain_log_metric, args.n),
        ("mlflow.log_metrics", _plain_log_metrics, args.n),
        ("MlflowClient.log_batch by hand", _hand_batched, args.m),
        ("mlflow async (synchronous=False)", _mlflow_async, args.m_async),
    ]
    times: dict[str, list[float]] = {name: [] for name, _, _ in [*peers, ("mlops-kit", 0, 0)]}
    counts: dict[str, int] = dict.fromkeys(times, 0)
    expected: dict[str, int] = dict.fromkeys(times, 0)
    bad = []

    # warm-up: open connections, compile queries, start MLflow's async worker
    warm = client.create_run(exp_id).info.run_id
    _hand_batched(mlflow, client, warm, keys, 10)
    _mlflow_async(mlflow, client, warm, ["warm_async"], 10)
    _kit(_kit_run(uri), ["warm_kit"], 10)

    for _ in range(args.repeat):
        for name, func, count in peers:
            count = count - count % len(keys)
            run_id = client.create_run(exp_id).info.run_id
            t0 = time.perf_counter()
            func(mlflow, client, run_id, keys, count)
            times[name].append(time.perf_counter() - t0)
            stored = count_rows(db_path, run_id)
            counts[name] += stored
            expected[name] += count
            if stored != count:
                bad.append(f"{name}: {stored} of {count} stored")
        count = args.m - args.m % len(keys)
        run = _kit_run(uri)  # start_run (git, versions) is not timed, as create_run is not
        t0 = time.perf_counter()
        _kit(run, keys, count)
        times["mlops-kit"].append(time.perf_counter() - t0)
        stored = count_rows(db_path, run.run_id)
        counts["mlops-kit"] += stored
        expected["mlops-kit"] += count
        if stored != count:
            bad.append(f"mlops-kit: {stored} of {count} stored")

    sizes = {name: count - count % len(keys) for name, _, count in peers}
    sizes["mlops-kit"] = args.m - args.m % len(keys)
    rates = {name: sizes[name] / statistics.median(ts) for name, ts in times.items()}
    print(f"store: {uri}; {args.keys} key(s) interleaved; medians of {args.repeat} rounds")
    print(f"{'way of logging':34} {'values':>7} {'median s':>9} {'values/s':>10} {'kit is':>8}")
    for name in times:
        ratio = rates["mlops-kit"] / rates[name]
        rounds = " ".join(f"{t:.2f}" for t in times[name])
        print(
            f"{name:34} {sizes[name]:>7} {statistics.median(times[name]):>9.3f} "
            f"{rates[name]:>10.0f} {ratio:>7.1f}x   rounds: {rounds}"
        )
    print(
        "stored (counted in the database): "
        + ", ".join(f"{name} {counts[name]}/{expected[name]}" for name in times)
    )
    if bad:
        print("ERROR: not every value was stored: " + "; ".join(bad), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
