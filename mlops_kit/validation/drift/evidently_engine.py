"""The Evidently engine: run Evidently 0.7's ``DataDriftPreset`` and read its verdicts.

The inputs go through the same checks and column typing as the native engine
(:mod:`.validate`); Evidently then receives only the testable columns, with
their types given explicitly (a ``DataDefinition``), and the per-column method
and threshold the user asked for. Statistics, thresholds, methods and verdicts
come from Evidently's snapshot; the effect sizes (which Evidently does not
report) are computed by the native engine on the same data. Evidently's HTML
report is written to ``html_path`` and, when an MLflow run is active, logged to
it as the artifact ``drift/evidently_report.html``; it is never shown inline
(the notebook view is the compact :class:`~.result.DriftResult` table).
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from dataclasses import replace
from pathlib import Path

from mlops_kit.errors import DependencyError
from mlops_kit.validation.drift.methods import (
    METHODS,
    lookup,
    method_from_display_name,
    resolve_method,
)

__all__ = ["run_evidently"]


def _import_evidently():
    try:
        from evidently import DataDefinition, Dataset, Report
        from evidently.presets import DataDriftPreset
    except ImportError as exc:  # pragma: no cover - evidently is a dependency
        raise DependencyError(
            f"engine='evidently' needs Evidently 0.7 (pip install 'evidently>=0.7,<0.8'): {exc}"
        ) from exc
    return DataDefinition, Dataset, Report, DataDriftPreset


def _frame_for_evidently(df, specs):
    """The testable columns, renamed to strings, numbers stored in numpy dtypes."""
    import numpy as np
    import pandas as pd

    from mlops_kit.validation.drift.families import to_float

    data = {}
    for spec in specs:
        s = df[spec.name]
        if spec.kind == "num" and not (isinstance(s.dtype, np.dtype) and s.dtype.kind in "iuf"):
            s = pd.Series(to_float(s), index=df.index)
        data[str(spec.name)] = s.to_numpy() if isinstance(s.dtype, np.dtype) else s
    return pd.DataFrame(data, index=df.index)


def _read_snapshot(snapshot) -> dict:
    """``{column: (method, threshold, value, drifted or None)}`` from a snapshot."""
    raw = snapshot.dict()
    status = {}
    for test in raw.get("tests", []):
        metric_id = test.get("metric_config", {}).get("metric_id")
        if metric_id is not None and test.get("id") == "drift":
            status[metric_id] = test.get("status")
    out = {}
    for metric in raw["metrics"]:
        config = metric.get("config", {})
        if not str(config.get("type", "")).endswith("ValueDrift"):
            continue
        st = status.get(metric["id"])
        drifted = None if st is None else st == "FAIL"
        out[config["column"]] = (config["method"], config["threshold"], metric["value"], drifted)
    return out


def _log_html_to_mlflow(snapshot, html_path) -> None:
    mlflow = sys.modules.get("mlflow")  # no import: without mlflow loaded no run is active
    if mlflow is None or mlflow.active_run() is None:
        return
    if html_path is not None:
        mlflow.log_artifact(str(html_path), artifact_path="drift")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "evidently_report.html"
        snapshot.save_html(str(path))
        mlflow.log_artifact(str(path), artifact_path="drift")


def run_evidently(check, summary, reference, current, specs, html_path=None):
    """Run Evidently's preset for ``check``; return ``(ColumnDrift rows, html path)``.

    ``summary`` is the fitted reference, ``specs`` the current columns typed
    against it (:func:`.reference.current_specs`); Evidently gets the tested
    columns only, with their types.
    """
    from mlops_kit.validation.drift.native import large_sample_note, run_frames, skipped_column

    tested = [s for s in specs if s.kind is not None]
    native = {
        c.column: c
        for c in run_frames(
            summary, current, tested, check.method, check.threshold, check.negligible_effect
        )
    }
    if not tested:
        return [skipped_column(s) for s in specs], None
    DataDefinition, Dataset, Report, DataDriftPreset = _import_evidently()
    per_method, per_threshold = {}, {}
    for spec in tested:
        requested = resolve_method(check.method, spec.name, spec.kind)
        if requested is not None:
            per_method[str(spec.name)] = requested
        thr = lookup(check.threshold, spec.name, spec.kind)
        if thr is not None:
            per_threshold[str(spec.name)] = float(thr)
    definition = dict(
        numerical_columns=[str(s.name) for s in tested if s.kind == "num"],
        categorical_columns=[str(s.name) for s in tested if s.kind == "cat"],
        text_columns=[],
        datetime_columns=[],
        unknown_columns=[],
        list_columns=[],
    )
    datasets = [
        Dataset.from_pandas(
            _frame_for_evidently(df, tested), data_definition=DataDefinition(**definition)
        )
        for df in (reference, current)
    ]
    preset = DataDriftPreset(
        columns=[str(s.name) for s in tested],
        drift_share=float(check.drift_share),
        per_column_method=per_method or None,
        per_column_threshold=per_threshold or None,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        snapshot = Report([preset], include_tests=True).run(datasets[1], datasets[0])
    values = _read_snapshot(snapshot)
    if html_path is not None:
        html_path = Path(html_path)
        html_path.parent.mkdir(parents=True, exist_ok=True)
        snapshot.save_html(str(html_path))
    _log_html_to_mlflow(snapshot, html_path)
    rows = []
    for spec in specs:
        if spec.kind is None:
            rows.append(skipped_column(spec))
            continue
        name = str(spec.name)
        display, thr, value, drifted = values[name]
        method = method_from_display_name(display)
        mspec = METHODS[method]
        value = float(value)
        if drifted is None:
            drifted = mspec.is_drift(value, float(thr))
        base = native[name]
        note = ""
        if mspec.is_test and drifted and base.effect_size < check.negligible_effect:
            note = large_sample_note(
                name,
                method,
                value,
                float(thr),
                base.effect_measure,
                base.effect_size,
                check.negligible_effect,
                base.n_reference,
                base.n_current,
            )
        if base.test != method:  # pragma: no cover - would be a bug in the native engine
            note = (note + " " if note else "") + (
                f"native engine chose {base.test!r}, Evidently {method!r}; "
                "effect size from the native choice"
            )
        rows.append(
            replace(
                base,
                test=method,
                statistic=value,
                p_value=value if mspec.is_test else None,
                threshold=float(thr),
                drifted=bool(drifted),
                note=note,
            )
        )
    return rows, None if html_path is None else str(html_path)
