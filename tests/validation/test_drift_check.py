"""DriftCheck options, the DriftResult contract, warnings and MLflow logging."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from mlops_kit.errors import ColumnError, InputError, TrackingError
from mlops_kit.validation import DriftCheck, DriftResult, LargeSampleWarning, detect_drift

COLUMN_KEYS = {"column", "type", "test", "statistic", "p_value", "threshold", "drifted"}


@pytest.fixture
def frames(make_drift_frame):
    return make_drift_frame(600, 1), make_drift_frame(700, 2, drift=1.0)


def _quiet_run(check, reference, current, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LargeSampleWarning)
        return check.run(reference, current, **kwargs)


def test_importing_the_package_stays_light():
    code = (
        "import sys, mlops_kit.validation as v; "
        "heavy = [m for m in ('pandas', 'scipy', 'evidently', 'mlflow', 'matplotlib') "
        "if m in sys.modules]; print(heavy); v.DriftCheck; print('DriftCheck' in dir(v))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True"]


def test_to_dict_has_the_documented_shape_and_is_strict_json(frames):
    result = _quiet_run(DriftCheck(), *frames)
    data = json.loads(result.to_json())
    assert {"dataset_drift", "drift_share", "n_drifted", "columns"} <= set(data)
    assert data["dataset_drift"] is True and data["drift_share"] == 0.5
    assert data["n_drifted"] == sum(c["drifted"] for c in data["columns"]) == result.n_drifted
    assert data["n_columns"] == len(data["columns"]) == 12
    for col in data["columns"]:
        assert set(col) >= COLUMN_KEYS
        assert col["type"] in ("num", "cat")
        assert isinstance(col["statistic"], float) and isinstance(col["threshold"], float)
        if col["test"] in ("ks", "chisquare", "z"):
            assert col["p_value"] == col["statistic"]
        else:
            assert col["p_value"] is None
    assert "NaN" not in result.to_json()


def test_to_frame_summary_plot_and_html(frames):
    result = _quiet_run(DriftCheck(), *frames)
    frame = result.to_frame()
    assert list(frame.columns[:8]) == [
        "column",
        "type",
        "test",
        "statistic",
        "p_value",
        "threshold",
        "drifted",
        "effect_size",
    ]
    assert len(frame) == 12 and frame["drifted"].sum() == result.n_drifted
    assert result.summary().startswith("Drift detected: 9 of 12 columns drifted")
    ax = result.plot()
    assert len(ax.patches) == 12
    red = [p for p in ax.patches if p.get_facecolor()[0] > 0.8]
    assert len(red) == result.n_drifted
    html_view = result._repr_html_()
    assert "<table" in html_view and "<iframe" not in html_view and len(html_view) < 20_000


def test_dataset_verdict_uses_drift_share(frames):
    result = _quiet_run(DriftCheck(drift_share=0.8), *frames)
    assert result.share_drifted == pytest.approx(9 / 12)
    assert not result.dataset_drift and "No dataset drift" in result.summary()
    reference = frames[0]
    assert not detect_drift(reference, reference.sample(frac=1.0, random_state=0)).dataset_drift


def test_method_and_threshold_per_type_and_per_column(frames):
    check = DriftCheck(
        method={"num": "psi", "color": "jensenshannon"}, threshold={"cat": 0.3, "num_same": 0.5}
    )
    result = _quiet_run(check, *frames)
    assert result["num_shift"].test == "psi" and result["num_shift"].threshold == 0.1
    assert result["num_same"].threshold == 0.5
    assert result["color"].test == "jensenshannon" and result["color"].threshold == 0.3
    assert result["yes_no"].test == "z" and result["yes_no"].threshold == 0.3
    only = _quiet_run(DriftCheck(columns=["color", "num_same"]), *frames)
    assert [c.column for c in only.columns] == ["color", "num_same"]


def test_column_types_override_inference(frames):
    reference, current = frames
    result = _quiet_run(
        DriftCheck(column_types={"int_many": "cat", "int_few": "num"}), reference, current
    )
    assert result["int_many"].type == "cat" and result["int_many"].test == "chisquare"
    assert result["int_few"].type == "num"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"method": "fast"}, InputError, "method"),
        ({"method": {"num": "chisquare"}}, InputError, "applies to cat"),
        ({"method": "ks"}, InputError, "column_types"),
        ({"threshold": -1}, InputError, "threshold"),
        ({"threshold": {"nope": 0.1}}, ColumnError, "nope"),
        ({"drift_share": 1.5}, InputError, "drift_share"),
        ({"engine": "spark"}, InputError, "engine"),
        ({"column_types": {"color": "text"}}, InputError, "column_types"),
        ({"column_types": {"color": "num"}}, ColumnError, "color"),
        ({"columns": "color"}, InputError, "columns"),
    ],
)
def test_invalid_options_are_named(frames, kwargs, error, match):
    with pytest.raises(error, match=match):
        _quiet_run(DriftCheck(**kwargs), *frames)


def test_large_sample_warning_for_a_tiny_significant_shift():
    rng = np.random.default_rng(0)
    reference = pd.DataFrame({"x": rng.normal(0, 1, 1000)})
    current = pd.DataFrame({"x": rng.normal(0.04, 1, 200_000)})  # 0.04 sd: harmless
    with pytest.warns(LargeSampleWarning, match="'x'.*ks p-value"):
        result = DriftCheck(method="ks", threshold=0.5).run(reference, current)
    col = result["x"]
    assert col.drifted and col.effect_measure == "wasserstein" and col.effect_size < 0.1
    assert result.warnings and "small" in result.warnings[0]
    assert result.to_dict()["warnings"] == result.warnings
    # the distance the large-sample default uses does not flag it
    assert not DriftCheck(method="wasserstein").run(reference, current)["x"].drifted


def test_native_html_page(frames, tmp_path):
    result = _quiet_run(DriftCheck(), *frames, html_path=tmp_path / "out" / "drift.html")
    text = (tmp_path / "out" / "drift.html").read_text()
    assert result.html_path.endswith("drift.html") and "Drift detected" in text


def test_log_to_mlflow(frames, tracking_uri):
    import mlflow

    result = _quiet_run(DriftCheck(), *frames)
    with pytest.raises(TrackingError, match="No active MLflow run"):
        result.log_to_mlflow()
    with mlflow.start_run() as run:
        assert result.log_to_mlflow() == run.info.run_id
    client = mlflow.MlflowClient(tracking_uri)
    metrics = client.get_run(run.info.run_id).data.metrics
    assert metrics["drift_n_drifted"] == result.n_drifted
    assert metrics["drift_share"] == pytest.approx(result.share_drifted)
    assert metrics["drift.num_shift.statistic"] == pytest.approx(result["num_shift"].statistic)
    assert metrics["drift.color.effect_size"] == pytest.approx(result["color"].effect_size)
    path = client.download_artifacts(run.info.run_id, "drift/drift_result.json")
    with open(path) as fh:
        assert json.load(fh)["n_drifted"] == result.n_drifted
    # explicit run id, no active run
    other = client.create_run(client.get_experiment_by_name("Default").experiment_id)
    result.log_to_mlflow(run_id=other.info.run_id, prefix="batch7")
    assert "batch7_share" in client.get_run(other.info.run_id).data.metrics


def test_example_is_a_valid_result():
    from tests.validation.drift_result_examples import EXAMPLES

    example = EXAMPLES[DriftResult]()
    assert example.n_columns == 3 and len(example.skipped) == 1
    assert (
        example.target_drift.column == "default"
        and not example.to_dict()["target_drift"]["drifted"]
    )
    assert "&lt;b&gt;city&lt;/b&gt;" in example._repr_html_()
