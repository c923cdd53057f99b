"""The HTTP router: weights, atomic changes, failover from a stopped upstream, statistics.

The upstreams here are small real HTTP servers on 127.0.0.1 speaking the scoring
protocol (``/ping``, ``/invocations`` -> ``{"predictions": [...]}``) and answering
with their own name, so that every answer says where it came from. The router does
not look at models; ``tests/deploy/test_bluegreen.py`` runs it in front of real
MLflow scoring servers.
"""

from __future__ import annotations

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest

from mlops_kit.deploy import Router
from mlops_kit.deploy._http import free_port
from mlops_kit.deploy.router import FAILOVER_HEADER, UPSTREAM_HEADER
from mlops_kit.errors import DeploymentError, InputError

BODY = b'{"dataframe_split":{"columns":["x"],"data":[[1.0],[2.0]]}}'
FRAME = pd.DataFrame({"x": [1.0, 2.0]})


class Upstream:
    """A scoring-protocol server that predicts its own name for every row."""

    def __init__(self, name, close_after_each=False):
        self.name = name

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def _send(self, status, payload):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                self._send(200, {})

            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    rows = len(json.loads(raw)["dataframe_split"]["data"])
                except (ValueError, KeyError):
                    self._send(400, {"error_code": "BAD_REQUEST", "message": "bad body"})
                    return
                self._send(200, {"predictions": [name] * rows})
                # like uvicorn closing an idle keep-alive connection, without saying so
                self.close_connection = close_after_each

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def ups():
    servers = {n: Upstream(n) for n in ("champion", "challenger")}
    yield servers
    for s in servers.values():
        s.stop()


def _urls(ups):
    return {n: s.url for n, s in ups.items()}


def _post(url, body=BODY, path="/invocations"):
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def test_default_sends_everything_to_the_first_upstream(ups):
    router = Router(_urls(ups))
    assert router.shares == {"champion": 1.0, "challenger": 0.0}
    answers = {router.predict(FRAME, return_upstream=True)[1] for _ in range(50)}
    assert answers == {"champion"}


def test_traffic_follows_the_weights_in_process(ups):
    router = Router(_urls(ups), weights={"champion": 80, "challenger": 20}, seed=0)
    names = [router.route(BODY)[0] for _ in range(1000)]
    share = names.count("challenger") / len(names)
    assert 0.15 < share < 0.25  # 20% expected; sd of the share is 1.3%
    stats = router.stats().set_index("upstream")
    assert stats.loc["challenger", "requests"] == names.count("challenger")
    assert stats.loc["champion", "requests"] == names.count("champion")
    assert stats["p50_ms"].notna().all()


def test_http_router_forwards_and_names_the_upstream(ups):
    with Router(_urls(ups), weights={"challenger": 1}).start() as router:
        status, headers, body = _post(router.url)
        assert status == 200
        assert headers[UPSTREAM_HEADER] == "challenger"
        assert json.loads(body) == {"predictions": ["challenger", "challenger"]}
        # an upstream's own error is passed on, not failed over
        status, headers, body = _post(router.url, body=b"not json")
        assert status == 400 and headers[UPSTREAM_HEADER] == "challenger"
        assert FAILOVER_HEADER not in headers
        assert _post(router.url, path="/other")[0] == 404
        host, port = router.url.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", "/stats")
        stats = json.loads(conn.getresponse().read())
        conn.close()
        assert stats["challenger"]["requests"] == 2 and stats["challenger"]["errors"] == 1
        assert stats["champion"]["requests"] == 0
        url = router.url
    with pytest.raises(DeploymentError, match="not started"):
        router.url
    with pytest.raises(OSError):
        _post(url)


def test_weight_changes_are_atomic_under_concurrent_traffic(ups):
    """Requests from 8 threads while the weights flip: none fails, each answer is one upstream's."""
    router = Router(_urls(ups)).start()
    stop = threading.Event()
    answers = []

    def client():
        host, port = router.url.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        seen = []
        while not stop.is_set():
            conn.request("POST", "/invocations", body=BODY)
            resp = conn.getresponse()
            preds = json.loads(resp.read())["predictions"]
            seen.append((resp.status, resp.getheader(UPSTREAM_HEADER), tuple(preds)))
        conn.close()
        return seen

    try:
        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(client) for _ in range(8)]
            for i in range(40):
                target = "challenger" if i % 2 == 0 else "champion"
                router.set_weights({target: 1})
                # once set_weights has returned, no request goes to the other side
                assert router.route(BODY)[0] == target
            stop.set()
            for f in futures:
                answers.extend(f.result())
    finally:
        router.stop()
    assert len(answers) > 40
    assert all(status == 200 for status, _, _ in answers)
    assert all(preds == (name, name) for _, name, preds in answers)
    assert {name for _, name, _ in answers} == {"champion", "challenger"}


def test_a_stopped_upstream_fails_over_to_the_champion(ups):
    router = Router(_urls(ups), weights={"challenger": 1}).start()
    try:
        ups["challenger"].stop()
        status, headers, body = _post(router.url)
        assert status == 200
        assert headers[UPSTREAM_HEADER] == "champion"
        assert headers[FAILOVER_HEADER] == "challenger"
        assert json.loads(body)["predictions"] == ["champion", "champion"]
        stats = router.stats().set_index("upstream")
        assert stats.loc["challenger", "failovers"] == 1
        assert stats.loc["champion", "requests"] == 1
    finally:
        router.stop()


def test_without_fallback_a_stopped_upstream_is_a_clear_502(ups):
    urls = _urls(ups)
    ups["challenger"].stop()
    router = Router(urls, weights={"challenger": 1}, fallback=False)
    with pytest.raises(DeploymentError, match=rf"'challenger' \({urls['challenger']}\)"):
        router.predict(FRAME)
    with router.start():
        status, _, body = _post(router.url)
    assert status == 502
    assert "Upstream 'challenger'" in json.loads(body)["message"]


def test_connections_the_upstream_closed_while_idle_are_replaced():
    upstream = Upstream("champion", close_after_each=True)
    router = Router({"champion": upstream.url})
    try:
        with ThreadPoolExecutor(4) as pool:  # leaves several pooled connections, all closed
            list(pool.map(lambda _: router.route(BODY), range(8)))
        for _ in range(6):
            name, response, failed = router.route(BODY)
            assert (name, response.status, failed) == ("champion", 200, None)
        assert router.stats()["failovers"].tolist() == [0]
    finally:
        upstream.stop()


def test_weights_are_not_moved_to_a_stopped_upstream(ups):
    router = Router(_urls(ups))
    ups["challenger"].stop()
    with pytest.raises(DeploymentError, match=r"'challenger'.*does not answer /ping"):
        router.set_weights({"champion": 50, "challenger": 50})
    assert router.shares == {"champion": 1.0, "challenger": 0.0}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"upstreams": {}}, "Invalid upstreams"),
        ({"upstreams": {"a": "127.0.0.1:1"}}, "Invalid upstreams"),
        ({"weights": {"nope": 1}}, "Invalid weights: got 'nope'"),
        ({"weights": {"champion": -1}}, r"Invalid weights\['champion'\]: got -1"),
        ({"weights": {"champion": 0}}, "positive sum"),
        ({"weights": [1, 2]}, "Invalid weights"),
        ({"fallback": "nope"}, "Invalid fallback: got 'nope'"),
        ({"timeout": 0}, "Invalid timeout"),
    ],
)
def test_bad_router_input(ups, kwargs, message):
    args = {"upstreams": _urls(ups), **kwargs}
    with pytest.raises(InputError, match=message):
        Router(**args).shares


def test_bad_new_weights_keep_the_old_ones(ups):
    router = Router(_urls(ups), weights={"champion": 1})
    with pytest.raises(InputError, match="Invalid weights"):
        router.set_weights({"champion": float("nan")}, check=False)
    assert router.shares["champion"] == 1.0


def test_a_router_port_in_use_is_refused(ups):
    port = free_port()
    with Router(_urls(ups), port=port).start() as first:
        assert first.url.endswith(f":{port}")
        with pytest.raises(InputError, match=f"Invalid port: got {port}"):
            Router(_urls(ups), port=port).start()
