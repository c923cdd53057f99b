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

from mlops_kit._tour_assess import step_assess, step_roi
from mlops_kit._tour_deploy import step_deploy
from mlops_kit._tour_govern import step_govern
from mlops_kit._tour_monitor import step_monitor
from mlops_kit._tour_track import EXPERIMENT, MODEL_NAME, step_tracking
from mlops_kit._tour_validate import step_validate
from mlops_kit.errors import InputError

__all__ = ["EXPERIMENT", "MODEL_NAME", "TourSummary", "run_tour"]


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
        facts = {"tracking": step_tracking(uri, n_rows, seed, report, say)}
        next_stage("tracking")
        candidate_version = facts["tracking"]["versions"][1]
        facts["validation"] = step_validate(uri, out, n_rows, seed, candidate_version, report, say)
        next_stage("validation")
        facts["deploy"] = step_deploy(uri, n_rows, seed, candidate_version, report, say)
        next_stage("deploy")
        facts["monitoring"] = step_monitor(out, uri, n_rows, seed, report, say)
        next_stage("monitoring")
        facts["governance"] = step_govern(out, uri, n_rows, seed, report, say)
        next_stage("governance")
        facts["maturity"] = step_assess(uri, report, say)
        next_stage("maturity")
        facts["roi"] = step_roi(report, say)
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
