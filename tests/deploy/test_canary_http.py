"""A canary rollout through the serving Router in front of two real scoring servers.

Two ``mlflow models serve`` processes (champion v1, challenger v2) behind
:class:`~mlops_kit.deploy.router.Router`; the rollout drives its weights. The
challenger's process is killed by PID when the rollout moves to 25%: the Router
fails requests over to the champion, the rollout aborts, traffic is back on the
champion, and no alias is left half-switched.
"""

from __future__ import annotations

import os
import shutil
import signal

import pytest
from _deploy_models import MODEL, register_all

from mlops_kit import tracking
from mlops_kit.data import make_credit
from mlops_kit.deploy import CanaryRollout, Router, RouterSplit, serve


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("canary-http-store")
    versions = register_all(f"sqlite:///{folder / 'mlruns.db'}")
    return folder / "mlruns.db", versions


class KillOnPercent(RouterSplit):
    """Kills the challenger's server process (by PID) when the rollout reaches ``percent``."""

    def __init__(self, router, server, percent):
        super().__init__(router, request_rows=25)
        self.server, self.kill_at = server, percent

    def set_percent(self, percent, check=True):
        if percent == self.kill_at and self.server.running:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server._process.wait(timeout=30)
        super().set_percent(percent, check=False)


def test_challenger_server_killed_mid_rollout_aborts_back_to_the_champion(registered, tmp_path):
    db, versions = registered
    copy = tmp_path / "mlruns.db"
    shutil.copyfile(db, copy)
    uri = f"sqlite:///{copy}"
    traffic = make_credit(n_rows=12_000, seed=5).drop(columns=["id", "application_date"])
    with (
        serve(f"models:/{MODEL}/1", tracking_uri=uri) as champion,
        serve(f"models:/{MODEL}/{versions['good']}", tracking_uri=uri) as challenger,
        Router({"champion": champion.url, "challenger": challenger.url}, seed=0) as router,
    ):
        split = KillOnPercent(router, challenger, 25)
        rollout = CanaryRollout(
            MODEL, versions["good"], min_detectable_difference=0.1, tracking_uri=uri
        )
        result = rollout.run(traffic, "default", router=split)
        stats = router.stats().set_index("upstream")
        assert not challenger.running
        assert router.shares == {"champion": 1.0, "challenger": 0.0}
    assert [s["decision"] for s in result.stages] == ["advance", "abort"]
    first, second = result.stages
    assert first["n_challenger"] >= first["min_challenger"] > 0  # real answers from both servers
    assert first["challenger_value"] > 0.8 and first["champion_value"] > 0.8
    assert second["reason"].startswith("serving failed at 25%: The challenger server did not")
    assert stats.loc["challenger", "failovers"] >= 1
    assert result.status == "aborted" and result.final_percent == 0.0
    aliases = tracking.get_client(uri).get_registered_model(MODEL).aliases
    assert {k: int(v) for k, v in aliases.items()} == {"champion": 1, "challenger": 1}
    run = tracking.get_client(uri).get_run(result.run_id)
    assert run.data.tags["mlops_kit.canary.status"] == "aborted"
