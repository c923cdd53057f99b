"""A lock per registered model, held while an alias moves, built on MLflow's registry itself.

MLflow's REST API has no compare-and-set: setting an alias or a tag
overwrites whatever is there. Two processes promoting the same model at
once (two notebooks, two CI jobs on a team's tracking server) would each
read the alias and the history, then both write, and one history entry (or
the alias) would silently win over the other. The one operation MLflow
makes atomic on every store is **creating a registered model**: the name is
a unique key in the database, so exactly one of several concurrent creates
succeeds and the others get ``RESOURCE_ALREADY_EXISTS``.

:func:`model_lock` uses that as a mutex: it creates the registered model
``mlops_kit.lock.<name>`` (acquired), runs the block, and deletes it
(released). A process that finds the lock taken waits with a short
randomised backoff. A holder that died without releasing leaves the lock
behind; it is broken once it is older than ``lease`` seconds (by the
store's own clock, compared with the holder's recorded expiry). The kit
only holds the lock for a few requests, so the default lease of 60 s is far
longer than any honest hold.

Lock models are named with the :data:`LOCK_PREFIX` and tagged
``mlops_kit.lock = "1"``; :func:`~mlops_kit.tracking.registry.list_models`
hides them.

Examples
--------
>>> lock_name("churn")
'mlops_kit.lock.churn'
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import socket
import time

from mlops_kit.errors import RegistryError

__all__ = ["LOCK_PREFIX", "LOCK_TAG", "is_lock", "lock_name", "model_lock"]

LOCK_PREFIX = "mlops_kit.lock."
LOCK_TAG = "mlops_kit.lock"
_MAX_NAME = 256


def lock_name(name: str) -> str:
    """Return the name of the registered model that serves as the lock of model ``name``.

    Long names are shortened with a hash so the lock name stays within
    MLflow's 256 characters.

    Examples
    --------
    >>> lock_name("x" * 300).startswith("mlops_kit.lock.sha1-")
    True
    """
    full = LOCK_PREFIX + name
    if len(full) <= _MAX_NAME:
        return full
    return LOCK_PREFIX + "sha1-" + hashlib.sha1(name.encode()).hexdigest()


def is_lock(name: str) -> bool:
    """True if ``name`` is a lock model made by :func:`model_lock`.

    Examples
    --------
    >>> is_lock("mlops_kit.lock.churn"), is_lock("churn")
    (True, False)
    """
    return name.startswith(LOCK_PREFIX)


def _code(exc) -> str:
    return getattr(exc, "error_code", "") or ""


def _try_acquire(client, lock: str, lease: float) -> bool:
    holder = f"{socket.gethostname()}:{os.getpid()}"
    expires = f"{time.time() + lease:.3f}"
    try:
        client.create_registered_model(
            lock,
            tags={LOCK_TAG: "1", "holder": holder, "expires": expires},
            description="mlops-kit: an alias of this model is being moved; deleted when done.",
        )
    except Exception as exc:
        # MLflow's SQL store answers a duplicate name by looking the existing model up: if the
        # holder released it in between, that lookup says RESOURCE_DOES_NOT_EXIST. Both: taken.
        if _code(exc) in ("RESOURCE_ALREADY_EXISTS", "RESOURCE_DOES_NOT_EXIST"):
            return False
        raise
    return True


def _break_if_stale(client, lock: str) -> None:
    """Delete the lock if its holder's lease ran out (the holder died)."""
    try:
        rm = client.get_registered_model(lock)
    except Exception as exc:
        if _code(exc) in ("RESOURCE_DOES_NOT_EXIST", "NOT_FOUND"):
            return
        raise
    try:
        expires = float((rm.tags or {}).get("expires", "0"))
    except ValueError:
        expires = 0.0
    if time.time() > expires:
        with contextlib.suppress(Exception):
            client.delete_registered_model(lock)


@contextlib.contextmanager
def model_lock(client, name: str, *, timeout: float = 60.0, lease: float = 60.0):
    """Hold the lock of registered model ``name`` for the duration of the block.

    Parameters
    ----------
    client : mlflow.MlflowClient
        Client of the store (any: SQLite, PostgreSQL behind a server).
    name : str
        The registered model whose aliases are about to move.
    timeout : float, default 60
        Give up waiting after this many seconds with a RegistryError.
    lease : float, default 60
        A lock older than this (its holder died) is broken.

    Raises
    ------
    RegistryError
        If the lock could not be taken within ``timeout`` seconds.

    Examples
    --------
    >>> import tempfile, mlflow
    >>> client = mlflow.MlflowClient(f"sqlite:///{tempfile.mkdtemp()}/mlruns.db")
    >>> with model_lock(client, "churn"):
    ...     [m.name for m in client.search_registered_models()]
    ['mlops_kit.lock.churn']
    >>> client.search_registered_models()
    []
    """
    lock = lock_name(name)
    deadline = time.monotonic() + timeout
    delay = 0.02
    while not _try_acquire(client, lock, lease):
        if time.monotonic() > deadline:
            raise RegistryError(
                f"Could not lock registered model {name!r} within {timeout:g} s: another "
                f"process is moving one of its aliases (lock model {lock!r}). Try again; if no "
                f"process is, delete the registered model {lock!r}."
            )
        _break_if_stale(client, lock)
        time.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 0.5)
    try:
        yield lock
    finally:
        for attempt in range(3):  # the store may hiccup; a lock left behind costs one lease
            try:
                client.delete_registered_model(lock)
                break
            except Exception as exc:
                if _code(exc) in ("RESOURCE_DOES_NOT_EXIST", "NOT_FOUND") or attempt == 2:
                    break
                time.sleep(0.2)
