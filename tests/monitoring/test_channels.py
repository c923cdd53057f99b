"""Alert delivery to real channels: a callback, logging, and a webhook on a real local server."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mlops_kit.errors import InputError
from mlops_kit.monitoring.alerts import Alert
from mlops_kit.monitoring.channels import (
    AlertStore,
    CallbackChannel,
    LogChannel,
    WebhookChannel,
    notify,
)

ALERT = Alert(
    "low accuracy", "performance", "critical", "accuracy", "<", 0.8, 0.71,
    "2024-01-05T00:00:00+00:00", "2024-01-06T00:00:00+00:00", 2, 2,
)  # fmt: skip


class _Hook(BaseHTTPRequestHandler):
    fail_first = 0
    delay = 0.0
    bodies: list

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(length))
        time.sleep(self.delay)
        type(self).bodies.append(body)
        if len(type(self).bodies) <= type(self).fail_first:
            self.send_response(503)
        else:
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1 (an ephemeral port), stopped after the test."""
    handler = type("Hook", (_Hook,), {"bodies": [], "fail_first": 0, "delay": 0.0})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, handler, f"http://127.0.0.1:{httpd.server_address[1]}/hook"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_webhook_retries_through_server_errors(server, tmp_path):
    _, handler, url = server
    handler.fail_first = 2
    store = AlertStore(tmp_path / "alerts.db")
    notify([ALERT], [WebhookChannel(url, retries=3, backoff=0.01)], store=store)
    deliveries = store.deliveries()
    assert deliveries[["status", "attempts"]].values.tolist() == [["sent", 3]]
    assert len(handler.bodies) == 3
    assert handler.bodies[-1]["alert"]["metric"] == "accuracy"
    assert handler.bodies[-1]["text"].startswith("[critical] low accuracy")


def test_refused_and_timed_out_webhooks_are_recorded_and_others_still_deliver(
    server, tmp_path, caplog
):
    _, handler, url = server
    handler.delay = 1.0
    seen = []
    store = AlertStore(tmp_path / "alerts.db")
    channels = [
        WebhookChannel(f"http://127.0.0.1:{_free_port()}/hook", retries=1, backoff=0.01),
        WebhookChannel(url, timeout=0.2, retries=0),
        CallbackChannel(seen.append),
        LogChannel(),
    ]
    with caplog.at_level(logging.WARNING, logger="mlops_kit.alerts"):
        numbers = notify([ALERT], channels, store=store)
    rows = store.deliveries()
    assert rows["status"].tolist() == ["failed", "failed", "sent", "sent"]
    assert rows["attempts"].tolist()[:2] == [2, 1]
    assert "refused" in rows["error"][0].lower() or "errno" in rows["error"][0].lower()
    assert "timed out" in rows["error"][1].lower()
    assert seen == [ALERT]
    assert any("low accuracy" in r.getMessage() for r in caplog.records)
    # the alert itself is stored, whatever its deliveries did
    alerts = store.alerts()
    assert alerts["n"].tolist() == numbers and alerts["rule"].tolist() == ["low accuracy"]


def test_bad_channels_are_input_errors_not_failed_deliveries():
    with pytest.raises(InputError, match="Invalid url"):
        notify([ALERT], [WebhookChannel("ftp://example")])
    with pytest.raises(InputError, match="Invalid channels"):
        notify([ALERT], [print])
