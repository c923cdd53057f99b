"""Approval decisions in a real MLflow registry and the policy promote enforces."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mlops_kit.errors import GateFailedError, InputError, ModelNotFoundError
from mlops_kit.governance.decisions import approvals, approve, get_policy, set_policy
from mlops_kit.governance.policy import APPROVAL_PREFIX, AUTHOR_TAG, POLICY_TAG, GovernancePolicy
from mlops_kit.tracking import promote, register
from mlops_kit.tracking.store import get_client


def _model(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 3))
    return LogisticRegression().fit(X, (X[:, 0] > 0).astype(int))


@pytest.fixture
def churn(tracking_uri):
    """Model 'churn' with versions 1 and 2 registered by 'ana'."""
    for seed in (0, 1):
        register(_model(seed), "churn", tags={AUTHOR_TAG: "ana"})
    return "churn"


def _state(name):
    client = get_client()
    rm = client.get_registered_model(name)
    versions = {v.version: dict(v.tags) for v in client.search_model_versions(f"name='{name}'")}
    return dict(rm.tags), dict(rm.aliases), versions


def test_approve_records_a_tag_and_approvals_reads_it(churn):
    rec = approve(churn, 1, by="val", notes="gates pass", evidence={"auc": 0.91, "drift": 0.1})
    approve(churn, 1, "reject", by="bo", notes="bias on segment B")
    tags = get_client().get_model_version(churn, "1").tags
    value = json.loads(tags[f"{APPROVAL_PREFIX}000001"])
    assert value["by"] == "val" and value["evidence"] == {"auc": 0.91, "drift": 0.1}
    assert rec["seq"] == 1 and value["timestamp"].endswith("+00:00")
    frame = approvals(churn).to_frame()
    assert frame[["version", "seq", "decision", "by", "author"]].values.tolist() == [
        [1, 1, "approve", "val", "ana"],
        [1, 2, "reject", "bo", "ana"],
    ]
    assert approvals(churn, version=2).to_frame().empty


def test_result_evidence_is_stored_as_its_summary(churn):
    shown = approvals(churn)  # any Result will do: an empty trail
    approve(churn, 2, by="val", evidence={"trail": shown})
    evidence = approvals(churn, 2).records[0]["evidence"]
    assert evidence == {"trail": {"result": "ApprovalsResult", "summary": shown.summary()}}


def test_approving_a_missing_version_is_an_error_and_changes_nothing(churn):
    before = _state(churn)
    with pytest.raises(ModelNotFoundError, match="Version 7 of registered model 'churn'"):
        approve(churn, 7, by="val")
    with pytest.raises(ModelNotFoundError, match="'nope' not found"):
        approve("nope", 1, by="val")
    assert _state(churn) == before


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"decision": "maybe"}, "decision"),
        ({"evidence": ["gate"]}, "evidence"),
        ({"by": ""}, "by"),
        ({"notes": 3}, "notes"),
        ({"evidence": {"report": "x" * 6000}}, "evidence"),
    ],
)
def test_bad_approval_input_names_the_parameter(churn, kwargs, name):
    before = _state(churn)
    with pytest.raises(InputError, match=f"Invalid {name}"):
        approve(churn, 1, **{"by": "val", **kwargs})
    assert _state(churn) == before


def test_author_may_not_approve_own_model_under_the_policy(churn):
    approve(churn, 1, by="ana")  # no policy yet: allowed
    set_policy(churn, GovernancePolicy())
    before = _state(churn)
    with pytest.raises(
        InputError, match="Invalid by: got 'ana'; allowed: someone other than 'ana'"
    ):
        approve(churn, 1, by="ana")
    assert _state(churn) == before
    approve(churn, 1, "reject", by="ana")  # rejecting one's own model stays possible


def test_promote_without_required_approval_refuses_and_changes_nothing(churn):
    promote(churn, 1, user="ops")
    set_policy(churn, GovernancePolicy())
    assert get_policy(churn).get_params() == GovernancePolicy().get_params()
    before = _state(churn)
    with pytest.raises(GateFailedError) as err:
        promote(churn, 2, user="ops")
    text = str(err.value)
    assert "'churn'" in text and "version 2" in text
    assert "1 approval(s) by someone other than the author 'ana' (has 0)" in text
    assert _state(churn) == before
    # the author's own approval (recorded before the policy) does not count
    set_policy(churn, None)
    approve(churn, 2, by="ana")
    set_policy(churn, GovernancePolicy())
    with pytest.raises(GateFailedError):
        promote(churn, 2, user="ops")
    # an approval by someone else lets it through, and the alias moves
    approve(churn, 2, by="val", evidence={"gate": "passed"})
    assert promote(churn, 2, user="ops").version == 2
    assert int(get_client().get_registered_model(churn).aliases["champion"]) == 2


def test_a_current_rejection_blocks_and_other_aliases_are_free(churn):
    set_policy(churn, GovernancePolicy(min_approvals=1))
    approve(churn, 2, by="val")
    approve(churn, 2, "reject", by="bo")
    before = _state(churn)
    with pytest.raises(GateFailedError, match=r"rejected by \['bo'\]"):
        promote(churn, 2, user="ops")
    assert _state(churn) == before
    promote(churn, 2, alias="challenger", user="ops")  # the policy guards champion only
    approve(churn, 2, by="bo")  # bo changes their mind: latest decision counts
    assert promote(churn, 2, user="ops").version == 2


def test_register_records_the_author_and_an_unknown_author_blocks(tracking_uri, monkeypatch):
    monkeypatch.setenv("USER", "ana")
    register(_model(), "anon")
    client = get_client()
    assert client.get_model_version("anon", "1").tags[AUTHOR_TAG] == "ana"
    client.delete_model_version_tag("anon", "1", AUTHOR_TAG)  # a version nobody claims
    set_policy("anon", GovernancePolicy())
    approve("anon", 1, by="val")
    with pytest.raises(GateFailedError, match="a known author"):
        promote("anon", 1, user="ops")
    set_policy("anon", GovernancePolicy(separate_author=False))
    assert promote("anon", 1, user="ops").version == 1


def test_policy_is_validated_and_stored_as_a_tag(churn):
    with pytest.raises(InputError, match="Invalid min_approvals"):
        set_policy(churn, GovernancePolicy(min_approvals=0))
    with pytest.raises(InputError, match="Invalid aliases"):
        set_policy(churn, GovernancePolicy(aliases="champion"))
    with pytest.raises(InputError, match="Invalid policy"):
        set_policy(churn, {"min_approvals": 1})
    assert POLICY_TAG not in _state(churn)[0]
    set_policy(churn, GovernancePolicy(min_approvals=2, aliases=["prod"]))
    assert json.loads(_state(churn)[0][POLICY_TAG]) == {
        "aliases": ["prod"],
        "deployments": True,
        "min_approvals": 2,
        "separate_author": True,
    }
