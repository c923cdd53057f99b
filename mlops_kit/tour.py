"""The end-to-end run behind ``mlops-kit tour``.

On offline sample data, headless, the tour runs the five steps of the
framework and writes an MLflow store (SQLite), its side files and one HTML
report into an output folder. A progress bar (``tqdm.auto``: a widget in a
notebook, text in a terminal, nothing when the output is not a terminal)
follows its stages, run in this order:

1. **Versioning and tracking**: train a baseline (logistic regression on three
   features) and a better candidate (every feature) on the credit sample, track
   both with notebook-safe runs (params, seed, dataset fingerprint, environment,
   a learning curve through the buffered logger), compare them, register both,
   promote the baseline and then the candidate to ``champion``, and roll back
   with one call, the alias history recording each move.
2. **Testing and validation**: data quality, a performance gate against the
   champion and data drift on a drifted batch (``drift.html``).
3. **CI/CD** (:mod:`mlops_kit._tour_deploy`): a gated pipeline, a real scoring
   server and two canaries (a worse candidate aborted, a good one promoted).
4. **Monitoring** (:mod:`mlops_kit._tour_monitor`): six months of logged
   predictions with drift part-way (``predictions.db``), weekly metrics, a
   k-of-n alert, an incident with its runbook and a post-mortem.
5. **Governance** (:mod:`mlops_kit._tour_govern`): RACI, a promotion refused
   until a validator other than the author approves, a model card.
0. **Assess**, last so it sees all of the above: the evidence scan of the
   store and the ROI of MLOps.

``report.html`` opens with one headline per step and the links (the store,
the ``mlflow ui`` command, the drift report, the prediction log, the model
card), then a section per step, 0 to 5.

Examples
--------
>>> import tempfile
>>> summary = run_tour(tempfile.mkdtemp(), n_rows=2_000, echo=None)  # doctest: +SKIP
>>> summary.report_path.name  # doctest: +SKIP
'report.html'
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mlops_kit._tour_deploy import step_deploy
from mlops_kit._tour_govern import step_govern
from mlops_kit._tour_models import (
    BASELINE_FEATURES,
    TARGET,
    _baseline,
    _candidate,
    _features,
    _scores,
)
from mlops_kit._tour_monitor import step_monitor
from mlops_kit.errors import InputError

__all__ = ["EXPERIMENT", "MODEL_NAME", "TourSummary", "run_tour"]

MODEL_NAME = "credit-risk"
EXPERIMENT = "credit-risk"


@dataclass
class TourSummary:
    """What the tour did: where it wrote, and the figures it printed.

    Returned by :func:`run_tour`; ``lines`` are the lines it printed and ``facts``
    the figures of each step (``tracking``, ``validation``, ``deploy``, ``monitoring``,
    ``governance``, ``maturity``, ``roi``) and ``seconds`` each stage took.

    Examples
    --------
    >>> from pathlib import Path
    >>> out = Path("mlops-kit-tour")
    >>> s = TourSummary(out, f"sqlite:///{out / 'mlruns.db'}", out / "report.html")
    >>> s.report_path.name, s.lines, s.facts
    ('report.html', [], {})
    """

    out_dir: Path
    tracking_uri: str
    report_path: Path
    lines: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)


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


def _step_tracking(uri, n_rows, seed, report, say) -> dict:
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


def _step_validate(uri, out, n_rows, seed, candidate_version, report, say) -> dict:
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


def _step_assess(uri, report, say) -> dict:
    from mlops_kit.maturity import assess, scan

    evidence = scan(tracking_uri=uri, repo=None)
    assessment = assess(evidence.proposed_answers(), allow_missing=True)
    say(
        f"Step 0  evidence scan of the tour's store: {len(evidence.proposed_answers())} "
        f"answers proposed; level {assessment.level} ({assessment.level_name}) until the team "
        "answers the rest (mlops-kit assess --scan --tracking-uri URI --repo PATH)"
    )
    report.add(
        "Step 0: evidence scan of this store",
        "Answers proposed from what the MLflow store shows; a team confirms or overrides "
        "them and answers the rest (tutorial 00).",
        evidence,
        part="step-0",
    )
    report.add(
        "Step 0: maturity from the evidence", assessment.team_fit or "", assessment, part="step-0"
    )
    return {"level": assessment.level, "proposed": len(evidence.proposed_answers())}


def _step_roi(report, say) -> dict:
    from mlops_kit.roi import RoiModel, sensitivity

    result = RoiModel().run()
    say(
        f"Step 0  ROI of MLOps with the framework defaults: {result.roi:.1f}x over the horizon, "
        f"payback in month {result.payback_month}"
    )
    report.add(
        "Step 0: cost of failure and ROI",
        "A failed project costs $2.6M (development, opportunity, corrective, reputational); "
        "every input can be changed (mlops-kit roi --help).",
        result,
        part="step-0",
    )
    report.add("Step 0: what the ROI is most sensitive to", "", sensitivity(), part="step-0")
    return {"roi": result.roi, "npv": result.npv, "payback_month": result.payback_month}


#: the report's parts, one per step, in the order a reader meets them
PARTS = {
    "step-0": ("Step 0: assess", "Maturity from the evidence in this store, and the ROI of MLOps."),
    "step-1": ("Step 1: versioning and tracking", "Runs, registry, aliases and rollback."),
    "step-2": ("Step 2: testing and validation", "Data quality, performance gate and drift."),
    "step-3": (
        "Step 3: CI/CD for ML",
        "A gated pipeline, a real scoring server and canary rollouts over registry aliases.",
    ),
    "step-4": ("Step 4: monitoring", "A monitored production period with drift part-way."),
    "step-5": ("Step 5: team and governance", "Roles, an approval gate and a model card."),
}


def _new_report(out: Path, uri: str, own_store: bool):
    from mlops_kit.report import HtmlReport

    report = HtmlReport("mlops-kit tour: the five steps on sample data")
    if own_store:  # paths relative to the report, the command run from its folder
        report.link(
            "MLflow store (mlruns.db)",
            "mlruns.db",
            "open it with `mlflow ui --backend-store-uri sqlite:///mlruns.db` "
            "run in this report's folder",
        )
    else:
        report.link("MLflow store", uri, f"open it with `mlflow ui --backend-store-uri {uri}`")
    report.link("Full drift report", "drift.html", "every column of Step 2's newest batch")
    report.link("Prediction log", "predictions.db", "Step 4's monitored period (SQLite)")
    report.link("Model card", "model_card.html", "Step 5's approved version")
    links = {"step-1": [("MLflow store", "mlruns.db")] if own_store else []}
    links["step-2"] = [("full drift report", "drift.html")]
    links["step-4"] = [("prediction log", "predictions.db")]
    links["step-5"] = [("model card", "model_card.html")]
    for anchor, (heading, text) in PARTS.items():
        report.part(anchor, heading, text, links=links.get(anchor, ()))
    return report


def _progress(total: int, *, silent: bool):
    """A ``tqdm.auto`` bar on stderr (shown only on a terminal or in a notebook)."""
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="step", leave=False, disable=True if silent else None)


def run_tour(
    out_dir="mlops-kit-tour",
    *,
    n_rows: int = 8_000,
    seed: int = 0,
    tracking_uri: str | None = None,
    echo: Callable[[str], None] | None = print,
) -> TourSummary:
    """Run the five steps of the framework on sample data and write the store and report.

    Parameters
    ----------
    out_dir : str or Path, default "mlops-kit-tour"
        Output folder (created); holds ``mlruns.db``, ``mlartifacts/``,
        ``drift.html``, ``predictions.db``, ``alerts.db``, ``model_card.html``
        and ``report.html``.
    n_rows : int, default 8000
        Rows of sample data (at least 1000).
    seed : int, default 0
        Seed of the data and the models.
    tracking_uri : str, optional
        Another MLflow store to write to instead of ``<out_dir>/mlruns.db``.
    echo : callable or None, default print
        Receives one line per step; None is silent.

    Returns
    -------
    TourSummary

    Examples
    --------
    The arguments are checked before anything is written:

    >>> run_tour(n_rows=10)
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid n_rows: got 10; allowed: an integer >= 1000.

    A full run takes a minute or more (it trains, registers, serves and monitors models):

    >>> import tempfile
    >>> summary = run_tour(tempfile.mkdtemp(), n_rows=1000, echo=None)  # doctest: +SKIP
    >>> summary.facts["tracking"]["versions"]  # doctest: +SKIP
    [1, 2]
    """
    if not isinstance(n_rows, int) or isinstance(n_rows, bool) or n_rows < 1000:
        raise InputError.invalid("n_rows", n_rows, "an integer >= 1000")
    out = Path(out_dir).expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise InputError.invalid("out_dir", str(out_dir), "a folder (this path is a file)")
    out.mkdir(parents=True, exist_ok=True)
    uri = tracking_uri or f"sqlite:///{out / 'mlruns.db'}"

    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        if echo is not None:
            from tqdm.auto import tqdm

            with tqdm.external_write_mode():  # the bar steps aside for the line
                echo(line)

    report = _new_report(out, uri, tracking_uri is None)
    stages = (
        "Step 1: tracking",
        "Step 2: validation",
        "Step 3: CI/CD",
        "Step 4: monitoring",
        "Step 5: governance",
        "Step 0: maturity",
        "Step 0: ROI",
    )
    seconds: dict[str, float] = {}
    with _progress(len(stages), silent=echo is None) as bar:
        clock = [time.perf_counter()]

        def next_stage(key: str) -> None:
            now = time.perf_counter()
            seconds[key] = round(seconds.get(key, 0.0) + now - clock[0], 2)
            clock[0] = now
            bar.update(1)
            if bar.n < len(stages):
                bar.set_description(stages[bar.n])

        bar.set_description(stages[0])
        facts = {"tracking": _step_tracking(uri, n_rows, seed, report, say)}
        next_stage("tracking")
        candidate_version = facts["tracking"]["versions"][1]
        facts["validation"] = _step_validate(uri, out, n_rows, seed, candidate_version, report, say)
        next_stage("validation")
        facts["deploy"] = step_deploy(uri, n_rows, seed, candidate_version, report, say)
        next_stage("deploy")
        facts["monitoring"] = step_monitor(out, uri, n_rows, seed, report, say)
        next_stage("monitoring")
        facts["governance"] = step_govern(out, uri, n_rows, seed, report, say)
        next_stage("governance")
        facts["maturity"] = _step_assess(uri, report, say)
        next_stage("maturity")
        facts["roi"] = _step_roi(report, say)
        next_stage("roi")
    report.headlines.insert(
        0,
        (
            "Step 0: assess",
            f"level {facts['maturity']['level']} from {facts['maturity']['proposed']} answers "
            f"found in this store; ROI {facts['roi']['roi']:.1f}x, payback in month "
            f"{facts['roi']['payback_month']}",
        ),
    )
    facts["seconds"] = seconds
    path = report.save(out / "report.html")
    say(f"Report: {path}")
    return TourSummary(out_dir=out, tracking_uri=uri, report_path=path, lines=lines, facts=facts)
