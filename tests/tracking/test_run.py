"""start_run / Run: notebook-safe lifecycle, automatic records, fluent API, bad input."""

from __future__ import annotations

import random
import subprocess
import sys
import warnings

import mlflow
import numpy as np
import pandas as pd
import pytest

from mlops_kit.errors import InputError, StoreUnreachableError, TrackingError
from mlops_kit.tracking import fluent
from mlops_kit.tracking.fingerprint import fingerprint
from mlops_kit.tracking.fluent import current_run, log_metric, log_metrics, start_run


@pytest.fixture(autouse=True)
def _end_kit_run():
    yield
    run = current_run()
    if run is not None and not run.ended:
        run.end()


def history(client, run_id, key):
    return [(m.step, m.value) for m in client.get_metric_history(run_id, key)]


def status(uri, run_id):
    return mlflow.MlflowClient(uri).get_run(run_id).info.status


# -- lifecycle --------------------------------------------------------------------
def test_normal_exit_finishes_and_writes_buffer(tracking_uri):
    with start_run("credit", tracking_uri=tracking_uri, flush_interval=None) as run:
        run.log_metric("loss", 0.5)
        run.log_metrics({"acc": 0.9, "auc": 0.8})
        assert mlflow.active_run().info.run_id == run.run_id
        assert len(run.buffer) == 3
    assert run.status == "FINISHED" and status(tracking_uri, run.run_id) == "FINISHED"
    assert mlflow.active_run() is None and current_run() is None
    assert run.client.get_run(run.run_id).data.metrics == {"loss": 0.5, "acc": 0.9, "auc": 0.8}


def test_exception_marks_failed_reraises_and_keeps_values(tracking_uri):
    with (
        pytest.raises(ZeroDivisionError),
        start_run("credit", tracking_uri=tracking_uri, flush_interval=None) as run,
    ):
        for i in range(5):
            run.log_metric("loss", 1.0 / (5 - i))
        1 / 0
    assert status(tracking_uri, run.run_id) == "FAILED"
    assert mlflow.active_run() is None
    assert [v for _, v in history(run.client, run.run_id, "loss")] == [0.2, 0.25, 1 / 3, 0.5, 1.0]


def test_run_left_active_by_plain_mlflow_is_ended_failed(tracking_uri):
    stale = mlflow.start_run(run_name="forgotten")  # an earlier cell never ended it
    with pytest.warns(RuntimeWarning, match=rf"'forgotten' \({stale.info.run_id}\)"):
        run = start_run("credit", tracking_uri=tracking_uri)
    assert status(tracking_uri, stale.info.run_id) == "FAILED"
    assert mlflow.active_run().info.run_id == run.run_id
    run.log_metric("acc", 1.0)
    assert run.end() == "FINISHED"
    assert status(tracking_uri, run.run_id) == "FINISHED"


def test_kit_run_left_active_is_flushed_and_ended_failed(tracking_uri):
    first = start_run("credit", run_name="cell-1", tracking_uri=tracking_uri, flush_interval=None)
    first.log_metric("loss", 0.3)  # the cell then failed before ending the run
    with pytest.warns(RuntimeWarning, match="cell-1"):
        second = start_run("credit", run_name="cell-2", tracking_uri=tracking_uri)
    assert first.status == "FAILED" and status(tracking_uri, first.run_id) == "FAILED"
    assert history(first.client, first.run_id, "loss") == [(0, 0.3)]
    assert current_run() is second
    with pytest.raises(TrackingError, match="has ended"):
        first.log_metric("loss", 0.2)
    second.end()


def test_end_is_idempotent_and_validates_status(tracking_uri):
    run = start_run("credit", tracking_uri=tracking_uri)
    with pytest.raises(InputError, match="status"):
        run.end("DONE")
    assert run.end("KILLED") == "KILLED"
    assert run.end() == "KILLED"
    assert status(tracking_uri, run.run_id) == "KILLED"


# -- automatic records ----------------------------------------------------------------
def test_params_seed_dataset_and_versions_recorded(tracking_uri, tmp_path):
    df = pd.DataFrame({"income": [1.0, 2.5, 3.0], "label": [0, 1, 0]})
    with start_run(
        "credit",
        run_name="rf",
        params={"n_estimators": 100, "max_depth": None},
        seed=7,
        dataset=df,
        tags={"team": "risk"},
        tracking_uri=tracking_uri,
        repo_path=tmp_path,  # not a git repo: no git tags
    ) as run:
        pass
    r = run.client.get_run(run.run_id)
    assert r.info.run_name == "rf"
    assert r.data.params == {"n_estimators": "100", "max_depth": "None", "seed": "7"}
    tags = r.data.tags
    assert tags["team"] == "risk" and tags["mlops_kit.seed"] == "7"
    fp = fingerprint(df)
    assert tags["mlops_kit.fingerprint.dataset"] == fp
    [inp] = r.inputs.dataset_inputs
    assert inp.dataset.digest == fp[:32] and inp.dataset.name == "dataset"
    assert {t.key: t.value for t in inp.tags}["mlflow.data.context"] == "training"
    assert tags["mlops_kit.python_version"] == ".".join(map(str, sys.version_info[:3]))
    for pkg in ("mlflow", "pandas", "numpy", "scikit-learn", "mlops-kit"):
        assert tags[f"mlops_kit.version.{pkg}"], pkg
    assert tags["mlops_kit.version.mlflow"] == mlflow.__version__
    assert not any(k.startswith("mlops_kit.git.") for k in tags)


def test_several_datasets_by_name(tracking_uri):
    train = pd.DataFrame({"x": [1, 2]})
    test = pd.DataFrame({"x": [3]})
    with start_run(
        "credit", dataset={"train": train, "test": test}, tracking_uri=tracking_uri
    ) as r:
        pass
    got = r.client.get_run(r.run_id)
    digests = {i.dataset.name: i.dataset.digest for i in got.inputs.dataset_inputs}
    assert digests == {"train": fingerprint(train)[:32], "test": fingerprint(test)[:32]}
    assert got.data.tags["mlops_kit.fingerprint.test"] == fingerprint(test)


def _git(repo, *args):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_git_commit_and_dirty_flag_recorded(tracking_uri, tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "train.py").write_text("print('v1')\n")
    _git(repo, "add", "train.py")
    _git(repo, "commit", "-q", "-m", "first")
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()

    with start_run("credit", tracking_uri=tracking_uri, repo_path=repo) as clean:
        pass
    (repo / "train.py").write_text("print('v2')\n")
    with start_run("credit", tracking_uri=tracking_uri, repo_path=repo) as dirty:
        pass
    t_clean = clean.client.get_run(clean.run_id).data.tags
    t_dirty = dirty.client.get_run(dirty.run_id).data.tags
    assert t_clean["mlops_kit.git.commit"] == head == t_clean["mlflow.source.git.commit"]
    assert t_clean["mlops_kit.git.branch"] == "main"
    assert t_clean["mlops_kit.git.dirty"] == "false"
    assert t_dirty["mlops_kit.git.dirty"] == "true"
    assert t_dirty["mlops_kit.git.commit"] == head


def test_seed_is_applied(tracking_uri):
    with start_run("credit", seed=123, tracking_uri=tracking_uri):
        got = (random.random(), np.random.rand())
    random.seed(123)
    np.random.seed(123)
    assert got == (random.random(), np.random.rand())


# -- fluent API ---------------------------------------------------------------------------
def test_fluent_functions_use_current_run(tracking_uri):
    with pytest.raises(TrackingError, match="No active mlops-kit run"):
        log_metric("acc", 0.5)
    with start_run("credit", tracking_uri=tracking_uri, flush_interval=None) as run:
        log_metric("acc", 0.5)
        log_metrics({"acc": 0.6, "loss": 0.4})
        fluent.log_params({"lr": 0.1})
        fluent.set_tags({"stage": "dev"})
        assert fluent.flush() == 3
    r = run.client.get_run(run.run_id)
    assert history(run.client, run.run_id, "acc") == [(0, 0.5), (1, 0.6)]
    assert r.data.params["lr"] == "0.1" and r.data.tags["stage"] == "dev"
    with pytest.raises(TrackingError, match="No active mlops-kit run"):
        log_metrics({"acc": 0.7})
    assert fluent.end_run() is None


def test_param_cannot_change_once_logged(tracking_uri):
    with start_run("credit", params={"lr": 0.1}, tracking_uri=tracking_uri) as run:
        run.log_param("lr", 0.1)  # same value: fine
        with pytest.raises(InputError, match="lr"):
            run.log_param("lr", 0.2)
    assert run.client.get_run(run.run_id).data.params["lr"] == "0.1"


# -- bad input: clear errors, nothing written ------------------------------------------
@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"params": {"bad name!": 1}}, "param name"),
        ({"params": [("lr", 0.1)]}, "params"),
        ({"tags": {"t": "x" * 9000}}, "value of tag 't'"),
        ({"seed": -1}, "seed"),
        ({"seed": True}, "seed"),
        ({"seed": 3, "params": {"seed": 4}}, "seed"),
        ({"dataset": "train.csv"}, "dataset"),
        ({"dataset": {"train": [1, 2]}}, "dataset 'train'"),
        ({"flush_interval": -1}, "flush_interval"),
        ({"buffer_size": 0}, "buffer_size"),
        ({"run_name": 5}, "run_name"),
    ],
)
def test_bad_arguments_write_nothing(tracking_uri, kwargs, match):
    with pytest.raises(InputError, match=match):
        start_run("credit", tracking_uri=tracking_uri, **kwargs)
    client = mlflow.MlflowClient(tracking_uri)
    assert client.get_experiment_by_name("credit") is None
    assert client.search_runs(["0"]) == []
    assert mlflow.active_run() is None and current_run() is None


def test_store_unreachable(tmp_path):
    missing = tmp_path / "no" / "such" / "folder"
    with pytest.raises(StoreUnreachableError, match="does not exist"):
        start_run("credit", tracking_uri=f"sqlite:///{missing}/mlruns.db")
    assert not missing.exists()
    assert mlflow.active_run() is None and current_run() is None


def test_logging_after_end_and_invalid_metric_raise(tracking_uri):
    with start_run("credit", tracking_uri=tracking_uri, flush_interval=None) as run:
        with pytest.raises(InputError, match="metric name"):
            run.log_metric("acc%", 1.0)
        with pytest.raises(InputError, match=r"'0\.9'"):
            run.log_metric("acc", "0.9")
        assert len(run.buffer) == 0
    assert run.client.get_run(run.run_id).data.metrics == {}
    with pytest.raises(TrackingError, match="has ended"):
        run.log_metric("acc", 1.0)


def test_warning_filters_do_not_break_start(tracking_uri):
    # the notebook-safe warning must also work when warnings are errors elsewhere
    mlflow.start_run()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = start_run("credit", tracking_uri=tracking_uri)
    assert current_run() is run
    run.end()
