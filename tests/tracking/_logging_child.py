"""Child process for the tracking tests: logs metrics, then exits in a chosen way.

Usage::

    python _logging_child.py MODE TRACKING_URI N FLUSH_INTERVAL

Prints ``RUN <run_id>`` first. Modes:

``kill``
    log N values of ``before``, wait until the background thread has written
    them (no explicit flush) and one more flush interval has passed, print
    ``READY <N>``, then keep logging ``after`` values until killed.
``atexit``
    log N values of ``before`` and exit normally without ending the run or
    flushing (only the interpreter-exit hook can write them).
``atexit-error``
    as ``atexit`` but exit on an unhandled exception.
``sigterm``
    log N values, print ``READY <N>`` and sleep until terminated.
"""

from __future__ import annotations

import logging
import sys
import time


def main() -> None:
    mode, uri, n, interval = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    logging.getLogger("mlflow").setLevel(logging.ERROR)
    from mlops_kit.tracking.fluent import start_run

    run = start_run("child", tracking_uri=uri, flush_interval=interval or None, buffer_size=10**9)
    print(f"RUN {run.run_id}", flush=True)
    for i in range(n):
        run.log_metric("before", i * 0.5)

    if mode == "kill":
        deadline = time.monotonic() + 120
        while run.buffer.written < n and time.monotonic() < deadline:
            time.sleep(interval / 4)
        time.sleep(interval * 1.5)
        print(f"READY {run.buffer.written}", flush=True)
        i = 0
        while True:
            run.log_metric("after", float(i))
            i += 1
            if i % 50 == 0:
                time.sleep(0.001)
    elif mode == "sigterm":
        print(f"READY {len(run.buffer)}", flush=True)
        while True:
            time.sleep(0.1)
    elif mode == "atexit-error":
        raise RuntimeError("boom: exiting on an unhandled exception")
    # mode "atexit": fall off the end without ending the run


if __name__ == "__main__":
    main()
