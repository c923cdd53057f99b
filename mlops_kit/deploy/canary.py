"""Canary rollout over registry aliases: advance, hold or abort and roll back, stage by stage.

A :class:`CanaryRollout` sends a growing share of traffic (default 5% -> 25%
-> 50% -> 100%) to a challenger version through a router
(:mod:`mlops_kit.deploy.canary_router`). At each stage below 100% it waits for
enough labelled rows on the challenger's side (the minimum sample from Step 2's
:func:`~mlops_kit.validation.sample_size`, for the stage's unequal split), then
compares the two arms with Step 2's A/B test
(:func:`~mlops_kit.validation.ab_test`, two-proportion z-test on accuracy) and
decides:

- **abort** when the challenger is significantly worse (``p < alpha``) or
  serving fails: traffic goes back to the champion and the challenger alias is
  moved back to the champion's version with the reason (Step 1's
  :func:`~mlops_kit.tracking.promote`, recorded in the alias history);
- **hold** when the traffic ran out before the minimum sample, or when the
  model's governance policy (:mod:`mlops_kit.governance`) still needs an
  approval of the challenger before its 100% stage: the share and the aliases
  stay as they are (the challenger keeps its previous share), so the rollout
  can be resumed;
- **advance** otherwise; reaching 100% **promotes** the challenger to the
  champion alias with the evidence as the reason.

The champion alias moves only once, at the end of a successful rollout, so an
abort or a crash never leaves it half-switched. The timeline goes to an MLflow
run (metrics per stage with ``step`` = stage, decisions as tags, the
:class:`~mlops_kit.deploy.canary_result.CanaryResult` as JSON) and the alias
history.

Examples
--------
>>> check_schedule([5, 25, 50, 100])
(5.0, 25.0, 50.0, 100.0)
>>> check_schedule([50, 25])
Traceback (most recent call last):
...
mlops_kit.errors.InputError: Invalid schedule: got [50, 25]; allowed: a non-empty, strictly ...
"""

from __future__ import annotations

import numbers

import numpy as np

from mlops_kit._params import InstanceOf, Interval, Params, Predicate
from mlops_kit.deploy.canary_plan import (
    DEFAULT_SCHEDULE,
    SCHEDULE_ALLOWED,
    check_schedule,
    min_sample,
)
from mlops_kit.errors import ColumnError, DeploymentError, InputError

__all__ = ["DEFAULT_SCHEDULE", "CanaryRollout", "check_schedule", "min_sample"]


def _version_number(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 1


class CanaryRollout(Params):
    """Roll a challenger version out in stages, comparing it with the champion at each stage.

    Parameters
    ----------
    model_name : str
        Registered model.
    challenger : int
        Version to roll out.
    schedule : list of float, default (5, 25, 50, 100)
        Challenger's share of traffic at each stage, strictly increasing, in (0, 100].
    champion_alias, challenger_alias : str
        The aliases the rollout reads and moves.
    alpha : float, default 0.05
        Significance level of the per-stage A/B test.
    power : float, default 0.8
        Power of the minimum sample.
    min_detectable_difference : float, default 0.03
        Accuracy drop (3 points) the minimum sample is sized to detect.
    baseline_accuracy : float, optional
        Champion accuracy used for the sample size; default: measured on the
        champion's rows of the first batch.
    batch_rows : int, default 500
        Rows sent through the router at a time.
    max_rows_per_stage : int, optional
        Stop waiting for the minimum sample after this many rows (then hold).
    seed : int, default 0
        Seed of the in-process split and the A/B test.
    experiment : str, default "mlops-kit-canary"
    tracking_uri : str, optional

    Examples
    --------
    >>> CanaryRollout("credit-risk", 3, schedule=[10, 100])
    CanaryRollout(model_name='credit-risk', challenger=3, schedule=[10, 100])
    >>> CanaryRollout("credit-risk", 3).plan(baseline_accuracy=0.85)["challenger_rows"].tolist()
    [1263, 1600, 2399, 0]
    """

    _parameter_constraints = {
        "model_name": [Predicate(lambda v: isinstance(v, str) and v.strip(), "a model name")],
        "challenger": [Predicate(_version_number, "a model version number >= 1")],
        "schedule": [Predicate(lambda v: check_schedule(v) is not None, SCHEDULE_ALLOWED)],
        "champion_alias": [InstanceOf(str)],
        "challenger_alias": [InstanceOf(str)],
        "alpha": [Interval(float, 0, 1, closed="neither")],
        "power": [Interval(float, 0, 1, closed="neither")],
        "min_detectable_difference": [Interval(float, 0, 1, closed="neither")],
        "baseline_accuracy": [None, Interval(float, 0, 1, closed="neither")],
        "batch_rows": [Interval(int, 1, None)],
        "max_rows_per_stage": [None, Interval(int, 1, None)],
        "seed": [Interval(int, 0, None)],
        "experiment": [Predicate(lambda v: isinstance(v, str) and v.strip(), "a non-empty str")],
        "tracking_uri": [None, InstanceOf(str)],
    }

    def __init__(
        self,
        model_name: str,
        challenger: int,
        *,
        schedule=DEFAULT_SCHEDULE,
        champion_alias: str = "champion",
        challenger_alias: str = "challenger",
        alpha: float = 0.05,
        power: float = 0.8,
        min_detectable_difference: float = 0.03,
        baseline_accuracy: float | None = None,
        batch_rows: int = 500,
        max_rows_per_stage: int | None = None,
        seed: int = 0,
        experiment: str = "mlops-kit-canary",
        tracking_uri: str | None = None,
    ):
        self.model_name = model_name
        self.challenger = challenger
        self.schedule = schedule
        self.champion_alias = champion_alias
        self.challenger_alias = challenger_alias
        self.alpha = alpha
        self.power = power
        self.min_detectable_difference = min_detectable_difference
        self.baseline_accuracy = baseline_accuracy
        self.batch_rows = batch_rows
        self.max_rows_per_stage = max_rows_per_stage
        self.seed = seed
        self.experiment = experiment
        self.tracking_uri = tracking_uri

    def _validate(self):
        from mlops_kit.tracking.registry import check_alias

        check_schedule(self.schedule)  # its own message, before the generic one
        self._validate_params()
        check_alias(self.champion_alias)
        check_alias(self.challenger_alias)
        if self.champion_alias == self.challenger_alias:
            raise InputError.invalid(
                "challenger_alias", self.challenger_alias, "an alias other than champion_alias"
            )
        return check_schedule(self.schedule)

    def plan(self, baseline_accuracy: float | None = None):
        """Return the stages and the rows each needs, as a DataFrame (nothing is moved).

        Parameters
        ----------
        baseline_accuracy : float, optional
            Champion accuracy; default ``self.baseline_accuracy``, else 0.85.
        """
        import pandas as pd

        schedule = self._validate()
        base = baseline_accuracy or self.baseline_accuracy or 0.85
        rows = []
        for i, p in enumerate(schedule, start=1):
            need = (
                {"challenger": 0, "champion": 0, "total": 0}
                if p >= 100
                else min_sample(p, base, self.min_detectable_difference, self.alpha, self.power)
            )
            rows.append(
                {
                    "stage": i,
                    "percent": p,
                    "challenger_rows": need["challenger"],
                    "champion_rows": need["champion"],
                    "total_rows": need["total"],
                    "on_success": "promote" if p >= 100 else "advance",
                    "abort_if": "-" if p >= 100 else f"challenger worse at p < {self.alpha:g}",
                }
            )
        return pd.DataFrame(rows)

    # --- the rollout -----------------------------------------------------------
    def run(self, traffic, target: str, router=None, *, on_stage=None):
        """Roll out over ``traffic`` (labelled rows, in arrival order); return a CanaryResult.

        Parameters
        ----------
        traffic : DataFrame
            Rows in arrival order with their true label in ``target``.
        target : str
            Label column.
        router : optional
            A router (see :mod:`~mlops_kit.deploy.canary_router`); default an
            in-process :class:`~mlops_kit.deploy.canary_router.TrafficSplit`
            over the two registered versions.
        on_stage : callable, optional
            Called with a copy of a stage's row as the rollout goes: after each
            batch of a stage with ``decision="running"`` (the rows seen so far),
            then once with the stage's decision (``advance``, ``hold``,
            ``abort`` or ``promote``). What
            :func:`~mlops_kit.deploy.canary_widget.canary_timeline` draws; an
            exception it raises aborts the rollout like any crash.
        """
        from mlops_kit.deploy.canary_router import TrafficSplit
        from mlops_kit.tracking import current, get_client, start_run
        from mlops_kit.tracking.registry import require_version

        schedule = self._validate()
        if not hasattr(traffic, "columns") or len(traffic) == 0:
            raise InputError.invalid("traffic", type(traffic).__name__, "a non-empty DataFrame")
        if target not in traffic.columns:
            raise ColumnError.invalid(
                "target", target, f"a column of traffic ({list(traffic.columns)[:10]})"
            )
        champ = current(self.model_name, self.champion_alias, tracking_uri=self.tracking_uri)
        client = get_client(self.tracking_uri)
        require_version(client, self.model_name, self.challenger)
        if champ.version == self.challenger:
            raise InputError.invalid(
                "challenger",
                self.challenger,
                f"a version other than the {self.champion_alias} (version {champ.version})",
            )
        if on_stage is not None and not callable(on_stage):
            raise InputError.invalid("on_stage", type(on_stage).__name__, "a callable or None")
        if router is None:
            from mlops_kit.validation.performance.models import load_model

            router = TrafficSplit(
                load_model(champ.model_uri, self.tracking_uri),
                load_model(f"models:/{self.model_name}/{self.challenger}", self.tracking_uri),
                seed=self.seed,
            )
        with start_run(
            self.experiment,
            f"canary-{self.model_name}-v{self.challenger}",
            tracking_uri=self.tracking_uri,
            tags={"mlops_kit.canary.model": self.model_name},
        ) as run:
            state = _Rollout(self, schedule, router, champ.version, run, on_stage)
            return state.go(traffic, target)


class _Rollout:
    """The mutable state of one rollout (kept out of the Params object)."""

    def __init__(self, spec: CanaryRollout, schedule, router, champion_version, run, on_stage):
        self.spec, self.schedule, self.router = spec, schedule, router
        self.champion_version, self.run = champion_version, run
        self.on_stage = on_stage
        self.stages: list[dict] = []
        self.baseline = spec.baseline_accuracy
        self.position = 0

    # registry moves, each recorded in the alias history with the reason
    def _promote(self, version, alias, reason):
        from mlops_kit.tracking import promote

        promote(
            self.spec.model_name,
            version,
            alias,
            reason=reason[:5000],
            tracking_uri=self.spec.tracking_uri,
        )

    def go(self, traffic, target):
        from mlops_kit.deploy.canary_result import CanaryResult

        spec = self.spec
        start = (
            f"canary start: v{spec.challenger} against {spec.champion_alias} "
            f"v{self.champion_version}, schedule {list(self.schedule)}"
        )
        self._promote(spec.challenger, spec.challenger_alias, start)
        status, reason = "held", ""
        try:
            for i, percent in enumerate(self.schedule, start=1):
                if percent >= 100:
                    why = self._approval_needed()
                    if why:  # governance: hold at the previous share, nothing promoted
                        status, reason = "held", why
                        self._record(i, percent, {}, "hold", reason)
                        break
                    status, reason = "promoted", self._promote_reason()
                    self._record(i, percent, {}, "promote", reason)
                    self._promote(spec.challenger, spec.champion_alias, reason)
                    self.router.set_percent(100)
                    break
                decision, reason, numbers = self._stage(i, percent, traffic, target)
                self._record(i, percent, numbers, decision, reason)
                if decision == "abort":
                    status = "aborted"
                    self._abort(reason)
                    break
                if decision == "hold":
                    status = "held"
                    break
            else:  # the schedule ended below 100%: the challenger keeps its last share
                status, reason = "completed", f"schedule ended at {self.schedule[-1]:g}%"
        except BaseException as exc:  # a bug or an interrupt: safe state first, then re-raise
            self._abort(f"rollout crashed: {type(exc).__name__}: {exc}")
            self._finish("aborted", f"crashed: {type(exc).__name__}")
            raise
        result = CanaryResult(
            self.stages,
            status=status,
            reason=reason,
            model_name=spec.model_name,
            champion_version=self.champion_version,
            challenger_version=spec.challenger,
            champion_alias=spec.champion_alias,
            challenger_alias=spec.challenger_alias,
            run_id=self.run.run_id,
            tracking_uri=self.run.tracking_uri,
        )
        self._finish(status, reason, result)
        return result

    def _abort(self, reason):
        import contextlib

        with contextlib.suppress(Exception):
            self.router.set_percent(0)
        self._promote(
            self.champion_version,
            self.spec.challenger_alias,
            f"canary aborted, traffic back to v{self.champion_version}: {reason}",
        )

    def _finish(self, status, reason, result=None):
        self.run.set_tags(
            {"mlops_kit.canary.status": status, "mlops_kit.canary.reason": reason[:5000]}
        )
        self.run.flush()
        if result is not None:
            self.run.client.log_text(
                self.run.run_id, result.to_json(indent=1), "canary/result.json"
            )

    def _approval_needed(self) -> str | None:
        """Why the model's governance policy forbids the 100% stage now, or None."""
        from mlops_kit.governance.decisions import approval_needed

        spec = self.spec
        why = approval_needed(
            spec.model_name,
            spec.challenger,
            spec.champion_alias,
            deployment=True,
            tracking_uri=spec.tracking_uri,
        )
        if why is None:
            return None
        share = self.stages[-1]["percent"] if self.stages else 0.0
        return (
            f"approval required before 100%: {why}. Alias {spec.champion_alias!r} unchanged "
            f"(v{self.champion_version}); the challenger holds at {share:g}%. Record a "
            f"decision with mlops_kit.governance.approve({spec.model_name!r}, "
            f"{spec.challenger}, by=...) and run the rollout again"
        )

    def _promote_reason(self) -> str:
        tested = [s for s in self.stages if s["decision"] == "advance"]
        if not tested:
            return "canary reached 100% (no stage below 100% to compare)"
        last = tested[-1]
        return (
            f"canary passed {len(tested)} stage(s) up to {last['percent']:g}%: challenger "
            f"accuracy {last['challenger_value']:.4f} vs champion {last['champion_value']:.4f} "
            f"(p={last['p_value']:.3g}, n={last['n_challenger']})"
        )

    def _record(self, i, percent, numbers, decision, reason):
        row = {
            "stage": i,
            "percent": percent,
            "decision": decision,
            "reason": reason,
            "n_champion": 0,
            "n_challenger": 0,
            "min_challenger": 0,
            "champion_value": None,
            "challenger_value": None,
            "difference": None,
            "ci_low": None,
            "ci_high": None,
            "p_value": None,
        }
        row.update(numbers)
        self.stages.append(row)
        self._tell(row)
        metrics = {"canary.percent": percent}
        for key in (
            "n_champion",
            "n_challenger",
            "min_challenger",
            "champion_value",
            "challenger_value",
            "difference",
            "p_value",
        ):
            if row[key] is not None:
                metrics[f"canary.{key}"] = row[key]
        self.run.log_metrics(metrics, step=i)
        self.run.set_tags(
            {
                f"mlops_kit.canary.stage.{i}.decision": decision,
                f"mlops_kit.canary.stage.{i}.reason": reason[:5000],
            }
        )
        self.run.flush()

    def _tell(self, row) -> None:
        if self.on_stage is not None:
            self.on_stage(dict(row))

    def _stage(self, i, percent, traffic, target):
        from mlops_kit.validation import ab_test

        spec = self.spec
        try:
            self.router.set_percent(percent)
        except Exception as exc:
            return "abort", f"router failed at {percent:g}%: {exc}", {}
        y_parts, pred_parts, mask_parts = [], [], []
        need, seen = None, 0
        while True:
            if self.position >= len(traffic):
                break
            if spec.max_rows_per_stage is not None and seen >= spec.max_rows_per_stage:
                break
            batch = traffic.iloc[self.position : self.position + spec.batch_rows]
            self.position += len(batch)
            seen += len(batch)
            try:
                pred, mask = self.router.predict(batch.drop(columns=[target]))
            except (DeploymentError, OSError, ConnectionError) as exc:
                return "abort", f"serving failed at {percent:g}%: {' '.join(str(exc).split())}", {}
            y_parts.append(batch[target].to_numpy())
            pred_parts.append(np.asarray(pred))
            mask_parts.append(np.asarray(mask, dtype=bool))
            y, pred_all, to_b = (np.concatenate(p) for p in (y_parts, pred_parts, mask_parts))
            if need is None and (~to_b).sum() >= 100:
                if self.baseline is None:
                    acc = float(np.mean(y[~to_b] == pred_all[~to_b]))
                    self.baseline = min(max(acc, 0.05), 0.95)
                need = min_sample(
                    percent, self.baseline, spec.min_detectable_difference, spec.alpha, spec.power
                )
            self._tell(
                {
                    "stage": i,
                    "percent": percent,
                    "decision": "running",
                    "reason": "",
                    "n_champion": int((~to_b).sum()),
                    "n_challenger": int(to_b.sum()),
                    "min_challenger": need["challenger"] if need else None,
                }
            )
            if (
                need is not None
                and to_b.sum() >= need["challenger"]
                and (~to_b).sum() >= need["champion"]
            ):
                break
        if not y_parts:
            return "hold", f"no traffic left for the {percent:g}% stage", {}
        n_b, n_a = int(to_b.sum()), int((~to_b).sum())
        numbers = {
            "n_champion": n_a,
            "n_challenger": n_b,
            "min_challenger": need["challenger"] if need else None,
        }
        if n_a == 0 or n_b == 0:
            return "hold", f"{percent:g}% stage: one arm got no rows", numbers
        test = ab_test(
            y[~to_b],
            pred_all[~to_b],
            y[to_b],
            pred_all[to_b],
            paired=False,
            alpha=spec.alpha,
            seed=spec.seed,
        )
        numbers.update(
            champion_value=test.value_a,
            challenger_value=test.value_b,
            difference=test.difference,
            ci_low=test.ci_difference[0],
            ci_high=test.ci_difference[1],
            p_value=test.p_value,
        )
        verdict = f"{test.verdict}"
        if test.significant and test.difference < 0:
            return "abort", f"challenger worse at {percent:g}%: {verdict}", numbers
        if need is None or n_b < need["challenger"]:
            have = f"{n_b} of {need['challenger'] if need else '?'}"
            return (
                "hold",
                f"{percent:g}% stage: {have} challenger rows needed; traffic ran out",
                numbers,
            )
        return "advance", f"{percent:g}% stage: no significant loss ({verdict})", numbers
