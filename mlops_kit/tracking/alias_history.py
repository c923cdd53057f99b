"""Alias history and one-call rollback, stored in the MLflow registry itself.

MLflow moves an alias (``champion``, ``challenger``) from one model version
to another but keeps no record of the moves and has no rollback (upstream
issues mlflow/mlflow#2169 and #6180). mlops-kit records every move it makes
as a **registered-model tag**, so the history lives in the same store as the
model and survives restarts, copies of the database and other machines.

Tag format (other modules and tools read it; keep it stable)
------------------------------------------------------------
key
    ``mlops_kit.alias_history.<alias>.<seq:06d>``, for example
    ``mlops_kit.alias_history.champion.000003``. ``<alias>`` matches
    ``[A-Za-z0-9_-]+`` (no dots), so the key splits unambiguously on its last
    dot. ``<seq>`` is a counter per registered model shared by all its
    aliases, starting at 1, so sorting by ``seq`` gives the order of events.
value
    compact JSON (no spaces) with the keys ``action`` (``"promote"`` or
    ``"rollback"``), ``from_version`` (int, or ``null`` when the alias was not
    set), ``to_version`` (int), ``user`` (str), ``timestamp`` (UTC ISO 8601,
    e.g. ``"2026-01-31T09:15:02.123+00:00"``) and ``reason`` (str or ``null``).
    Example: ``{"action":"promote","from_version":2,"to_version":3,
    "user":"ana","timestamp":"2026-01-31T09:15:02.123+00:00","reason":"AUC +2%"}``.

Rollback semantics
------------------
The events of one alias are replayed as a stack: before each event the
stack is synced with its ``from_version`` (pushed when it differs from the
top, which also captures a move made outside mlops-kit); a promote then
pushes ``to_version`` and a rollback pops down to ``to_version``. So
promote 1, promote 2, promote 3, rollback, rollback moves the alias 3 -> 2
-> 1 (it never ping-pongs back to 3), and a third rollback raises
:class:`~mlops_kit.errors.RollbackError`. Versions deleted from the registry
are skipped: rollback goes to the nearest earlier version that still exists.

Consistency: everything is validated before anything is written; the alias
is set first and the history tag second, and if writing the tag fails the
alias is put back where it was, so the history never disagrees with the
registry. Moves of one model are serialised across processes and machines
by a lock in the registry itself (:func:`~mlops_kit.tracking.registry_lock.model_lock`:
creating a registered model is the one compare-and-set MLflow offers): under
the lock the alias and the tags are re-read, so concurrent promotes and
rollbacks never lose an update, ``seq`` numbers are unique and dense, and the
alias equals the last history entry. Moves made with plain MLflow bypass the
lock (and the history; a later move records them as its ``from_version``).

Examples
--------
>>> history_key("champion", 3)
'mlops_kit.alias_history.champion.000003'
"""

from __future__ import annotations

import contextlib
import json
import warnings
from datetime import UTC, datetime

from mlops_kit.errors import AliasNotFoundError, InputError, ModelNotFoundError, RollbackError
from mlops_kit.tracking.registry import (
    _info,
    _shortlist,
    check_alias,
    check_version,
    current_user,
    require_model,
    require_version,
)
from mlops_kit.tracking.registry_lock import model_lock
from mlops_kit.tracking.store import get_client

__all__ = [
    "COLUMNS",
    "HISTORY_PREFIX",
    "history",
    "history_key",
    "promote",
    "rollback",
    "rollback_target",
]

HISTORY_PREFIX = "mlops_kit.alias_history."
COLUMNS = ["seq", "alias", "action", "from_version", "to_version", "user", "timestamp", "reason"]
MAX_REASON_LENGTH = 5000


def history_key(alias: str, seq: int) -> str:
    """Return the registered-model tag key of history event ``seq`` for ``alias``.

    Examples
    --------
    >>> history_key("challenger", 12)
    'mlops_kit.alias_history.challenger.000012'
    """
    return f"{HISTORY_PREFIX}{alias}.{seq:06d}"


def parse_events(tags: dict) -> list[dict]:
    """Decode the history events in a registered model's ``tags``, sorted by seq.

    Malformed history tags are skipped with a warning.

    Examples
    --------
    >>> tags = {history_key("champion", 1): '{"action":"promote","from_version":null,'
    ...         '"to_version":1,"user":"ana","timestamp":"2026-01-01T00:00:00+00:00",'
    ...         '"reason":null}', "team": "risk"}
    >>> [(e["seq"], e["alias"], e["to_version"]) for e in parse_events(tags)]
    [(1, 'champion', 1)]
    """
    events = []
    for key, value in (tags or {}).items():
        if not key.startswith(HISTORY_PREFIX):
            continue
        alias, _, seq = key[len(HISTORY_PREFIX) :].rpartition(".")
        try:
            data = json.loads(value)
            event = {
                "seq": int(seq),
                "alias": alias,
                "action": str(data["action"]),
                "from_version": _opt_int(data.get("from_version")),
                "to_version": int(data["to_version"]),
                "user": data.get("user"),
                "timestamp": data.get("timestamp"),
                "reason": data.get("reason"),
            }
        except (ValueError, KeyError, TypeError) as exc:
            warnings.warn(f"Skipping malformed alias history tag {key!r}: {exc}", stacklevel=3)
            continue
        events.append(event)
    return sorted(events, key=lambda e: (e["seq"], e["alias"]))


def _opt_int(value):
    return None if value is None else int(value)


def replay(events: list[dict]) -> list[int]:
    """Replay one alias's events (sorted by seq) and return the version stack.

    Examples
    --------
    >>> ev = lambda a, f, t: {"action": a, "from_version": f, "to_version": t}
    >>> replay([ev("promote", None, 1), ev("promote", 1, 2), ev("rollback", 2, 1)])
    [1]
    """
    stack: list[int] = []
    for event in events:
        _sync(stack, event["from_version"])
        target = event["to_version"]
        if event["action"] == "rollback":
            while stack and stack[-1] != target:
                stack.pop()
        if not stack or stack[-1] != target:
            stack.append(target)
    return stack


def _sync(stack: list[int], version) -> None:
    if version is not None and (not stack or stack[-1] != version):
        stack.append(version)


def _check_reason(reason):
    if reason is not None and (not isinstance(reason, str) or len(reason) > MAX_REASON_LENGTH):
        raise InputError.invalid("reason", reason, f"a string of at most {MAX_REASON_LENGTH} chars")
    return reason


def _move(client, rm, alias, to_version, action, reason, user):
    """Set the alias, then write the history tag; undo the alias if the tag fails."""
    previous = (rm.aliases or {}).get(alias)
    previous = None if previous is None else int(previous)
    tags = dict(rm.tags or {})
    seq = 1 + max((e["seq"] for e in parse_events(tags)), default=0)
    event = {
        "action": action,
        "from_version": previous,
        "to_version": int(to_version),
        "user": user,
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "reason": reason,
    }
    value = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
    client.set_registered_model_alias(rm.name, alias, str(to_version))
    try:
        client.set_registered_model_tag(rm.name, history_key(alias, seq), value)
    except BaseException:
        with contextlib.suppress(Exception):
            if previous is None:
                client.delete_registered_model_alias(rm.name, alias)
            else:
                client.set_registered_model_alias(rm.name, alias, str(previous))
        raise
    return {"seq": seq, "alias": alias, **event}


def promote(
    name: str,
    version,
    alias: str = "champion",
    reason: str | None = None,
    *,
    user: str | None = None,
    tracking_uri: str | None = None,
):
    """Point ``alias`` at ``version`` and record the move in the alias history.

    Parameters
    ----------
    name : str
        Registered model name.
    version : int or str
        The version the alias should point to.
    alias : str, default "champion"
        Letters, digits, ``_`` and ``-``; not ``latest`` and not ``v<digits>``.
    reason : str, optional
        Why (kept in the history).
    user : str, optional
        Who; default ``$USER`` or :func:`getpass.getuser`.
    tracking_uri : str, optional
        Store to use.

    Returns
    -------
    ModelVersionInfo
        The version the alias now points to.

    Examples
    --------
    >>> promote("churn", 3, "champion", reason="AUC +2% on holdout")  # doctest: +SKIP
    """
    check_alias(alias)
    check_version(version)
    reason, who = _check_reason(reason), current_user(user)
    client = get_client(tracking_uri, create=False)
    rm = require_model(client, name)
    mv = require_version(client, name, version)
    from mlops_kit.governance.policy import check_promotion  # a stored policy may need approvals

    check_promotion(client, rm, mv, alias)
    with model_lock(client, rm.name):
        rm = client.get_registered_model(rm.name)  # as it is now, under the lock
        _move(client, rm, alias, int(mv.version), "promote", reason, who)
    return _info(client.get_model_version(name, str(mv.version)))


def rollback(
    name: str,
    alias: str = "champion",
    reason: str | None = None,
    *,
    user: str | None = None,
    tracking_uri: str | None = None,
):
    """Move ``alias`` back to the version it pointed to before, and record it.

    Repeated rollbacks walk further back (see the module docstring); deleted
    versions are skipped. Raises :class:`~mlops_kit.errors.RollbackError`
    when there is no earlier version, and
    :class:`~mlops_kit.errors.AliasNotFoundError` when the alias is not set.

    Returns
    -------
    ModelVersionInfo
        The version the alias now points to.

    Examples
    --------
    >>> rollback("churn", "champion", reason="accuracy alert")  # doctest: +SKIP
    """
    check_alias(alias)
    reason, who = _check_reason(reason), current_user(user)
    client = get_client(tracking_uri, create=False)
    rm = require_model(client, name)
    with model_lock(client, rm.name):
        rm = client.get_registered_model(rm.name)  # as it is now, under the lock
        aliases = dict(rm.aliases or {})
        if alias not in aliases:
            raise AliasNotFoundError(
                f"Alias {alias!r} is not set on registered model {name!r}, so there is nothing to "
                f"roll back. Aliases that exist: {_shortlist(sorted(aliases))}."
            )
        now = int(aliases[alias])
        target, skipped = _target(client, rm, alias, now)
        if target is None:
            gone = f" (earlier versions {_shortlist(skipped)} were deleted)" if skipped else ""
            raise RollbackError(
                f"Cannot roll back alias {alias!r} of model {name!r}: it points to version {now} "
                f"and its history has no earlier version{gone}. Use promote() to choose a version."
            )
        _move(client, rm, alias, target, "rollback", reason, who)
    return _info(client.get_model_version(name, str(target)))


def _target(client, rm, alias: str, now: int) -> tuple[int | None, list[int]]:
    """The version a rollback of ``alias`` (now at ``now``) moves to, and deleted ones skipped."""
    stack = replay([e for e in parse_events(rm.tags) if e["alias"] == alias])
    _sync(stack, now)
    skipped = []
    for candidate in reversed(stack[:-1]):
        if candidate == now:
            continue
        try:
            require_version(client, rm.name, candidate)
        except ModelNotFoundError:
            skipped.append(candidate)
            continue
        return candidate, skipped
    return None, skipped


def rollback_target(
    name: str, alias: str = "champion", *, tracking_uri: str | None = None
) -> tuple[int, int | None]:
    """Return ``(current version, version rollback() would move to, or None)``; read-only.

    Raises AliasNotFoundError / ModelNotFoundError like :func:`~mlops_kit.tracking.current`.

    Examples
    --------
    >>> rollback_target("churn", "champion")  # doctest: +SKIP
    (3, 2)
    """
    from mlops_kit.tracking.registry import current

    now = current(name, alias, tracking_uri=tracking_uri).version
    client = get_client(tracking_uri, create=False)
    return now, _target(client, require_model(client, name), alias, now)[0]


def history(name: str, alias: str | None = None, *, tracking_uri: str | None = None):
    """Return the alias history of a registered model as a DataFrame sorted by ``seq``.

    Columns: seq, alias, action, from_version, to_version, user, timestamp
    (UTC), reason. ``alias=None`` returns the events of every alias.

    Examples
    --------
    >>> history("churn", "champion")[["action", "from_version", "to_version"]]  # doctest: +SKIP
    """
    import pandas as pd

    if alias is not None:
        check_alias(alias)
    client = get_client(tracking_uri, create=False)
    rm = require_model(client, name)
    events = [e for e in parse_events(rm.tags) if alias is None or e["alias"] == alias]
    frame = pd.DataFrame(events, columns=COLUMNS)
    frame["seq"] = frame["seq"].astype("int64")
    for col in ("from_version", "to_version"):
        frame[col] = frame[col].astype("Int64")
    for col in ("alias", "action", "user", "reason"):
        frame[col] = frame[col].astype(object)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True, format="ISO8601")
    return frame.reset_index(drop=True)
