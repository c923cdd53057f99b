"""Real model serving: MLflow's scoring server in a child process, and a handle to it.

:func:`serve` resolves a model URI in the registry (``models:/credit-risk@champion``
becomes the concrete ``models:/credit-risk/3`` before anything starts, so the
alias cannot move under a starting server), checks the port, and runs::

    python -m mlflow models serve -m models:/<name>/<version> --env-manager local \\
        -h 127.0.0.1 -p <port>

with the kit's tracking URI in the environment: the local Python environment
is used, nothing is built or downloaded. It waits (bounded) until ``/ping``
answers and returns a :class:`ModelServer`: ``.url``, ``.pid``,
``.version``, ``.predict(frame)`` over ``/invocations`` (JSON
``dataframe_split``), ``.stop()``. The server runs in its own process group
and is stopped by PID (TERM, then KILL), by ``stop()``, at the end of a
``with`` block, and at interpreter exit.

Errors, each raised before or instead of a half-started server:

- the model, version or alias does not exist: :class:`~mlops_kit.errors.ModelNotFoundError`
  / :class:`~mlops_kit.errors.AliasNotFoundError` (checked in the registry first);
- the port is taken or invalid: :class:`~mlops_kit.errors.InputError`;
- the server exits (or is not healthy within ``timeout``) before ``/ping`` answers:
  :class:`~mlops_kit.errors.DeploymentError` with the tail of its log.

Examples
--------
>>> parse_model_uri("models:/credit-risk@champion")
('credit-risk', None, 'champion')
>>> parse_model_uri("models:/credit-risk/3")
('credit-risk', 3, None)
>>> with serve("models:/credit-risk@champion") as server:  # doctest: +SKIP
...     server.predict(X.head())
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from mlops_kit._params import Interval, Predicate, check_param
from mlops_kit.deploy._http import ConnectionPool, free_port, port_in_use
from mlops_kit.deploy.prediction_recorder import LOG_TARGET, recorder_for
from mlops_kit.errors import DeploymentError, InputError

__all__ = ["ModelServer", "parse_model_uri", "resolve_model_uri", "serve"]

_LOG_TAIL_LINES = 20
_LIVE: set = set()  # strong references: a server nobody holds is still stopped at exit
_LIVE_LOCK = threading.Lock()


def parse_model_uri(model_uri) -> tuple[str, int | None, str | None]:
    """Split ``models:/<name>@<alias>`` or ``models:/<name>/<version>`` into its parts.

    Returns ``(name, version, alias)``; exactly one of version and alias is set.

    Examples
    --------
    >>> parse_model_uri("models:/churn/12")
    ('churn', 12, None)
    >>> parse_model_uri("runs:/abc/model")
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid model_uri: got 'runs:/abc/model'; allowed: ...
    """
    allowed = "'models:/<name>@<alias>' or 'models:/<name>/<version>' of a registered model"
    if not isinstance(model_uri, str) or not model_uri.startswith("models:/"):
        raise InputError.invalid("model_uri", model_uri, allowed)
    rest = model_uri[len("models:/") :]
    if "@" in rest:
        name, _, alias = rest.rpartition("@")
        if name and alias and "/" not in alias:
            return name, None, alias
    else:
        name, _, version = rest.rpartition("/")
        if name and version.isdigit() and int(version) >= 1:
            return name, int(version), None
    raise InputError.invalid("model_uri", model_uri, allowed)


def resolve_model_uri(model_uri: str, tracking_uri: str | None = None):
    """Check ``model_uri`` in the registry and return the version it names now.

    Raises :class:`~mlops_kit.errors.ModelNotFoundError` or
    :class:`~mlops_kit.errors.AliasNotFoundError` with what does exist.

    Returns
    -------
    ModelVersionInfo

    Examples
    --------
    >>> resolve_model_uri("models:/credit-risk@champion").model_uri  # doctest: +SKIP
    'models:/credit-risk/3'
    """
    from mlops_kit.tracking.registry import _info, current, require_model, require_version
    from mlops_kit.tracking.store import get_client

    name, version, alias = parse_model_uri(model_uri)
    if alias is not None:
        return current(name, alias, tracking_uri=tracking_uri)
    client = get_client(tracking_uri)
    require_model(client, name)
    return _info(require_version(client, name, version))


def _tail(path: Path, n: int = _LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    lines = [ln.rsplit("\r", 1)[-1] for ln in text.splitlines() if ln.strip()]
    return "\n".join(lines[-n:]) or "(empty log)"


class ModelServer:
    """Handle to a running MLflow scoring server (returned by :func:`serve`).

    Attributes
    ----------
    url : str
        ``http://host:port`` of the server.
    pid : int
        PID of the server process (the leader of its process group).
    model_uri : str
        The concrete ``models:/<name>/<version>`` being served.
    requested_uri : str
        The URI asked for (for example with an ``@alias``).
    name, version : str, int
        The registered model and the version that serves.
    log_path : pathlib.Path
        The server's combined stdout and stderr.
    recorder : PredictionRecorder or None
        Writes every answered ``predict`` to the prediction log (``serve(...,
        prediction_log=...)``); ``stop()`` flushes it.

    Examples
    --------
    >>> server = serve("models:/credit-risk@champion")  # doctest: +SKIP
    >>> server.version, server.predict(X.head(3))  # doctest: +SKIP
    (3, array([0, 1, 0]))
    >>> server.stop()  # doctest: +SKIP
    """

    def __init__(self, process, url, info, requested_uri, log_path, timeout, recorder=None):
        self._process = process
        self.url = url
        self.pid = process.pid
        self.name = info.name
        self.version = info.version
        self.model_uri = info.model_uri
        self.requested_uri = requested_uri
        self.log_path = Path(log_path)
        self._pool = ConnectionPool(url, timeout=timeout)
        self._stop_lock = threading.Lock()
        self.recorder = recorder

    @property
    def running(self) -> bool:
        """True while the server process is alive."""
        return self._process.poll() is None

    def ping(self) -> bool:
        """Return True if ``/ping`` answers 200 now."""
        try:
            return self._pool.request("GET", "/ping").status == 200
        except OSError:
            return False

    def invoke(self, body: bytes):
        """POST a JSON body to ``/invocations`` and return the raw :class:`_http.Response`."""
        try:
            return self._pool.request(
                "POST", "/invocations", body, {"Content-Type": "application/json"}
            )
        except OSError as exc:
            state = "running" if self.running else "stopped"
            raise DeploymentError(
                f"Model server {self.url} ({self.model_uri}, {state}) did not answer: "
                f"{type(exc).__name__}: {exc}"
            ) from exc

    def predict(self, frame, request_id=None):
        """Score ``frame`` over HTTP and return the predictions.

        With a prediction log (``serve(..., prediction_log=...)``) the rows,
        predictions, model version and latency are recorded (batched, in this
        process); a request that fails records nothing.

        Parameters
        ----------
        frame : pandas.DataFrame
            Input rows with the model's columns.
        request_id : str, optional
            Logged row ids are ``<request_id>:<row>`` (to join labels later);
            default a random id.

        Returns
        -------
        numpy.ndarray or pandas.DataFrame
            An array for one prediction per row, a DataFrame for records.
        """
        if self.recorder is None:
            return decode_predictions(self.invoke(encode_frame(frame)), self.url)
        start = time.perf_counter()
        predictions = decode_predictions(self.invoke(encode_frame(frame)), self.url)
        latency_ms = (time.perf_counter() - start) * 1000.0
        self.recorder.record(frame, predictions, latency_ms=latency_ms, request_id=request_id)
        return predictions

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server's process group (TERM, then KILL after ``timeout``); idempotent.

        A prediction log is flushed after the server stops (an error names the
        rows it could not take, still held by ``recorder.pending()``).
        """
        with self._stop_lock:
            _stop_process(self._process, timeout)
            self._pool.close()
        with _LIVE_LOCK:
            _LIVE.discard(self)
        if self.recorder is not None:
            self.recorder.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"ModelServer({self.model_uri!r}, url={self.url!r}, pid={self.pid}, {state})"


def encode_frame(frame) -> bytes:
    """Encode a DataFrame as MLflow's ``{"dataframe_split": ...}`` JSON request body.

    Examples
    --------
    >>> import pandas as pd
    >>> encode_frame(pd.DataFrame({"a": [1.5]}))
    b'{"dataframe_split":{"columns":["a"],"data":[[1.5]]}}'
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise InputError.invalid("frame", type(frame).__name__, "a pandas DataFrame")
    return b'{"dataframe_split":' + frame.to_json(orient="split", index=False).encode() + b"}"


def decode_predictions(response, url: str = "the model server"):
    """Turn an ``/invocations`` response into predictions, or raise a clear error."""
    import numpy as np
    import pandas as pd

    if response.status != 200:
        try:
            message = json.loads(response.body).get("message", "")
        except (ValueError, AttributeError):
            message = response.body[:500].decode("utf-8", "replace")
        message = " ".join(str(message).split())[:500]
        cls = InputError if 400 <= response.status < 500 else DeploymentError
        raise cls(f"{url} answered HTTP {response.status}: {message}")
    predictions = json.loads(response.body)["predictions"]
    if predictions and isinstance(predictions[0], dict):
        return pd.DataFrame(predictions)
    return np.asarray(predictions)


def _stop_process(process, timeout: float) -> None:
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(wait)
            break
        except subprocess.TimeoutExpired:
            continue
    # the group may hold a child (uvicorn) that outlived its parent; a killed process
    # takes a moment to exit, so wait until none is left (its port is then free)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    deadline = time.monotonic() + 5.0
    while _group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.02)


def _group_alive(pgid: int) -> bool:
    """Whether process group ``pgid`` still has a member that is not a zombie."""
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: a zombie counts as alive here
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] not in ("Z", "X") and int(fields[2]) == pgid:
            return True
    return False


@atexit.register
def _stop_all() -> None:
    with _LIVE_LOCK:
        servers = list(_LIVE)
    for server in servers:
        with contextlib.suppress(Exception):
            server.stop(timeout=5.0)


_HOST = Predicate(lambda v: isinstance(v, str) and bool(v.strip()), "a host name or IP address")


def serve(
    model_uri: str,
    port: int | None = None,
    *,
    host: str = "127.0.0.1",
    timeout: float = 180.0,
    workers: int = 1,
    tracking_uri: str | None = None,
    prediction_log=None,
) -> ModelServer:
    """Start MLflow's scoring server for a registered model and wait until it is healthy.

    Parameters
    ----------
    model_uri : str
        ``models:/<name>@<alias>`` or ``models:/<name>/<version>``. An alias is
        resolved to its version now; that version is what serves.
    port : int, optional
        TCP port; default a free one.
    host : str, default "127.0.0.1"
        Interface to bind.
    timeout : float, default 180
        Seconds to wait for ``/ping`` (loading MLflow takes several seconds).
    workers : int, default 1
        uvicorn worker processes.
    tracking_uri : str, optional
        Store holding the model (default: the kit's store, see
        :func:`mlops_kit.tracking.resolve_tracking_uri`).
    prediction_log : PredictionLog or str or os.PathLike or PredictionRecorder, optional
        Record every ``predict`` of the returned handle in this prediction log
        (features, prediction, model name and version, latency), batched in
        this process (:class:`~mlops_kit.deploy.prediction_recorder.PredictionRecorder`).

    Returns
    -------
    ModelServer
        Use as a context manager, or call ``stop()``.

    Examples
    --------
    >>> with serve("models:/credit-risk@champion", port=5001) as server:  # doctest: +SKIP
    ...     server.predict(X.head())
    """
    from mlops_kit.tracking.store import resolve_tracking_uri

    check_param("port", port, [None, Interval(int, 1, 65535)])
    check_param("host", host, [_HOST])
    check_param("timeout", timeout, [Interval(float, 0, None, closed="neither")])
    check_param("workers", workers, [Interval(int, 1, 64)])
    check_param("prediction_log", prediction_log, [None, LOG_TARGET])
    uri = resolve_tracking_uri(tracking_uri)
    info = resolve_model_uri(model_uri, uri)  # raises before anything starts
    if port is None:
        port = free_port(host)
    elif port_in_use(port, host):
        raise InputError.invalid(
            "port",
            port,
            "a free TCP port",
            hint=f"Port {port} is already in use on {host}; choose another or omit it.",
        )
    log_dir = Path(tempfile.mkdtemp(prefix="mlops-kit-serve-"))
    log_path = log_dir / "server.log"
    env = dict(os.environ)
    env.update(
        MLFLOW_TRACKING_URI=uri,
        MLFLOW_REGISTRY_URI=uri,
        # the scoring server runs `uvicorn` by name: find this environment's first
        PATH=os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", ""),
        MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR="false",
    )
    cmd = [
        sys.executable,
        "-m",
        "mlflow",
        "models",
        "serve",
        "-m",
        info.model_uri,
        "--env-manager",
        "local",
        "-h",
        host,
        "-p",
        str(port),
        "-w",
        str(workers),
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its own process group: stopped as one
        )
    shown_host = f"[{host}]" if ":" in host else host
    recorder = recorder_for(prediction_log, model=info.name, version=info.version)
    server = ModelServer(
        process, f"http://{shown_host}:{port}", info, model_uri, log_path, 60.0, recorder
    )
    with _LIVE_LOCK:
        _LIVE.add(server)
    try:
        _wait_healthy(server, timeout)
    except BaseException:
        server.stop(timeout=5.0)
        raise
    return server


def _wait_healthy(server: ModelServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    delay = 0.1
    while True:
        code = server._process.poll()
        if code is not None:
            raise DeploymentError(
                f"The model server for {server.model_uri} exited with status {code} before it "
                f"was healthy. Last lines of its log ({server.log_path}):\n"
                f"{_tail(server.log_path)}"
            )
        if server.ping():
            return
        if time.monotonic() > deadline:
            raise DeploymentError(
                f"The model server for {server.model_uri} did not answer {server.url}/ping "
                f"within {timeout:g} s; it was stopped. Last lines of its log "
                f"({server.log_path}):\n{_tail(server.log_path)}"
            )
        time.sleep(delay)
        delay = min(delay * 1.5, 0.5)
