"""What a rollback policy reads from and writes to the registry and MLflow.

- :func:`rollback_target`: where ``rollback()`` would move an alias, read-only;
- :func:`recorded_metrics`: the metrics recorded for a model version (its run);
- :func:`perform_rollback`: move the alias back through
  :func:`mlops_kit.tracking.alias_history.rollback` and record the decision as
  a run of the ``mlops-kit-rollback`` experiment.
"""

from __future__ import annotations

import contextlib
import warnings

from mlops_kit.errors import RollbackError

__all__ = ["EXPERIMENT", "perform_rollback", "recorded_metrics", "rollback_target"]

EXPERIMENT = "mlops-kit-rollback"
TAG = "mlops_kit.rollback."
_MAX_TAG = 5000


def rollback_target(name: str, alias: str, tracking_uri=None) -> tuple[int, int | None]:
    """Return ``(current version, version rollback() would move to or None)``, read-only.

    See :func:`mlops_kit.tracking.alias_history.rollback_target`.
    """
    from mlops_kit.tracking.alias_history import rollback_target as target

    return target(name, alias, tracking_uri=tracking_uri)


def recorded_metrics(name: str, version, tracking_uri=None) -> dict[str, float]:
    """Return the metrics logged in the run of ``version`` of model ``name`` (``{}`` if none).

    Keys are the run's metric names (e.g. ``roc_auc``, or ``perf.roc_auc`` as
    logged by :meth:`PerformanceReport.log_to_mlflow`).
    """
    from mlops_kit.tracking.registry import require_version
    from mlops_kit.tracking.store import get_client

    client = get_client(tracking_uri)
    mv = require_version(client, name, version)
    if not mv.run_id:
        return {}
    try:
        return dict(client.get_run(mv.run_id).data.metrics)
    except Exception:
        return {}


def perform_rollback(decision, *, tracking_uri=None, experiment: str = EXPERIMENT, user=None):
    """Roll the alias back and record the decision; return ``(from, to, run_id)``.

    Everything is checked (alias set, an earlier version exists) before
    anything is written. The run is created first, the alias moved second;
    if the move fails the run is marked FAILED with the error and the
    exception propagates.
    """
    from mlops_kit.results import jsonable
    from mlops_kit.tracking.alias_history import MAX_REASON_LENGTH, rollback
    from mlops_kit.tracking.store import ensure_experiment, get_client, resolve_tracking_uri

    name, alias = decision.model_name, decision.alias
    uri = resolve_tracking_uri(tracking_uri)
    now, target = rollback_target(name, alias, uri)
    if target is None:
        raise RollbackError(
            f"The rollback policy fired for {name}@{alias} (version {now}), but the alias "
            "history has no earlier version to roll back to. Reasons: " + decision.reason_text
        )
    reason = "automatic rollback by RollbackPolicy: " + decision.reason_text
    if len(reason) > MAX_REASON_LENGTH:
        reason = reason[: MAX_REASON_LENGTH - 3] + "..."
    client = get_client(uri)
    exp_id = ensure_experiment(experiment, uri)
    tags = {
        TAG + "model": name,
        TAG + "alias": alias,
        TAG + "from_version": str(now),
        TAG + "to_version": str(target),
        TAG + "rules": "; ".join(r["rule"] for r in decision.reasons)[:_MAX_TAG],
        TAG + "reason": reason[:_MAX_TAG],
    }
    run = client.create_run(exp_id, run_name=f"rollback-{name}-v{now}-to-v{target}", tags=tags)
    run_id = run.info.run_id
    try:
        moved = rollback(name, alias, reason=reason, user=user, tracking_uri=uri)
    except BaseException as exc:
        with contextlib.suppress(Exception):
            client.set_tag(run_id, TAG + "error", f"{type(exc).__name__}: {exc}"[:_MAX_TAG])
            client.set_terminated(run_id, "FAILED")
        raise
    done = decision.with_action(
        status="rolled_back", from_version=now, to_version=moved.version, run_id=run_id
    )
    try:  # the alias has moved and its history says why; these records are extras
        client.log_dict(run_id, jsonable(done.to_dict()), "rollback_decision.json")
        client.set_model_version_tag(name, str(now), TAG + "run_id", run_id)
        client.set_model_version_tag(name, str(now), TAG + "reason", reason[:_MAX_TAG])
    except Exception as exc:
        warnings.warn(
            f"Rolled back {name}@{alias} to version {moved.version}, but recording the "
            f"decision in run {run_id} failed: {type(exc).__name__}: {exc}",
            stacklevel=3,
        )
    client.set_terminated(run_id, "FINISHED")
    return now, moved.version, run_id
