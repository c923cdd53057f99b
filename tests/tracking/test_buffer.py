"""MetricBuffer: validation at log time, flush triggers, no lost values, crash safety."""

from __future__ import annotations

import math
import shutil
import threading
import time
from decimal import Decimal
from fractions import Fraction

import mlflow
import numpy as np
import pytest

from mlops_kit.errors import InputError, TrackingError
from mlops_kit.tracking.buffer import BATCH_LIMIT, MetricBuffer, check_key


@pytest.fixture(scope="module")
def client(tmp_path_factory, _empty_store):
    """One real SQLite store for the buffer tests of this module; each test has its own run."""
    path = tmp_path_factory.mktemp("buffer-store") / "mlruns.db"
    shutil.copyfile(_empty_store, path)
    return mlflow.MlflowClient(f"sqlite:///{path}")


@pytest.fixture
def run_id(client):
    return client.create_run("0").info.run_id


def history(client, run_id, key):
    return [(m.step, m.value) for m in client.get_metric_history(run_id, key)]


def wait_for(predicate, timeout=60.0):
    """Poll until predicate() is true; fail (not a timing assertion) if it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("condition never became true")


# -- flush triggers -------------------------------------------------------------
def test_flushes_when_full(client, run_id):
    buf = MetricBuffer(client, run_id, max_size=10, flush_interval=None)
    for i in range(9):
        buf.add("loss", float(i))
    assert history(client, run_id, "loss") == []
    buf.add("loss", 9.0)
    assert len(buf) == 0
    assert history(client, run_id, "loss") == [(i, float(i)) for i in range(10)]
    buf.add("loss", 10.0)
    assert len(buf) == 1 and buf.written == 10


def test_flushes_on_interval_from_background_thread(client, run_id):
    buf = MetricBuffer(client, run_id, max_size=10**6, flush_interval=0.05).start()
    try:
        for i in range(5):
            buf.add("acc", i / 10)
        wait_for(lambda: buf.written == 5)
        assert history(client, run_id, "acc") == [(i, i / 10) for i in range(5)]
    finally:
        buf.close()


def test_close_writes_rest_and_refuses_new_values(client, run_id):
    buf = MetricBuffer(client, run_id, flush_interval=60).start()
    buf.add("x", 1.0)
    assert buf.close() == 1
    assert history(client, run_id, "x") == [(0, 1.0)]
    with pytest.raises(TrackingError, match="has ended"):
        buf.add("x", 2.0)
    assert len(buf) == 0


class RecordingClient(mlflow.MlflowClient):
    """A real client that also records the size of every metric batch it writes."""

    def __init__(self, uri):
        super().__init__(uri)
        self.sizes = []

    def log_batch(self, run_id, metrics=(), *args, **kwargs):
        self.sizes.append(len(metrics))
        return super().log_batch(run_id, metrics, *args, **kwargs)


def test_batches_respect_mlflow_limit_and_keep_order(client, run_id):
    recording = RecordingClient(client.tracking_uri)
    buf = MetricBuffer(recording, run_id, max_size=10**6, flush_interval=None)
    n = 2 * BATCH_LIMIT + 7
    for i in range(n):
        buf.add("m", float(i))
    buf.flush()
    assert buf.written == n and len(buf) == 0
    assert sum(recording.sizes) == n and max(recording.sizes) <= BATCH_LIMIT
    assert history(client, run_id, "m") == [(i, float(i)) for i in range(n)]


def test_pending_is_capped_by_write_time_whatever_max_size_says(client, run_id):
    # max_size allows a million pending values; the write-time cap does not
    buf = MetricBuffer(client, run_id, max_size=10**6, flush_interval=None, max_write_seconds=1e-6)
    most = 0
    for i in range(3 * BATCH_LIMIT + 5):
        buf.add("m", float(i))
        most = max(most, len(buf))
    assert most <= BATCH_LIMIT  # one batch is always allowed; never more at this budget
    assert buf.written >= 3 * BATCH_LIMIT and buf.rate > 0
    # a generous budget lets the limit grow with the measured rate, up to max_size
    roomy = MetricBuffer(client, run_id, max_size=1500, flush_interval=None, max_write_seconds=1e6)
    for i in range(BATCH_LIMIT):
        roomy.add("r", float(i))
    assert roomy.limit == 1500
    roomy.flush()


def test_ten_thousand_values_exact_order_values_and_steps(client, run_id):
    buf = MetricBuffer(client, run_id, flush_interval=None)
    expected = {"loss": [], "acc": [], "lr": []}
    for i in range(10_000):
        buf.add("loss", 1.0 / (i + 1))
        expected["loss"].append((i, 1.0 / (i + 1)))
        if i % 10 == 0:
            step = len(expected["acc"])
            buf.add("acc", i * 1e-4)
            buf.add("lr", 0.1 * 0.99**step)
            expected["acc"].append((step, i * 1e-4))
            expected["lr"].append((step, 0.1 * 0.99**step))
    buf.flush()
    for key, values in expected.items():
        assert history(client, run_id, key) == values, key


def test_auto_steps_per_key_and_explicit_steps(client, run_id):
    buf = MetricBuffer(client, run_id, flush_interval=None)
    buf.add("a", 1.0)
    buf.add("b", 1.0)
    buf.add("a", 2.0)
    buf.add("a", 3.0, step=10)
    buf.add("a", 4.0)
    buf.add("b", 2.0, step=np.int64(5))
    buf.flush()
    assert history(client, run_id, "a") == [(0, 1.0), (1, 2.0), (10, 3.0), (11, 4.0)]
    assert history(client, run_id, "b") == [(0, 1.0), (5, 2.0)]


def test_concurrent_logging_loses_nothing(client, run_id):
    buf = MetricBuffer(client, run_id, max_size=500, flush_interval=0.01).start()

    def worker(k):
        for i in range(1500):
            buf.add(f"w{k}", float(i))
            buf.add("shared", float(k))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    buf.close()
    for k in range(4):
        assert history(client, run_id, f"w{k}") == [(i, float(i)) for i in range(1500)]
    shared = history(client, run_id, "shared")
    assert sorted(s for s, _ in shared) == list(range(6000))
    assert sorted(v for _, v in shared) == sorted([0.0, 1.0, 2.0, 3.0] * 1500)


# -- failures never drop values ---------------------------------------------------
def test_failed_write_keeps_values_and_raises(client, run_id):
    buf = MetricBuffer(client, run_id, flush_interval=None)
    for i in range(5):
        buf.add("loss", float(i))
    client.delete_run(run_id)  # the store now refuses writes to this run
    with pytest.raises(TrackingError, match=r"5 value\(s\) are kept") as info:
        buf.flush()
    assert info.value.__cause__ is not None
    assert buf.last_error is info.value.__cause__
    buf.add("loss", 5.0)
    assert [p[1] for p in buf.pending()] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    client.restore_run(run_id)
    assert buf.flush() == 6
    assert buf.last_error is None
    assert history(client, run_id, "loss") == [(i, float(i)) for i in range(6)]


def test_background_failure_warns_keeps_values_and_retries(client, run_id):
    buf = MetricBuffer(client, run_id, max_size=10**6, flush_interval=0.02)
    client.delete_run(run_id)
    buf.add("x", 1.0)
    buf.add("x", 2.0)
    with pytest.warns(RuntimeWarning, match="kept in the buffer"):
        buf.start()
        wait_for(lambda: buf.last_error is not None)
        wait_for(lambda: buf._warned)
    assert len(buf) == 2
    client.restore_run(run_id)
    wait_for(lambda: buf.written == 2)
    buf.close()
    assert history(client, run_id, "x") == [(0, 1.0), (1, 2.0)]


# -- validation at log time ---------------------------------------------------------
@pytest.mark.parametrize(
    "key", ["acc!", "", "../x", "/x", "a//b", "a/", "x" * 251, None, 5, "tab\tkey"]
)
def test_invalid_metric_name_rejected_at_log_time(key):
    buf = MetricBuffer(None, "no-store-needed", flush_interval=None)
    with pytest.raises(InputError, match="Invalid metric name") as info:
        buf.add(key, 1.0)
    assert (repr(key) if isinstance(key, str) else str(key))[:20] in str(info.value)
    assert "alphanumerics" in str(info.value)
    assert len(buf) == 0


@pytest.mark.parametrize("value", ["0.9", None, True, np.bool_(True), 1 + 2j, [1.0], object()])
def test_non_numeric_value_rejected_naming_key_and_value(value):
    buf = MetricBuffer(None, "no-store-needed", flush_interval=None)
    with pytest.raises(InputError, match=r"value of metric 'acc'") as info:
        buf.add("acc", value)
    assert "allowed: a real number" in str(info.value)
    if isinstance(value, str):
        assert "got '0.9'" in str(info.value)
    assert len(buf) == 0 and buf.pending() == []


def test_nothing_reaches_the_store_after_bad_input(client, run_id):
    buf = MetricBuffer(client, run_id, flush_interval=None)
    buf.add("acc", 0.5)
    for bad in ("0.9", None, True):
        with pytest.raises(InputError):
            buf.add("acc", bad)
    with pytest.raises(InputError):
        buf.add("acc!", 1.0)
    assert buf.flush() == 1
    assert history(client, run_id, "acc") == [(0, 0.5)]
    assert client.get_run(run_id).data.metrics == {"acc": 0.5}


def test_accepted_numeric_types_including_nan_and_inf(client, run_id):
    buf = MetricBuffer(client, run_id, flush_interval=None)
    values = [1, 2.5, np.float32(0.5), np.int64(7), Decimal("0.25"), Fraction(1, 4)]
    for v in values:
        buf.add("v", v)
    buf.add("nan", float("nan"))
    buf.add("inf", math.inf)
    buf.flush()
    assert [v for _, v in history(client, run_id, "v")] == [1.0, 2.5, 0.5, 7.0, 0.25, 0.25]
    assert math.isnan(history(client, run_id, "nan")[0][1])
    assert history(client, run_id, "inf")[0][1] > 1e300


def test_bad_step_and_add_many_is_all_or_nothing():
    buf = MetricBuffer(None, "no-store-needed", flush_interval=None)
    for bad_step in (1.5, True, 2**63, "3"):
        with pytest.raises(InputError, match="step of metric 'a'"):
            buf.add("a", 1.0, step=bad_step)
    with pytest.raises(InputError, match="timestamp"):
        buf.add("a", 1.0, timestamp=-5)
    with pytest.raises(InputError, match="value of metric 'b'"):
        buf.add_many({"a": 1.0, "b": "x"})
    with pytest.raises(InputError, match="metrics"):
        buf.add_many([("a", 1.0)])
    assert len(buf) == 0
    buf.add_many({"a": 1.0, "b": 2.0}, step=3)
    assert sorted((p[0], p[3]) for p in buf.pending()) == [("a", 3), ("b", 3)]


def test_check_key_accepts_mlflow_names():
    for key in ["acc", "val/acc", "a b", "a-b.c_d", "x:y"]:
        assert check_key(key) == key
