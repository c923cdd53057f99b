"""Automated rollback triggers: a policy of rules over recent monitoring windows.

Examples
--------
>>> import pandas as pd
>>> policy = RollbackPolicy(["accuracy < 0.8", "drift_share > 0.5"], model_name="credit")
>>> windows = pd.DataFrame({
...     "timestamp": pd.date_range("2024-03-01", periods=4, freq="D"),
...     "accuracy": [0.86, 0.74, 0.85, 0.72],      # two bad windows, not consecutive
...     "drift_share": [0.1, 0.2, 0.2, 0.3],
... })
>>> policy.check(windows).fire
False
>>> windows.loc[2, "accuracy"] = 0.75
>>> decision = policy.check(windows)
>>> decision.fire, decision.reasons[0]["windows"]
(True, ['2024-03-02', '2024-03-03', '2024-03-04'])

:meth:`RollbackPolicy.check` only reads; :meth:`RollbackPolicy.rollback` is the
explicit action (``policy.rollback(decision)`` moves the alias back unless
``dry_run``).
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Literal

from pydantic import Field, field_validator

from mlops_kit._params import InstanceOf, Interval, Params, Predicate, check_param
from mlops_kit._yaml import ConfigModel, load_config, parse_config, problem
from mlops_kit.errors import (
    AliasNotFoundError,
    ConfigError,
    InputError,
    ModelNotFoundError,
    RollbackError,
)
from mlops_kit.validation.rollback.result import RollbackDecision
from mlops_kit.validation.rollback.rules import MIN_CONSECUTIVE, MODE, parse_rules
from mlops_kit.validation.rollback.windows import evaluate_rule, prepare

__all__ = ["EXPERIMENT", "RollbackPolicy"]

EXPERIMENT = "mlops-kit-rollback"
TAG = "mlops_kit.rollback."
_MAX_TAG = 5000
_NAME = Predicate(lambda v: isinstance(v, str) and bool(v.strip()), "a non-empty name")


class PolicyFile(ConfigModel):
    """The schema of a rollback policy file (YAML) or dict, checked by :mod:`mlops_kit._yaml`."""

    model_name: str = Field(min_length=1)
    rules: list[str | dict]
    alias: str = "champion"
    dry_run: bool = False
    min_consecutive: int = Field(2, ge=1)
    mode: Literal["consecutive", "mean", "either"] = "consecutive"
    time_column: str | None = "timestamp"
    experiment: str = Field(EXPERIMENT, min_length=1)

    @field_validator("rules")
    @classmethod
    def _rules_parse(cls, value):
        try:
            parse_rules(value)
        except InputError as exc:
            raise problem(str(exc)) from None
        return value


class RollbackPolicy(Params):
    """Decide from recent monitoring windows whether to roll a model alias back (``check``).

    :meth:`check` is the gate (a decision that fires or not); :meth:`rollback`
    is the explicit action that moves the alias back.

    Parameters
    ----------
    rules : list
        :class:`~mlops_kit.validation.rollback.Rule` objects, strings
        (``"accuracy < 0.8"``, ``"drift_share > 0.5"``, ``"roc_auc drop > 0.05"``)
        or dicts (``{"metric": "accuracy", "below": 0.8}``); see
        :mod:`mlops_kit.validation.rollback.rules`.
    model_name : str
        Registered model whose alias is rolled back.
    alias : str, default "champion"
    dry_run : bool, default False
        Report what would happen, never move the alias or write to MLflow.
    min_consecutive : int, default 2
        A rule fires only when this many most recent windows violate it
        (mode ``"consecutive"``); a rule may override it.
    mode : {"consecutive", "mean", "either"}, default "consecutive"
        ``"mean"`` fires when the mean over all windows violates the bound;
        ``"either"`` when one of the two holds.
    time_column : str or None, default "timestamp"
        Windows are sorted by this column when present (else kept in order).
    experiment : str, default "mlops-kit-rollback"
        MLflow experiment that records each rollback as a run.
    tracking_uri : str, optional
        Store of the registry (default: the kit's store).

    Examples
    --------
    >>> policy = RollbackPolicy.from_dict({
    ...     "model_name": "credit",
    ...     "rules": [{"metric": "accuracy", "below": 0.8}, "drift_share > 0.5"],
    ... })
    >>> [r.label for r in policy.parsed_rules()]
    ['accuracy < 0.8', 'drift_share > 0.5']
    >>> policy.get_params()["min_consecutive"], policy.set_params(mode="mean")
    (2, RollbackPolicy(rules=[...], model_name='credit', mode='mean'))
    >>> policy.rollback(policy.check(windows))  # doctest: +SKIP
    """

    _parameter_constraints = {
        "model_name": [_NAME],
        "alias": [InstanceOf(str, description="an alias name")],
        "dry_run": ["boolean"],
        "min_consecutive": MIN_CONSECUTIVE,
        "mode": MODE,
        "time_column": [None, InstanceOf(str, description="a column name")],
        "experiment": [_NAME],
        "tracking_uri": [None, InstanceOf(str, description="a tracking URI")],
    }

    def __init__(
        self,
        rules,
        *,
        model_name: str,
        alias: str = "champion",
        dry_run: bool = False,
        min_consecutive: int = 2,
        mode: str = "consecutive",
        time_column: str | None = "timestamp",
        experiment: str = EXPERIMENT,
        tracking_uri: str | None = None,
    ):
        self.rules = rules
        self.model_name = model_name
        self.alias = alias
        self.dry_run = dry_run
        self.min_consecutive = min_consecutive
        self.mode = mode
        self.time_column = time_column
        self.experiment = experiment
        self.tracking_uri = tracking_uri

    # --- configuration -----------------------------------------------------------
    def parsed_rules(self):
        """Validate the policy and return its rules as :class:`Rule` objects.

        Raises :class:`~mlops_kit.errors.InputError` naming the bad field.
        """
        from mlops_kit.tracking.registry import check_alias

        self._validate_params()
        check_alias(self.alias)
        return parse_rules(self.rules)

    def to_dict(self) -> dict:
        """The policy as a dict (the form :meth:`from_dict` and YAML files use)."""
        return {
            "model_name": self.model_name,
            "alias": self.alias,
            "dry_run": self.dry_run,
            "min_consecutive": self.min_consecutive,
            "mode": self.mode,
            "time_column": self.time_column,
            "experiment": self.experiment,
            "rules": [r.to_dict() for r in self.parsed_rules()],
        }

    @classmethod
    def from_dict(cls, data, *, tracking_uri: str | None = None) -> RollbackPolicy:
        """Build and validate a policy from a dict (the YAML form).

        Keys: ``model_name`` and ``rules`` (required), ``alias``, ``dry_run``,
        ``min_consecutive``, ``mode``, ``time_column``, ``experiment``. Raises
        one :class:`~mlops_kit.errors.ConfigError` listing every problem with
        its key path (:mod:`mlops_kit._yaml`).

        Examples
        --------
        >>> RollbackPolicy.from_dict({"model_name": "credit", "rules": ["accuracy < 0.8"]})
        RollbackPolicy(rules=['accuracy < 0.8'], model_name='credit')
        """
        return cls._from_file(parse_config(data, PolicyFile, "rollback policy"), tracking_uri)

    @classmethod
    def from_yaml(cls, source, *, tracking_uri: str | None = None) -> RollbackPolicy:
        r"""Build a policy from a YAML file path or YAML text (``yaml.safe_load``).

        Examples
        --------
        >>> text = "\n".join(["model_name: credit", "rules: [rmse drop > 10%]"])
        >>> RollbackPolicy.from_yaml(text).rules
        ['rmse drop > 10%']
        """
        from pathlib import Path

        if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source):
            model = load_config(source, PolicyFile, "rollback policy")
        else:
            import yaml

            try:
                data = yaml.safe_load(source)
            except yaml.YAMLError as exc:
                one_line = " ".join(str(exc).split())
                raise ConfigError(f"The rollback policy is not valid YAML ({one_line})") from None
            model = parse_config(data, PolicyFile, "rollback policy", source="<text>")
        return cls._from_file(model, tracking_uri)

    @classmethod
    def _from_file(cls, model: PolicyFile, tracking_uri) -> RollbackPolicy:
        fields = model.model_dump(exclude_unset=True)
        return cls(**fields, tracking_uri=tracking_uri)

    # --- work -------------------------------------------------------------------------
    def check(self, window_results, previous=None) -> RollbackDecision:
        """Check the rules on ``window_results`` and return the decision (nothing is moved).

        Parameters
        ----------
        window_results : DataFrame
            One row per monitoring window, a column per rule metric (plus
            ``timestamp``), e.g. ``accuracy``, ``roc_auc``, ``drift_share``.
        previous : dict, int, ModelVersionInfo or DataFrame, optional
            The previous version's metric values for drop rules: a dict
            ``{metric: value}``, a version number or ModelVersionInfo (metrics
            recorded in its run, ``<metric>`` or ``perf.<metric>``), or that
            version's window results (their mean). Default: the version a
            rollback would return to, read from the registry.

        Returns
        -------
        RollbackDecision
        """
        rules = self.parsed_rules()
        frame, labels = prepare(window_results, [r.metric for r in rules], self.time_column)
        values = self._previous(previous, rules)
        outcomes = [
            evaluate_rule(
                rule,
                frame,
                labels,
                min_consecutive=self.min_consecutive,
                mode=self.mode,
                previous=values.get(rule.metric) if rule.vs_previous else None,
            )
            for rule in rules
        ]
        decision = RollbackDecision(
            outcomes, model_name=self.model_name, alias=self.alias, dry_run=self.dry_run
        )
        return decision

    def rollback(self, decision: RollbackDecision, *, user: str | None = None) -> RollbackDecision:
        """Act on ``decision`` and return it with its ``action`` filled in.

        Not fired: nothing happens (``"no_action"``). Dry run: the alias is
        not moved and nothing is written (``"dry_run"``, with the versions it
        would move between). Otherwise the alias is rolled back with
        :func:`~mlops_kit.tracking.rollback` (the alias history records the
        reasons), the decision is recorded as a run of ``experiment`` (tags
        ``mlops_kit.rollback.*`` and ``rollback_decision.json``), and the
        demoted version is tagged with that run's id (``"rolled_back"``).
        """
        if not isinstance(decision, RollbackDecision):
            raise InputError.invalid(
                "decision", type(decision).__name__, "a RollbackDecision from check()"
            )
        self.parsed_rules()
        if (decision.model_name, decision.alias) != (self.model_name, self.alias):
            raise InputError.invalid(
                "decision",
                f"a decision for {decision.model_name}@{decision.alias}",
                f"a decision for this policy's {self.model_name}@{self.alias}",
            )
        if not decision.fire:
            return decision.with_action(status="no_action", note="no rule fired")
        from mlops_kit.tracking.alias_history import rollback_target

        if self.dry_run:
            try:
                now, target = rollback_target(
                    self.model_name, self.alias, tracking_uri=self.tracking_uri
                )
                note = "dry run: alias not moved"
            except (AliasNotFoundError, ModelNotFoundError) as exc:
                now, target, note = None, None, f"dry run; rollback would fail: {exc}"
            return decision.with_action(
                status="dry_run", from_version=now, to_version=target, note=note
            )
        return self._roll_back(decision, user)

    def _previous(self, previous, rules) -> dict:
        import pandas as pd

        wanted = {r.metric for r in rules if r.vs_previous}
        if not wanted:
            return {}
        if isinstance(previous, pd.DataFrame):
            return {m: float(previous[m].mean()) for m in wanted if m in previous.columns}
        if isinstance(previous, dict):
            for key, value in previous.items():
                check_param(f"previous[{key!r}]", value, [Interval(float)])
            return {m: float(previous[m]) for m in wanted if m in previous}
        if previous is None:
            from mlops_kit.tracking.alias_history import rollback_target

            try:
                _, previous = rollback_target(
                    self.model_name, self.alias, tracking_uri=self.tracking_uri
                )
            except (AliasNotFoundError, ModelNotFoundError):
                return {}
            if previous is None:
                return {}
        version = getattr(previous, "version", previous)
        recorded = self._recorded_metrics(version)
        found = {}
        for metric in wanted:
            for key in (metric, f"perf.{metric}"):
                if key in recorded:
                    found[metric] = float(recorded[key])
                    break
        return found

    def _recorded_metrics(self, version) -> dict[str, float]:
        """The metrics logged in the run of ``version`` (``{}`` if none).

        Keys are the run's metric names (``roc_auc``, or ``perf.roc_auc`` as
        logged by :meth:`PerformanceReport.log_to_mlflow`).
        """
        from mlops_kit.tracking.registry import require_version
        from mlops_kit.tracking.store import get_client

        client = get_client(self.tracking_uri)
        mv = require_version(client, self.model_name, version)
        if not mv.run_id:
            return {}
        try:
            return dict(client.get_run(mv.run_id).data.metrics)
        except Exception:
            return {}

    def _roll_back(self, decision: RollbackDecision, user) -> RollbackDecision:
        """Move the alias back and record the decision as a run of ``experiment``.

        Everything is checked (alias set, an earlier version exists) before
        anything is written. The run is created first, the alias moved second;
        if the move fails the run is marked FAILED with the error and the
        exception propagates.
        """
        from mlops_kit.results import jsonable
        from mlops_kit.tracking.alias_history import MAX_REASON_LENGTH, rollback, rollback_target
        from mlops_kit.tracking.store import ensure_experiment, get_client, resolve_tracking_uri

        name, alias = decision.model_name, decision.alias
        uri = resolve_tracking_uri(self.tracking_uri)
        now, target = rollback_target(name, alias, tracking_uri=uri)
        if target is None:
            raise RollbackError(
                f"The rollback policy fired for {name}@{alias} (version {now}), but the alias "
                "history has no earlier version to roll back to. Reasons: " + decision.reason_text
            )
        reason = "automatic rollback by RollbackPolicy: " + decision.reason_text
        if len(reason) > MAX_REASON_LENGTH:
            reason = reason[: MAX_REASON_LENGTH - 3] + "..."
        client = get_client(uri)
        exp_id = ensure_experiment(self.experiment, uri)
        tags = {
            TAG + "model": name,
            TAG + "alias": alias,
            TAG + "from_version": str(now),
            TAG + "to_version": str(target),
            TAG + "rules": "; ".join(r["rule"] for r in decision.reasons)[:_MAX_TAG],
            TAG + "reason": reason[:_MAX_TAG],
        }
        run = client.create_run(exp_id, run_name=f"rollback-{name}-v{now}-to-v{target}", tags=tags)
        run_id = run.info.run_id
        try:
            moved = rollback(name, alias, reason=reason, user=user, tracking_uri=uri)
        except BaseException as exc:
            with contextlib.suppress(Exception):
                client.set_tag(run_id, TAG + "error", f"{type(exc).__name__}: {exc}"[:_MAX_TAG])
                client.set_terminated(run_id, "FAILED")
            raise
        done = decision.with_action(
            status="rolled_back", from_version=now, to_version=moved.version, run_id=run_id
        )
        try:  # the alias has moved and its history says why; these records are extras
            client.log_dict(run_id, jsonable(done.to_dict()), "rollback_decision.json")
            client.set_model_version_tag(name, str(now), TAG + "run_id", run_id)
            client.set_model_version_tag(name, str(now), TAG + "reason", reason[:_MAX_TAG])
        except Exception as exc:
            warnings.warn(
                f"Rolled back {name}@{alias} to version {moved.version}, but recording the "
                f"decision in run {run_id} failed: {type(exc).__name__}: {exc}",
                stacklevel=3,
            )
        client.set_terminated(run_id, "FINISHED")
        return done
