"""Child process for the compaction tests: compacts a log, or appends to it, reporting progress.

Usage:
    python _compact_child.py compact LOG LOOPS      compact day by day, LOOPS times over
    python _compact_child.py append LOG PREFIX N    N batches of 20 rows on past days
Prints one line per step (flushed), then ``done``.
"""

import sys

import numpy as np
import pandas as pd

from mlops_kit.monitoring.log import PredictionLog
from mlops_kit.monitoring.partitions import DAY_MS


def compact(path: str, loops: int) -> None:
    log = PredictionLog(path, max_delay=None)
    first, last = (int(t.value // 1_000_000) for t in log.span())
    for _ in range(loops):
        for day in range(first - first % DAY_MS + DAY_MS, last + DAY_MS, DAY_MS):
            written = log.compact(before=pd.Timestamp(day, unit="ms", tz="UTC"))
            print(f"compacted {written}", flush=True)


def append(path: str, prefix: str, n: int) -> None:
    log = PredictionLog(path, max_delay=None)
    rng = np.random.default_rng(abs(hash(prefix)) % 2**32)
    first, last = (t.value for t in log.span())
    for b in range(n):
        times = pd.to_datetime(first + ((last - first) * rng.random(20)).astype("int64"), utc=True)
        log.append(
            pd.DataFrame(
                {
                    "id": [f"{prefix}-{b}-{j}" for j in range(20)],
                    "time": times,
                    "prediction": rng.normal(size=20),
                    "latency_ms": 1.0,
                    "x": rng.normal(size=20),
                }
            )
        )
        log.add_labels({f"{prefix}-{b}-{j}": 0.5 for j in range(0, 20, 2)})
        print(f"committed {b}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "compact":
        compact(sys.argv[2], int(sys.argv[3]))
    else:
        append(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    print("done", flush=True)
