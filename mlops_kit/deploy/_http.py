"""Small HTTP helpers shared by the model server handle and the router.

A :class:`ConnectionPool` keeps persistent (keep-alive) ``http.client``
connections to one upstream, so that many threads can call a scoring server
without opening a TCP connection per request; a pooled connection that the
server closed while it sat idle (uvicorn does after 5 s) is dropped and the
request sent on the next one, or on a new connection. Only the
standard library is used: this sits on the hot path of every routed request.

Examples
--------
>>> pool = ConnectionPool("http://127.0.0.1:9")
>>> pool.host, pool.port
('127.0.0.1', 9)
>>> free_port() > 0
True
"""

from __future__ import annotations

import http.client
import queue
import socket
from urllib.parse import urlsplit

__all__ = ["ConnectionPool", "Response", "free_port", "port_in_use"]

#: errors of a keep-alive connection the server closed while it was idle
_STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class Response:
    """Status, headers and body of one HTTP response (already fully read)."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, headers: dict, body: bytes):
        self.status, self.headers, self.body = status, headers, body


class ConnectionPool:
    """Persistent HTTP/1.1 connections to one ``http://host:port``, safe across threads.

    Parameters
    ----------
    base_url : str
        ``http://host:port`` of the upstream.
    timeout : float, default 60
        Socket timeout of each request, in seconds.
    maxsize : int, default 32
        Idle connections kept; extra ones are closed after use.

    Examples
    --------
    >>> ConnectionPool("http://127.0.0.1:8080/").base_url
    'http://127.0.0.1:8080'
    """

    def __init__(self, base_url: str, timeout: float = 60.0, maxsize: int = 32):
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname or parts.port is None:
            raise ValueError(f"expected http://host:port, got {base_url!r}")
        self.host, self.port = parts.hostname, parts.port
        self.base_url = f"http://{self.host}:{self.port}"
        self.timeout = timeout
        self._idle: queue.LifoQueue = queue.LifoQueue(maxsize)

    def _get(self) -> tuple[http.client.HTTPConnection, bool]:
        try:
            return self._idle.get_nowait(), True
        except queue.Empty:
            return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout), False

    def _put(self, conn) -> None:
        try:
            self._idle.put_nowait(conn)
        except queue.Full:
            conn.close()

    def request(self, method: str, path: str, body: bytes | None = None, headers=None) -> Response:
        """Send one request and return the :class:`Response`; raise ``OSError`` if unreachable."""
        headers = dict(headers or {})
        while True:
            conn, reused = self._get()
            try:
                conn.request(method, path, body=body, headers=headers)
                raw = conn.getresponse()
                data = raw.read()
            except _STALE:
                conn.close()
                if reused:
                    continue  # an idle connection the server closed: the next one, or a new one
                raise
            except BaseException:
                conn.close()
                raise
            response = Response(raw.status, dict(raw.getheaders()), data)
            if raw.will_close:
                conn.close()
            else:
                self._put(conn)
            return response

    def close(self) -> None:
        """Close every idle connection."""
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """Return True if something already listens on (or holds) ``host:port``.

    Examples
    --------
    >>> with socket.socket() as s:
    ...     s.bind(("127.0.0.1", 0)); s.listen()
    ...     port_in_use(s.getsockname()[1])
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # as servers do: a port left in TIME_WAIT by a stopped server is free
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False
