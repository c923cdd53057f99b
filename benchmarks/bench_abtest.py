"""Benchmark: the A/B test's vectorised bootstrap against a loop of sklearn.metrics calls.

For each metric with a bootstrap form in the registry (``mlops_kit.metrics``),
the same resamples (the same index matrix) are evaluated two ways in the same
run: the registry's vectorised form (one gather and a sum per resample, ROC AUC
as a weighted Mann-Whitney statistic) and the peer a user would write, one
``sklearn.metrics`` call per resample. Each is timed ``--repeat`` times
(alternating) and the medians are compared. Every resampled value must equal
sklearn's (to 1e-9): a wrong answer makes the benchmark exit 1.

Run::

    .venv/bin/python benchmarks/bench_abtest.py [--rows 2000] [--resamples 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np
from sklearn import metrics as skm

from mlops_kit.metrics import get_metric, metric_names

SKLEARN = {
    "accuracy": skm.accuracy_score,
    "precision": lambda t, p: skm.precision_score(t, p, zero_division=0),
    "recall": lambda t, p: skm.recall_score(t, p, zero_division=0),
    "f1": lambda t, p: skm.f1_score(t, p, zero_division=0),
    "roc_auc": skm.roc_auc_score,
    "mae": skm.mean_absolute_error,
    "mse": skm.mean_squared_error,
    "rmse": skm.root_mean_squared_error,
}


def data(n: int, seed: int):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    labels = np.where(rng.random(n) < 0.8, y, 1 - y)
    scores = np.round(rng.random(n) + 0.4 * y, 2)  # ties, as real scores have
    values = rng.normal(size=n)
    approx = values + rng.normal(0, 0.5, n)
    return {"labels": (y, labels), "scores": (y, scores), "values": (values, approx)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--resamples", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    arrays = data(args.rows, seed=0)
    idx = np.random.default_rng(1).integers(0, args.rows, size=(args.resamples, args.rows))
    wrong = []
    print(
        f"{args.rows} rows, {args.resamples} resamples, {args.repeat} repeats (medians); "
        "peer: one sklearn.metrics call per resample"
    )
    print(f"{'metric':<10} {'vectorised':>12} {'sklearn loop':>14} {'speed-up':>9}")
    for name in metric_names(bootstrap=True):
        metric = get_metric(name)
        kind = "values" if metric.task == "regression" else "labels"
        kind = "scores" if metric.needs_scores else kind
        t, p = arrays[kind]
        rows = metric.prepare(t, p, "a", 1)
        fast_times, slow_times = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            fast = metric.resampled(idx, rows)
            fast_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            slow = np.array([SKLEARN[name](t[i], p[i]) for i in idx])
            slow_times.append(time.perf_counter() - t0)
        if not np.allclose(fast, slow, rtol=0, atol=1e-9):
            wrong.append(name)
        f_med, s_med = statistics.median(fast_times), statistics.median(slow_times)
        print(f"{name:<10} {f_med * 1000:9.1f} ms {s_med * 1000:11.1f} ms {s_med / f_med:8.1f}x")
    if wrong:
        print(f"WRONG: the vectorised values differ from sklearn's for {wrong}")
        return 1
    print("all resampled values equal sklearn's (to 1e-9)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
