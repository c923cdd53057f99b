"""Facts about practice found in an MLflow store (read only).

Counts experiments and runs, runs with parameters and metrics, runs with
dataset inputs, runs with validation or drift results (tags, metrics or
artifacts, see :mod:`mlops_kit.maturity.patterns`), registered models,
aliases and the alias history kept by the registry helper as registered-model
tags ``mlops_kit.alias_history.<alias>.<seq:06d>`` (JSON value with an
``action`` of ``"promote"`` or ``"rollback"``).

The scan never creates a store. The default store (``mlruns.db`` in
``MLOPS_KIT_HOME`` or the current folder) that does not exist yet is reported
as empty (``exists`` False); a store named explicitly (argument or
``MLFLOW_TRACKING_URI``) that does not exist, or a store that cannot be
reached, raises :class:`~mlops_kit.errors.StoreUnreachableError`, so a
mistyped path never yields a confident "no evidence".

Examples
--------
>>> import tempfile
>>> from mlops_kit.tracking.store import get_client
>>> uri = f"sqlite:///{tempfile.mkdtemp()}/mlruns.db"
>>> _ = get_client(uri)  # creates the store
>>> facts = store_facts(uri)
>>> facts["exists"], facts["n_runs"]
(True, 0)
"""

from __future__ import annotations

import json
import os
from fnmatch import fnmatch

from mlops_kit.maturity import patterns as P
from mlops_kit.tracking.store import get_client, resolve_tracking_uri, store_exists

__all__ = ["store_facts"]


def _empty(uri: str, exists: bool) -> dict:
    return {
        "uri": uri,
        "exists": exists,
        "n_experiments": 0,
        "n_runs": 0,
        "n_runs_params_metrics": 0,
        "n_runs_dataset_inputs": 0,
        "validation_runs": 0,
        "validation_examples": [],
        "drift_runs": 0,
        "drift_examples": [],
        "maturity_runs": 0,
        "n_models": 0,
        "model_names": [],
        "aliases": [],
        "promotions": 0,
        "max_promotions_per_alias": 0,
        "rollbacks": [],
        "runs_truncated": False,
    }


def _paged(fetch):
    token = None
    while True:
        page = fetch(token)
        yield from page
        token = getattr(page, "token", None)
        if not token:
            return


def _artifact_paths(client, run_id: str, depth: int = 2) -> list[str]:
    out: list[str] = []
    todo = [(None, 0)]
    while todo:
        path, level = todo.pop()
        try:
            entries = client.list_artifacts(run_id, path)
        except Exception:  # unreadable artifact store: no evidence from it
            return out
        for e in entries:
            if e.is_dir and level + 1 < depth:
                todo.append((e.path, level + 1))
            elif not e.is_dir:
                out.append(e.path)
    return out


def _matches(path: str, pats) -> bool:
    name = path.rsplit("/", 1)[-1]
    return any(fnmatch(path, p) or fnmatch(name, p) for p in pats)


def _scan_run(run, facts: dict, artifacts: list[str] | None) -> None:
    tags, metrics = run.data.tags, run.data.metrics
    facts["n_runs"] += 1
    if run.data.params and metrics:
        facts["n_runs_params_metrics"] += 1
    inputs = getattr(run, "inputs", None)
    if inputs is not None and getattr(inputs, "dataset_inputs", None):
        facts["n_runs_dataset_inputs"] += 1
    val = [k for k in tags if k.startswith(P.VALIDATION_TAG_PREFIXES)]
    val += [k for k in metrics if k.startswith(P.VALIDATION_METRIC_PREFIXES)]
    drift = [k for k in tags if k.startswith(P.DRIFT_TAG_PREFIXES)]
    drift += [k for k in metrics if k.startswith(P.DRIFT_METRIC_PREFIXES)]
    for path in artifacts or []:
        if _matches(path, P.VALIDATION_ARTIFACTS):
            val.append(path)
        if _matches(path, P.DRIFT_ARTIFACTS):
            drift.append(path)
    for key, found in (("validation", val), ("drift", drift)):
        if found:
            facts[f"{key}_runs"] += 1
            examples = facts[f"{key}_examples"]
            for name in found:
                if name not in examples:
                    examples.append(name)


def _scan_models(client, facts: dict) -> None:
    from mlops_kit.tracking.registry_lock import is_lock

    per_alias: dict[str, int] = {}
    for rm in _paged(lambda t: client.search_registered_models(max_results=1000, page_token=t)):
        if is_lock(rm.name):  # a lock held while an alias moves is not a model
            continue
        facts["n_models"] += 1
        facts["model_names"].append(rm.name)
        facts["aliases"] += [f"{rm.name}@{a}" for a in sorted(rm.aliases or {})]
        for key, value in sorted((rm.tags or {}).items()):
            if not key.startswith(P.ALIAS_HISTORY_PREFIX):
                continue
            alias = key[len(P.ALIAS_HISTORY_PREFIX) :].rsplit(".", 1)[0]
            try:
                action = json.loads(value).get("action")
            except (ValueError, AttributeError):
                continue
            target = f"{rm.name}@{alias}"
            if action == "rollback":
                facts["rollbacks"].append(target)
            elif action == "promote":
                facts["promotions"] += 1
                per_alias[target] = per_alias.get(target, 0) + 1
    facts["max_promotions_per_alias"] = max(per_alias.values(), default=0)


def store_facts(tracking_uri: str | None = None) -> dict:
    """Gather evidence facts from an MLflow store without writing to it.

    Parameters
    ----------
    tracking_uri : str, optional
        Resolved as usual (argument, ``MLFLOW_TRACKING_URI``, default store).

    Returns
    -------
    dict
        Counts and examples used by the store rules of :mod:`mlops_kit.maturity.rules`.
    """
    uri = resolve_tracking_uri(tracking_uri)
    explicit = tracking_uri is not None or bool(os.environ.get("MLFLOW_TRACKING_URI"))
    if not explicit and store_exists(uri) is False:
        return _empty(uri, exists=False)  # no default store yet: nothing tracked here
    client = get_client(uri, create=False)  # a named store must exist: never created
    facts = _empty(uri, exists=True)
    exps = list(_paged(lambda t: client.search_experiments(max_results=1000, page_token=t)))
    ids = [e.experiment_id for e in exps]
    used: set[str] = set()
    n_seen = 0
    for run in _paged(
        lambda t: client.search_runs(
            ids, max_results=1000, order_by=["attributes.start_time DESC"], page_token=t
        )
    ):
        if n_seen >= P.MAX_RUNS:
            facts["runs_truncated"] = True
            break
        if P.MATURITY_TAG in run.data.tags:
            facts["maturity_runs"] += 1
            continue
        arts = _artifact_paths(client, run.info.run_id) if n_seen < P.MAX_ARTIFACT_RUNS else None
        n_seen += 1
        used.add(run.info.experiment_id)
        _scan_run(run, facts, arts)
    facts["n_experiments"] = len(used)
    _scan_models(client, facts)
    return facts
