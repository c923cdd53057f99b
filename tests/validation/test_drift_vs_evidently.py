"""The native engine against real Evidently 0.7 (DataDriftPreset) on the same data.

Per column: the same test, the same statistic (within 1e-6 relative) and the
same verdict; overall: the same drifted count and share.
"""

from __future__ import annotations

import warnings

import pytest
from evidently import Report
from evidently.presets import DataDriftPreset

from mlops_kit.validation import DriftCheck
from mlops_kit.validation.drift.methods import method_from_display_name

REL = 1e-6


def evidently_verdicts(reference, current, **preset_kwargs):
    """``({column: (method, statistic, drifted, threshold)}, (count, share))`` from Evidently."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        snapshot = Report([DataDriftPreset(**preset_kwargs)], include_tests=True).run(
            current, reference
        )
    data = snapshot.dict()
    status = {
        t["metric_config"]["metric_id"]: t["status"] for t in data["tests"] if t["id"] == "drift"
    }
    out, overall = {}, None
    for metric in data["metrics"]:
        config = metric["config"]
        if config["type"].endswith("ValueDrift"):
            if config["method"].endswith("text content drift"):  # no native peer: skipped
                out[config["column"]] = (config["method"], None, None, None)
                continue
            out[config["column"]] = (
                method_from_display_name(config["method"]),
                metric["value"],
                status[metric["id"]] == "FAIL",
                config["threshold"],
            )
        else:
            overall = (int(metric["value"]["count"]), metric["value"]["share"])
    return out, overall


def assert_same(native, evidently, overall):
    assert {c.column for c in native.checked} == set(evidently)
    for col in native.checked:
        method, value, drifted, threshold = evidently[col.column]
        assert col.test == method, col.column
        assert col.statistic == pytest.approx(value, rel=REL, abs=1e-300), col.column
        assert col.drifted == drifted, col.column
        assert col.threshold == pytest.approx(threshold), col.column
    assert (native.n_drifted, native.share_drifted) == (overall[0], pytest.approx(overall[1]))


@pytest.mark.parametrize(
    ("n_ref", "n_cur"),
    [(500, 500), (800, 3000), (5000, 5000), (3000, 1200)],
    ids=["small", "small-ref-large-cur", "large", "large-ref-small-cur"],
)
def test_default_preset_matches_evidently(make_drift_frame, n_ref, n_cur):
    reference, current = make_drift_frame(n_ref, 1), make_drift_frame(n_cur, 2, drift=1.0)
    expected, overall = evidently_verdicts(reference, current)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = DriftCheck().run(reference, current)
    assert_same(result, expected, overall)
    # the generated drift is visible, and the no-drift columns stay quiet
    assert result["num_shift"].drifted and result["color"].drifted
    assert not result["yes_no"].drifted
    if n_ref <= 1000:
        assert {c.test for c in result.checked} == {"ks", "chisquare", "z"}
    else:
        assert {c.test for c in result.checked} == {"wasserstein", "jensenshannon"}


@pytest.mark.parametrize(
    ("preset", "native"),
    [
        ({"method": "psi"}, {"method": "psi"}),
        ({"method": "jensenshannon"}, {"method": "jensenshannon"}),
        (
            {"num_method": "ks", "cat_method": "chisquare", "threshold": 0.2},
            {"method": {"num": "ks", "cat": "chisquare"}, "threshold": 0.2},
        ),
        (
            {
                "per_column_method": {"num_same": "psi", "color": "jensenshannon"},
                "per_column_threshold": {"num_same": 0.01},
            },
            {
                "method": {"num_same": "psi", "color": "jensenshannon"},
                "threshold": {"num_same": 0.01},
            },
        ),
    ],
    ids=["psi", "jensenshannon", "per-type", "per-column"],
)
def test_selected_methods_match_evidently(make_drift_frame, preset, native):
    reference, current = make_drift_frame(1500, 3), make_drift_frame(1200, 4, drift=0.3)
    expected, overall = evidently_verdicts(reference, current, **preset)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = DriftCheck(**native).run(reference, current)
    assert_same(result, expected, overall)


def test_large_ks_uses_the_asymptotic_distribution_like_scipy(make_drift_frame):
    # above 10 000 rows scipy switches K-S to the asymptotic p-value
    cols = ["num_shift", "num_same", "skewed"]
    reference = make_drift_frame(12_000, 5)[cols]
    current = make_drift_frame(10_500, 6, drift=0.05)[cols]
    expected, overall = evidently_verdicts(reference, current, method="ks")
    result = DriftCheck(method="ks").run(reference, current)
    assert_same(result, expected, overall)


def roles_frame(n: int, seed: int, drift: float = 0.0):
    """``drift_frame`` plus an ID, a target, nullable dtypes, free text and a datetime."""
    import numpy as np
    import pandas as pd

    from tests.validation.conftest import drift_frame

    rng = np.random.default_rng(seed + 1000)
    df = drift_frame(n, seed, drift)
    df["id"] = np.arange(n) + seed * 100_000
    df["target"] = (rng.random(n) < 0.3 + 0.2 * drift).astype(int)
    ints = pd.array(rng.integers(0, 50 + int(drift * 30), n), dtype="Int64")
    ints[rng.random(n) < 0.05] = pd.NA
    df["nullable_int"] = ints
    flags = pd.array(rng.random(n) < 0.4 + 0.2 * drift, dtype="boolean")
    flags[rng.random(n) < 0.05] = pd.NA
    df["nullable_bool"] = flags
    df["nullable_str"] = pd.array(np.array(["u", "v", "w"])[rng.integers(0, 3, n)], dtype="string")
    words = np.array(["alpha", "beta", "gamma", "delta", "eps"])
    df["text"] = [" ".join(rng.choice(words, 6)) + f" {i}" for i in range(n)]
    df["when"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 1000, n), unit="h")
    return df


def numpy_dtypes(df):
    """The nullable columns in the numpy dtypes Evidently 0.7 tests (it drops Int64/boolean)."""
    out = df.copy()
    out["nullable_int"] = df["nullable_int"].astype("float64")
    out["nullable_bool"] = df["nullable_bool"].astype("Float64").astype("float64")
    out["nullable_str"] = df["nullable_str"].astype(object)
    return out


@pytest.mark.parametrize(("n_ref", "n_cur"), [(400, 400), (1500, 1100)], ids=["small", "large"])
def test_id_target_nullable_text_and_datetime_match_evidently(n_ref, n_cur):
    reference, current = roles_frame(n_ref, 1), roles_frame(n_cur, 2, drift=1.0)
    expected, _ = evidently_verdicts(numpy_dtypes(reference), numpy_dtypes(current))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = DriftCheck(target="target").run(reference, current)
    tested = {c.column for c in result.checked}
    # Evidently tests the ID (a false alarm) and the text (its own text drift); the kit skips them
    assert set(expected) - tested == {"id", "text"}
    assert tested <= set(expected)
    assert {"nullable_int", "nullable_bool", "nullable_str", "target"} <= tested
    for col in result.checked:
        method, value, drifted, threshold = expected[col.column]
        assert col.test == method, col.column
        assert col.statistic == pytest.approx(value, rel=REL, abs=1e-300), col.column
        assert (col.drifted, col.threshold) == (drifted, pytest.approx(threshold)), col.column
    skipped = {c.column: c.note for c in result.skipped}
    assert set(skipped) == {"id", "text", "when"}
    assert skipped["id"].startswith("identifier") and "free text" in skipped["text"]
    assert "datetime" in skipped["when"]
    assert result.target_drift.column == "target" and result.target_drift.role == "target"
    assert "target" not in {c.column for c in result.features}
    # the nullable dtypes give the same verdicts as their numpy counterparts
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same = DriftCheck(target="target").run(numpy_dtypes(reference), numpy_dtypes(current))
    for a, b in zip(same.to_dict()["columns"], result.to_dict()["columns"], strict=True):
        if a["column"] == "nullable_bool":  # 0.0/1.0 floats are typed num, booleans cat
            assert (a.pop("type"), b.pop("type")) == ("num", "cat")
        assert a == b
