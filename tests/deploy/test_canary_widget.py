"""The canary timeline widget, driven through its traitlets over a real rollout.

A real SQLite MLflow store with real scikit-learn models (tests/deploy/_deploy_models.py);
the browser test (tests/browser/test_canary_timeline.py) shows the same in JupyterLab.
"""

from __future__ import annotations

import pytest
from _deploy_models import MODEL, register_all

from mlops_kit import tracking
from mlops_kit.data import make_credit
from mlops_kit.deploy import CanaryRollout, canary_timeline
from mlops_kit.errors import InputError


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("canary-widget")
    uri = f"sqlite:///{folder / 'mlruns.db'}"
    return {"uri": uri, **register_all(uri)}


@pytest.fixture(scope="module")
def traffic():
    return make_credit(n_rows=40_000, seed=11).drop(columns=["id", "application_date"])


def test_the_timeline_draws_each_batch_and_decision_as_the_rollout_runs(store, traffic):
    rollout = CanaryRollout(MODEL, store["good"], tracking_uri=store["uri"])
    timeline = canary_timeline(rollout)
    assert timeline.decisions == ["pending"] * 4
    assert "Not started" in timeline.status.value
    seen = []  # what the page showed at each report: (stage states, status text)
    timeline.status.observe(lambda ch: seen.append((timeline.decisions, ch["new"])), names="value")
    result = timeline.run(traffic, "default")
    assert result.status == "promoted"
    # while it ran: stage 1 collecting rows with the other stages pending, then decided
    assert ["running", "pending", "pending", "pending"] in [s for s, _ in seen]
    assert ["advance", "running", "pending", "pending"] in [s for s, _ in seen]
    assert any("Stage 1 (5%):" in text and "challenger rows" in text for _, text in seen)
    assert timeline.updates > 8
    # the end: every decision, the A/B comparison per stage, the summary and the chart
    assert timeline.decisions == ["advance", "advance", "advance", "promote"]
    assert f"PROMOTED {MODEL} v{store['good']}" in timeline.status.value
    table = timeline.table.value
    assert table.count("<tr") == 5  # header + 4 stages
    assert f"{result.stages[0]['challenger_value']:.4g}" in table
    assert timeline.chart.value[:4] == b"\x89PNG"
    # the widget drew what the rollout recorded: champion moved once, at the end
    assert tracking.current(MODEL, tracking_uri=store["uri"]).version == store["good"]


def test_a_finished_result_is_shown_and_cannot_be_run_again(store, traffic):
    rollout = CanaryRollout(MODEL, store["worse"], tracking_uri=store["uri"])
    # the "good" version may be champion now (test order): either way the worse one aborts
    result = rollout.run(traffic, "default")
    timeline = canary_timeline(result)
    assert timeline.decisions == ["abort"]
    assert "ABORTED" in timeline.status.value and "mlops-kit-error" in timeline.status.value
    with pytest.raises(InputError, match="rollout_or_result"):
        timeline.run(traffic, "default")


def test_bad_input_names_the_parameter():
    with pytest.raises(InputError, match=r"rollout_or_result.*got 'DataFrame'"):
        canary_timeline(make_credit(n_rows=10))
    with pytest.raises(InputError, match="schedule"):
        canary_timeline(CanaryRollout(MODEL, 2, schedule=[50, 5]))


def test_an_on_stage_callback_that_fails_aborts_the_rollout_safely(store, traffic):
    champion = tracking.current(MODEL, tracking_uri=store["uri"]).version
    challenger = next(v for v in (store["good"], store["baseline"]) if v != champion)

    def broken(row):
        if row["decision"] != "running":
            raise RuntimeError("display failed")

    with pytest.raises(RuntimeError, match="display failed"):
        CanaryRollout(MODEL, challenger, tracking_uri=store["uri"]).run(
            traffic, "default", on_stage=broken
        )
    aliases = tracking.get_client(store["uri"]).get_registered_model(MODEL).aliases
    assert int(aliases["champion"]) == champion and int(aliases["challenger"]) == champion
    with pytest.raises(InputError, match="on_stage"):
        CanaryRollout(MODEL, challenger, tracking_uri=store["uri"]).run(
            traffic, "default", on_stage="print"
        )
