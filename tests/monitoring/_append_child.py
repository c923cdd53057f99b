"""Child process for the prediction-log tests: appends rows and reports each commit.

Usage: python _append_child.py LOG PREFIX N_SINGLE N_BATCHES BATCH_SIZE
Prints ``committed <total>`` after each committed append (flushed), then ``done``.
"""

import sys

from mlops_kit.monitoring.log import PredictionLog


def main() -> None:
    path, prefix, n_single, n_batches, batch_size = sys.argv[1:6]
    log = PredictionLog(path, max_delay=None)
    total = 0
    for i in range(int(n_single)):
        log.log_one(f"{prefix}-s{i}", {"x": float(i)}, prediction=i % 2, probability=0.5)
        total += 1
    for b in range(int(n_batches)):
        rows = [
            {"id": f"{prefix}-b{b}-{j}", "features": {"x": float(j)}, "prediction": j % 2}
            for j in range(int(batch_size))
        ]
        log.append(rows)
        total += len(rows)
        print(f"committed {total}", flush=True)
    print("done", flush=True)


if __name__ == "__main__":
    main()
