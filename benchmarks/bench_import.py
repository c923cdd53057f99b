"""Benchmark: the time ``import mlops_kit`` adds to interpreter start-up.

Peer: ``python -c "pass"`` measured in the same run. Each command runs
``--repeat`` times (alternating); medians are compared. Also reports whether
heavy dependencies were imported (they must not be).

Run::

    .venv/bin/python benchmarks/bench_import.py [--repeat 10]

Target: under 0.3 s added.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

HEAVY = ("mlflow", "evidently", "sklearn", "matplotlib", "pandas")


def timed(code: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - t0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)

    timed("import mlops_kit")  # warm the file cache and .pyc files
    base, kit, tracking = [], [], []
    for _ in range(args.repeat):
        base.append(timed("pass"))
        kit.append(timed("import mlops_kit"))
        tracking.append(timed("import mlops_kit.tracking.fluent"))
    base_med, kit_med = statistics.median(base), statistics.median(kit)
    tracking_med = statistics.median(tracking)
    added = kit_med - base_med

    probe = f"import mlops_kit, sys; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout.split()

    print(f'python -c "pass"            : median {base_med * 1000:7.1f} ms ({args.repeat} runs)')
    print(f'python -c "import mlops_kit": median {kit_med * 1000:7.1f} ms ({args.repeat} runs)')
    print(f"added by import mlops_kit   : {added * 1000:7.1f} ms (target < 300 ms)")
    print(f"ratio import / bare start   : {kit_med / base_med:.2f}x")
    print(f"added by mlops_kit.tracking : {(tracking_med - base_med) * 1000:7.1f} ms (informative)")
    print(f"heavy modules after import  : {', '.join(loaded) if loaded else 'none'}")
    return 0 if added < 0.3 and not loaded else 1


if __name__ == "__main__":
    sys.exit(main())
