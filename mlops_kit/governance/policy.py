"""The governance policy and the approval trail's tag format (no registry writes here).

Tag format (other modules and tools read it; keep it stable)
------------------------------------------------------------
approval decisions
    model-version tags ``mlops_kit.approval.<seq:06d>`` (``seq`` counts from 1
    per version) whose value is compact JSON with ``decision`` (``"approve"``
    or ``"reject"``), ``by``, ``timestamp`` (UTC ISO 8601), ``notes`` (str or
    null) and ``evidence`` (a JSON object: gate report, drift, A/B result, ...).
the policy
    the registered-model tag ``mlops_kit.governance.policy``: JSON of
    :meth:`GovernancePolicy.get_params`. A model without it has no policy.
the author
    who registered a version: its tag ``mlops_kit.author`` if set, else the
    run's ``mlflow.user`` tag, else MLflow's ``user_id`` of the version or run.

:func:`check_promotion` is what :func:`mlops_kit.tracking.promote` calls
before it writes anything: it raises :class:`~mlops_kit.errors.GateFailedError`
naming the model, the version and what is missing. This module imports no
registry code, so tracking can import it without a cycle.

Examples
--------
>>> policy = GovernancePolicy(min_approvals=1)
>>> trail = [{"seq": 1, "decision": "approve", "by": "ana"}]
>>> policy.missing(trail, author="ana", alias="champion")
["1 approval(s) by someone other than the author 'ana' (has 0)"]
>>> policy.missing(trail, author="bo", alias="champion")
[]
"""

from __future__ import annotations

import json
import warnings

from mlops_kit._params import Interval, Params, Predicate
from mlops_kit.errors import GateFailedError

__all__ = [
    "APPROVAL_PREFIX",
    "AUTHOR_TAG",
    "POLICY_TAG",
    "GovernancePolicy",
    "approval_key",
    "check_promotion",
    "parse_approvals",
    "requirements",
    "version_author",
]

APPROVAL_PREFIX = "mlops_kit.approval."
POLICY_TAG = "mlops_kit.governance.policy"
AUTHOR_TAG = "mlops_kit.author"


def approval_key(seq: int) -> str:
    """The model-version tag key of approval decision ``seq``.

    Examples
    --------
    >>> approval_key(2)
    'mlops_kit.approval.000002'
    """
    return f"{APPROVAL_PREFIX}{seq:06d}"


def parse_approvals(tags: dict) -> list[dict]:
    """Decode the approval decisions in a model version's ``tags``, sorted by seq.

    Examples
    --------
    >>> tags = {approval_key(1): '{"decision":"reject","by":"bo","timestamp":"t",'
    ...         '"notes":null,"evidence":{}}', "other": "x"}
    >>> [(a["seq"], a["decision"], a["by"]) for a in parse_approvals(tags)]
    [(1, 'reject', 'bo')]
    """
    out = []
    for key, value in (tags or {}).items():
        if not key.startswith(APPROVAL_PREFIX):
            continue
        try:
            data = json.loads(value)
            out.append(
                {
                    "seq": int(key[len(APPROVAL_PREFIX) :]),
                    "decision": str(data["decision"]),
                    "by": str(data["by"]),
                    "timestamp": data.get("timestamp"),
                    "notes": data.get("notes"),
                    "evidence": data.get("evidence") or {},
                }
            )
        except (ValueError, KeyError, TypeError) as exc:
            warnings.warn(f"Skipping malformed approval tag {key!r}: {exc}", stacklevel=3)
    return sorted(out, key=lambda a: a["seq"])


def version_author(client, mv) -> str | None:
    """Who registered model version ``mv`` (see the module docstring), or None if unknown."""
    author = (mv.tags or {}).get(AUTHOR_TAG)
    if author:
        return author
    if mv.run_id:
        try:
            run = client.get_run(mv.run_id)
        except Exception:  # the run was deleted: fall back to the version's own record
            run = None
        if run is not None:
            user = run.data.tags.get("mlflow.user")
            if user:
                return user
    if mv.user_id:
        return mv.user_id
    if mv.run_id and run is not None and run.info.user_id not in (None, "", "unknown"):
        return run.info.user_id
    return None


class GovernancePolicy(Params):
    """What a model version needs before an alias (``champion``) may point to it.

    Parameters
    ----------
    min_approvals : int, default 1
        Approvals needed (each approver's latest decision counts once).
    separate_author : bool, default True
        Approvals by the version's author do not count, and the author may not approve.
    aliases : list of str, default ["champion"]
        The aliases the policy guards; promoting to another alias is free.
    deployments : bool, default True
        Also guard the moves that send all traffic to a version whatever alias
        they use: a blue-green switch (:meth:`~mlops_kit.deploy.BlueGreen.switch`)
        and a canary's last stage (100%). A rollback is never blocked.

    Notes
    -----
    A current rejection (an approver whose latest decision is ``reject``) always blocks.

    Examples
    --------
    >>> GovernancePolicy(min_approvals=2)
    GovernancePolicy(min_approvals=2)
    >>> GovernancePolicy(min_approvals=0).missing([], None, "champion")
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid min_approvals: got 0; allowed: an integer >= 1.
    """

    _parameter_constraints = {
        "min_approvals": [Interval(int, 1, None)],
        "separate_author": ["boolean"],
        "deployments": ["boolean"],
        "aliases": [
            Predicate(
                lambda v: (
                    isinstance(v, list | tuple)
                    and bool(v)
                    and all(isinstance(a, str) and a for a in v)
                ),
                "a non-empty list of alias names",
            ),
        ],
    }

    def __init__(
        self, min_approvals=1, separate_author=True, aliases=("champion",), deployments=True
    ):
        self.min_approvals = min_approvals
        self.separate_author = separate_author
        self.aliases = aliases
        self.deployments = deployments

    def guards(self, alias: str | None = None, *, deployment: bool = False) -> bool:
        """True if moving ``alias`` (or, with ``deployment``, a traffic switch) needs approvals.

        Examples
        --------
        >>> policy = GovernancePolicy()
        >>> policy.guards("champion"), policy.guards("live"), policy.guards("live", deployment=True)
        (True, False, True)
        """
        self._validate_params()
        return (alias is not None and alias in self.aliases) or (deployment and self.deployments)

    def to_json(self) -> str:
        """The policy as stored in the registered-model tag."""
        self._validate_params()
        params = self.get_params()
        params["aliases"] = list(params["aliases"])
        return json.dumps(params, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> GovernancePolicy:
        """Read a policy back from its tag value.

        Examples
        --------
        >>> GovernancePolicy.from_json(GovernancePolicy(min_approvals=2).to_json()).min_approvals
        2
        """
        data = json.loads(text)
        if isinstance(data.get("aliases"), list):
            data["aliases"] = tuple(data["aliases"])
        policy = cls(**data)
        policy._validate_params()
        return policy

    def missing(
        self, trail: list[dict], author: str | None, alias: str | None, *, deployment=False
    ) -> list[str]:
        """What the decisions in ``trail`` lack for ``alias`` (empty: the policy passes).

        ``deployment=True``: the move sends all traffic to the version (see ``deployments``).
        """
        if not self.guards(alias, deployment=deployment):
            return []
        latest: dict[str, str] = {}
        for decision in sorted(trail, key=lambda a: a["seq"]):
            latest[decision["by"]] = decision["decision"]
        out = []
        rejected = sorted(by for by, d in latest.items() if d == "reject")
        if rejected:
            out.append(f"no current rejection (rejected by {rejected})")
        approvers = [by for by, d in latest.items() if d == "approve"]
        if self.separate_author:
            if author is None:
                out.append(
                    f"a known author (set the version tag {AUTHOR_TAG!r}) so that approvals "
                    "by someone else can be counted"
                )
                return out
            approvers = [by for by in approvers if by != author]
            if len(approvers) < self.min_approvals:
                out.append(
                    f"{self.min_approvals} approval(s) by someone other than the author "
                    f"{author!r} (has {len(approvers)})"
                )
        elif len(approvers) < self.min_approvals:
            out.append(f"{self.min_approvals} approval(s) (has {len(approvers)})")
        return out


def requirements(
    client, rm, mv, alias: str | None, *, deployment: bool = False
) -> tuple[GovernancePolicy | None, list[str]]:
    """``(stored policy or None, what it still lacks)`` before ``mv`` goes to ``alias``.

    ``deployment=True`` for a move that sends all traffic to ``mv`` (a blue-green
    switch, a canary's last stage). Reads only; an empty list means the move may go on.
    """
    text = (rm.tags or {}).get(POLICY_TAG)
    if text is None:
        return None, []
    policy = GovernancePolicy.from_json(text)
    if not policy.guards(alias, deployment=deployment):
        return policy, []
    trail = parse_approvals(mv.tags)
    return policy, policy.missing(trail, version_author(client, mv), alias, deployment=deployment)


def check_promotion(client, rm, mv, alias: str) -> None:
    """Raise GateFailedError if ``rm``'s stored policy forbids pointing ``alias`` at ``mv``.

    Called by :func:`mlops_kit.tracking.promote` before it writes anything; a model
    without the policy tag passes at once.
    """
    _, missing = requirements(client, rm, mv, alias)
    if missing:
        raise GateFailedError(
            f"Cannot point {alias!r} of model {rm.name!r} at version {mv.version}: its "
            f"governance policy requires {'; '.join(missing)}. Record a decision with "
            f"mlops_kit.governance.approve({rm.name!r}, {int(mv.version)}, by=...)."
        )
