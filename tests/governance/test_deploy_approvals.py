"""A governance policy guards the deployment moves too: a blue-green switch and a canary's 100%.

Real parts: a real SQLite MLflow store, real scikit-learn models, two real
``mlflow models serve`` processes behind the blue-green router, and the canary's
in-process traffic split over the registered versions.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from mlops_kit.data import make_credit
from mlops_kit.deploy import BlueGreen, CanaryRollout
from mlops_kit.errors import GateFailedError, InputError
from mlops_kit.governance import GovernancePolicy, approval_needed, approve, set_policy
from mlops_kit.governance.policy import AUTHOR_TAG
from mlops_kit.tracking import get_client, history, promote

sys.path.insert(0, str(Path(__file__).parents[1] / "deploy"))  # the deploy tests' helpers
from _deploy_models import MODEL, trained
from _serving_store import NAME, make_store


def _aliases(uri, name):
    return {k: int(v) for k, v in get_client(uri).get_registered_model(name).aliases.items()}


# -- blue-green ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bg_store(tmp_path_factory, _empty_store):
    store = make_store(tmp_path_factory.mktemp("gov-bluegreen"), _empty_store)
    client = get_client(store.uri)
    for version in ("1", "2"):
        client.set_model_version_tag(NAME, version, AUTHOR_TAG, "ana")
    promote(NAME, 1, "blue", tracking_uri=store.uri)
    promote(NAME, 2, "green", tracking_uri=store.uri)
    return store


@pytest.mark.slow
def test_blue_green_switch_needs_an_approval_by_someone_other_than_the_author(bg_store):
    uri, X = bg_store.uri, bg_store.X
    set_policy(NAME, GovernancePolicy(), tracking_uri=uri)
    # no 'live' alias yet: start() would put blue live, a deployment move that needs approval
    with pytest.raises(GateFailedError) as info:
        BlueGreen(NAME, user="ops", tracking_uri=uri).start()
    message = str(info.value)
    assert message.startswith("Blue-green start refused: "), message
    assert f"model {NAME!r} version 1" in message and "and start again" in message, message
    assert "live" not in _aliases(uri, NAME)
    # the first release goes out before the team adopts the policy (v1 stays unapproved)
    set_policy(NAME, None, tracking_uri=uri)
    with BlueGreen(NAME, user="ops", tracking_uri=uri) as bg:
        set_policy(NAME, GovernancePolicy(), tracking_uri=uri)
        assert bg.live == "blue"
        events = len(history(NAME, "live", tracking_uri=uri))
        with pytest.raises(GateFailedError) as info:
            bg.switch(reason="v2 passed the gate")
        message = str(info.value)
        for part in (
            "Blue-green switch refused",
            f"model {NAME!r} version 2",
            "GovernancePolicy()",
            "1 approval(s) by someone other than the author 'ana' (has 0)",
            "traffic stays on blue (version 1)",
            "alias 'live' is unchanged",
        ):
            assert part in message, message
        # nothing moved: alias, history, router
        assert _aliases(uri, NAME)["live"] == 1
        assert len(history(NAME, "live", tracking_uri=uri)) == events
        assert bg.live == "blue"
        np.testing.assert_array_equal(bg.predict(X), bg_store.models[1].predict(X))

        # the author cannot approve their own model; that changes nothing either
        with pytest.raises(InputError, match="Invalid by: got 'ana'"):
            approve(NAME, 2, by="ana", tracking_uri=uri)
        with pytest.raises(GateFailedError):
            bg.switch()

        approve(NAME, 2, by="val", notes="gates pass", tracking_uri=uri)
        assert approval_needed(NAME, 2, "live", deployment=True, tracking_uri=uri) is None
        record = bg.switch(reason="approved by val")
        assert (record["to_side"], record["to_version"]) == ("green", 2)
        assert _aliases(uri, NAME)["live"] == 2
        np.testing.assert_array_equal(bg.predict(X), bg_store.models[2].predict(X))

        # a switch back is a rollback: never blocked, even to a version never approved
        back = bg.switch_back(reason="error rate up")
        assert (back["action"], back["to_version"]) == ("rollback", 1)
        assert _aliases(uri, NAME)["live"] == 1
    set_policy(NAME, None, tracking_uri=uri)


def test_a_policy_without_deployments_leaves_other_aliases_free(bg_store):
    uri = bg_store.uri
    set_policy(NAME, GovernancePolicy(deployments=False), tracking_uri=uri)
    try:
        assert approval_needed(NAME, 1, "live", deployment=True, tracking_uri=uri) is None
        needed = approval_needed(NAME, 1, "champion", deployment=True, tracking_uri=uri)
        assert needed.startswith(f"model {NAME!r} version 1: its governance policy")
        assert "GovernancePolicy(deployments=False)" in needed
    finally:
        set_policy(NAME, None, tracking_uri=uri)
    assert approval_needed(NAME, 1, "champion", deployment=True, tracking_uri=uri) is None


# -- canary -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def models():
    return trained()


@pytest.fixture
def canary_store(tracking_uri, models):
    """v1 baseline (champion), v2 better; both registered by 'ana'."""
    from mlops_kit.tracking import register

    for key in ("baseline", "good"):
        register(models[key], MODEL, tags={AUTHOR_TAG: "ana"}, tracking_uri=tracking_uri)
    promote(MODEL, 1, "champion", reason="first model", tracking_uri=tracking_uri)
    return tracking_uri


@pytest.fixture(scope="module")
def traffic():
    return make_credit(n_rows=12_000, seed=11).drop(columns=["id", "application_date"])


@pytest.mark.slow
def test_canary_holds_before_100_percent_until_the_challenger_is_approved(canary_store, traffic):
    uri = canary_store
    # the policy guards only another alias: deployments=True still guards the canary's 100%
    set_policy(MODEL, GovernancePolicy(aliases=["production"]), tracking_uri=uri)
    rollout = CanaryRollout(MODEL, 2, schedule=[50, 100], tracking_uri=uri)
    held = rollout.run(traffic, "default")
    assert held.status == "held", held.to_frame()
    assert [s["decision"] for s in held.stages] == ["advance", "hold"]
    reason = held.stages[-1]["reason"]
    for part in (
        f"model {MODEL!r} version 2",
        "GovernancePolicy(aliases=('production',))",
        "by someone other than the author 'ana' (has 0)",
        "Alias 'champion' unchanged (v1)",
        "holds at 50%",
    ):
        assert part in reason, reason
    assert held.final_percent == 50.0
    assert held.summary().startswith(f"HELD {MODEL} v2 at 50%: approval required")
    assert _aliases(uri, MODEL) == {"champion": 1, "challenger": 2}
    assert history(MODEL, "champion", tracking_uri=uri)["to_version"].tolist() == [1]
    run = get_client(uri).get_run(held.run_id)
    assert run.data.tags["mlops_kit.canary.status"] == "held"
    assert run.data.tags["mlops_kit.canary.stage.2.decision"] == "hold"
    assert "approval required" in run.data.tags["mlops_kit.canary.stage.2.reason"]

    approve(MODEL, 2, by="val", evidence={"canary": held}, tracking_uri=uri)
    done = CanaryRollout(MODEL, 2, schedule=[50, 100], tracking_uri=uri).run(traffic, "default")
    assert done.status == "promoted", done.to_frame()
    assert _aliases(uri, MODEL)["champion"] == 2


@pytest.mark.slow
def test_a_rejection_holds_the_canary_even_with_an_approval(canary_store, traffic):
    uri = canary_store
    set_policy(MODEL, GovernancePolicy(), tracking_uri=uri)
    approve(MODEL, 2, by="val", tracking_uri=uri)
    approve(MODEL, 2, "reject", by="lea", notes="bias on segment B", tracking_uri=uri)
    result = CanaryRollout(MODEL, 2, schedule=[100], tracking_uri=uri).run(traffic, "default")
    assert result.status == "held"
    assert "no current rejection (rejected by ['lea'])" in result.reason
    assert result.final_percent == 0.0
    assert _aliases(uri, MODEL) == {"champion": 1, "challenger": 2}
