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
>>> policy.evaluate(windows).fire
False
>>> windows.loc[2, "accuracy"] = 0.75
>>> decision = policy.evaluate(windows)
>>> decision.fire, decision.reasons[0]["windows"]
(True, ['2024-03-02', '2024-03-03', '2024-03-04'])
"""

from __future__ import annotations

import numbers

from mlops_kit.errors import AliasNotFoundError, ConfigError, InputError, ModelNotFoundError
from mlops_kit.validation.rollback.actions import (
    EXPERIMENT,
    perform_rollback,
    recorded_metrics,
    rollback_target,
)
from mlops_kit.validation.rollback.result import RollbackDecision
from mlops_kit.validation.rollback.rules import check_min_consecutive, check_mode, parse_rules
from mlops_kit.validation.rollback.windows import evaluate_rule, prepare

__all__ = ["RollbackPolicy"]

_FIELDS = (
    "rules",
    "model_name",
    "alias",
    "dry_run",
    "min_consecutive",
    "mode",
    "time_column",
    "experiment",
)


class RollbackPolicy:
    """Decide from recent monitoring windows whether to roll a model alias back, and do it.

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
    >>> policy.evaluate(windows, act=True)  # doctest: +SKIP
    """

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

        if not isinstance(self.model_name, str) or not self.model_name.strip():
            raise InputError.invalid("model_name", self.model_name, "a registered model name")
        check_alias(self.alias)
        if not isinstance(self.dry_run, bool):
            raise InputError.invalid("dry_run", self.dry_run, "True or False")
        check_min_consecutive(self.min_consecutive)
        check_mode(self.mode)
        if self.time_column is not None and not isinstance(self.time_column, str):
            raise InputError.invalid("time_column", self.time_column, "a column name or None")
        if not isinstance(self.experiment, str) or not self.experiment.strip():
            raise InputError.invalid("experiment", self.experiment, "a non-empty name")
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
        """Build and validate a policy from a dict; raises ConfigError naming the bad field.

        Keys: ``model_name`` and ``rules`` (required), ``alias``, ``dry_run``,
        ``min_consecutive``, ``mode``, ``time_column``, ``experiment``.
        """
        if not isinstance(data, dict):
            raise ConfigError(
                f"Invalid rollback policy: got {type(data).__name__}; allowed: a mapping with "
                "'model_name' and 'rules'."
            )
        for key in data:
            if key not in _FIELDS:
                raise ConfigError(
                    f"Invalid rollback policy field: got {key!r}; allowed: {list(_FIELDS)}."
                )
        for key in ("model_name", "rules"):
            if key not in data:
                raise ConfigError(f"Invalid rollback policy: the field {key!r} is required.")
        policy = cls(**{k: data[k] for k in _FIELDS if k in data}, tracking_uri=tracking_uri)
        try:
            policy.parsed_rules()
        except InputError as exc:
            raise ConfigError(f"Rollback policy: {exc}") from None
        return policy

    @classmethod
    def from_yaml(cls, source, *, tracking_uri: str | None = None) -> RollbackPolicy:
        """Build a policy from a YAML file path or YAML text (``yaml.safe_load``)."""
        from pathlib import Path

        import yaml

        text = source
        if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source):
            path = Path(source)
            if not path.is_file():
                raise ConfigError(f"Rollback policy file {str(path)!r} does not exist.")
            text = path.read_text(encoding="utf-8")
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"Rollback policy is not valid YAML: {exc}") from None
        return cls.from_dict(data, tracking_uri=tracking_uri)

    # --- work -------------------------------------------------------------------------
    def evaluate(self, window_results, previous=None, *, act: bool = False) -> RollbackDecision:
        """Evaluate the rules on ``window_results``; with ``act=True`` also :meth:`apply`.

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
        act : bool, default False
            Apply the decision (roll back unless ``dry_run``).

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
        return self.apply(decision) if act else decision

    def apply(self, decision: RollbackDecision, *, user: str | None = None) -> RollbackDecision:
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
                "decision", type(decision).__name__, "a RollbackDecision from evaluate()"
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
        if self.dry_run:
            try:
                now, target = rollback_target(self.model_name, self.alias, self.tracking_uri)
                note = "dry run: alias not moved"
            except (AliasNotFoundError, ModelNotFoundError) as exc:
                now, target, note = None, None, f"dry run; rollback would fail: {exc}"
            return decision.with_action(
                status="dry_run", from_version=now, to_version=target, note=note
            )
        now, target, run_id = perform_rollback(
            decision, tracking_uri=self.tracking_uri, experiment=self.experiment, user=user
        )
        return decision.with_action(
            status="rolled_back", from_version=now, to_version=target, run_id=run_id
        )

    def _previous(self, previous, rules) -> dict:
        import pandas as pd

        wanted = {r.metric for r in rules if r.vs_previous}
        if not wanted:
            return {}
        if isinstance(previous, pd.DataFrame):
            return {m: float(previous[m].mean()) for m in wanted if m in previous.columns}
        if isinstance(previous, dict):
            for key, value in previous.items():
                if isinstance(value, bool) or not isinstance(value, numbers.Real):
                    raise InputError.invalid(f"previous[{key!r}]", value, "a number")
            return {m: float(previous[m]) for m in wanted if m in previous}
        if previous is None:
            try:
                _, previous = rollback_target(self.model_name, self.alias, self.tracking_uri)
            except (AliasNotFoundError, ModelNotFoundError):
                return {}
            if previous is None:
                return {}
        version = getattr(previous, "version", previous)
        recorded = recorded_metrics(self.model_name, version, self.tracking_uri)
        found = {}
        for metric in wanted:
            for key in (metric, f"perf.{metric}"):
                if key in recorded:
                    found[metric] = float(recorded[key])
                    break
        return found
