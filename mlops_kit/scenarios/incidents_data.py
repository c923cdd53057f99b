"""Scenarios where the data changes: drift, training-serving skew, a silent quality break.

Each runner replays one scenario in a :class:`~mlops_kit.scenarios.world.World`
with the practice in place (``active=True``) or not, and returns an
:class:`~mlops_kit.scenarios.world.Arm`. The practice is the kit's own
component, run on the simulated data: a fitted
:class:`~mlops_kit.validation.DriftCheck` and :class:`~mlops_kit.monitoring.AlertRule`
replayed over half-month windows, a :class:`~mlops_kit.validation.DriftCheck`
of serving against training features, a
:class:`~mlops_kit.validation.QualityCheck` on every batch. Without the
practice (or when it misses) the problem is noticed ``months_unnoticed``
months after it starts.

Examples
--------
>>> from mlops_kit.scenarios.catalogue import load_catalogue
>>> from mlops_kit.scenarios.world import build_world
>>> params = load_catalogue().scenario("silent_quality_break").params
>>> world = build_world(params.model_copy(update={"months": 5}), seed=0)
>>> arm = run_quality(world, params, active=True, months_unnoticed=6)
>>> arm.caught == world.incident_period, arm.quality == world.reference_quality
(True, True)
"""

from __future__ import annotations

import itertools

import pandas as pd

from mlops_kit.scenarios.world import Arm, World, fit_model, period_of, quality

__all__ = ["monitor", "noticed", "run_drift", "run_quality", "run_skew"]


def noticed(world: World, first_bad: int, months_unnoticed: int) -> int | None:
    """Period in which someone notices a problem that started in ``first_bad`` (None: not
    within the horizon)."""
    period = first_bad + months_unnoticed - 1
    return period if period <= len(world.periods) else None


def _after(caught: int | None, n: int) -> int | None:
    return None if caught is None or caught + 1 > n else caught + 1


def monitor(world: World, params, frames: list, models: list):
    """Replay the scenario's alert rule over half-month windows of what was served.

    ``frames[i]`` is the data of production period ``i + 1`` as the model saw it
    and ``models[i]`` the model that served it. Each window gets the share of
    features a :class:`~mlops_kit.validation.DriftCheck` fitted on the training
    data finds drifted, and the served model's ROC AUC on its labels.

    Returns
    -------
    (int or None, list of str)
        The period of the first alert after the incident started, and evidence lines.
    """
    from mlops_kit.monitoring import AlertRule, replay
    from mlops_kit.monitoring.result import MonitoringResult
    from mlops_kit.validation import DriftCheck

    spec = params.alert
    check = DriftCheck(method={"num": "ks"}, negligible_effect=0).fit(world.train[world.features])
    rows = []
    for i, (frame, model) in enumerate(zip(frames, models, strict=True)):
        start, end = world.starts[i], world.starts[i] + pd.DateOffset(months=1)
        edges = pd.date_range(start, end, periods=params.windows_per_month + 1)
        times = frame[world.time_column]
        for lo, hi in itertools.pairwise(edges):
            window = frame[(times >= lo) & (times < hi)]
            if len(window) < 30:
                continue
            drift = check.run(window[world.features])
            rows.append(
                {
                    "window_start": lo.tz_localize("UTC"),
                    "window_end": hi.tz_localize("UTC"),
                    "volume": len(window),
                    "n_labelled": len(window),
                    "input_drift_share": drift.share_drifted,
                    "roc_auc": quality(model, window, world.features, world.target),
                }
            )
    result = MonitoringResult(pd.DataFrame(rows), task="classification", metrics=["roc_auc"])
    rule = AlertRule(spec.metric, spec.op, spec.threshold, k=spec.k, min_samples=30)
    replayed = replay([rule], result, drift_start=world.incident_start.tz_localize("UTC"))
    row = replayed.to_frame().iloc[0]
    evidence = [
        f"AlertRule {rule.rule_name!r} (k={spec.k}) over {len(rows)} half-month windows: "
        f"{int(row['alerts'])} alert(s), {int(row['false_alarms'])} false alarm(s) before "
        "the incident"
    ]
    if row["first_detection"] is None:
        evidence.append("the rule never fired after the incident")
        return None, evidence
    end = pd.Timestamp(row["first_detection"]) - pd.Timedelta("1us")
    caught = period_of(world, end)
    evidence.append(
        f"first alert on the window ending {str(row['first_detection'])[:10]} "
        f"(detection delay {row['detection_delay']})"
    )
    return caught, evidence


def run_drift(world: World, params, active: bool, months_unnoticed: int) -> Arm:
    """Drift from the incident on; with the practice an alert rule catches it, then a retrain."""
    from mlops_kit.data import inject_drift

    if "drift" not in world.cache:
        data = world.data
        for i, step in enumerate(params.drift):
            data = inject_drift(
                data,
                step.kind,
                columns=list(step.columns),
                severity=step.severity,
                start=world.incident_start,
                seed=world.seed + i,
            )
        frames = world.months_of(data)
        world.cache["drift"] = (data, frames, _achievable(world, data, frames))
    data, frames, achievable = world.cache["drift"]
    n, first = len(frames), world.incident_period
    caught, evidence = None, []
    if active:
        caught, evidence = monitor(world, params, frames, [world.model] * n)
    if caught is None:
        caught = noticed(world, first, months_unnoticed)
        evidence.append(
            "noticed by the business"
            if caught
            else "not noticed within the horizon"
            if active
            else f"no monitoring: noticed {months_unnoticed} month(s) after it started"
        )
    recovered = _after(caught, n)
    served = [world.model] * n
    if recovered is not None:
        recent = data[
            (data[world.time_column] >= world.incident_start)
            & (data[world.time_column] < world.starts[recovered - 1])
        ]
        retrained = fit_model(recent, world.features, world.target)
        served[recovered - 1 :] = [retrained] * (n - recovered + 1)
        evidence.append(f"retrained on the {len(recent)} labelled rows since the drift began")
    scores = [
        quality(m, f, world.features, world.target, world.cache) for m, f in zip(served, frames)
    ]
    return Arm(scores, caught, recovered, evidence, reference=achievable)


def _achievable(world: World, data: pd.DataFrame, frames: list) -> list[float]:
    """Per period: the original model before the drift, a model fitted on the whole drifted
    stretch after it (what a team that knew about the change could reach)."""
    drifted = data[data[world.time_column] >= world.incident_start]
    informed = fit_model(drifted, world.features, world.target)
    first = world.incident_period
    return [
        ref if i < first else quality(informed, frame, world.features, world.target)
        for i, (ref, frame) in enumerate(zip(world.reference_quality, frames, strict=True), 1)
    ]


def _broken(world: World, frame: pd.DataFrame, change) -> pd.DataFrame:
    out = frame.copy()
    out[change.column] = out[change.column] * change.factor
    return out


def _served_until(world: World, params, caught, recovered) -> list[float]:
    """Quality when the broken input reaches the model from the incident to ``recovered``."""
    out = []
    for i, frame in enumerate(world.periods, start=1):
        bad = i >= world.incident_period and (recovered is None or i < recovered)
        seen = _broken(world, frame, params.change) if bad else frame
        out.append(quality(world.model, seen, world.features, world.target, world.cache))
    return out


def run_skew(world: World, params, active: bool, months_unnoticed: int) -> Arm:
    """A serving release computes a feature differently; a skew stage compares both paths."""
    from mlops_kit.validation import DriftCheck

    first, n = world.incident_period, len(world.periods)
    evidence = []
    if active:
        sample = world.before(first).tail(params.rows_per_month)[world.features]
        served = _broken(world, sample, params.change)
        result = DriftCheck(method={"num": "ks"}, negligible_effect=0).fit(sample).run(served)
        drifted = [c.column for c in result.features if c.drifted]
        evidence.append(
            f"skew stage before release: DriftCheck of serving vs training features on the "
            f"same {len(sample)} rows: drifted {drifted}"
        )
        if drifted:
            evidence.append("release blocked: the serving code is fixed before it goes live")
            return Arm(list(world.reference_quality), first, first, evidence)
    caught = noticed(world, first, months_unnoticed)
    recovered = _after(caught, n)
    evidence.append(f"no skew check: the release went live, noticed in period {caught}")
    return Arm(_served_until(world, params, caught, recovered), caught, recovered, evidence)


def run_quality(world: World, params, active: bool, months_unnoticed: int) -> Arm:
    """An upstream unit change; with the practice a QualityCheck rejects the first bad batch."""
    from mlops_kit.validation import Expectations, QualityCheck

    first, n = world.incident_period, len(world.periods)
    evidence = []
    if active:
        check = QualityCheck(Expectations.learn(world.train[world.features]))
        false_alarms, caught = 0, None
        for i, frame in enumerate(world.periods, start=1):
            seen = _broken(world, frame, params.change) if i >= first else frame
            report = check.check(seen[world.features])
            if not report.passed and i < first:
                false_alarms += 1
            elif not report.passed:
                caught = i
                evidence.append(f"period {i}: QualityCheck failed: {report.failures[0]}")
                break
        evidence.insert(0, f"QualityCheck on every batch: {false_alarms} false alarm(s) before")
        if caught is not None:
            evidence.append("batch quarantined before scoring; the upstream unit is converted")
            return Arm(list(world.reference_quality), caught, caught, evidence)
    caught = noticed(world, first, months_unnoticed)
    recovered = _after(caught, n)
    evidence.append(f"no quality check: the model scored the broken data until period {caught}")
    return Arm(_served_until(world, params, caught, recovered), caught, recovered, evidence)
