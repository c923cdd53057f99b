"""Benchmark: many windows against one fitted reference vs re-summarising it for each window.

Monitoring compares hundreds of windows of current data with one reference.
Same seeded data, same process, one after the other:

- ``fit once``: ``check = DriftCheck().fit(reference)`` then ``check.run(window)``
  for every window (the fit is included in the time);
- ``one call per window``: ``DriftCheck().run(reference, window)`` for every
  window, which summarises (sorts, counts) the reference each time;
- ``loaded from file``: ``DriftCheck.load(path).run(window)``, the summary
  saved once with ``check.save`` (load included), as a serving process would.

The results of every window must be identical (``to_dict()`` equal) across
the three, else the benchmark exits 1. ``--repeats`` runs (default 3);
medians are printed, and the speed-up is the ratio to ``one call per window``
measured in the same run.

Usage::

    .venv/bin/python benchmarks/bench_drift_windows.py                      # 200 windows
    .venv/bin/python benchmarks/bench_drift_windows.py --windows 20 --ref-rows 20000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_drift import make_frames


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref-rows", type=int, default=100_000)
    parser.add_argument("--window-rows", type=int, default=2_000)
    parser.add_argument("--windows", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    from mlops_kit.validation import DriftCheck

    reference, _ = make_frames(args.ref_rows, seed=0, current=False)
    current = make_frames(args.window_rows * args.windows, seed=1)[1]
    windows = [
        current.iloc[i * args.window_rows : (i + 1) * args.window_rows].reset_index(drop=True)
        for i in range(args.windows)
    ]
    print(
        f"reference {args.ref_rows:,} rows x {reference.shape[1]} columns; {args.windows} windows "
        f"of {args.window_rows:,} rows; median of {args.repeats} runs"
    )

    def fit_once():
        check = DriftCheck().fit(reference)
        return [check.run(w).to_dict() for w in windows]

    def one_call():
        return [DriftCheck().run(reference, w).to_dict() for w in windows]

    with tempfile.TemporaryDirectory() as tmp:
        path = DriftCheck().fit(reference).save(Path(tmp) / "reference.npz")
        size_mb = path.stat().st_size / 1e6

        def loaded():
            check = DriftCheck.load(path)
            return [check.run(w).to_dict() for w in windows]

        rows = {"one call per window": one_call, "fit once": fit_once, "loaded from file": loaded}
        times = {name: [] for name in rows}
        outputs = {}
        for _ in range(args.repeats):
            for name, fn in rows.items():
                start = time.perf_counter()
                outputs[name] = fn()
                times[name].append(time.perf_counter() - start)
    base = statistics.median(times["one call per window"])
    print(f"{'row':22s} {'median s':>9s} {'per window ms':>14s} {'speed-up':>9s}")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:22s} {med:9.2f} {1000 * med / args.windows:14.1f} {base / med:8.1f}x")
    print(f"saved summary: {size_mb:.1f} MB (.npz)")
    expected = outputs["one call per window"]
    bad = [name for name, out in outputs.items() if out != expected]
    if bad:
        print(f"MISMATCH: {', '.join(bad)} differ from one call per window")
        return 1
    drifted = sum(r["dataset_drift"] for r in expected)
    print(f"identical results on all {args.windows} windows ({drifted} with dataset drift)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
