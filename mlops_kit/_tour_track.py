"""Step 1 of the tour: track two models, register them, promote and roll back.

A baseline (three-feature scorecard) and a candidate (every feature) are
trained on the credit sample and tracked with notebook-safe runs (params, seed,
dataset fingerprints, environment, a buffered learning curve), compared,
registered, promoted in turn to ``champion`` and rolled back with one call.

Examples
--------
>>> from mlops_kit._tour_track import step_tracking
>>> callable(step_tracking)
True
"""

from __future__ import annotations

from mlops_kit._tour_models import (
    BASELINE_FEATURES,
    TARGET,
    _baseline,
    _candidate,
    _features,
    _scores,
)

MODEL_NAME = "credit-risk"
EXPERIMENT = "credit-risk"


def _train_and_track(name, model, params, train, valid, uri, seed, curve=False):
    from mlops_kit.tracking.fluent import start_run

    X, _, _ = _features(train)
    Xv, _, _ = _features(valid)
    with start_run(
        EXPERIMENT,
        run_name=name,
        params=params,
        seed=seed,
        dataset={"training": train, "validation": valid},
        tracking_uri=uri,
    ) as run:
        if curve:  # a learning curve: validation AUC by training rows, buffered
            from sklearn.base import clone
            from sklearn.metrics import roc_auc_score

            for rows in range(500, len(X) + 1, 500):
                part = clone(model).fit(X.iloc[:rows], train[TARGET].iloc[:rows])
                auc = roc_auc_score(valid[TARGET], part.predict_proba(Xv)[:, 1])
                run.log_metric("valid_auc_by_rows", auc, step=rows)
        model.fit(X, train[TARGET])
        scores = _scores(model, Xv, valid[TARGET])
        run.log_metrics(scores)
    return run.run_id, scores


def step_tracking(uri, n_rows, seed, report, say) -> dict:
    from mlops_kit.data import make_credit
    from mlops_kit.tracking.alias_history import history, promote, rollback
    from mlops_kit.tracking.compare import compare_runs
    from mlops_kit.tracking.registry import register

    df = make_credit(n_rows=n_rows, seed=seed)
    cut = int(len(df) * 0.7)
    train, valid = df.iloc[:cut], df.iloc[cut:]
    _, numeric, categorical = _features(df)

    base = _baseline()
    base_params = {"model": "LogisticRegression", "features": ",".join(BASELINE_FEATURES)}
    base_id, base_scores = _train_and_track(
        "baseline-scorecard", base, base_params, train, valid, uri, seed
    )
    cand = _candidate(numeric, categorical)
    cand_params = {"model": "LogisticRegression", "features": "all", "C": 1.0}
    cand_id, cand_scores = _train_and_track(
        "candidate-all-features", cand, cand_params, train, valid, uri, seed, curve=True
    )
    say(
        f"Step 1  tracked 2 runs: baseline AUC {base_scores['roc_auc']:.3f}, "
        f"candidate AUC {cand_scores['roc_auc']:.3f}"
    )
    comparison = compare_runs(EXPERIMENT, metrics=["roc_auc", "accuracy", "f1"], tracking_uri=uri)
    report.add(
        "Step 1: experiment tracking",
        "Two runs on the credit sample, each with params, seed, dataset fingerprints and "
        "environment recorded automatically.",
        comparison,
        part="step-1",
    )

    v_base = register(base, MODEL_NAME, run_id=base_id, tracking_uri=uri)
    v_cand = register(cand, MODEL_NAME, run_id=cand_id, tracking_uri=uri)
    promote(MODEL_NAME, v_base.version, reason="first model in production", tracking_uri=uri)
    gain = cand_scores["roc_auc"] - base_scores["roc_auc"]
    promote(
        MODEL_NAME,
        v_cand.version,
        reason=f"validation AUC {gain:+.3f} vs baseline",
        tracking_uri=uri,
    )
    back = rollback(MODEL_NAME, reason="tour: one-call rollback drill", tracking_uri=uri)
    say(
        f"Step 1  registered v{v_base.version} and v{v_cand.version} of {MODEL_NAME!r}, "
        f"promoted v{v_cand.version} to champion, rolled back to v{back.version}"
    )

    from mlops_kit.results import TableResult

    events = history(MODEL_NAME, "champion", tracking_uri=uri)
    cols = ["seq", "action", "from_version", "to_version", "reason"]
    report.add(
        "Step 1: registry aliases and rollback",
        f"The champion alias of {MODEL_NAME!r} was promoted twice and rolled back once; "
        "the history is stored in the registry itself.",
        TableResult("Alias history", events[cols].to_dict("records")),
        chart=False,
        part="step-1",
    )
    report.headline(
        "Step 1: versioning and tracking",
        f"2 runs tracked; candidate AUC {cand_scores['roc_auc']:.3f} vs baseline "
        f"{base_scores['roc_auc']:.3f}; promoted, then rolled back to v{back.version} in one call",
    )
    return {
        "baseline_auc": base_scores["roc_auc"],
        "candidate_auc": cand_scores["roc_auc"],
        "versions": [v_base.version, v_cand.version],
        "champion_after_rollback": back.version,
    }
