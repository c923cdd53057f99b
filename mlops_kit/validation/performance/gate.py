"""Performance gates: absolute thresholds and the champion, overall and per slice.

Examples
--------
>>> from sklearn.linear_model import LogisticRegression
>>> from mlops_kit.data import make_credit
>>> df = make_credit(n_rows=1_500, seed=0)
>>> X, y = df[["credit_score", "debt_to_income", "region"]], df["default"]
>>> clf = LogisticRegression().fit(X[["credit_score", "debt_to_income"]], y)
>>> class OnTwo:  # a model that ignores the region column
...     def predict(self, X): return clf.predict(X[["credit_score", "debt_to_income"]])
...     def predict_proba(self, X): return clf.predict_proba(X[["credit_score", "debt_to_income"]])
>>> report = PerformanceGate({"roc_auc": ">= 0.6"}, slices={"region": None}).check(OnTwo(), X, y)
>>> report.passed, len(report.checks)
(True, 6)
"""

from __future__ import annotations

import math

from mlops_kit._params import InstanceOf, Interval, Options, Params, Predicate
from mlops_kit.errors import InputError
from mlops_kit.metrics import (
    DEFAULT_METRICS,
    METRICS,
    MetricUndefined,
    compute_metric,
    described,
    get_metric,
    infer_task,
)
from mlops_kit.tracking.registry import check_alias
from mlops_kit.validation.performance.models import (
    NO_CHAMPION,
    predict,
    resolve_champion,
    resolve_model,
)
from mlops_kit.validation.performance.result import PerformanceReport
from mlops_kit.validation.performance.slices import OVERALL, build_slices
from mlops_kit.validation.performance.thresholds import (
    Threshold,
    fmt,
    parse_max_drop,
    parse_thresholds,
)

__all__ = ["IF_NO_CHAMPION", "PerformanceGate"]

IF_NO_CHAMPION = ("pass", "fail", "raise")
_TOLERANCE = 1e-12


def _model_or_name(value) -> bool:
    return (isinstance(value, str) and bool(value.strip())) or callable(
        getattr(value, "predict", None)
    )


class PerformanceGate(Params):
    """Check a model's metrics against thresholds and against the current champion.

    A gate: :meth:`check` returns a :class:`PerformanceReport` that passes or
    fails. Metrics come from the kit's registry (:mod:`mlops_kit.metrics`).

    Parameters
    ----------
    thresholds : dict, list, str or None
        Absolute bounds per metric, e.g. ``{"roc_auc": ">= 0.75", "rmse": "<= 12"}``,
        ``{"metric": "roc_auc", "min": 0.75}``, or a list mixing those with plain
        metric names (checked against the champion only); see
        :mod:`mlops_kit.validation.performance.thresholds`. None: the default
        metrics of the task (accuracy, precision, recall, f1, roc_auc / mae, rmse, r2).
    champion : str or fitted model, optional
        Registered model name whose ``alias`` version is loaded and evaluated on
        the same rows; each metric of the candidate must then be no worse than
        the champion's by more than ``max_drop``. A fitted model may be given instead.
    alias : str, default "champion"
        Registry alias of the champion.
    max_drop : float, str or dict, optional
        Allowed drop against the champion, in the metric's units (``0.01``) or
        relative (``"2%"``); a dict sets it per metric. For lower-is-better
        metrics (mae, rmse) a "drop" is an increase. Default 0: no worse than
        the champion. A threshold's own ``max_drop`` wins.
    slices : dict, str or list, optional
        Data slices checked besides ``overall``, e.g. ``{"region": None}`` (every
        region) or ``{"big": "loan_amount > 20000"}``; see
        :mod:`mlops_kit.validation.performance.slices`.
    min_slice_size : int, default 50
        Slices with fewer rows are reported as skipped (``overall`` never is).
    task : {"classification", "regression"}, optional
        Default: inferred from the target.
    if_no_champion : {"pass", "fail", "raise"}, default "pass"
        What to do when ``champion`` is named but has no ``alias`` yet (a first
        model): ``"pass"`` lets the relative checks pass with a note,
        ``"fail"`` fails them, ``"raise"`` lets the AliasNotFoundError (or
        ModelNotFoundError) propagate.
    pos_label : optional
        Positive class for binary precision, recall, f1 and roc_auc (default
        the larger label).
    tracking_uri : str, optional
        Store of the registry (default: the kit's store).

    Examples
    --------
    >>> gate = PerformanceGate({"roc_auc": ">= 0.75"}, champion="credit", max_drop=0.01)
    >>> gate
    PerformanceGate(thresholds={'roc_auc': '>= 0.75'}, champion='credit', max_drop=0.01)
    >>> gate.check(candidate, X_test, y_test).raise_if_failed()  # doctest: +SKIP
    """

    _parameter_constraints = {
        "thresholds": [
            None,
            InstanceOf(dict, list, tuple, str, description="a dict, list or string of thresholds"),
        ],
        "champion": [None, Predicate(_model_or_name, "a registered model name or a fitted model")],
        "alias": [InstanceOf(str, description="an alias name")],
        "max_drop": [
            None,
            Interval(float, 0, None),
            InstanceOf(str, dict, description="a percentage such as '2%' or a dict per metric"),
        ],
        "min_slice_size": [Interval(int, 1, None)],
        "task": [None, Options("classification", "regression")],
        "if_no_champion": [Options(*IF_NO_CHAMPION)],
        "tracking_uri": [None, InstanceOf(str, description="a tracking URI")],
    }

    def __init__(
        self,
        thresholds=None,
        *,
        champion=None,
        alias: str = "champion",
        max_drop=None,
        slices=None,
        min_slice_size: int = 50,
        task: str | None = None,
        if_no_champion: str = "pass",
        pos_label=None,
        tracking_uri: str | None = None,
    ):
        self.thresholds = thresholds
        self.champion = champion
        self.alias = alias
        self.max_drop = max_drop
        self.slices = slices
        self.min_slice_size = min_slice_size
        self.task = task
        self.if_no_champion = if_no_champion
        self.pos_label = pos_label
        self.tracking_uri = tracking_uri

    # --- validation -----------------------------------------------------------
    def _validate(self):
        self._validate_params()
        check_alias(self.alias)
        thresholds = parse_thresholds(self.thresholds)
        drops = self.max_drop if isinstance(self.max_drop, dict) else {}
        default_drop = parse_max_drop(None if drops else self.max_drop)
        parsed_drops = {}
        for key, value in drops.items():
            where = f"max_drop[{key!r}]"
            parsed_drops[get_metric(key, where=f"{where} key").name] = parse_max_drop(value, where)
        return thresholds, default_drop, parsed_drops

    @staticmethod
    def _check_xy(X, y):
        import numpy as np

        if not hasattr(X, "__len__") or isinstance(X, str):
            raise InputError.invalid("X", type(X).__name__, "a DataFrame or array of rows")
        y_arr = np.asarray(getattr(y, "values", y))
        if y_arr.ndim == 2 and y_arr.shape[1] == 1:
            y_arr = y_arr[:, 0]
        if y_arr.ndim != 1:
            raise InputError.invalid("y", f"shape {y_arr.shape}", "a 1-D array or Series")
        if len(X) != len(y_arr):
            raise InputError.invalid(
                "y", f"{len(y_arr)} values", f"one value per row of X ({len(X)} rows)"
            )
        if len(y_arr) == 0:
            raise InputError.invalid("X", "0 rows", "at least 1 row")
        return y_arr

    # --- work ---------------------------------------------------------------------
    def check(self, model, X, y) -> PerformanceReport:
        """Evaluate ``model`` on ``X``/``y`` (and the champion on the same rows).

        Parameters
        ----------
        model : fitted model, ModelVersionInfo or model URI
            The candidate. When it comes from the registry its run is recorded
            so that :meth:`PerformanceReport.log_to_mlflow` can default to it.
        X : DataFrame or array
            Inputs (slices by column need a DataFrame).
        y : array-like
            True targets, one per row of ``X``.

        Returns
        -------
        PerformanceReport
        """
        thresholds, default_drop, drops = self._validate()
        y_arr = self._check_xy(X, y)
        task = infer_task(y_arr, self.task)
        thresholds = thresholds or [Threshold(m) for m in DEFAULT_METRICS[task]]
        for t in thresholds:
            if METRICS[t.metric].task != task:
                allowed = ", ".join(DEFAULT_METRICS[task])
                raise InputError.invalid(
                    f"thresholds[{t.metric!r}]",
                    t.metric,
                    f"a {task} metric ({allowed}): the target is {task}",
                    "Pass task=... if the task was inferred wrongly.",
                )
        slices = build_slices(self.slices, X)
        candidate, cand_info = resolve_model(model, self.tracking_uri)
        champion, champ_info, notes = self._champion()
        cand_pred = predict(candidate, X, task, self.pos_label)
        champ_pred = None if champion is None else predict(champion, X, task, self.pos_label)
        rows = []
        for name, mask in slices:
            n = int(mask.sum())
            small = name != OVERALL and n < self.min_slice_size
            for t in thresholds:
                if t.max_drop is not None:
                    drop = (t.max_drop, t.drop_relative)
                else:
                    drop = drops.get(t.metric, default_drop)
                rows.append(
                    self._row(name, mask, n, small, t, drop, y_arr, cand_pred, champ_pred, notes)
                )
        self._require_something_computed(rows)
        return PerformanceReport(
            rows,
            task=task,
            n_rows=len(y_arr),
            min_slice_size=self.min_slice_size,
            champion=champ_info,
            candidate=cand_info,
            notes=notes,
        )

    @staticmethod
    def _require_something_computed(rows) -> None:
        """A gate that computed no metric on the whole data compared nothing: bad input."""
        overall = [r for r in rows if r["slice"] == OVERALL]
        if any(r["value"] is not None for r in overall):
            return
        reasons = "; ".join(dict.fromkeys(r["reason"].removeprefix("skipped: ") for r in overall))
        raise described(
            "y",
            f"rows on which no gate metric can be computed ({reasons})",
            "rows where at least one gate metric is defined (both classes for roc_auc)",
            "Nothing was checked, so the gate cannot pass; choose other metrics or more rows.",
        )

    def _champion(self):
        if self.champion is None:
            return None, None, []
        try:
            model, info = resolve_champion(self.champion, self.alias, self.tracking_uri)
        except NO_CHAMPION as exc:
            if self.if_no_champion == "raise":
                raise type(exc)(
                    f"{exc} (PerformanceGate: pass if_no_champion='pass' to let a first "
                    "model through without a champion comparison.)"
                ) from None
            verb = "passed" if self.if_no_champion == "pass" else "failed"
            note = (
                f"no champion: {exc.args[0].split('.')[0]}; relative checks {verb} "
                f"(if_no_champion={self.if_no_champion!r})"
            )
            return None, None, [note]
        return model, info, []

    def _row(self, name, mask, n, small, t, drop, y_arr, cand_pred, champ_pred, notes):
        row = {
            "slice": name,
            "n": n,
            "metric": t.metric,
            "value": None,
            "threshold": t.text,
            "bounds": [b for _, b in t.conditions],
            "champion_value": None,
            "delta": None,
            "relative_bound": None,
            "status": "skipped",
            "passed": None,
            "reason": None,
        }
        if small:
            row["reason"] = f"skipped: n={n} < min {self.min_slice_size}"
            return row
        y_true = y_arr[mask]
        try:
            value = self._metric(t.metric, y_true, cand_pred.take(mask))
        except MetricUndefined as exc:
            row["reason"] = f"skipped: {exc}"
            return row
        row["value"] = value
        failures, passes = [], []
        if t.conditions:
            why = t.failure(value)
            (failures if why else passes).append(why or f"{fmt(value)} {t.text}")
        self._relative(row, t, drop, y_true, mask, champ_pred, notes, failures, passes)
        checked = bool(failures or passes)
        row["status"] = "failed" if failures else ("passed" if checked else "info")
        row["passed"] = (not failures) if checked else None
        row["reason"] = "; ".join(failures or passes) or "reported only (no bound)"
        return row

    def _metric(self, name, y_true, pred) -> float:
        if METRICS[name].needs_scores and pred.scores is None:
            raise MetricUndefined(f"{name} needs scores and {pred.note or 'none were given'}")
        return compute_metric(
            name, y_true, pred.labels, pred.scores, pos_label=self.pos_label, classes=pred.classes
        )

    def _relative(self, row, t, drop, y_true, mask, champ_pred, notes, failures, passes):
        if self.champion is None:
            return
        if champ_pred is None:  # champion named but absent
            if self.if_no_champion == "fail" and row["slice"] == OVERALL:
                failures.append("no champion to compare with (if_no_champion='fail')")
            elif self.if_no_champion == "pass":
                passes.append("no champion yet")
            return
        try:
            champ = self._metric(t.metric, y_true, champ_pred.take(mask))
        except MetricUndefined as exc:
            passes.append(f"champion not comparable: {exc}")
            return
        amount, relative = drop if drop[0] is not None else (0.0, False)
        allowance = amount * abs(champ) if relative else amount
        shown = f"{amount * 100:g}%" if relative else fmt(amount)
        higher = METRICS[t.metric].higher_is_better
        bound = champ - allowance if higher else champ + allowance
        value = row["value"]
        row.update(champion_value=champ, delta=value - champ, relative_bound=bound)
        ok = value >= bound - _TOLERANCE if higher else value <= bound + _TOLERANCE
        if not math.isfinite(value) or not ok:
            sign, op = ("-", "<") if higher else ("+", ">")
            failures.append(f"{fmt(value)} {op} champion {fmt(champ)} {sign} {shown}")
        else:
            passes.append(f"{value - champ:+.4g} vs champion {fmt(champ)}")
