"""Approval decisions on model versions, recorded in the registry, and the policy that needs them.

A validator records ``approve`` or ``reject`` on a model version with
:func:`approve` (who, when, notes and the evidence: gate report, drift, A/B
result); :func:`approvals` returns the trail as a Result. :func:`set_policy`
stores a :class:`~mlops_kit.governance.policy.GovernancePolicy` on the
registered model; from then on :func:`mlops_kit.tracking.promote` refuses to
move a guarded alias to a version the policy does not accept, and changes
nothing. The tag formats are in :mod:`mlops_kit.governance.policy`.

Examples
--------
>>> set_policy("churn", GovernancePolicy(min_approvals=1))  # doctest: +SKIP
>>> approve("churn", 3, by="val", notes="gates pass", evidence={"auc": 0.91})  # doctest: +SKIP
>>> approvals("churn").to_frame()[["version", "decision", "by"]]  # doctest: +SKIP
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from mlops_kit._params import InstanceOf, Options, Predicate, check_param
from mlops_kit.errors import InputError
from mlops_kit.governance.policy import (
    POLICY_TAG,
    GovernancePolicy,
    approval_key,
    parse_approvals,
    requirements,
    version_author,
)
from mlops_kit.results import Result, get_ax, jsonable

__all__ = [
    "ApprovalsResult",
    "approval_needed",
    "approvals",
    "approve",
    "get_policy",
    "set_policy",
]

_NAME = Predicate(
    lambda v: isinstance(v, str) and bool(v.strip()) and len(v) <= 256,
    "a non-empty name of at most 256 characters",
)
_NOTES = InstanceOf(str, description="a string")

#: MLflow keeps at most 5000 characters in a tag value
MAX_TAG_VALUE = 5000


def _evidence(evidence) -> dict:
    """Evidence as a JSON object; a Result becomes its class name and one-line summary."""
    check_param("evidence", evidence, [None, InstanceOf(dict, description="a dict")])
    out = {}
    for key, value in (evidence or {}).items():
        if isinstance(value, Result):
            value = {"result": type(value).__name__, "summary": value.summary()}
        out[str(key)] = jsonable(value)
    try:
        json.dumps(out, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InputError.invalid(
            "evidence", evidence, f"JSON-serialisable values ({exc})"
        ) from None
    return out


def set_policy(name: str, policy, *, tracking_uri: str | None = None) -> None:
    """Store ``policy`` on registered model ``name`` (``None`` removes it).

    Examples
    --------
    >>> set_policy("churn", GovernancePolicy(separate_author=True))  # doctest: +SKIP
    """
    from mlops_kit.tracking.registry import require_model
    from mlops_kit.tracking.store import get_client

    check_param("policy", policy, [None, InstanceOf(GovernancePolicy)])
    text = None if policy is None else policy.to_json()
    client = get_client(tracking_uri)
    rm = require_model(client, name)
    if text is None:
        if POLICY_TAG in (rm.tags or {}):
            client.delete_registered_model_tag(name, POLICY_TAG)
    else:
        client.set_registered_model_tag(name, POLICY_TAG, text)


def get_policy(name: str, *, tracking_uri: str | None = None) -> GovernancePolicy | None:
    """The policy stored on registered model ``name``, or None.

    Examples
    --------
    >>> get_policy("churn")  # doctest: +SKIP
    GovernancePolicy()
    """
    from mlops_kit.tracking.registry import require_model
    from mlops_kit.tracking.store import get_client

    text = (require_model(get_client(tracking_uri), name).tags or {}).get(POLICY_TAG)
    return None if text is None else GovernancePolicy.from_json(text)


def approval_needed(
    model: str,
    version,
    alias: str | None = None,
    *,
    deployment: bool = False,
    tracking_uri: str | None = None,
) -> str | None:
    """Why the stored policy forbids ``version`` going to ``alias``, or None if it may go.

    Read-only. :class:`~mlops_kit.deploy.BlueGreen` (before a switch) and
    :class:`~mlops_kit.deploy.CanaryRollout` (before its 100% stage) call it with
    ``deployment=True``: under a policy with ``deployments`` the move needs the
    approvals whatever alias it uses.

    Returns
    -------
    str or None
        One sentence naming the model, the version, the policy and what is missing.

    Examples
    --------
    >>> approval_needed("churn", 3, deployment=True)  # doctest: +SKIP
    "model 'churn' version 3: its governance policy GovernancePolicy() requires 1 approval(s) ..."
    """
    from mlops_kit.tracking.registry import check_version, require_model, require_version
    from mlops_kit.tracking.store import get_client

    check_version(version)
    check_param("deployment", deployment, ["boolean"])
    client = get_client(tracking_uri)
    rm = require_model(client, model)
    mv = require_version(client, model, version)
    policy, missing = requirements(client, rm, mv, alias, deployment=deployment)
    if not missing:
        return None
    return (
        f"model {model!r} version {int(mv.version)}: its governance policy {policy!r} requires "
        f"{'; '.join(missing)}"
    )


def approve(
    model: str,
    version,
    decision: str = "approve",
    *,
    by: str | None = None,
    notes: str | None = None,
    evidence: dict | None = None,
    tracking_uri: str | None = None,
) -> dict:
    """Record a decision on a model version in the registry (a model-version tag).

    Parameters
    ----------
    model : str
        Registered model name.
    version : int or str
        The version decided on (it must exist).
    decision : {"approve", "reject"}
    by : str, optional
        Who decides; default ``$USER``. Under a policy with ``separate_author``
        the version's author may not approve it.
    notes : str, optional
    evidence : dict, optional
        JSON values (a gate report's numbers, drift share, A/B p-value); a Result
        is stored as its class name and summary.

    Returns
    -------
    dict
        The decision recorded: ``seq``, ``decision``, ``by``, ``timestamp``, ``notes``,
        ``evidence``.

    Examples
    --------
    >>> approve("churn", 3, by="val", evidence={"drift_share": 0.1})  # doctest: +SKIP
    """
    from mlops_kit.tracking.registry import (
        check_version,
        current_user,
        require_model,
        require_version,
    )
    from mlops_kit.tracking.store import get_client

    check_param("decision", decision, [Options("approve", "reject")])
    check_version(version)
    check_param("by", by, [None, _NAME])
    check_param("notes", notes, [None, _NOTES])
    who = current_user(by)
    payload = _evidence(evidence)
    client = get_client(tracking_uri)
    rm = require_model(client, model)
    mv = require_version(client, model, version)
    text = (rm.tags or {}).get(POLICY_TAG)
    if (
        decision == "approve"
        and text is not None
        and GovernancePolicy.from_json(text).separate_author
    ):
        author = version_author(client, mv)
        if author == who:
            raise InputError.invalid(
                "by",
                who,
                f"someone other than {author!r}, who registered version {mv.version} of "
                f"{model!r} (its governance policy forbids approving one's own model)",
            )
    seq = 1 + max((a["seq"] for a in parse_approvals(mv.tags)), default=0)
    record = {
        "decision": decision,
        "by": who,
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "notes": notes,
        "evidence": payload,
    }
    value = json.dumps(record, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    if len(value) > MAX_TAG_VALUE:
        raise InputError.invalid(
            "evidence",
            f"<{len(value)} characters with the notes>",
            f"at most {MAX_TAG_VALUE} characters of JSON in all: keep summaries, log full "
            "reports as run artifacts",
        )
    client.set_model_version_tag(model, str(mv.version), approval_key(seq), value)
    return {"seq": seq, **record}


class ApprovalsResult(Result):
    """The approval trail of a model (one row per decision).

    Examples
    --------
    >>> r = ApprovalsResult("churn", [{"version": 2, "seq": 1, "decision": "approve",
    ...     "by": "val", "author": "ana", "timestamp": "2026-01-01T00:00:00+00:00",
    ...     "notes": None, "evidence": {}}])
    >>> r.summary()
    'churn: 1 decision(s) on 1 version(s), 1 approve, 0 reject'
    """

    title = "Approvals"
    columns = ["version", "seq", "decision", "by", "author", "timestamp", "notes", "evidence"]

    def __init__(self, model: str, records: list[dict]):
        self.model = model
        self.records = records

    def to_dict(self) -> dict:
        return {"model": self.model, "records": jsonable(self.records)}

    def to_frame(self):
        import pandas as pd

        frame = pd.DataFrame.from_records(self.records, columns=self.columns)
        frame["evidence"] = [json.dumps(e, sort_keys=True) for e in frame["evidence"]]
        return frame

    def summary(self) -> str:
        n = len(self.records)
        ok = sum(r["decision"] == "approve" for r in self.records)
        versions = len({r["version"] for r in self.records})
        return (
            f"{self.model}: {n} decision(s) on {versions} version(s), {ok} approve, {n - ok} reject"
        )

    def plot(self, ax=None):
        """Bars: approvals (up) and rejections (down) per version."""
        ax = get_ax(ax)
        versions = sorted({r["version"] for r in self.records})
        ups = [
            sum(r["version"] == v and r["decision"] == "approve" for r in self.records)
            for v in versions
        ]
        downs = [
            -sum(r["version"] == v and r["decision"] == "reject" for r in self.records)
            for v in versions
        ]
        labels = [str(v) for v in versions]
        ax.bar(labels, ups, color="tab:green", label="approve")
        ax.bar(labels, downs, color="tab:red", label="reject")
        ax.axhline(0, color="black", lw=0.8)
        ax.set_xlabel("version")
        ax.set_ylabel("decisions")
        ax.set_title(f"Approval trail of {self.model}")
        ax.legend(fontsize=7)
        return ax


def approvals(model: str, version=None, *, tracking_uri: str | None = None) -> ApprovalsResult:
    """The decisions recorded on ``model`` (one ``version`` or all), oldest first per version.

    Examples
    --------
    >>> approvals("churn", 3).summary()  # doctest: +SKIP
    'churn: 1 decision(s) on 1 version(s), 1 approve, 0 reject'
    """
    from mlops_kit.tracking.registry import _version_numbers, require_model, require_version
    from mlops_kit.tracking.store import get_client

    client = get_client(tracking_uri)
    require_model(client, model)
    if version is None:
        mvs = _version_numbers(client, model)
    else:
        mvs = [require_version(client, model, version)]
    records = []
    for mv in mvs:
        trail = parse_approvals(mv.tags)
        author = version_author(client, mv) if trail else None
        for a in trail:
            records.append({"version": int(mv.version), **a, "author": author})
    return ApprovalsResult(model, records)
