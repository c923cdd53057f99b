"""Benchmark: serving over HTTP (MLflow scoring server, and through the kit's router) vs in-process.

The model is the tour's credit-risk pipeline on sample data, registered in a
temporary SQLite store. Three ways to score the same rows with the same model:

- **in-process**: ``mlflow.pyfunc.load_model(uri).predict(frame)`` in this process
  (the peer: what a notebook does);
- **server**: ``POST /invocations`` to ``mlflow models serve`` started by
  :func:`mlops_kit.deploy.serve` (one uvicorn worker);
- **router**: the same requests through :class:`mlops_kit.deploy.Router` (run in
  its own process, as in production) in front of that server.

For each concurrency (1, 4, 16 client threads, each with its own keep-alive
connection) every configuration runs ``--seconds`` per round, ``--repeat``
rounds; the medians of the rounds' requests per second and p50/p99 latency are
printed, with ratios against in-process and the router's added latency at
concurrency 4 (target: under 10% of the server's p50). Every answer is compared
with the in-process prediction of the same row: a wrong or failed answer makes
the benchmark exit 1.

Run::

    .venv/bin/python benchmarks/bench_serving.py [--rows 1] [--seconds 2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings

CONCURRENCY = (1, 4, 16)
ROUTER_SCRIPT = """
import sys, time
from mlops_kit.deploy import Router
router = Router({"champion": sys.argv[1]}).start()
print(router.url, flush=True)
while True:
    time.sleep(3600)
"""


def _load(send, n_threads: int, seconds: float, n_bodies: int):
    """Run ``send(i)`` from ``n_threads`` threads for ``seconds``; return (latencies, failures).

    ``send(i)`` returns None for a right answer, else a description of what went wrong.
    """
    stop = threading.Event()
    results = [None] * n_threads

    def worker(k):
        local_send = send()
        lat, wrong, i = [], [], k
        while not stop.is_set():
            t0 = time.perf_counter()
            problem = local_send(i % n_bodies)
            lat.append(time.perf_counter() - t0)
            if problem is not None:
                wrong.append(problem)
            i += n_threads
        results[k] = (lat, wrong)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(n_threads)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    lat = [x for r in results for x in r[0]]
    return lat, [w for r in results for w in r[1]]


def _http_sender(url, bodies, expected, label):
    host, port = url.removeprefix("http://").split(":")
    url = f"{label} at {url}"

    def make():
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        headers = {"Content-Type": "application/json"}

        def send(i):
            try:
                conn.request("POST", "/invocations", bodies[i], headers)
                resp = conn.getresponse()
                data = resp.read()
            except OSError as exc:
                conn.close()  # reconnects on the next request
                return f"{url}: {type(exc).__name__}: {exc}"
            if resp.status != 200:
                return f"{url}: HTTP {resp.status}: {data[:200]!r}"
            got = json.loads(data)["predictions"]
            return None if got == expected[i] else f"{url}: body {i}: {got} != {expected[i]}"

        return send

    return make


def _inproc_sender(model, frames, expected):
    def make():
        def send(i):
            got = model.predict(frames[i]).tolist()
            return None if got == expected[i] else f"in-process: body {i}: {got} != {expected[i]}"

        return send

    return make


def _percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1, help="rows per request")
    parser.add_argument("--seconds", type=float, default=2.0, help="length of one round")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians are reported")
    parser.add_argument("--bodies", type=int, default=64, help="distinct requests cycled")
    args = parser.parse_args(argv)

    logging.getLogger("mlflow").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="mlflow")
    folder = tempfile.mkdtemp(prefix="bench-serving-")
    uri = f"sqlite:///{folder}/mlruns.db"
    os.environ["MLFLOW_TRACKING_URI"] = uri
    os.chdir(folder)

    import mlflow

    from mlops_kit._tour_models import _candidate, _features
    from mlops_kit.data import make_credit
    from mlops_kit.deploy import serve
    from mlops_kit.deploy.serving import encode_frame
    from mlops_kit.tracking import promote, register

    df = make_credit(n_rows=4000, seed=0)
    X, numeric, categorical = _features(df)
    model = _candidate(numeric, categorical).fit(X.iloc[:3000], df["default"].iloc[:3000])
    info = register(model, "bench-credit", input_example=X.head(5), tracking_uri=uri)
    promote("bench-credit", info.version, "champion", tracking_uri=uri)
    pyfunc = mlflow.pyfunc.load_model(info.model_uri)
    start = 3000
    frames = [
        X.iloc[start + i * args.rows : start + (i + 1) * args.rows].reset_index(drop=True)
        for i in range(args.bodies)
    ]
    expected = [pyfunc.predict(f).tolist() for f in frames]
    bodies = [encode_frame(f) for f in frames]

    server = serve("models:/bench-credit@champion", tracking_uri=uri)
    router_proc = subprocess.Popen(
        [sys.executable, "-c", ROUTER_SCRIPT, server.url], stdout=subprocess.PIPE, text=True
    )
    failures = []
    rows = []
    try:
        router_url = router_proc.stdout.readline().strip()
        targets = {
            "in-process": _inproc_sender(pyfunc, frames, expected),
            "server": _http_sender(server.url, bodies, expected, "server"),
            "router": _http_sender(router_url, bodies, expected, "router"),
        }
        for make in targets.values():  # warm up connections, caches and the model
            failures.extend(_load(make, 2, 0.3, args.bodies)[1])
        print(
            f"model: {info.model_uri} (tour credit pipeline), {args.rows} row(s) a request, "
            f"{args.repeat} rounds of {args.seconds:g} s, medians; {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        for c in CONCURRENCY:
            for name, make in targets.items():
                rps, p50, p99 = [], [], []
                for _ in range(args.repeat):
                    lat, wrong = _load(make, c, args.seconds, args.bodies)
                    failures.extend(wrong)
                    rps.append(len(lat) / args.seconds)
                    p50.append(_percentile(lat, 50) * 1000)
                    p99.append(_percentile(lat, 99) * 1000)
                rows.append(
                    (
                        c,
                        name,
                        statistics.median(rps),
                        statistics.median(p50),
                        statistics.median(p99),
                    )
                )
    finally:
        router_proc.kill()
        router_proc.wait()
        server.stop()

    by = {(c, n): (r, a, b) for c, n, r, a, b in rows}
    print(f"{'conc':>4}  {'target':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}  vs in-process")
    for c, name, r, p50, p99 in rows:
        base = by[(c, "in-process")]
        ratio = (
            ""
            if name == "in-process"
            else f"{base[0] / r:6.1f}x fewer req/s, p50 x{p50 / base[1]:.1f}"
        )
        print(f"{c:>4}  {name:<10} {r:>9.0f} {p50:>8.2f} {p99:>8.2f}  {ratio}")
    s50, r50 = by[(4, "server")][1], by[(4, "router")][1]
    added = (r50 - s50) / s50 * 100
    print(
        f"router added latency at concurrency 4: {r50 - s50:+.2f} ms on a p50 of {s50:.2f} ms "
        f"({added:+.1f}%; target < 10%)"
    )
    if failures:
        print(f"FAIL: {len(failures)} wrong or failed answers:", file=sys.stderr)
        for problem in failures[:5]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("every answer equal to the in-process prediction")
    return 0


if __name__ == "__main__":
    sys.exit(main())
