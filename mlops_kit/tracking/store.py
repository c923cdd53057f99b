"""Where runs and models are stored: the tracking URI and the MLflow client.

The default store is an embedded SQLite database in a folder the user can
see: ``$MLOPS_KIT_HOME/mlruns.db`` or, when ``MLOPS_KIT_HOME`` is unset,
``./mlruns.db`` in the current directory, with artifacts in ``mlartifacts/``
beside it. Setting ``MLFLOW_TRACKING_URI`` (a tracking server backed by
PostgreSQL, for a team) overrides the default. MLflow's file store is
deprecated upstream and is never used by default.

Looking something up (``get_client(uri, create=False)``: the registry's
``current``, ``versions``, ``history``, the maturity scan) never creates a
store: a local store that does not exist raises
:class:`~mlops_kit.errors.StoreUnreachableError` saying so, instead of
answering from a new empty store. A tracking server that cannot be reached
fails within seconds: the kit sets MLflow's HTTP settings
(:data:`HTTP_DEFAULTS`) unless the user set them, instead of MLflow's own
defaults (7 retries, 120 s timeout, about four minutes of retrying).

Examples
--------
>>> resolve_tracking_uri("sqlite:////data/team/mlruns.db")
'sqlite:////data/team/mlruns.db'
>>> artifact_root("sqlite:////data/team/mlruns.db")
'file:///data/team/mlartifacts'
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from mlops_kit._params import Predicate, check_param
from mlops_kit.errors import StoreUnreachableError

__all__ = [
    "ARTIFACTS_DIR",
    "DB_NAME",
    "HTTP_DEFAULTS",
    "apply_http_defaults",
    "artifact_root",
    "ensure_experiment",
    "get_client",
    "redact",
    "resolve_tracking_uri",
    "store_exists",
    "use_store",
]

_NONEMPTY_URI = Predicate(
    lambda v: isinstance(v, str) and bool(v.strip()), "a non-empty MLflow tracking URI string"
)
_NONEMPTY_NAME = Predicate(
    lambda v: isinstance(v, str) and bool(v.strip()), "a non-empty experiment name"
)

DB_NAME = "mlruns.db"
ARTIFACTS_DIR = "mlartifacts"

#: The kit's defaults for MLflow's HTTP settings (a user's own environment values win).
#: Two retries with backoff factor 1 (MLflow reads it as an integer: urllib3 then sleeps 0 s
#: and 2 s) and a 10 s timeout per request: a closed port fails in about two seconds, a
#: server that accepts but never answers in about half a minute.
HTTP_DEFAULTS = {
    "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "2",
    "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR": "1",
    "MLFLOW_HTTP_REQUEST_TIMEOUT": "10",
}


def _home(home=None) -> Path:
    base = home if home is not None else os.environ.get("MLOPS_KIT_HOME") or os.getcwd()
    return Path(base).expanduser().resolve()


def resolve_tracking_uri(tracking_uri: str | None = None, home=None) -> str:
    """Return the tracking URI to use.

    Order: the ``tracking_uri`` argument, then ``MLFLOW_TRACKING_URI``, then
    ``sqlite:///<MLOPS_KIT_HOME or cwd>/mlruns.db``.

    Parameters
    ----------
    tracking_uri : str, optional
        An explicit MLflow tracking URI.
    home : str or Path, optional
        Folder for the default SQLite store (overrides ``MLOPS_KIT_HOME``).

    Examples
    --------
    >>> resolve_tracking_uri("sqlite:////tmp/x/mlruns.db")
    'sqlite:////tmp/x/mlruns.db'
    """
    if tracking_uri is not None:
        return check_param("tracking_uri", tracking_uri, [_NONEMPTY_URI])
    env = os.environ.get("MLFLOW_TRACKING_URI")
    if env:
        return env
    folder = _home(home)
    return f"sqlite:///{folder / DB_NAME}"


def artifact_root(tracking_uri: str) -> str | None:
    """Return the artifact folder for new experiments of a local SQLite store.

    For a ``sqlite:///`` URI the artifacts live in ``mlartifacts/`` beside the
    database file, so that store and artifacts move together. For any other
    URI MLflow's own default is kept (``None``).

    Examples
    --------
    >>> artifact_root("sqlite:////data/mlruns.db")
    'file:///data/mlartifacts'
    >>> artifact_root("http://127.0.0.1:5000") is None
    True
    """
    if tracking_uri.startswith("sqlite:///"):
        db_path = Path(tracking_uri[len("sqlite:///") :])
        return (db_path.parent / ARTIFACTS_DIR).resolve().as_uri()
    return None


def _prepare_sqlite(tracking_uri: str) -> None:
    """Check the folder of a SQLite store and initialise a new database.

    A new database is created with the artifact root beside it, so that even
    MLflow's ``Default`` experiment keeps its artifacts in ``mlartifacts/``
    rather than in ``./mlruns`` under whatever the current directory is.
    """
    if not tracking_uri.startswith("sqlite:///"):
        return
    db_path = Path(tracking_uri[len("sqlite:///") :])
    if not db_path.parent.exists():
        raise StoreUnreachableError(
            f"Cannot open tracking store {tracking_uri!r}: folder {str(db_path.parent)!r} "
            "does not exist. Create it, or set MLOPS_KIT_HOME / MLFLOW_TRACKING_URI."
        )
    if db_path.exists() and db_path.stat().st_size > 0:
        return
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    try:
        SqlAlchemyStore(tracking_uri, artifact_root(tracking_uri))
    except Exception as exc:
        raise StoreUnreachableError(
            f"Cannot create the tracking store {tracking_uri!r}: {type(exc).__name__}: {exc}"
        ) from exc


def apply_http_defaults() -> dict[str, str]:
    """Set MLflow's HTTP retry and timeout settings to the kit's defaults where unset.

    A value the user put in the environment is never overridden. Returns the
    settings in force.

    Examples
    --------
    >>> apply_http_defaults()["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] == os.environ[
    ...     "MLFLOW_HTTP_REQUEST_MAX_RETRIES"
    ... ]
    True
    """
    return {name: os.environ.setdefault(name, value) for name, value in HTTP_DEFAULTS.items()}


def _local_path(tracking_uri: str) -> Path | None:
    """The file or folder of a local store (SQLite file, file store), else None."""
    if tracking_uri.startswith("sqlite:///"):
        return Path(tracking_uri[len("sqlite:///") :])
    if tracking_uri.startswith("file:"):
        from urllib.parse import unquote, urlparse

        return Path(unquote(urlparse(tracking_uri).path))
    if "://" not in tracking_uri and ":" not in tracking_uri.split("/")[0]:
        return Path(tracking_uri)  # a plain path: MLflow would make a file store there
    return None


def store_exists(tracking_uri: str) -> bool | None:
    """Say whether a local store exists (True/False); None for a server or database URI.

    A SQLite store exists when its file exists and is not empty.

    Examples
    --------
    >>> import tempfile
    >>> store_exists(f"sqlite:///{tempfile.mkdtemp()}/mlrun.db")
    False
    >>> store_exists("http://127.0.0.1:5000") is None
    True
    """
    path = _local_path(tracking_uri)
    if path is None:
        return None
    if tracking_uri.startswith("sqlite:///"):
        return path.is_file() and path.stat().st_size > 0
    return path.exists()


_DATABASES = ("postgresql", "mysql", "mssql")
_DRIVERS = {"postgresql": "psycopg2-binary", "mysql": "pymysql", "mssql": "pyodbc"}


def redact(uri: str) -> str:
    """Return ``uri`` with any password replaced by ``***`` (for error messages and logs).

    Examples
    --------
    >>> redact("postgresql://mlflow:s3cret@db:5432/mlflow")
    'postgresql://mlflow:***@db:5432/mlflow'
    >>> redact("http://127.0.0.1:5000")
    'http://127.0.0.1:5000'
    """
    return re.sub(r"(://[^:/@]+:)[^@/]*@", r"\1***@", uri)


def _probe_database(uri: str) -> None:
    """Connect once to a database URI (PostgreSQL, MySQL, ...) with a short timeout.

    MLflow itself retries a database it cannot reach ten times over about
    100 seconds, printing a traceback each time; a notebook user wants one
    line now.
    """
    scheme = uri.split(":", 1)[0].split("+", 1)[0].lower()
    if scheme not in _DATABASES:
        return
    import sqlalchemy
    from sqlalchemy.pool import NullPool

    args = {"connect_timeout": 5} if scheme in ("postgresql", "mysql") else {}
    try:
        engine = sqlalchemy.create_engine(uri, poolclass=NullPool, connect_args=args)
        with engine.connect():
            pass
        engine.dispose()
    except ImportError as exc:
        raise StoreUnreachableError(
            f"Cannot open the tracking store {redact(uri)!r}: its database driver is missing "
            f"({_one_line(exc)}). Install it, e.g. pip install {_DRIVERS[scheme]}."
        ) from None
    except Exception as exc:
        raise StoreUnreachableError(
            f"Cannot connect to the database of tracking store {redact(uri)!r}: "
            f"{type(exc).__name__}: {_one_line(getattr(exc, 'orig', None) or exc)}. Check that "
            "the database is up and accepts connections, and MLFLOW_TRACKING_URI."
        ) from None


def _one_line(exc: BaseException, limit: int = 300) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def get_client(tracking_uri: str | None = None, *, create: bool = True):
    """Return an ``mlflow.MlflowClient`` for the resolved store.

    Tracking and registry use the same URI.

    Parameters
    ----------
    tracking_uri : str, optional
        The store; default :func:`resolve_tracking_uri`.
    create : bool, default True
        Create a local SQLite store that does not exist yet. Lookups pass
        ``False``: a missing store is then an error, never a new empty one.

    Raises
    ------
    StoreUnreachableError
        The store does not exist (``create=False``), or cannot be opened or
        reached (within seconds for a server, see :data:`HTTP_DEFAULTS`).

    Examples
    --------
    >>> import tempfile
    >>> client = get_client(f"sqlite:///{tempfile.mkdtemp()}/mlruns.db")
    >>> client.search_experiments()[0].name
    'Default'
    >>> get_client(f"sqlite:///{tempfile.mkdtemp()}/mlrun.db", create=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mlops_kit.errors.StoreUnreachableError: Tracking store 'sqlite:///...' does not exist ...
    """
    check_param("create", create, ["boolean"])
    uri = resolve_tracking_uri(tracking_uri)
    if not create and store_exists(uri) is False:
        raise StoreUnreachableError(
            f"Tracking store {uri!r} does not exist (no {str(_local_path(uri))!r}); nothing was "
            "created. Check the path, MLFLOW_TRACKING_URI or MLOPS_KIT_HOME."
        )
    _prepare_sqlite(uri)
    _probe_database(uri)
    settings = apply_http_defaults()
    import mlflow

    try:
        client = mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)
        client.search_experiments(max_results=1)
    except Exception as exc:  # any failure to reach the store
        http = ""
        if uri.startswith(("http://", "https://")):
            http = " (" + ", ".join(f"{k}={v}" for k, v in settings.items()) + ")"
        raise StoreUnreachableError(
            f"Cannot reach the MLflow tracking store {redact(uri)!r}{http}: {type(exc).__name__}: "
            f"{_one_line(exc)}. Check MLFLOW_TRACKING_URI (or the tracking_uri argument) "
            "and that the server is up."
        ) from exc
    return client


def ensure_experiment(name: str, tracking_uri: str | None = None) -> str:
    """Return the id of experiment ``name``, creating it if needed.

    New experiments of a local SQLite store keep their artifacts beside the
    database (see :func:`artifact_root`). Safe when several processes ask
    for the same new experiment at once: one creates it, the others use it.

    Examples
    --------
    >>> import tempfile
    >>> uri = f"sqlite:///{tempfile.mkdtemp()}/mlruns.db"
    >>> ensure_experiment("demo", uri) == ensure_experiment("demo", uri)
    True
    """
    check_param("experiment", name, [_NONEMPTY_NAME])
    uri = resolve_tracking_uri(tracking_uri)
    client = get_client(uri)
    exp = client.get_experiment_by_name(name)
    if exp is not None:
        if exp.lifecycle_stage == "deleted":
            client.restore_experiment(exp.experiment_id)
        return exp.experiment_id
    try:
        return client.create_experiment(name, artifact_location=artifact_root(uri))
    except Exception as exc:  # another process created it a moment ago (a team's server)
        if getattr(exc, "error_code", "") != "RESOURCE_ALREADY_EXISTS":
            raise
        exp = client.get_experiment_by_name(name)
        if exp is None:
            raise
        return exp.experiment_id


def use_store(tracking_uri: str | None = None, home=None) -> str:
    """Point MLflow's fluent API at the kit's store and return the URI.

    Sets ``mlflow.set_tracking_uri`` and ``mlflow.set_registry_uri``; does not
    change environment variables.

    Examples
    --------
    >>> import tempfile
    >>> use_store(home=tempfile.mkdtemp()).startswith("sqlite:///")
    True
    """
    uri = resolve_tracking_uri(tracking_uri, home=home)
    _prepare_sqlite(uri)
    apply_http_defaults()
    import mlflow

    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    return uri
