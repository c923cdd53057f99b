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
