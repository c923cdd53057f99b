"""Blue-green on two real MLflow scoring servers: switch, switch back, history, concurrency.

Version 1 (blue) and version 2 (green) predict opposite labels on every row, so each
answer shows which version produced it. Both servers are started once for the module.
"""

from __future__ import annotations

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from _serving_store import NAME, make_store

from mlops_kit.deploy import BlueGreen
from mlops_kit.deploy.router import UPSTREAM_HEADER
from mlops_kit.deploy.serving import encode_frame
from mlops_kit.errors import AliasNotFoundError, DeploymentError, InputError
from mlops_kit.tracking import history, promote

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(tmp_path_factory, _empty_store):
    store = make_store(tmp_path_factory.mktemp("bluegreen"), _empty_store)
    promote(NAME, 1, "blue", tracking_uri=store.uri)
    promote(NAME, 2, "green", tracking_uri=store.uri)
    return store


@pytest.fixture(scope="module")
def bg(store):
    with BlueGreen(NAME, user="ana", tracking_uri=store.uri) as deployment:
        yield deployment


def _live_events(store):
    return history(NAME, "live", tracking_uri=store.uri)


def _expected(store, version, X):
    return store.models[version].predict(X)


def test_start_serves_both_sides_and_points_live_at_blue(bg, store):
    assert bg.versions == {"blue": 1, "green": 2}
    assert bg.live == "blue"
    events = _live_events(store)
    assert events[["action", "to_version", "user"]].values.tolist() == [["promote", 1, "ana"]]
    assert "blue-green start" in events["reason"].iloc[0]
    preds, version = bg.predict(store.X, return_version=True)
    assert version == 1
    np.testing.assert_array_equal(preds, _expected(store, 1, store.X))
    status = bg.status().set_index("side")
    assert status.loc["blue", "live"] and not status.loc["green", "live"]
    assert status["running"].all()


def test_switch_and_switch_back_are_recorded_with_who_and_why(bg, store):
    record = bg.switch(reason="v2 passed the gate")
    assert record == {
        "action": "promote",
        "from_side": "blue",
        "to_side": "green",
        "from_version": 1,
        "to_version": 2,
        "reason": "v2 passed the gate",
    }
    assert bg.live == "green"
    np.testing.assert_array_equal(bg.predict(store.X), _expected(store, 2, store.X))
    back = bg.switch_back(reason="error rate up")
    assert (back["action"], back["to_side"], back["to_version"]) == ("rollback", "blue", 1)
    np.testing.assert_array_equal(bg.predict(store.X), _expected(store, 1, store.X))
    last = _live_events(store).tail(2)
    assert last[["action", "from_version", "to_version", "user", "reason"]].values.tolist() == [
        ["promote", 1, 2, "ana", "v2 passed the gate"],
        ["rollback", 2, 1, "ana", "error rate up"],
    ]


def test_switch_back_with_nothing_to_go_back_to_changes_nothing(bg, store):
    assert bg.live == "blue"
    before = len(_live_events(store))
    with pytest.raises(DeploymentError, match="Nothing to switch back to"):
        bg.switch_back(reason="twice")
    assert len(_live_events(store)) == before and bg.live == "blue"


def test_no_request_fails_and_each_is_answered_by_one_version_while_switching(bg, store):
    X = store.X.head(50)
    body = encode_frame(X)
    expected = {side: _expected(store, v, X).tolist() for side, v in bg.versions.items()}
    stop = threading.Event()

    def http_client():
        host, port = bg.url.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        seen = []
        while not stop.is_set():
            conn.request("POST", "/invocations", body, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
            preds = json.loads(data)["predictions"] if resp.status == 200 else None
            seen.append((resp.status, resp.getheader(UPSTREAM_HEADER), preds))
        conn.close()
        return seen

    def notebook_client():
        seen = []
        while not stop.is_set():
            preds, version = bg.predict(X, return_version=True)
            side = "blue" if version == bg.versions["blue"] else "green"
            seen.append((200, side, preds.tolist()))
        return seen

    answers = []
    with ThreadPoolExecutor(6) as pool:
        futures = [pool.submit(http_client) for _ in range(4)]
        futures += [pool.submit(notebook_client) for _ in range(2)]
        for i in range(6):
            bg.switch(reason=f"switch {i}") if i % 2 == 0 else bg.switch_back(reason=f"back {i}")
            threading.Event().wait(0.3)
        stop.set()
        for future in futures:
            answers.extend(future.result())
    assert len(answers) > 20
    assert [a for a in answers if a[0] != 200] == []  # no request failed
    # every answer is exactly one version's predictions, the one its header names
    assert all(preds == expected[side] for _, side, preds in answers)
    assert {side for _, side, _ in answers} == {"blue", "green"}
    assert bg.live == "blue"


def test_a_stopped_side_is_never_switched_to(bg, store):
    """Last test of the module: it stops the green server."""
    assert bg.live == "blue"
    before = _live_events(store)
    bg.servers["green"].stop()
    with pytest.raises(DeploymentError, match=r"green side .* does not answer /ping"):
        bg.switch(reason="into a dead side")
    assert len(_live_events(store)) == len(before)  # nothing recorded, alias unchanged
    from mlops_kit.tracking import current

    assert current(NAME, "live", tracking_uri=store.uri).version == 1
    np.testing.assert_array_equal(bg.predict(store.X), _expected(store, 1, store.X))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"green_alias": "nope"}, AliasNotFoundError, "Alias 'nope' is not set"),
        ({"green_alias": "blue"}, InputError, "Invalid live_alias|both point to version 1"),
        ({"live_alias": "blue"}, InputError, "Invalid live_alias"),
        ({"green_alias": "champion"}, InputError, "both point to version 1"),
        ({"timeout": 0}, InputError, "Invalid timeout"),
        ({"model_name": "missing"}, Exception, "'missing' not found"),
    ],
)
def test_bad_blue_green_input_starts_nothing(store, kwargs, error, message):
    args = {"model_name": NAME, "tracking_uri": store.uri, **kwargs}
    bg = BlueGreen(**args)
    with pytest.raises(error, match=message):
        bg.start()
    assert not bg.__dict__.get("servers")
    with pytest.raises(DeploymentError, match="not started"):
        bg.predict(store.X)
