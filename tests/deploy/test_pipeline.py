"""The gated pipeline: default stages on sample data in a real SQLite MLflow store.

Real components only: sample data from make_credit, real Expectations/QualityCheck,
scikit-learn models, PerformanceGate, the registry and alias history, DriftCheck.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sklearn.dummy import DummyClassifier

from mlops_kit import tracking
from mlops_kit.deploy import Pipeline, PipelineResult, Stage, default_stages
from mlops_kit.errors import InputError

N_ROWS = 2_000


def _run_data(client, run_id):
    run = client.get_run(run_id)
    return run.data.tags, run.data.metrics


def test_default_pipeline_passes_registers_deploys_then_a_bad_model_stops_at_the_gate(
    tracking_uri,
):
    first = Pipeline(default_stages(n_rows=N_ROWS)).run()
    assert isinstance(first, PipelineResult)
    assert first.status == "passed", first.to_frame()
    assert [s["stage"] for s in first.stages] == [
        "validate_data",
        "train",
        "evaluate",
        "gate",
        "register",
        "deploy",
        "monitor",
    ]
    champion = tracking.current("credit-risk", "champion")
    assert champion.version == 1 and champion.run_id == first.run_id
    reason = tracking.history("credit-risk", "champion")["reason"].iloc[-1]
    assert first.run_id in reason and "PASSED" in reason

    client = tracking.get_client()
    tags, metrics = _run_data(client, first.run_id)
    assert tags["mlops_kit.pipeline.status"] == "passed"
    assert tags["mlops_kit.pipeline.4_gate.status"] == "passed"
    assert metrics["evaluate.roc_auc"] > 0.75
    assert "pipeline.1_validate_data.seconds" in metrics
    local = client.download_artifacts(first.run_id, "pipeline/result.json")
    stored = json.loads(Path(local).read_text(encoding="utf-8"))
    assert stored["status"] == "passed" and len(stored["stages"]) == 7

    # a model that always predicts "no default" cannot pass the gate against the champion
    second = Pipeline(default_stages(n_rows=N_ROWS)).run({"estimator": DummyClassifier()})
    assert second.status == "failed"
    assert second.failed_stage == "gate"
    assert second.summary().startswith("Pipeline FAILED at gate gate:")
    assert "roc_auc 0.5 < 0.75" in second.summary()
    assert [s["status"] for s in second.stages][3:] == ["failed", "skipped", "skipped", "skipped"]
    # nothing registered, nothing moved
    assert len(tracking.versions("credit-risk")) == 1
    assert tracking.current("credit-risk", "champion").version == 1
    tags, _ = _run_data(client, second.run_id)
    assert tags["mlops_kit.pipeline.status"] == "failed"
    assert tags["mlops_kit.pipeline.5_register.status"] == "skipped"
    assert "roc_auc" in tags["mlops_kit.pipeline.4_gate.message"]


def test_custom_stages_a_raising_stage_is_recorded_and_stops(tracking_uri):
    seen = []

    def load(ctx):
        ctx["rows"] = 10
        seen.append("load")
        return {"metrics": {"rows": 10}}

    def boom(ctx):
        raise RuntimeError("feature store\nunreachable")

    def after(ctx):
        seen.append("after")

    result = Pipeline([("load", load), Stage("fetch", boom), ("after", after)]).run({"x": 1})
    assert seen == ["load"]
    assert result.status == "error"
    assert [s["status"] for s in result.stages] == ["passed", "error", "skipped"]
    assert result.stages[1]["message"] == "RuntimeError: feature store unreachable"
    assert (
        result.summary() == "Pipeline ERROR at stage fetch: RuntimeError: feature store unreachable"
    )
    assert result.context["rows"] == 10 and result.context["x"] == 1
    tags, metrics = _run_data(tracking.get_client(), result.run_id)
    assert metrics["load.rows"] == 10
    assert tags["mlops_kit.pipeline.2_fetch.status"] == "error"
    assert tags["mlops_kit.pipeline.status"] == "error"


def test_a_failing_non_gate_stage_does_not_stop_but_fails_the_pipeline(tracking_uri):
    result = Pipeline([("check", lambda ctx: False), ("next", lambda ctx: True)]).run()
    assert [s["status"] for s in result.stages] == ["failed", "passed"]
    assert result.status == "failed" and not result.passed


@pytest.mark.parametrize(
    ("stages", "name"),
    [
        ([], "stages"),
        ([("a", lambda c: None), ("a", lambda c: None)], "stages"),
        ([("1bad", lambda c: None)], "stages[0].name"),
        ([("a", "not callable")], "stages[0].func"),
        ([42], "stages[0]"),
    ],
)
def test_bad_stages_are_rejected_before_any_run(tracking_uri, stages, name):
    with pytest.raises(InputError, match="^Invalid " + re.escape(name) + ":"):
        Pipeline(stages).run()
    assert (
        tracking.get_client().search_experiments(filter_string="name = 'mlops-kit-pipeline'") == []
    )


def test_bad_stage_outcome_is_an_error_status(tracking_uri):
    result = Pipeline([("odd", lambda ctx: "yes")]).run()
    assert result.status == "error"
    assert "outcome of stage 'odd'" in result.stages[0]["message"]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"n_rows": 10}, "n_rows"), ({"alias": "v1"}, "alias"), ({"test_size": 1.5}, "test_size")],
)
def test_default_stages_check_their_parameters(kwargs, name):
    with pytest.raises(InputError, match=f"^Invalid {name}:"):
        default_stages(**kwargs)
