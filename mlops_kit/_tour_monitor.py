"""Step 4 of the tour: a monitored production period with drift injected part-way.

:func:`~mlops_kit.monitoring.simulate_production` trains a credit model and
writes six months of its predictions and labels to a
:class:`~mlops_kit.monitoring.PredictionLog` beside the store, with concept
drift from month three; :class:`~mlops_kit.monitoring.WindowedMetrics` turns
the log into weekly metrics (fitted on the training reference once); a k-of-n
:class:`~mlops_kit.monitoring.AlertRule` with a minimum sample and a cool-down
is replayed over the weeks (detection delay and false alarms), its first alert
after the drift is stored and sent to a callback, and an incident is opened
from it with its runbook, resolved by a rollback, and priced in a post-mortem.

Examples
--------
>>> from mlops_kit._tour_monitor import RULE
>>> RULE["metric"], RULE["k"]
('roc_auc', 2)
"""

from __future__ import annotations

from pathlib import Path

PART = "step-4"
MONTHS = 6
DRIFT_MONTH = 3
#: the alert rule of the tour: two weekly windows of ROC AUC below 0.7, each with 100 labels
RULE = {
    "metric": "roc_auc",
    "op": "<",
    "threshold": 0.7,
    "k": 2,
    "min_samples": 100,
    "cooldown": 4,
    "severity": "critical",
}


def _fresh_log(path: Path):
    from mlops_kit.monitoring import PredictionLog

    for suffix in ("", "-wal", "-shm"):  # a re-run of the tour starts a new period
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return PredictionLog(path)


def step_monitor(out, uri, n_rows, seed, report, say) -> dict:
    """Run Step 4 into ``out`` and the store ``uri``; return its facts."""
    import pandas as pd

    from mlops_kit.monitoring import (
        AlertRule,
        AlertStore,
        CallbackChannel,
        WindowedMetrics,
        notify,
        open_incident,
        replay,
        simulate_production,
    )
    from mlops_kit.results import TableResult
    from mlops_kit.tracking.fluent import start_run

    log = _fresh_log(out / "predictions.db")
    sim = simulate_production(
        log, n_rows=2 * n_rows, months=MONTHS, drift="concept", drift_month=DRIFT_MONTH, seed=seed
    )
    monitor = WindowedMetrics(window="week").fit(
        sim.reference, sim.reference_predictions, sim.reference_labels
    )
    windows = monitor.run(log)
    rule = AlertRule(**RULE, name="ROC AUC below 0.7")
    replayed = replay([rule], windows, drift_start=sim.drift_start)
    alerts = rule.check(windows)
    after = [a for a in alerts if pd.Timestamp(a.window_end) > sim.drift_start]
    with start_run("credit-risk-monitoring", run_name="production-period", tracking_uri=uri) as run:
        windows.log_to_mlflow(run.run_id, tracking_uri=uri)
    received: list = []
    notify(after[:1], [CallbackChannel(received.append)], store=AlertStore(out / "alerts.db"))

    frame = windows.to_frame()
    starts = pd.to_datetime(frame["window_start"])
    drift_window = int((starts < sim.drift_start).sum())  # windows before the drift
    facts = {
        "predictions_logged": int(sim.n_logged),
        "windows": len(frame),
        "drift_start": str(sim.drift_start.date()),
        "alerts": len(alerts),
        "false_alarms": int(sum(pd.Timestamp(a.window_end) <= sim.drift_start for a in alerts)),
        "alert_fired_after_drift": bool(after),
        "alert_delivered": len(received),
    }
    report.add(
        "Weekly metrics from the prediction log",
        f"{sim.n_logged:,} predictions of a credit model over {MONTHS} months in "
        f"predictions.db (SQLite, WAL); from {facts['drift_start']} credit score and "
        "debt-to-income lose their meaning (concept drift).",
        windows,
        max_rows=8,
        part=PART,
    )
    report.add(
        "Alert rule replayed over the period",
        f"{rule.describe()}: alerts, first detection after the known drift and false alarms "
        "before it.",
        replayed,
        part=PART,
    )
    if after:
        first = after[0]
        ends = pd.to_datetime(frame["window_end"])
        facts["alert_window"] = int((ends <= pd.Timestamp(first.window_end)).sum())
        facts["windows_after_drift"] = facts["alert_window"] - drift_window
        facts["detection_days"] = round(
            (pd.Timestamp(first.window_end) - sim.drift_start) / pd.Timedelta("1D"), 1
        )
        incident = open_incident(first, started=sim.drift_start)
        detected = pd.Timestamp(first.window_end)
        incident.record(
            "rolled back to the previous model version", at=detected + pd.Timedelta("1D")
        )
        incident.resolve(at=detected + pd.Timedelta("2D"))
        post = incident.post_mortem()
        facts["incident"] = incident.title
        facts["runbook_steps"] = len(incident.steps)
        facts["incident_cost"] = round(float(post.cost), 0) if post.cost is not None else None
        report.add(
            "Incident opened from the alert: its runbook",
            first.message(),
            TableResult(
                "Runbook", [{"step": i, "action": s} for i, s in enumerate(incident.steps, 1)]
            ),
            chart=False,
            part=PART,
        )
        report.add(
            "Post-mortem",
            "Time to detect from the drift start, time to resolve (a rollback), and the cost "
            "against the source's six-month, $500k case.",
            post,
            part=PART,
        )
        say(
            f"Step 4  {sim.n_logged:,} predictions over {len(frame)} weeks; drift from "
            f"{facts['drift_start']}; alert '{rule.rule_name}' fired {facts['detection_days']:g} "
            f"days later (week {facts['windows_after_drift']} after it), "
            f"{facts['false_alarms']} false alarms; incident opened with "
            f"{facts['runbook_steps']} runbook steps"
        )
        headline = (
            f"alert {facts['detection_days']:g} days after the drift "
            f"(window {facts['windows_after_drift']} after it), {facts['false_alarms']} false "
            f"alarms; incident resolved by rollback"
        )
    else:
        say(f"Step 4  {sim.n_logged:,} predictions over {len(frame)} weeks; NO alert after drift")
        headline = "no alert fired after the drift"
    report.headline("Step 4: monitoring", headline)
    return facts
