"""Benchmark: the cost of logging served predictions (Router with ``prediction_log=``).

The upstream is a small scoring-protocol server in its own process (answers
``x > 0`` per row), so the numbers are the router's and the log's, not a model's.
Three ways to route the same requests in-process through
:class:`mlops_kit.deploy.Router` from ``--threads`` client threads:

- **no log**: the router alone (the baseline);
- **kit**: ``Router(..., prediction_log=path)``: rows buffered, written by one
  thread in batches (:class:`~mlops_kit.deploy.prediction_recorder.PredictionRecorder`);
- **peer**: the obvious approach, one ``PredictionLog.append`` per request in
  the request path (a log per thread: SQLite connections stay in their thread).

Each runs ``--seconds`` per round, ``--repeat`` rounds; the medians of the rounds'
requests per second and p50/p99 latency are printed with ratios. After the
runs, every answered request must be in the kit's log with the predictions it
returned (and in the peer's): a missing or wrong row makes the benchmark exit 1.

Run::

    .venv/bin/python benchmarks/bench_served_logging.py [--rows 4] [--seconds 3] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

UPSTREAM = """
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def log_message(self, *a): pass
    def _send(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self): self._send(b"{}")
    def do_POST(self):
        data = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        rows = data["dataframe_split"]["data"]
        self._send(json.dumps({"predictions": [int(r[0] > 0) for r in rows]}).encode())
s = ThreadingHTTPServer(("127.0.0.1", 0), H)
s.daemon_threads = True
print(f"http://127.0.0.1:{s.server_address[1]}", flush=True)
s.serve_forever()
"""


def _run(send, threads: int, seconds: float):
    """``send(k, i)`` from ``threads`` threads for ``seconds``; return the latencies."""
    stop = threading.Event()
    out = [[] for _ in range(threads)]

    def worker(k):
        i = 0
        while not stop.is_set():
            t0 = time.perf_counter()
            send(k, i)
            out[k].append(time.perf_counter() - t0)
            i += 1

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in pool:
        t.join()
    return [x for lat in out for x in lat]


def _pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] * 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4, help="rows per request")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of one round")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians are reported")
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    args = parser.parse_args(argv)

    import numpy as np
    import pandas as pd

    from mlops_kit.deploy import Router
    from mlops_kit.deploy.prediction_recorder import rows_from_request
    from mlops_kit.monitoring import PredictionLog

    folder = Path(tempfile.mkdtemp(prefix="bench-served-log-"))
    proc = subprocess.Popen(
        [sys.executable, "-c", UPSTREAM], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        url = proc.stdout.readline().strip()
        rng = np.random.default_rng(0)
        frames = [
            pd.DataFrame({"x": rng.normal(size=args.rows), "y": rng.normal(size=args.rows)})
            for _ in range(64)
        ]
        answered: dict = {"kit": {}, "peer": {}}
        wrong = []
        results = {}
        for round_ in range(args.repeat):
            for name in ("no log", "kit", "peer"):
                log_path = folder / f"{name.replace(' ', '_')}_{round_}.db"
                router = Router(
                    {"champion": url}, prediction_log=log_path if name == "kit" else None
                )
                local = threading.local()

                def send(k, i, name=name, router=router, local=local, log_path=log_path, r=round_):
                    frame = frames[(k * 7 + i) % len(frames)]
                    request_id = f"{r}-{k}-{i}"
                    if name == "peer":
                        t0 = time.perf_counter()
                        pred = router.predict(frame)
                        if not hasattr(local, "log"):
                            local.log = PredictionLog(log_path)
                        local.log.append(
                            rows_from_request(
                                frame,
                                pred,
                                latency_ms=(time.perf_counter() - t0) * 1000,
                                request_id=request_id,
                                model="champion",
                            )
                        )
                    else:
                        pred = router.predict(frame, request_id=request_id)
                    if not np.array_equal(pred, (frame["x"] > 0).astype(int).to_numpy()):
                        wrong.append(f"{name} {request_id}: wrong answer {pred}")
                    if name != "no log":
                        answered[name][request_id] = pred.tolist()

                latencies = _run(send, args.threads, args.seconds)
                router.stop()  # flushes the kit's log
                results.setdefault(name, []).append(
                    (len(latencies) / args.seconds, _pct(latencies, 50), _pct(latencies, 99))
                )
                if name != "no log":  # every answered request is in the log, as returned
                    log = PredictionLog(log_path).read(features=False)
                    got = log.groupby(log["id"].str.rsplit(":", n=1).str[0], sort=False)[
                        "prediction"
                    ].apply(list)
                    mine = {k: v for k, v in answered[name].items() if k.startswith(f"{round_}-")}
                    if got.to_dict() != mine:
                        wrong.append(
                            f"{name} round {round_}: {len(got)} requests logged, "
                            f"{len(mine)} answered (or different predictions)"
                        )
    finally:
        proc.terminate()
        proc.wait(10)
    print(
        f"Router in-process, {args.threads} threads, {args.rows} rows/request, "
        f"{args.seconds:g} s x {args.repeat} rounds (medians)"
    )
    base = statistics.median(r[0] for r in results["no log"])
    peer = statistics.median(r[0] for r in results["peer"])
    print(f"{'':10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs no log':>10} {'vs peer':>8}")
    for name in ("no log", "kit", "peer"):
        rps = statistics.median(r[0] for r in results[name])
        p50 = statistics.median(r[1] for r in results[name])
        p99 = statistics.median(r[2] for r in results[name])
        print(f"{name:10} {rps:8.0f} {p50:8.2f} {p99:8.2f} {rps / base:9.2f}x {rps / peer:7.2f}x")
    if wrong:
        print("WRONG:", *wrong[:5], sep="\n  ")
        return 1
    print("every answered request is in the log with the predictions it returned")
    return 0


if __name__ == "__main__":
    sys.exit(main())
