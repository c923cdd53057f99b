"""The HTTP face of :class:`~mlops_kit.deploy.router.Router`: its request handler and headers.

The router answers MLflow's scoring protocol: ``POST /invocations`` is routed
to one upstream (the answer carries the upstream's name in
``X-Mlops-Kit-Upstream``, the request id in ``X-Mlops-Kit-Request-Id`` and, after
a failover, the failed upstream in ``X-Mlops-Kit-Failover``); ``GET /ping``
and ``GET /stats`` answer the router itself. :func:`_request_frame` reads the
input rows of a body, for the prediction log.

Examples
--------
>>> UPSTREAM_HEADER, REQUEST_ID_HEADER
('X-Mlops-Kit-Upstream', 'X-Mlops-Kit-Request-Id')
"""

from __future__ import annotations

import contextlib
import json
import uuid
from http.server import BaseHTTPRequestHandler

from mlops_kit.errors import DeploymentError, InputError

__all__ = ["FAILOVER_HEADER", "REQUEST_ID_HEADER", "UPSTREAM_HEADER"]

UPSTREAM_HEADER = "X-Mlops-Kit-Upstream"
REQUEST_ID_HEADER = "X-Mlops-Kit-Request-Id"
FAILOVER_HEADER = "X-Mlops-Kit-Failover"


def _handler(router):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive for clients that reuse connections
        disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall on small writes
        wbufsize = 1 << 16  # headers and body leave in one send (flushed after each request)

        def log_message(self, format, *args):  # no access log on stderr
            pass

        def _send(self, status: int, body: bytes, headers=()):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for key, value in headers:
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def _error(self, status: int, message: str):
            self._send(status, json.dumps({"error_code": status, "message": message}).encode())

        def do_GET(self):
            if self.path == "/ping":
                self._send(200, b"{}")
            elif self.path == "/stats":
                self._send(200, json.dumps(router.stats_dict()).encode())
            else:
                self._error(404, f"unknown path {self.path!r}: use /invocations, /ping, /stats")

        def do_POST(self):
            if self.path != "/invocations":
                self._error(404, f"unknown path {self.path!r}: POST /invocations")
                return
            length = self.headers.get("Content-Length")
            if length is None or not length.isdigit():
                self._error(411, "a Content-Length header is required")
                return
            body = self.rfile.read(int(length))
            request_id = self.headers.get(REQUEST_ID_HEADER) or uuid.uuid4().hex
            try:
                name, response, failed = router.route(body, request_id=request_id)
            except DeploymentError as exc:
                self._error(502, str(exc))
                return
            headers = [(UPSTREAM_HEADER, name), (REQUEST_ID_HEADER, request_id)]
            if failed is not None:
                headers.append((FAILOVER_HEADER, failed))
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._send(response.status, response.body, headers)

    return Handler


def _request_frame(body: bytes):
    """The input rows of an ``/invocations`` body (``dataframe_split`` or ``dataframe_records``).

    Examples
    --------
    >>> _request_frame(b'{"dataframe_split": {"columns": ["x"], "data": [[1.5], [2.0]]}}')
         x
    0  1.5
    1  2.0
    """
    import pandas as pd

    data = json.loads(body)
    if isinstance(data, dict) and isinstance(data.get("dataframe_split"), dict):
        split = data["dataframe_split"]
        return pd.DataFrame(split.get("data", []), columns=split.get("columns"))
    if isinstance(data, dict) and isinstance(data.get("dataframe_records"), list):
        return pd.DataFrame.from_records(data["dataframe_records"])
    inputs = data.get("inputs", data.get("instances")) if isinstance(data, dict) else None
    if isinstance(inputs, list):
        rows = [r if isinstance(r, dict) else {"input": r} for r in inputs]
        return pd.DataFrame.from_records(rows)
    raise InputError.invalid(
        "body",
        "an /invocations body of another form",
        "dataframe_split, dataframe_records, inputs or instances",
    )
