"""Logging assessments to a real MLflow store and reading progress back."""

from __future__ import annotations

import json

import pytest

from mlops_kit.errors import InputError
from mlops_kit.maturity import ProgressResult, assess, load_bank, progress
from mlops_kit.tracking.store import get_client

BANK = load_bank()


def test_two_assessments_logged_and_read_back_in_order(tracking_uri, tmp_path):
    first = assess({i.id: 0 for i in BANK.items}, team_size=8)
    second_answers = {i.id: (1 if i.level <= 3 else 0) for i in BANK.items}
    second = assess(second_answers, team_size=8)
    run1 = first.log_to_mlflow(tracking_uri=tracking_uri)
    run2 = second.log_to_mlflow(experiment="mlops-kit-maturity", tracking_uri=tracking_uri)

    result = progress(tracking_uri=tracking_uri)
    assert isinstance(result, ProgressResult)
    frame = result.to_frame()
    assert list(frame["run_id"]) == [run1, run2]
    assert list(frame["level"]) == [1, 3]
    assert list(frame["team_size"]) == [8, 8]
    assert frame["mean_score"].iloc[0] == 0.0
    assert frame["score.cicd"].iloc[1] == pytest.approx(
        second.to_frame().set_index("dimension").loc["cicd", "score"]
    )
    assert result.summary() == "2 assessments in 'mlops-kit-maturity': level 1 -> 3"

    # the run holds the scores, the level and the answers as a JSON artifact
    client = get_client(tracking_uri)
    run = client.get_run(run2)
    assert run.data.metrics["level"] == 3
    assert run.data.metrics["level.versioning_tracking"] == 3
    assert run.data.tags["mlops_kit.maturity.level_name"] == "Automated CI/CD and monitoring"
    path = client.download_artifacts(run2, "maturity/answers.json", str(tmp_path))
    with open(path, encoding="utf-8") as fh:
        assert json.load(fh) == second_answers
    full = client.download_artifacts(run2, "maturity/assessment.json", str(tmp_path))
    with open(full, encoding="utf-8") as fh:
        assert json.load(fh)["level"] == 3

    import matplotlib.axes

    assert isinstance(result.plot(), matplotlib.axes.Axes)


def test_bad_experiment_leaves_nothing_and_unknown_experiment_is_empty(tracking_uri):
    a = assess({i.id: 1 for i in BANK.items})
    with pytest.raises(InputError, match="Invalid experiment"):
        a.log_to_mlflow(experiment="  ", tracking_uri=tracking_uri)
    client = get_client(tracking_uri)
    assert [e.name for e in client.search_experiments()] == ["Default"]
    empty = progress("never-logged", tracking_uri=tracking_uri)
    assert empty.to_frame().empty
    assert empty.summary() == "No assessments logged in experiment 'never-logged' yet"


def test_log_to_mlflow_uses_the_given_or_active_run_like_every_result(tracking_uri):
    from mlops_kit.errors import TrackingError
    from mlops_kit.tracking import start_run

    a = assess({i.id: 1 for i in BANK.items}, team_size=4)
    client = get_client(tracking_uri)
    with start_run("my-project", tracking_uri=tracking_uri) as run:
        assert a.log_to_mlflow() == run.run_id  # the active run, not a new one
    logged = client.get_run(run.run_id)
    assert logged.data.metrics["level"] == 5
    assert logged.data.tags["mlops_kit.kind"] == "maturity_assessment"
    # a given run id, outside any active run: logged there, left as it was
    other = client.create_run(client.get_experiment_by_name("my-project").experiment_id)
    assert a.log_to_mlflow(other.info.run_id, tracking_uri=tracking_uri) == other.info.run_id
    again = client.get_run(other.info.run_id)
    assert again.data.metrics["level"] == 5 and again.info.status == "RUNNING"
    # no run at all: a new, finished run of the maturity experiment
    own = a.log_to_mlflow(tracking_uri=tracking_uri)
    assert own not in (run.run_id, other.info.run_id)
    assert client.get_run(own).info.status == "FINISHED"
    assert list(progress(tracking_uri=tracking_uri).to_frame()["run_id"]) == [own]
    # an unknown run id: an error before anything is written
    with pytest.raises(TrackingError, match="Cannot log the assessment to run 'nope'"):
        a.log_to_mlflow("nope", tracking_uri=tracking_uri)
