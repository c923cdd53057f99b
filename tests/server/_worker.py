"""A separate process that logs metrics or moves aliases on a tracking server (test helper).

Usage: python _worker.py log|move <tracking uri> <go file> <name> <count> <seed>

Prints ``ready`` once imported and connected, waits for ``<go file>`` to
exist (so every worker starts at the same moment), does its work and prints
one JSON line with what it did.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time


def main(mode, uri, go, name, count, seed):
    from mlops_kit.errors import RollbackError
    from mlops_kit.tracking import fluent
    from mlops_kit.tracking.alias_history import promote, rollback
    from mlops_kit.tracking.store import get_client

    get_client(uri, create=False)
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.02)
    rng = random.Random(seed)
    if mode == "log":
        # small buffer and a background flush: many log_batch calls interleave with the others
        with fluent.start_run(name, tracking_uri=uri, buffer_size=50, flush_interval=0.2) as run:
            for step in range(count):
                run.log_metric("loss", 1.0 / (step + 1) + seed)
                run.log_metric("acc", step / count)
        print(json.dumps({"run_id": run.run_id}), flush=True)
        return
    moves = []
    for _ in range(count):
        if rng.random() < 0.3:
            try:
                info = rollback(name, user=f"w{seed}", tracking_uri=uri)
            except RollbackError:
                continue
            moves.append(["rollback", info.version])
        else:
            info = promote(name, rng.randint(1, 3), user=f"w{seed}", tracking_uri=uri)
            moves.append(["promote", info.version])
    print(json.dumps({"moves": moves}), flush=True)


if __name__ == "__main__":
    mode, uri, go, name, count, seed = sys.argv[1:7]
    main(mode, uri, go, name, int(count), int(seed))
