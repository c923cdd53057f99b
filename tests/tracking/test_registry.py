"""Registry helpers and alias history on a real SQLite MLflow store."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from mlops_kit.errors import (
    AliasNotFoundError,
    InputError,
    MlopsKitError,
    ModelNotFoundError,
    RollbackError,
    StoreUnreachableError,
)
from mlops_kit.tracking.alias_history import history, history_key, promote, rollback
from mlops_kit.tracking.registry import current, list_models, register, versions

REQS = ["scikit-learn", "skops"]  # explicit, so MLflow does not infer them in a subprocess


@pytest.fixture
def template_db(_empty_store):
    """An initialised empty store (see tests/conftest.py)."""
    return _empty_store


@pytest.fixture
def store(tracking_uri, tmp_path, monkeypatch):
    """``tracking_uri``, run from inside ``tmp_path``."""
    monkeypatch.chdir(tmp_path)  # nothing may land in the working directory
    return tracking_uri


@pytest.fixture
def iris():
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression

    X, y = load_iris(return_X_y=True)
    X, y = X[::3], y[::3]
    return LogisticRegression(max_iter=500).fit(X, y), X


@pytest.fixture
def model_uri(store, iris):
    """A model logged with plain MLflow: runs:/<run_id>/model."""
    import mlflow

    from mlops_kit.tracking.store import ensure_experiment

    clf, _ = iris
    with mlflow.start_run(experiment_id=ensure_experiment("tests", store)) as run:
        mlflow.sklearn.log_model(clf, name="model", pip_requirements=REQS)
    return f"runs:/{run.info.run_id}/model"


@pytest.fixture
def three_versions(store, model_uri):
    """Registered model 'churn' with versions 1, 2, 3 (plain mlflow.register_model)."""
    import mlflow

    for _ in range(3):
        mlflow.register_model(model_uri, "churn")
    return "churn"


def _client(uri):
    import mlflow

    return mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)


def _ints(series):
    import pandas as pd

    return [None if pd.isna(v) else int(v) for v in series]


def _state(uri, name):
    """Aliases and tags of a registered model: what a half-write would change."""
    rm = _client(uri).get_registered_model(name)
    return dict(rm.aliases), dict(rm.tags)


# --- register --------------------------------------------------------------------


def test_register_logs_skops_model_that_loads_and_predicts_the_same(store, iris):
    import mlflow

    clf, X = iris
    info = register(clf, "iris", input_example=X[:3], tags={"team": "risk"}, description="v1")
    assert (info.name, info.version, info.serialization_format) == ("iris", 1, "skops")
    assert info.tags["team"] == "risk" and info.description == "v1"
    assert info.tags["mlops_kit.serialization_format"] == "skops"
    client = _client(store)
    run = client.get_run(info.run_id)
    assert run.info.run_name == "register-iris" and run.info.status == "FINISHED"
    experiment = client.get_experiment(run.info.experiment_id)
    assert experiment.name == "mlops-kit-registry"
    assert experiment.artifact_location.endswith("/mlartifacts")  # beside the store
    loaded = mlflow.sklearn.load_model(info.model_uri)
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))
    pyfunc = mlflow.pyfunc.load_model(info.model_uri)
    np.testing.assert_array_equal(np.asarray(pyfunc.predict(X)), clf.predict(X))
    flavor = pyfunc.metadata.flavors["sklearn"]
    assert flavor["serialization_format"] == "skops"
    assert pyfunc.metadata.signature is not None  # inferred from input_example


def test_register_trusts_library_types_skops_needs(store, iris):
    import mlflow
    from sklearn.ensemble import RandomForestClassifier

    _, X = iris
    forest = RandomForestClassifier(n_estimators=3, random_state=0).fit(X, (X[:, 0] > 5.8))
    info = register(forest, "forest")
    assert info.serialization_format == "skops"
    loaded = mlflow.sklearn.load_model(info.model_uri)
    np.testing.assert_array_equal(loaded.predict(X), forest.predict(X))


def test_register_uses_active_run_and_explicit_run(store, iris):
    import mlflow

    clf, _ = iris
    from mlops_kit.tracking.store import ensure_experiment

    with mlflow.start_run(experiment_id=ensure_experiment("tests", store)) as run:
        first = register(clf, "iris")
    second = register(clf, "iris", run_id=run.info.run_id)
    assert first.run_id == second.run_id == run.info.run_id
    assert (first.version, second.version) == (1, 2)


def test_register_existing_model_uri(store, iris, model_uri):
    import mlflow

    clf, X = iris
    info = register(model_uri, "from-uri", description="registered from a URI")
    assert info.version == 1 and info.description == "registered from a URI"
    loaded = mlflow.pyfunc.load_model(info.model_uri)
    np.testing.assert_array_equal(np.asarray(loaded.predict(X)), clf.predict(X))


def test_register_falls_back_to_cloudpickle_with_a_warning(store, iris):
    import mlflow
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    _, X = iris
    y = (X[:, 0] > 5.8).astype(int)
    pipe = make_pipeline(FunctionTransformer(lambda a: a * 2.0), LogisticRegression()).fit(X, y)
    with pytest.warns(UserWarning, match="cloudpickle"):
        info = register(pipe, "lambda-pipe")
    assert info.serialization_format == "cloudpickle"
    loaded = mlflow.sklearn.load_model(info.model_uri)
    np.testing.assert_array_equal(loaded.predict(X), pipe.predict(X))


def test_register_bad_input_writes_nothing(store, iris):
    from sklearn.linear_model import LogisticRegression

    clf, _ = iris
    with pytest.raises(InputError, match="fitted"):
        register(LogisticRegression(), "iris")
    with pytest.raises(InputError, match="Invalid model"):
        register(object(), "iris")
    with pytest.raises(InputError, match="runs:/nope/model"):
        register("runs:/nope/model", "iris")
    with pytest.raises(InputError, match="run_id"):
        register(clf, "iris", run_id="0123456789abcdef")
    with pytest.raises(InputError, match="name"):
        register(clf, "  ")
    with pytest.raises(InputError, match="serialization_format"):
        register(clf, "iris", serialization_format="json")
    assert list_models().empty


# --- promote / rollback / history ----------------------------------------------


def test_promote_then_rollback_walks_back_without_ping_pong(tracking_uri, three_versions):
    name = three_versions
    for v in (1, 2, 3):
        info = promote(name, v, reason=f"release {v}", user="ana")
        assert info.version == v and "champion" in info.aliases
    assert current(name).version == 3
    assert rollback(name, reason="alert", user="bob").version == 2
    assert rollback(name, user="bob").version == 1  # further back, not back to 3
    with pytest.raises(RollbackError) as err:
        rollback(name)
    assert "'champion'" in str(err.value) and "'churn'" in str(err.value)
    assert "version 1" in str(err.value)
    frame = history(name, "champion")
    assert frame["action"].tolist() == ["promote"] * 3 + ["rollback"] * 2
    assert _ints(frame["from_version"]) == [None, 1, 2, 3, 2]
    assert frame["to_version"].tolist() == [1, 2, 3, 2, 1]
    assert frame["user"].tolist() == ["ana"] * 3 + ["bob"] * 2
    assert frame["reason"].tolist() == ["release 1", "release 2", "release 3", "alert", None]
    assert current(name).version == 1
    # promoting again after rollbacks starts a new branch of the stack
    promote(name, 3)
    assert rollback(name).version == 1


def test_promote_promote_rollback_rollback(tracking_uri, three_versions):
    name = three_versions
    promote(name, 1)
    promote(name, 2)
    assert rollback(name).version == 1
    before = _state(tracking_uri, name)
    with pytest.raises(RollbackError, match="points to version 1"):
        rollback(name)
    assert _state(tracking_uri, name) == before  # a failed rollback writes nothing
    assert history(name)["action"].tolist() == ["promote", "promote", "rollback"]


def test_history_tags_have_the_documented_format(tracking_uri, three_versions, monkeypatch):
    name = three_versions
    monkeypatch.setenv("USER", "carla")
    promote(name, 1, "champion", reason="first")
    promote(name, 2, "challenger")
    promote(name, 2, "champion")
    _, tags = _state(tracking_uri, name)
    keys = sorted(k for k in tags if k.startswith("mlops_kit.alias_history."))
    assert keys == [
        "mlops_kit.alias_history.challenger.000002",
        "mlops_kit.alias_history.champion.000001",
        "mlops_kit.alias_history.champion.000003",
    ]
    assert history_key("champion", 3) == keys[2]
    raw = tags[keys[1]]
    assert " " not in raw.replace("first", "")  # compact JSON
    event = json.loads(raw)
    assert event["action"] == "promote" and event["from_version"] is None
    assert event["to_version"] == 1 and event["user"] == "carla" and event["reason"] == "first"
    assert event["timestamp"].endswith("+00:00")
    frame = history(name)
    assert frame.columns.tolist() == [
        "seq", "alias", "action", "from_version", "to_version", "user", "timestamp", "reason",
    ]  # fmt: skip
    assert frame["seq"].tolist() == [1, 2, 3]
    assert frame["alias"].tolist() == ["champion", "challenger", "champion"]
    assert str(frame["timestamp"].dt.tz) == "UTC"
    assert history(name, "challenger")["to_version"].tolist() == [2]


def test_history_survives_a_restart(tracking_uri, three_versions):
    name = three_versions
    promote(name, 1, reason="first")
    promote(name, 3, "challenger")
    promote(name, 2, reason="second")
    rollback(name, reason="oops")
    expected = history(name).to_json(orient="split", date_format="iso")
    code = textwrap.dedent(
        f"""
        import json, mlflow
        from mlops_kit.tracking.alias_history import history
        client = mlflow.MlflowClient(tracking_uri={tracking_uri!r}, registry_uri={tracking_uri!r})
        rm = client.get_registered_model({name!r})
        print(json.dumps({{
            "aliases": dict(rm.aliases),
            "keys": sorted(k for k in rm.tags if k.startswith("mlops_kit.alias_history.")),
            "history": history({name!r}, tracking_uri={tracking_uri!r}).to_json(
                orient="split", date_format="iso"),
        }}))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    fresh = json.loads(out.stdout.strip().splitlines()[-1])
    assert fresh["history"] == expected
    # versions come back as ints from SQLite and as strings from a tracking server
    assert {a: int(v) for a, v in fresh["aliases"].items()} == {"champion": 1, "challenger": 3}
    assert len(fresh["keys"]) == 4
    assert json.loads(expected)["data"][-1][2] == "rollback"


def test_rollback_skips_deleted_versions(tracking_uri, three_versions):
    name = three_versions
    for v in (1, 2, 3):
        promote(name, v)
    _client(tracking_uri).delete_model_version(name, "2")
    assert rollback(name).version == 1
    assert history(name)["to_version"].tolist()[-1] == 1
    promote(name, 3)
    _client(tracking_uri).delete_model_version(name, "1")
    with pytest.raises(RollbackError, match="deleted"):
        rollback(name)


def test_rollback_after_a_move_made_outside_mlops_kit(tracking_uri, three_versions):
    name = three_versions
    promote(name, 1)
    _client(tracking_uri).set_registered_model_alias(name, "champion", "3")
    assert rollback(name).version == 1
    assert _ints(history(name)["from_version"]) == [None, 3]


def test_failed_history_write_restores_the_alias(tracking_uri, three_versions, monkeypatch):
    import mlflow

    name = three_versions
    promote(name, 1)
    before = _state(tracking_uri, name)

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(mlflow.MlflowClient, "set_registered_model_tag", broken)
    with pytest.raises(OSError, match="disk full"):
        promote(name, 2)
    with pytest.raises(OSError, match="disk full"):
        promote(name, 3, "challenger")
    assert _state(tracking_uri, name) == before  # champion back on 1, no challenger


# --- bad input --------------------------------------------------------------------


def test_unknown_model_version_and_alias(tracking_uri, three_versions):
    name = three_versions
    promote(name, 1)
    before = _state(tracking_uri, name)
    with pytest.raises(ModelNotFoundError, match=r"'nope'.*Known models: 'churn'"):
        promote("nope", 1)
    with pytest.raises(ModelNotFoundError, match=r"Version 9 .*Existing versions: 1, 2, 3"):
        promote(name, 9)
    with pytest.raises(InputError, match="version"):
        promote(name, "two")
    with pytest.raises(AliasNotFoundError, match=r"'staging'.*exist: 'champion'"):
        current(name, "staging")
    with pytest.raises(AliasNotFoundError, match="'staging'"):
        rollback(name, "staging")
    with pytest.raises(ModelNotFoundError):
        history("nope")
    assert _state(tracking_uri, name) == before


def test_invalid_alias_names(tracking_uri, three_versions):
    before = _state(tracking_uri, three_versions)
    for alias in ["latest", "LATEST", "v1", "V12", "", "a.b", "with space", 3, "x" * 220]:
        with pytest.raises(InputError, match="Invalid alias"):
            promote(three_versions, 1, alias)
        with pytest.raises(InputError, match="Invalid alias"):
            current(three_versions, alias)
    assert _state(tracking_uri, three_versions) == before


def test_invalid_reason_and_user(tracking_uri, three_versions):
    with pytest.raises(InputError, match="reason"):
        promote(three_versions, 1, reason="x" * 6000)
    with pytest.raises(InputError, match="user"):
        promote(three_versions, 1, user="")
    assert _state(tracking_uri, three_versions) == ({}, {})


def test_unreachable_store(tmp_path, monkeypatch):
    missing = f"sqlite:///{tmp_path / 'no' / 'such' / 'mlruns.db'}"
    with pytest.raises(StoreUnreachableError, match="does not exist"):
        promote("churn", 1, tracking_uri=missing)
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "2")
    with pytest.raises(StoreUnreachableError) as err:
        history("churn", tracking_uri="http://127.0.0.1:9")
    assert isinstance(err.value, MlopsKitError) and "127.0.0.1:9" in str(err.value)


# --- listing ----------------------------------------------------------------------


def test_versions_and_list_models(tracking_uri, three_versions, iris):
    name = three_versions
    promote(name, 2)
    promote(name, 3, "challenger")
    frame = versions(name)
    assert frame.columns.tolist()[:6] == [
        "name", "version", "aliases", "run_id", "creation_time", "status",
    ]  # fmt: skip
    assert frame["version"].tolist() == [1, 2, 3]
    assert frame["aliases"].tolist() == ["", "champion", "challenger"]
    assert (frame["status"] == "READY").all() and frame["run_id"].notna().all()
    register(iris[0], "another")
    models = list_models()
    assert models["name"].tolist() == ["another", "churn"]
    row = models.set_index("name").loc["churn"]
    assert row["latest_version"] == 3 and row["aliases"] == "challenger=3, champion=2"
    with pytest.raises(ModelNotFoundError):
        versions("nope")


def test_register_into_another_store_leaves_fluent_state_alone(store, iris, tmp_path, template_db):
    import os

    import mlflow

    from mlops_kit.tracking.store import ensure_experiment

    other_dir = tmp_path / "other"
    other_dir.mkdir()
    shutil.copy(template_db, other_dir / "mlruns.db")
    other = f"sqlite:///{other_dir / 'mlruns.db'}"
    with mlflow.start_run(experiment_id=ensure_experiment("tests", store)) as run:
        info = register(iris[0], "elsewhere", tracking_uri=other)
        assert mlflow.active_run().info.run_id == run.info.run_id
    assert info.run_id != run.info.run_id  # the active run lives in the other store
    assert mlflow.get_tracking_uri() == store and mlflow.get_registry_uri() == store
    assert os.environ["MLFLOW_TRACKING_URI"] == store
    assert list_models()["name"].tolist() == []
    assert list_models(tracking_uri=other)["name"].tolist() == ["elsewhere"]


def test_replay_and_malformed_tags():
    from mlops_kit.tracking.alias_history import parse_events, replay

    tags = {
        history_key("champion", 1): '{"action":"promote","from_version":null,"to_version":1}',
        history_key("champion", 2): "not json",
        history_key("champion", 3): '{"action":"promote","from_version":1,"to_version":2}',
        "team": "risk",
    }
    with pytest.warns(UserWarning, match=r"champion\.000002"):
        events = parse_events(tags)
    assert [e["seq"] for e in events] == [1, 3]
    assert replay(events) == [1, 2]
    ev = [
        {"action": "promote", "from_version": None, "to_version": 1},
        {"action": "promote", "from_version": 1, "to_version": 2},
        {"action": "promote", "from_version": 2, "to_version": 1},
        {"action": "rollback", "from_version": 1, "to_version": 2},
    ]
    assert replay(ev) == [1, 2]
