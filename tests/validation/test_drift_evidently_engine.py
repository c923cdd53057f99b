"""engine="evidently": Evidently's own preset, read back into the same DriftResult."""

from __future__ import annotations

import warnings

import pytest

from mlops_kit.validation import DriftCheck


def _run(engine, reference, current, **kwargs):
    run_kw = {k: kwargs.pop(k) for k in ("html_path",) if k in kwargs}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return DriftCheck(engine=engine, **kwargs).run(reference, current, **run_kw)


@pytest.mark.parametrize(("n_ref", "kwargs"), [(600, {}), (2500, {"method": {"cat": "psi"}})])
def test_both_engines_build_the_same_result(make_drift_frame, n_ref, kwargs):
    reference, current = make_drift_frame(n_ref, 1), make_drift_frame(900, 2, drift=0.7)
    native = _run("native", reference, current, **dict(kwargs))
    evidently = _run("evidently", reference, current, **dict(kwargs))
    assert evidently.engine == "evidently" and native.engine == "native"
    assert (
        evidently.to_frame()
        .drop(columns=["statistic", "p_value", "effect_size"])
        .equals(native.to_frame().drop(columns=["statistic", "p_value", "effect_size"]))
    )
    for a, b in zip(native.columns, evidently.columns):
        assert b.statistic == pytest.approx(a.statistic, rel=1e-6, abs=1e-300), a.column
    assert evidently.dataset_drift == native.dataset_drift
    assert evidently.warnings == native.warnings


def test_html_report_is_saved_but_never_inlined(make_drift_frame, tmp_path):
    reference, current = make_drift_frame(500, 3), make_drift_frame(500, 4, drift=1.0)
    path = tmp_path / "reports" / "drift.html"
    result = _run("evidently", reference, current, html_path=path)
    assert result.html_path == str(path)
    page = path.read_text(encoding="utf-8")
    assert len(page) > 100_000 and "Dataset Drift is detected" in page  # Evidently's full report
    view = result._repr_html_()
    assert len(view) < 20_000 and "<iframe" not in view and "num_shift" in view


def test_report_is_logged_to_the_active_mlflow_run(make_drift_frame, tracking_uri, tmp_path):
    import mlflow

    reference, current = make_drift_frame(400, 5), make_drift_frame(400, 6, drift=1.0)
    with mlflow.start_run() as run:
        _run("evidently", reference, current, html_path=tmp_path / "r.html")
    with mlflow.start_run() as run_no_path:
        _run("evidently", reference, current)  # no path: a temporary file is logged
    client = mlflow.MlflowClient(tracking_uri)
    assert [a.path for a in client.list_artifacts(run.info.run_id, "drift")] == ["drift/r.html"]
    assert [a.path for a in client.list_artifacts(run_no_path.info.run_id, "drift")] == [
        "drift/evidently_report.html"
    ]
