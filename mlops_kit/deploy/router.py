"""A weighted HTTP router in front of N model servers (what canary and blue-green rollouts drive).

API
---
``Router(upstreams={"champion": url, "challenger": url}, weights={"champion": 95,
"challenger": 5})``
    Upstreams are named ``http://host:port`` scoring servers (for example
    :attr:`ModelServer.url <mlops_kit.deploy.serving.ModelServer.url>`).
    Weights are non-negative numbers, normalised to shares (``.shares``); a
    name left out gets 0. Default: all traffic to the first upstream.
``.set_weights({...}, check=True)``
    Change the shares at run time. The new table replaces the old one in a
    single assignment, so every request is routed with either the old or the
    new weights, never a mix. With ``check=True`` every upstream that is to
    receive traffic must answer ``/ping`` first, else
    :class:`~mlops_kit.errors.DeploymentError` and the weights stay as they were.
``.predict(frame)`` / ``.route(body)``
    Route in-process (notebooks, no HTTP server needed). ``route`` returns the
    name of the upstream that answered and the raw response.
``.start()`` / ``.stop()`` / ``.url`` / context manager
    A threaded HTTP server (stdlib ``ThreadingHTTPServer``) on 127.0.0.1:
    ``POST /invocations`` is forwarded over pooled keep-alive connections and the
    response carries the header ``X-Mlops-Kit-Upstream: <name>``; ``GET /ping``
    answers 200; ``GET /stats`` returns the statistics as JSON.
``.stats()``
    A DataFrame, one row per upstream: weight, requests answered, errors
    (non-2xx answers), failovers (requests it could not take) and p50/p99/mean
    latency in ms of the answers it gave (the last 10,000).

Served predictions logged
-------------------------
``Router(..., prediction_log=log)`` records every answered request (2xx) in
the prediction log, batched in the router's process
(:class:`~mlops_kit.deploy.prediction_recorder.PredictionRecorder`): the rows
of the request body (``dataframe_split`` or ``dataframe_records``), the
predictions, the model (``models={"champion": "models:/credit-risk/3"}``
gives name and version; default the upstream's name) and the latency. Row ids
are ``<request id>:<row>``, the request id taken from the
``X-Mlops-Kit-Request-Id`` header (or a random one) and sent back in it.
``.stop()`` flushes the log; ``.recorder.flush()`` does it at any time.

An upstream that is stopped
---------------------------
A request routed to an upstream that does not accept the connection is sent to
the **fallback** upstream (``fallback=True``: the first upstream, by
convention the champion) and counted under ``failovers`` of the one that
failed; the response header ``X-Mlops-Kit-Failover`` names it. With
``fallback=False``, or if the fallback is down too, the answer is HTTP 502
with a JSON message naming the upstream and its URL (in-process:
:class:`~mlops_kit.errors.DeploymentError`). An upstream that answers with an
error status (a model error) is not failed over: its answer is passed on.

Examples
--------
>>> router = Router({"champion": "http://127.0.0.1:5001", "challenger": "http://127.0.0.1:5002"},
...                 weights={"champion": 3, "challenger": 1})
>>> router.shares
{'champion': 0.75, 'challenger': 0.25}
>>> router.set_weights({"challenger": 1}, check=False).shares
{'champion': 0.0, 'challenger': 1.0}
"""

from __future__ import annotations

import bisect
import random
import threading
import time
from collections import deque
from http.server import ThreadingHTTPServer

from mlops_kit._params import InstanceOf, Interval, Params, Predicate
from mlops_kit.deploy._http import ConnectionPool, Response, port_in_use
from mlops_kit.deploy.prediction_recorder import LOG_TARGET
from mlops_kit.deploy.router_http import (
    FAILOVER_HEADER,
    REQUEST_ID_HEADER,
    UPSTREAM_HEADER,
    _handler,
    _request_frame,
)
from mlops_kit.errors import DeploymentError, InputError

__all__ = ["FAILOVER_HEADER", "REQUEST_ID_HEADER", "UPSTREAM_HEADER", "Router"]

_KEEP_LATENCIES = 10_000


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # listen backlog: the stdlib's 5 makes a burst of new connections (16 clients at once)
    # overflow the accept queue, and each dropped handshake waits ~1 s for a retransmit
    request_queue_size = 128


def _is_upstreams(value) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(k, str) and k and isinstance(v, str) for k, v in value.items())
        and all(v.startswith("http://") for v in value.values())
    )


class _Upstream:
    __slots__ = ("errors", "failovers", "latencies", "name", "pool", "requests", "url")

    def __init__(self, name, url, timeout):
        self.name, self.url = name, url.rstrip("/")
        self.pool = ConnectionPool(self.url, timeout=timeout)
        self.requests = self.errors = self.failovers = 0
        self.latencies: deque = deque(maxlen=_KEEP_LATENCIES)


class Router(Params):
    """Route ``/invocations`` to one of several model servers by weight.

    Parameters
    ----------
    upstreams : dict of str to str
        Upstream name -> ``http://host:port`` of a scoring server.
    weights : dict of str to float, optional
        Name -> non-negative weight (normalised). Default: all traffic to the
        first upstream.
    fallback : bool or str, default True
        Where a request goes when its upstream does not accept the connection:
        ``True`` the first upstream, a name that upstream, ``False`` nowhere (502).
    host : str, default "127.0.0.1"
        Interface of the HTTP router.
    port : int, optional
        Port of the HTTP router; default a free one.
    timeout : float, default 60
        Seconds to wait for an upstream's answer.
    seed : int, optional
        Seed of the random choice (reproducible shares in tests).
    prediction_log : PredictionLog or str or os.PathLike or PredictionRecorder, optional
        Record every answered request there (features, predictions, model,
        latency), batched in this process.
    models : dict of str to str, optional
        Upstream name -> the model it serves, ``"models:/<name>/<version>"``
        or a plain name, recorded with its predictions (default: the
        upstream's name).

    Examples
    --------
    >>> Router({"champion": "http://127.0.0.1:5001"}).shares
    {'champion': 1.0}
    >>> with Router({"champion": server.url}).start() as router:  # doctest: +SKIP
    ...     requests.post(router.url + "/invocations", json=payload).headers["X-Mlops-Kit-Upstream"]
    'champion'
    """

    _parameter_constraints = {
        "upstreams": [Predicate(_is_upstreams, "a non-empty dict of names to 'http://host:port'")],
        "weights": [None, InstanceOf(dict, description="a dict of upstream names to weights")],
        "fallback": ["boolean", InstanceOf(str, description="an upstream name")],
        "host": [InstanceOf(str, description="a host name or IP address")],
        "port": [None, Interval(int, 1, 65535)],
        "timeout": [Interval(float, 0, None, closed="neither")],
        "seed": [None, Interval(int, 0, None)],
        "prediction_log": [None, LOG_TARGET],
        "models": [None, InstanceOf(dict, description="a dict of upstream names to models")],
    }

    def __init__(
        self,
        upstreams,
        weights=None,
        *,
        fallback=True,
        host="127.0.0.1",
        port=None,
        timeout=60.0,
        seed=None,
        prediction_log=None,
        models=None,
    ):
        self.upstreams = upstreams
        self.weights = weights
        self.fallback = fallback
        self.host = host
        self.port = port
        self.timeout = timeout
        self.seed = seed
        self.prediction_log = prediction_log
        self.models = models

    # -- set-up, done once on first use (the constructor only stores) -----------------
    def _ready(self):
        if self.__dict__.get("_table") is not None:
            return
        with self.__dict__.setdefault("_setup_lock", threading.Lock()):
            if self.__dict__.get("_table") is not None:
                return
            self._validate_params()
            self._ups = {n: _Upstream(n, u, float(self.timeout)) for n, u in self.upstreams.items()}
            names = list(self._ups)
            self._fallback = self._fallback_name(self.fallback)
            self._rng = random.Random(self.seed)
            self._stats_lock = threading.Lock()
            self._server = None
            self._thread = None
            initial = self.weights if self.weights is not None else {names[0]: 1}
            self._table = self._build_table(initial)
            self._models = self._model_names()
            from mlops_kit.deploy.prediction_recorder import recorder_for

            self._recorder = recorder_for(self.prediction_log)

    @property
    def recorder(self):
        """The :class:`PredictionRecorder` of ``prediction_log`` (None without one)."""
        self._ready()
        return self._recorder

    def _model_names(self) -> dict:
        """Upstream name -> (model name, version) recorded with its predictions."""
        from mlops_kit.deploy.serving import parse_model_uri

        out = {name: (name, None) for name in self._ups}
        for name, model in (self.models or {}).items():
            if name not in self._ups or not isinstance(model, str) or not model:
                raise InputError.invalid(
                    "models", {name: model}, f"upstream names {list(self._ups)} to model names"
                )
            if model.startswith("models:/"):
                model_name, version, alias = parse_model_uri(model)
                out[name] = (model_name, version if alias is None else alias)
            else:
                out[name] = (model, None)
        return out

    def _fallback_name(self, fallback):
        names = list(self._ups)
        if fallback is True:
            return names[0]
        if fallback is False:
            return None
        if isinstance(fallback, str) and fallback in self._ups:
            return fallback
        raise InputError.invalid("fallback", fallback, f"True, False or one of {names}")

    def set_fallback(self, fallback):
        """Change where requests go when their upstream does not answer; return ``self``.

        Examples
        --------
        >>> r = Router({"a": "http://127.0.0.1:5001", "b": "http://127.0.0.1:5002"})
        >>> r.set_fallback("b").fallback_upstream
        'b'
        """
        self._ready()
        self._fallback = self._fallback_name(fallback)
        return self

    @property
    def fallback_upstream(self):
        """Name of the upstream that takes the requests of one that is down (None: 502)."""
        self._ready()
        return self._fallback

    def _build_table(self, weights):
        names = list(self._ups)
        if not isinstance(weights, dict) or not weights:
            raise InputError.invalid("weights", weights, f"a dict of {names} to weights")
        for name, w in weights.items():
            if name not in self._ups:
                raise InputError.invalid("weights", name, f"upstream names {names}")
            if isinstance(w, bool) or not Interval(float, 0, None).accepts(w):
                raise InputError.invalid(f"weights[{name!r}]", w, "a finite number >= 0")
        total = float(sum(weights.values()))
        if total <= 0:
            raise InputError.invalid("weights", weights, "weights with a positive sum")
        shares = {n: float(weights.get(n, 0)) / total for n in names}
        cumulative, acc, live = [], 0.0, []
        for n in names:
            if shares[n] > 0:
                acc += shares[n]
                cumulative.append(acc)
                live.append(n)
        cumulative[-1] = 1.0
        return shares, tuple(live), tuple(cumulative)

    # -- weights ----------------------------------------------------------------------
    @property
    def shares(self) -> dict:
        """The current traffic shares (weights normalised to sum to 1), one per upstream."""
        self._ready()
        return dict(self._table[0])

    def set_weights(self, weights: dict, *, check: bool = True):
        """Replace the weights atomically and return ``self``.

        Parameters
        ----------
        weights : dict of str to float
            Upstream name -> weight (names left out get 0).
        check : bool, default True
            First require ``/ping`` to answer on every upstream that is to get
            traffic; on failure raise DeploymentError and keep the old weights.

        Examples
        --------
        >>> r = Router({"a": "http://127.0.0.1:5001", "b": "http://127.0.0.1:5002"})
        >>> r.set_weights({"a": 1, "b": 1}, check=False).shares
        {'a': 0.5, 'b': 0.5}
        """
        self._ready()
        table = self._build_table(weights)
        if check:
            down = [n for n in table[1] if not self._alive(self._ups[n])]
            if down:
                shown = ", ".join(f"{n!r} ({self._ups[n].url})" for n in down)
                raise DeploymentError(
                    f"Upstream {shown} does not answer /ping: weights not changed "
                    f"(still {self.shares}). Start it, or give it weight 0."
                )
        self._table = table  # one assignment: requests see the old or the new table
        return self

    @staticmethod
    def _alive(up: _Upstream) -> bool:
        try:
            return up.pool.request("GET", "/ping").status == 200
        except OSError:
            return False

    # -- routing ----------------------------------------------------------------------
    def _pick(self) -> str:
        _, live, cumulative = self._table
        if len(live) == 1:
            return live[0]
        return live[bisect.bisect_right(cumulative, self._rng.random())]

    def _call(self, up: _Upstream, body: bytes) -> Response:
        start = time.perf_counter()
        response = up.pool.request(
            "POST", "/invocations", body, {"Content-Type": "application/json"}
        )
        elapsed = time.perf_counter() - start
        with self._stats_lock:
            up.requests += 1
            up.latencies.append(elapsed)
            if not 200 <= response.status < 300:
                up.errors += 1
        return response

    def route(self, body: bytes, request_id=None):
        """Send one ``/invocations`` JSON body; return ``(upstream name, Response, failed)``.

        ``failed`` names the upstream that could not take the request (the
        answer then comes from the fallback), else None. Raises
        DeploymentError when no upstream could answer. With a prediction log,
        an answered request is recorded under ``request_id`` (default random).
        """
        self._ready()
        if self._recorder is None:
            return self._route(body)
        start = time.perf_counter()
        name, response, failed = self._route(body)
        if 200 <= response.status < 300:
            self._record(body, response, name, (time.perf_counter() - start) * 1000, request_id)
        return name, response, failed

    def _record(self, body, response, name, latency_ms, request_id) -> None:
        import pandas as pd

        from mlops_kit.deploy.serving import decode_predictions

        try:
            predictions = decode_predictions(response, self._ups[name].url)
            try:
                frame = _request_frame(body)
            except (ValueError, InputError):  # predictions are still logged, without features
                frame = pd.DataFrame(index=range(len(predictions)))
        except Exception as exc:  # the answer goes back to the client all the same
            self._recorder.last_error = exc
            return
        model, version = self._models[name]
        self._recorder.record(
            frame,
            predictions,
            latency_ms=latency_ms,
            request_id=request_id,
            model=model,
            version=version,
        )

    def _route(self, body: bytes):
        name = self._pick()
        up = self._ups[name]
        try:
            return name, self._call(up, body), None
        except OSError as exc:
            with self._stats_lock:
                up.failovers += 1
            fb = self._fallback
            if fb is None or fb == name:
                raise DeploymentError(
                    f"Upstream {name!r} ({up.url}) did not answer: {type(exc).__name__}: {exc}"
                ) from exc
            try:
                return fb, self._call(self._ups[fb], body), name
            except OSError as exc2:
                raise DeploymentError(
                    f"Upstream {name!r} ({up.url}) and the fallback {fb!r} "
                    f"({self._ups[fb].url}) did not answer: {type(exc2).__name__}: {exc2}"
                ) from exc2

    def predict(self, frame, *, return_upstream: bool = False, request_id=None):
        """Route ``frame`` in-process and return the predictions (and the upstream's name).

        ``request_id`` names the logged rows (``<request_id>:<row>``) when the
        router has a prediction log.

        Examples
        --------
        >>> router.predict(X.head(), return_upstream=True)  # doctest: +SKIP
        (array([0, 1, 0, 0, 1]), 'champion')
        """
        from mlops_kit.deploy.serving import decode_predictions, encode_frame

        name, response, _ = self.route(encode_frame(frame), request_id=request_id)
        predictions = decode_predictions(response, self._ups[name].url)
        return (predictions, name) if return_upstream else predictions

    # -- statistics -------------------------------------------------------------------
    def stats_dict(self) -> dict:
        """Per-upstream statistics as plain JSON-ready data (what ``GET /stats`` returns)."""
        import numpy as np

        self._ready()
        shares = self._table[0]
        with self._stats_lock:
            rows = [
                (up.name, up.url, up.requests, up.errors, up.failovers, list(up.latencies))
                for up in self._ups.values()
            ]
        out = {}
        for name, url, requests, errors, failovers, lat in rows:
            ms = np.asarray(lat) * 1000.0
            pct = np.percentile(ms, [50, 99]) if len(ms) else [None, None]
            out[name] = {
                "url": url,
                "weight": shares[name],
                "requests": requests,
                "errors": errors,
                "failovers": failovers,
                "p50_ms": None if pct[0] is None else round(float(pct[0]), 3),
                "p99_ms": None if pct[1] is None else round(float(pct[1]), 3),
                "mean_ms": round(float(ms.mean()), 3) if len(ms) else None,
            }
        return out

    def stats(self):
        """Per-upstream statistics as a DataFrame (one row per upstream).

        Examples
        --------
        >>> Router({"champion": "http://127.0.0.1:5001"}).stats()["requests"].tolist()
        [0]
        """
        import pandas as pd

        data = self.stats_dict()
        frame = pd.DataFrame.from_dict(data, orient="index")
        frame.index.name = "upstream"
        return frame.reset_index()

    def reset_stats(self) -> None:
        """Zero the counters and forget the latencies."""
        self._ready()
        with self._stats_lock:
            for up in self._ups.values():
                up.requests = up.errors = up.failovers = 0
                up.latencies.clear()

    # -- HTTP server ------------------------------------------------------------------
    @property
    def url(self) -> str:
        """``http://host:port`` of the running HTTP router."""
        server = self.__dict__.get("_server")
        if server is None:
            raise DeploymentError("The router is not started: call .start() first.")
        host, port = server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        """Start the HTTP router in a background thread and return ``self``."""
        self._ready()
        if self._server is not None:
            return self
        if self.port is not None and port_in_use(self.port, self.host):
            raise InputError.invalid(
                "port", self.port, "a free TCP port", hint=f"Port {self.port} is in use."
            )
        server = _Server((self.host, self.port or 0), _handler(self))
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the HTTP router (idempotent), flush its prediction log; upstreams keep running."""
        server = self.__dict__.get("_server")
        recorder = self.__dict__.get("_recorder")
        if server is None:
            if recorder is not None:
                recorder.flush()
            return
        server.shutdown()
        server.server_close()
        self._thread.join(5)
        self._server = self._thread = None
        for up in self._ups.values():
            up.pool.close()
        if recorder is not None:
            recorder.flush()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
