"""Model registry helpers: register a scikit-learn model, look versions up.

:func:`register` logs a fitted scikit-learn model with MLflow's sklearn
flavour and registers it. It prefers the pickle-free ``skops`` format
(MLflow 3); types that skops does not trust by default (for example
``sklearn.tree._tree.Tree`` inside a random forest) are listed in the model
so that it loads back, and only a model skops cannot serialise at all falls
back to ``cloudpickle``, with a warning. Aliases and their history live in
:mod:`mlops_kit.tracking.alias_history`.

Examples
--------
>>> import tempfile
>>> from sklearn.linear_model import LogisticRegression
>>> uri = f"sqlite:///{tempfile.mkdtemp()}/mlruns.db"
>>> clf = LogisticRegression().fit([[0.0], [1.0]], [0, 1])
>>> info = register(clf, "churn", tracking_uri=uri)  # doctest: +SKIP
>>> info.version, info.serialization_format  # doctest: +SKIP
(1, 'skops')
"""

from __future__ import annotations

import contextlib
import getpass
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from mlops_kit._params import InstanceOf, Predicate, check_param
from mlops_kit.errors import AliasNotFoundError, InputError, ModelNotFoundError, RegistryError
from mlops_kit.governance.policy import AUTHOR_TAG
from mlops_kit.tracking._model_log import fluent_store, log_sklearn
from mlops_kit.tracking.store import get_client, resolve_tracking_uri

__all__ = ["ModelVersionInfo", "current", "current_user", "list_models", "register", "versions"]

_ALIAS_RE = re.compile(r"^[\w\-]+$")
_VERSION_ALIAS_RE = re.compile(r"^[vV]\d+$")
# tag keys are limited to 250 characters: "mlops_kit.alias_history." + alias + ".000001"
MAX_ALIAS_LENGTH = 250 - len("mlops_kit.alias_history.") - len(".000000")


@dataclass(frozen=True)
class ModelVersionInfo:
    """One registered model version (a plain record, detached from MLflow).

    Examples
    --------
    >>> ModelVersionInfo("churn", 3).model_uri
    'models:/churn/3'
    """

    name: str
    version: int
    run_id: str | None = None
    source: str | None = None
    status: str | None = None
    aliases: tuple[str, ...] = ()
    creation_time: datetime | None = None
    description: str | None = None
    tags: dict = field(default_factory=dict)
    serialization_format: str | None = None

    @property
    def model_uri(self) -> str:
        """``models:/<name>/<version>``, loadable with ``mlflow.pyfunc.load_model``."""
        return f"models:/{self.name}/{self.version}"


def _ms_to_datetime(ms):
    return None if ms is None else datetime.fromtimestamp(int(ms) / 1000, tz=UTC)


def _info(mv, aliases=None, serialization_format=None) -> ModelVersionInfo:
    return ModelVersionInfo(
        name=mv.name,
        version=int(mv.version),
        run_id=mv.run_id or None,
        source=mv.source,
        status=mv.status,
        aliases=tuple(sorted(aliases if aliases is not None else (mv.aliases or []))),
        creation_time=_ms_to_datetime(mv.creation_timestamp),
        description=mv.description or None,
        tags=dict(mv.tags or {}),
        serialization_format=serialization_format or (mv.tags or {}).get(_FORMAT_TAG),
    )


_FORMAT_TAG = "mlops_kit.serialization_format"


def _is_missing(exc) -> bool:
    return getattr(exc, "error_code", "") in ("RESOURCE_DOES_NOT_EXIST", "NOT_FOUND")


def _shortlist(items, n: int = 5) -> str:
    items = list(items)
    if not items:
        return "none"
    shown = ", ".join(repr(i) if isinstance(i, str) else str(i) for i in items[:n])
    return shown + (f" and {len(items) - n} more" if len(items) > n else "")


def check_name(name) -> str:
    """Return ``name`` if it is a usable registered-model name, else raise InputError."""
    if not isinstance(name, str) or not name.strip():
        raise InputError.invalid("name", name, "a non-empty registered model name")
    return name


def check_alias(alias) -> str:
    """Return ``alias`` if MLflow (and the history tag key) accept it, else raise InputError.

    Examples
    --------
    >>> check_alias("champion")
    'champion'
    >>> check_alias("v1")
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid alias: got 'v1'; allowed: ...
    """
    allowed = (
        "letters, digits, '_' and '-' (at most "
        f"{MAX_ALIAS_LENGTH} characters), not 'latest' and not a version alias such as 'v1'"
    )
    if (
        not isinstance(alias, str)
        or not _ALIAS_RE.match(alias)
        or len(alias) > MAX_ALIAS_LENGTH
        or alias.lower() == "latest"
        or _VERSION_ALIAS_RE.match(alias)
    ):
        raise InputError.invalid("alias", alias, allowed)
    return alias


def check_version(version) -> int:
    """Return ``version`` as an int (accepts 3 or "3"), else raise InputError."""
    if isinstance(version, bool) or not isinstance(version, int | str):
        raise InputError.invalid("version", version, "a model version number such as 3 or '3'")
    text = str(version).strip()
    if not text.isdigit() or int(text) < 1:
        raise InputError.invalid("version", version, "a model version number >= 1")
    return int(text)


def require_model(client, name):
    """Return the RegisteredModel ``name`` or raise ModelNotFoundError listing known names."""
    check_name(name)
    try:
        return client.get_registered_model(name)
    except Exception as exc:
        if not _is_missing(exc):
            raise
        from mlops_kit.tracking.registry_lock import is_lock

        found = client.search_registered_models(max_results=12)
        known = [m.name for m in found if not is_lock(m.name)][:6]
        raise ModelNotFoundError(
            f"Registered model {name!r} not found. Known models: {_shortlist(known)}. "
            "Register one with mlops_kit.tracking.register(model, name)."
        ) from None


def _version_numbers(client, name) -> list[int]:
    quote = '"' if "'" in name else "'"
    found, token = [], None
    while True:
        page = client.search_model_versions(
            f"name = {quote}{name}{quote}", max_results=1000, page_token=token
        )
        found.extend(page)
        token = page.token
        if not token:
            return sorted(found, key=lambda mv: int(mv.version))


def require_version(client, name, version):
    """Return ModelVersion ``version`` of ``name`` or raise ModelNotFoundError."""
    number = check_version(version)
    try:
        return client.get_model_version(name, str(number))
    except Exception as exc:
        if not _is_missing(exc):
            raise
        known = [int(mv.version) for mv in _version_numbers(client, name)]
        raise ModelNotFoundError(
            f"Version {number} of registered model {name!r} not found. "
            f"Existing versions: {_shortlist(known, 10)}."
        ) from None


def current(name: str, alias: str = "champion", *, tracking_uri: str | None = None):
    """Return the version that ``alias`` points to.

    Raises :class:`~mlops_kit.errors.AliasNotFoundError` (listing the aliases
    that exist) when the alias is not set.

    Examples
    --------
    >>> current("churn", "champion").version  # doctest: +SKIP
    3
    """
    check_alias(alias)
    client = get_client(tracking_uri, create=False)
    rm = require_model(client, name)
    aliases = dict(rm.aliases or {})
    if alias not in aliases:
        raise AliasNotFoundError(
            f"Alias {alias!r} is not set on registered model {name!r}. "
            f"Aliases that exist: {_shortlist(sorted(aliases))}. "
            "Set one with mlops_kit.tracking.promote(name, version, alias)."
        )
    mv = require_version(client, name, aliases[alias])
    return _info(mv, aliases=[a for a, v in aliases.items() if str(v) == str(mv.version)])


def versions(name: str, *, tracking_uri: str | None = None):
    """Return the versions of a registered model as a DataFrame, oldest first.

    Columns: name, version, aliases (comma-separated), run_id, creation_time,
    status, source, description.

    Examples
    --------
    >>> versions("churn")[["version", "aliases"]]  # doctest: +SKIP
    """
    import pandas as pd

    client = get_client(tracking_uri, create=False)
    rm = require_model(client, name)
    by_version: dict[str, list[str]] = {}
    for alias, v in (rm.aliases or {}).items():
        by_version.setdefault(str(v), []).append(alias)
    rows = [
        {
            "name": mv.name,
            "version": int(mv.version),
            "aliases": ", ".join(sorted(by_version.get(str(mv.version), []))),
            "run_id": mv.run_id or None,
            "creation_time": _ms_to_datetime(mv.creation_timestamp),
            "status": mv.status,
            "source": mv.source,
            "description": mv.description or None,
        }
        for mv in _version_numbers(client, name)
    ]
    cols = ["name", "version", "aliases", "run_id", "creation_time", "status", "source"]
    frame = pd.DataFrame(rows, columns=[*cols, "description"])
    frame["creation_time"] = pd.to_datetime(frame["creation_time"], utc=True)
    return frame


def list_models(*, tracking_uri: str | None = None):
    """Return the registered models as a DataFrame, one row per model, sorted by name.

    Columns: name, latest_version, aliases (``alias=version``, comma-separated),
    run_id and status of the latest version, creation_time, description.

    Examples
    --------
    >>> list_models().columns[:3].tolist()  # doctest: +SKIP
    ['name', 'latest_version', 'aliases']
    """
    import pandas as pd

    client = get_client(tracking_uri, create=False)
    models, token = [], None
    while True:
        page = client.search_registered_models(max_results=1000, page_token=token)
        models.extend(page)
        token = page.token
        if not token:
            break
    from mlops_kit.tracking.registry_lock import is_lock

    rows = []
    for rm in sorted(models, key=lambda m: m.name):
        if is_lock(rm.name):  # held while an alias moves (see registry_lock)
            continue
        latest = max(rm.latest_versions or [], key=lambda mv: int(mv.version), default=None)
        aliases = sorted((rm.aliases or {}).items())
        rows.append(
            {
                "name": rm.name,
                "latest_version": int(latest.version) if latest is not None else None,
                "aliases": ", ".join(f"{a}={v}" for a, v in aliases),
                "run_id": (latest.run_id or None) if latest is not None else None,
                "status": latest.status if latest is not None else None,
                "creation_time": _ms_to_datetime(rm.creation_timestamp),
                "description": rm.description or None,
            }
        )
    cols = ["name", "latest_version", "aliases", "run_id", "status", "creation_time"]
    frame = pd.DataFrame(rows, columns=[*cols, "description"])
    frame["latest_version"] = frame["latest_version"].astype("Int64")
    frame["creation_time"] = pd.to_datetime(frame["creation_time"], utc=True)
    return frame


def current_user(user=None) -> str:
    """Return ``user`` if given (checked), else ``$USER`` or :func:`getpass.getuser`.

    Recorded as who registered a version (tag ``mlops_kit.author``, which
    governance policies read) and who moved an alias.

    Examples
    --------
    >>> current_user("ana")
    'ana'
    """
    if user is not None:
        check_param(
            "user",
            user,
            [
                Predicate(
                    lambda u: isinstance(u, str) and bool(u.strip()) and len(u) <= 256,
                    "a non-empty name of at most 256 characters",
                )
            ],
        )
        return user
    name = os.environ.get("USER")
    if not name:
        with contextlib.suppress(Exception):
            name = getpass.getuser()
    return name or "unknown"


def register(
    model,
    name: str,
    *,
    run_id: str | None = None,
    input_example=None,
    tracking_uri: str | None = None,
    tags: dict | None = None,
    description: str | None = None,
    serialization_format: str | None = None,
) -> ModelVersionInfo:
    """Log a fitted scikit-learn model and register it as a new version of ``name``.

    Parameters
    ----------
    model : estimator or str
        A fitted scikit-learn estimator, or the URI of a model already logged
        (``"runs:/<run_id>/model"``, ``"models:/<model_id>"``, ...).
    name : str
        Registered model name (created if it does not exist).
    run_id : str, optional
        Run to log the model into. Default: the active run, else a short
        run named ``register-<name>``.
    input_example : array-like, optional
        A few input rows; MLflow stores them and infers the signature.
    tracking_uri : str, optional
        Store to use (default: :func:`~mlops_kit.tracking.store.resolve_tracking_uri`).
    tags : dict, optional
        Tags of the new model version.
    description : str, optional
        Description of the new model version.
    serialization_format : {"skops", "cloudpickle", "pickle"}, optional
        Default: ``"skops"`` when possible, else ``"cloudpickle"`` with a warning.

    Returns
    -------
    ModelVersionInfo

    Notes
    -----
    Bad input is rejected before anything is written. If registration itself
    fails, a registered model created by this call is deleted again; the
    logged model stays in its run (tracking data, not registry state).

    Examples
    --------
    >>> info = register(clf, "churn", input_example=X[:5])  # doctest: +SKIP
    >>> mlflow.pyfunc.load_model(info.model_uri).predict(X[:5])  # doctest: +SKIP
    """
    import mlflow

    check_name(name)
    check_param("tags", tags, [None, InstanceOf(dict, description="a dict of tag names to values")])
    check_param("description", description, [None, InstanceOf(str, description="a string")])
    uri = resolve_tracking_uri(tracking_uri)
    client = get_client(uri)
    version_tags = {str(k): str(v) for k, v in (tags or {}).items()}
    version_tags.setdefault(AUTHOR_TAG, current_user())
    fmt = None
    with fluent_store(uri):
        if isinstance(model, str):
            source = _check_model_uri(client, model)
        else:
            source, fmt = log_sklearn(
                client, uri, model, name, run_id, input_example, serialization_format
            )
            version_tags[_FORMAT_TAG] = fmt
        existed = _exists(client, name)
        try:
            with _quiet_registration():
                mv = mlflow.register_model(source, name, tags=version_tags)
            if description:
                mv = client.update_model_version(name, mv.version, description=description)
        except Exception as exc:
            if not existed:  # leave no empty registered model behind
                with contextlib.suppress(Exception):
                    client.delete_registered_model(name)
            if isinstance(exc, RegistryError | InputError):
                raise
            raise RegistryError(
                f"Could not register {source!r} as model {name!r}: {type(exc).__name__}: {exc}"
            ) from exc
    mv = client.get_model_version(name, str(mv.version))
    return _info(mv, aliases=[], serialization_format=fmt)


_CHATTER = ("Successfully registered model", "Created version", "Registered model ")


@contextlib.contextmanager
def _quiet_registration():
    """Drop MLflow's informational registration lines from stderr; keep anything else.

    ``mlflow.register_model`` prints them with ``print(file=sys.stderr)``,
    which shows in every notebook cell that registers a model.
    """
    import io
    import sys

    buf = io.StringIO()
    try:
        with contextlib.redirect_stderr(buf):
            yield
    finally:
        for line in buf.getvalue().splitlines(keepends=True):
            if not line.startswith(_CHATTER):
                sys.stderr.write(line)


def _exists(client, name) -> bool:
    try:
        client.get_registered_model(name)
    except Exception as exc:
        if _is_missing(exc):
            return False
        raise
    return True


def _check_model_uri(client, model_uri: str) -> str:
    allowed = "'runs:/<run_id>/<path>', 'models:/<model_id>', 'models:/<name>/<version>' or a URI"
    if not model_uri.strip() or ":" not in model_uri:
        raise InputError.invalid("model", model_uri, f"a fitted scikit-learn model or {allowed}")
    if model_uri.startswith("runs:/"):
        run_id = model_uri[len("runs:/") :].split("/", 1)[0]
        try:
            client.get_run(run_id)
        except Exception as exc:
            if _is_missing(exc) or getattr(exc, "error_code", "") == "INVALID_PARAMETER_VALUE":
                raise InputError.invalid(
                    "model", model_uri, f"{allowed} naming an existing run"
                ) from None
            raise
    return model_uri
