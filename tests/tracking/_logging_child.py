"""Child process for the tracking tests: logs metrics, then exits in a chosen way.

Usage::

    python _logging_child.py MODE TRACKING_URI N FLUSH_INTERVAL [MAX_WRITE_SECONDS]

The run buffers up to a billion values (``buffer_size``), so only the kit's
write-time cap, its background interval and its exit paths decide what is
written. Prints ``RUN <run_id>`` first, then logs ``N`` values of ``before``
(value ``i * 0.5`` at step ``i``) and prints ``LOGGED <N>`` as soon as the
last ``log_metric`` call has returned (nothing is flushed explicitly). Then:

``sleep``
    sleep until terminated (the parent sends SIGTERM, once or twice).
``exit``
    exit normally without ending the run; an ``atexit`` handler that runs
    just before the kit's prints ``EXITING`` (so the parent can signal the
    process during the kit's exit flush).
``exit-error``
    as ``exit`` but on an unhandled exception.
``kill``
    keep logging ``after`` values until killed.
"""

from __future__ import annotations

import atexit
import logging
import sys
import time


def main() -> None:
    mode, uri, n, interval = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    max_write = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0
    logging.getLogger("mlflow").setLevel(logging.ERROR)
    from mlops_kit.tracking.fluent import start_run

    run = start_run(
        "child",
        tracking_uri=uri,
        flush_interval=interval or None,
        buffer_size=10**9,
        max_write_seconds=max_write,
    )
    print(f"RUN {run.run_id}", flush=True)
    for i in range(n):
        run.log_metric("before", i * 0.5)
    print(f"LOGGED {n}", flush=True)

    if mode == "sleep":
        while True:
            time.sleep(0.1)
    elif mode in ("exit", "exit-error"):
        # registered after the kit's handler, so it runs just before it (LIFO)
        atexit.register(lambda: print("EXITING", flush=True))
        if mode == "exit-error":
            raise RuntimeError("boom: exiting on an unhandled exception")
    elif mode == "kill":
        i = 0
        while True:
            run.log_metric("after", float(i))
            i += 1
            if i % 50 == 0:
                time.sleep(0.001)


if __name__ == "__main__":
    main()
