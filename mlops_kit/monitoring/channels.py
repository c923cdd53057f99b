"""Alert events and where they go: stored first, then sent to channels, every delivery recorded.

:class:`AlertStore` keeps alerts and deliveries in SQLite (the prediction
log's file or its own). :func:`notify` stores each alert, then sends it to
every channel -- a Python callback, Python logging, or a webhook (HTTP POST of
the alert as JSON, retried) -- and records each delivery's outcome. A channel
that fails never stops the others and never loses the alert: the failure is a
row in :meth:`AlertStore.deliveries` with the error.

Examples
--------
>>> import tempfile, os
>>> from mlops_kit.monitoring.alerts import Alert
>>> store = AlertStore(os.path.join(tempfile.mkdtemp(), "alerts.db"))
>>> alert = Alert("low-acc", "performance", "warning", "accuracy", "<", 0.8, 0.7,
...               "2024-01-05T00:00:00+00:00", "2024-01-06T00:00:00+00:00", 1, 1)
>>> seen = []
>>> notify([alert], [CallbackChannel(seen.append)], store=store)
[1]
>>> seen[0].metric, store.deliveries()["status"].tolist()
('accuracy', ['sent'])
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from pathlib import Path

import pandas as pd

from mlops_kit._params import Interval, Params, Predicate, check_param
from mlops_kit.errors import InputError

__all__ = ["AlertStore", "CallbackChannel", "LogChannel", "WebhookChannel", "notify"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS alerts (
    n INTEGER PRIMARY KEY, rule TEXT NOT NULL, kind TEXT NOT NULL, severity TEXT NOT NULL,
    window_start TEXT, payload TEXT NOT NULL, raised_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
    n INTEGER PRIMARY KEY, alert INTEGER NOT NULL REFERENCES alerts (n), channel TEXT NOT NULL,
    status TEXT NOT NULL, attempts INTEGER NOT NULL, error TEXT, at INTEGER NOT NULL
);
"""


class AlertStore:
    """Alerts and their deliveries, in one SQLite file (WAL mode; may be the log's file).

    Examples
    --------
    >>> import tempfile, os
    >>> AlertStore(os.path.join(tempfile.mkdtemp(), "a.db")).alerts().shape[0]
    0
    """

    def __init__(self, path):
        self.path = Path(path)

    def _connect(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.executescript(_SCHEMA)
        return con

    def add(self, alert) -> int:
        """Store one alert and return its number."""
        con = self._connect()
        try:
            cur = con.execute(
                "INSERT INTO alerts (rule, kind, severity, window_start, payload, raised_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    alert.rule,
                    alert.kind,
                    alert.severity,
                    alert.window_start,
                    json.dumps(alert.to_dict()),
                    int(time.time() * 1000),
                ),
            )
            return int(cur.lastrowid)
        finally:
            con.close()

    def record(self, alert_n: int, channel: str, status: str, attempts: int, error=None) -> None:
        """Record one delivery attempt's outcome (``"sent"`` or ``"failed"``)."""
        con = self._connect()
        try:
            con.execute(
                "INSERT INTO deliveries (alert, channel, status, attempts, error, at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (alert_n, channel, status, attempts, error, int(time.time() * 1000)),
            )
        finally:
            con.close()

    def alerts(self) -> pd.DataFrame:
        """Every stored alert (number, rule, kind, severity, window start, JSON payload)."""
        con = self._connect()
        try:
            return pd.read_sql(
                "SELECT n, rule, kind, severity, window_start, payload FROM alerts ORDER BY n", con
            )
        finally:
            con.close()

    def deliveries(self) -> pd.DataFrame:
        """Every delivery: alert number, channel, status, attempts and the error if it failed."""
        con = self._connect()
        try:
            return pd.read_sql(
                "SELECT alert, channel, status, attempts, error FROM deliveries ORDER BY n", con
            )
        finally:
            con.close()


class CallbackChannel(Params):
    """Send each alert to a Python function ``fn(alert)``.

    Examples
    --------
    >>> CallbackChannel(print).name
    'callback:print'
    """

    _parameter_constraints = {"fn": ["callable"]}

    def __init__(self, fn):
        self.fn = fn

    @property
    def name(self) -> str:
        return f"callback:{getattr(self.fn, '__name__', type(self.fn).__name__)}"

    def send(self, alert) -> int:
        """Deliver; return the number of attempts (raises on failure)."""
        self._validate_params()
        self.fn(alert)
        return 1


class LogChannel(Params):
    """Write each alert to Python logging (``warning``; ``critical`` alerts as ``critical``).

    Examples
    --------
    >>> LogChannel().name
    'log:mlops_kit.alerts'
    """

    _parameter_constraints = {"logger": [Predicate(lambda v: isinstance(v, str), "a logger name")]}

    def __init__(self, logger="mlops_kit.alerts"):
        self.logger = logger

    @property
    def name(self) -> str:
        return f"log:{self.logger}"

    def send(self, alert) -> int:
        """Deliver; return the number of attempts."""
        self._validate_params()
        level = logging.CRITICAL if alert.severity == "critical" else logging.WARNING
        logging.getLogger(self.logger).log(level, alert.message())
        return 1


class WebhookChannel(Params):
    """POST each alert as JSON to a URL, retried with backoff on errors, timeouts and 5xx.

    Parameters
    ----------
    url : str
        ``http://`` or ``https://`` endpoint.
    timeout : float, default 5.0
        Seconds per attempt.
    retries : int, default 3
        Attempts after the first.
    backoff : float, default 0.5
        Seconds before the first retry, doubling after each.

    Examples
    --------
    >>> WebhookChannel("http://127.0.0.1:9/hook").name
    'webhook:http://127.0.0.1:9/hook'
    """

    _parameter_constraints = {
        "url": [Predicate(lambda v: str(v).startswith(("http://", "https://")), "an http(s) URL")],
        "timeout": [Interval(float, 0, None, closed="neither")],
        "retries": [Interval(int, 0, None)],
        "backoff": [Interval(float, 0, None)],
    }

    def __init__(self, url, timeout=5.0, retries=3, backoff=0.5):
        self.url = url
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff

    @property
    def name(self) -> str:
        return f"webhook:{self.url}"

    def send(self, alert) -> int:
        """Deliver; return the attempts used. Raises ``OSError`` after the last failed attempt."""
        import urllib.error
        import urllib.request

        self._validate_params()
        body = json.dumps({"alert": alert.to_dict(), "text": alert.message()}).encode()
        delay, last = self.backoff, None
        for attempt in range(1, self.retries + 2):
            request = urllib.request.Request(
                self.url, data=body, headers={"Content-Type": "application/json"}, method="POST"
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    response.read()
                return attempt
            except urllib.error.HTTPError as exc:
                last = exc
                if exc.code < 500 and exc.code != 429:  # the receiver refuses: do not insist
                    break
            except OSError as exc:  # refused, reset, timed out
                last = exc
            if attempt <= self.retries:
                time.sleep(delay)
                delay *= 2
        raise OSError(f"webhook {self.url}: {last}")


def notify(alerts, channels, store=None) -> list[int]:
    """Store each alert, send it to every channel, record every delivery; return alert numbers.

    Parameters
    ----------
    alerts : list of Alert
    channels : list of CallbackChannel, LogChannel or WebhookChannel
    store : AlertStore, optional
        Where alerts and deliveries are recorded (without one, a failed
        delivery is logged as an error on ``mlops_kit.alerts``).
    """
    check_param("alerts", alerts, [Predicate(lambda v: isinstance(v, (list, tuple)), "a list")])
    ok = (CallbackChannel, LogChannel, WebhookChannel)
    if not isinstance(channels, (list, tuple)) or not all(isinstance(c, ok) for c in channels):
        raise InputError.invalid("channels", channels, "a list of Callback/Log/Webhook channels")
    for channel in channels:  # a misconfigured channel is bad input, not a failed delivery
        channel._validate_params()
    numbers = []
    for i, alert in enumerate(alerts):
        n = store.add(alert) if store is not None else i + 1
        numbers.append(n)
        for channel in channels:
            attempts = 1 + getattr(channel, "retries", 0)
            try:
                used = channel.send(alert)
            except Exception as exc:  # one channel failing never stops the others
                if store is not None:
                    store.record(
                        n, channel.name, "failed", attempts, f"{type(exc).__name__}: {exc}"
                    )
                else:
                    logging.getLogger("mlops_kit.alerts").error(
                        "alert %s not delivered to %s: %s", alert.rule, channel.name, exc
                    )
                continue
            if store is not None:
                store.record(n, channel.name, "sent", used)
    return numbers
