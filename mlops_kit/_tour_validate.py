"""Step 2 of the tour: data quality, a performance gate and data drift on a drifted batch.

Examples
--------
>>> from mlops_kit._tour_validate import step_validate
>>> callable(step_validate)
True
"""

from __future__ import annotations

from mlops_kit._tour_models import TARGET, _features

MODEL_NAME = "credit-risk"


def step_validate(uri, out, n_rows, seed, candidate_version, report, say) -> dict:
    from mlops_kit.data import inject_drift, make_credit, split_reference_current
    from mlops_kit.tracking.fluent import start_run
    from mlops_kit.validation import DriftCheck, Expectations, PerformanceGate, QualityCheck

    df = make_credit(n_rows=n_rows, seed=seed)
    drifted = inject_drift(df, "covariate", columns=["income", "loan_amount"], severity=0.6)
    reference, current = split_reference_current(drifted)
    X, _, _ = _features(current)
    gate = PerformanceGate(
        {"roc_auc": ">= 0.75"},
        champion=MODEL_NAME,
        max_drop=0.01,
        slices={"region": None},
        min_slice_size=100,
        tracking_uri=uri,
    )
    with start_run(
        "credit-risk-validation",
        run_name=f"validate-v{candidate_version}",
        dataset={"reference": reference, "current": current},
        tracking_uri=uri,
    ) as run:
        quality = QualityCheck(Expectations.learn(reference)).check(current)
        quality.log_to_mlflow(run.run_id)
        perf = gate.check(f"models:/{MODEL_NAME}/{candidate_version}", X, current[TARGET])
        perf.log_to_mlflow(run.run_id, tracking_uri=uri)
        drift = DriftCheck(columns=list(X.columns)).run(reference, current)
        drift.log_to_mlflow(run.run_id, tracking_uri=uri)
    drift.save_html(out / "drift.html")

    say(f"Step 2  data quality on the newest batch: {quality.summary()}")
    say(f"Step 2  performance gate, v{candidate_version} against the champion: {perf.summary()}")
    say(f"Step 2  data drift: {drift.summary()}")
    report.add(
        "Step 2: data quality",
        "Expectations learned from the reference window, checked on the newest batch "
        "(the first rows of the table; every expectation is in the validation run).",
        quality,
        max_rows=12,
        part="step-2",
    )
    report.add(
        "Step 2: performance gate",
        f"Version {candidate_version} against an absolute ROC AUC bound and against the "
        "current champion, overall and per region.",
        perf,
        part="step-2",
    )
    report.add(
        "Step 2: data drift",
        "The newest batch against the reference window, with Evidently's default tests "
        "(native engine); income and loan amount were shifted on purpose.",
        drift,
        part="step-2",
    )
    report.headline(
        "Step 2: testing and validation",
        f"quality {'passed' if quality.passed else 'FAILED'}; gate "
        f"{'passed' if perf.passed else 'FAILED'}; drift in "
        f"{sum(c.drifted for c in drift.columns)} of {len(drift.columns)} columns",
    )
    return {
        "quality_passed": quality.passed,
        "performance_passed": perf.passed,
        "dataset_drift": drift.dataset_drift,
        "drifted_columns": sorted(c.column for c in drift.columns if c.drifted),
    }
