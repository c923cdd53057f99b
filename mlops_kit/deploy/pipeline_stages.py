"""The default stages of a :class:`~mlops_kit.deploy.pipeline.Pipeline`, wired to the kit.

``validate_data`` -> ``train`` -> ``evaluate`` -> ``gate`` -> ``register`` ->
``deploy`` -> ``monitor``, each calling the kit's real components (no second
implementation of a check):

- ``validate_data`` (gate): splits ``context["data"]`` (default
  :func:`mlops_kit.data.make_credit`) in time order, learns
  :class:`~mlops_kit.validation.Expectations` on the training part and checks
  the holdout with :class:`~mlops_kit.validation.QualityCheck`;
- ``train``: fits ``context["estimator"]`` (a clone; default the tour's
  every-feature logistic regression) on the training part;
- ``evaluate``: the task's default metrics on the holdout
  (:class:`~mlops_kit.validation.PerformanceGate` with no bound);
- ``gate`` (gate): ``PerformanceGate(thresholds, champion=model_name,
  max_drop=...)``, logged to the run; a first model passes the champion
  comparison (there is none yet);
- ``register``: :func:`mlops_kit.tracking.register` into the pipeline's run;
- ``deploy``: :func:`mlops_kit.tracking.promote` to ``alias`` with the gate's
  verdict as the reason (recorded in the alias history);
- ``monitor``: :class:`~mlops_kit.validation.DriftCheck` of the holdout against
  the training data, logged to the run as the monitoring baseline
  (informational unless ``fail_on_drift``).

Examples
--------
>>> [s.name for s in default_stages()]
['validate_data', 'train', 'evaluate', 'gate', 'register', 'deploy', 'monitor']
>>> [s.name for s in default_stages() if s.gate]
['validate_data', 'gate']
"""

from __future__ import annotations

from mlops_kit._params import Interval, Options, Predicate, check_param
from mlops_kit.deploy.pipeline import Stage
from mlops_kit.tracking.registry import check_alias

__all__ = ["STAGE_NAMES", "default_stages"]

STAGE_NAMES = ("validate_data", "train", "evaluate", "gate", "register", "deploy", "monitor")
_DROP = ("id", "application_date")


def _split(ctx, n_rows, seed, test_size):
    """Return (train, test, target), cached in ``ctx``; data sorted by time when it has dates."""
    if "train" not in ctx:
        from mlops_kit.data import make_credit

        data = ctx.get("data")
        if data is None:
            data = make_credit(n_rows=n_rows, seed=seed)
        if "application_date" in data.columns:
            data = data.sort_values("application_date", kind="stable")
        data = data.drop(columns=[c for c in _DROP if c in data.columns])
        cut = round(len(data) * (1 - test_size))
        ctx["train"], ctx["test"] = data.iloc[:cut], data.iloc[cut:]
        ctx.setdefault("target", "default")
    return ctx["train"], ctx["test"], ctx["target"]


def _xy(frame, target):
    return frame.drop(columns=[target]), frame[target]


def default_stages(
    model_name: str = "credit-risk",
    *,
    thresholds=None,
    max_drop=0.01,
    alias: str = "champion",
    n_rows: int = 5_000,
    seed: int = 0,
    test_size: float = 0.3,
    fail_on_drift: bool = False,
) -> list[Stage]:
    """Return the seven default stages (see the module docstring).

    Parameters
    ----------
    model_name : str, default "credit-risk"
        Registered model to gate against, register to and deploy.
    thresholds : dict, optional
        Absolute bounds of the gate (PerformanceGate's forms); default
        ``{"roc_auc": ">= 0.75"}``.
    max_drop : float or str, default 0.01
        Allowed drop against the current ``alias`` version.
    alias : str, default "champion"
        The alias the deploy stage moves.
    n_rows, seed : int
        Sample data generated when the context has no ``data``.
    test_size : float, default 0.3
        Share of the (time-ordered) rows held out.
    fail_on_drift : bool, default False
        Whether drift found by the monitor stage fails the pipeline.

    Returns
    -------
    list of Stage

    Examples
    --------
    >>> default_stages("churn", thresholds={"f1": 0.5})[3]
    Stage('gate', gate=True)
    """
    check_param("model_name", model_name, [Predicate(str.strip, "a non-empty string")])
    check_param("n_rows", n_rows, [Interval(int, 100, None)])
    check_param("seed", seed, [Interval(int, 0, None)])
    check_param("test_size", test_size, [Interval(float, 0, 1, closed="neither")])
    check_param("fail_on_drift", fail_on_drift, [Options(True, False)])
    check_alias(alias)
    thresholds = {"roc_auc": ">= 0.75"} if thresholds is None else thresholds

    def validate_data(ctx):
        from mlops_kit.validation import Expectations, QualityCheck

        train, test, _ = _split(ctx, n_rows, seed, test_size)
        report = QualityCheck(Expectations.learn(train)).check(test)
        report.log_to_mlflow(ctx["run"].run_id)
        metrics = {"rows_train": len(train), "rows_holdout": len(test)}
        return {"passed": report.passed, "message": report.summary(), "metrics": metrics}

    def train(ctx):
        from sklearn.base import clone

        from mlops_kit._tour_models import _candidate, _features

        data, _, target = _split(ctx, n_rows, seed, test_size)
        X, y = _xy(data, target)
        estimator = ctx.get("estimator")
        if estimator is None:
            _, numeric, categorical = _features(data)
            estimator = _candidate(numeric, categorical)
        ctx["model"] = clone(estimator).fit(X, y)
        return {"message": f"{type(estimator).__name__} on {len(X)} rows"}

    def evaluate(ctx):
        from mlops_kit.validation import PerformanceGate

        _, test, target = _split(ctx, n_rows, seed, test_size)
        report = PerformanceGate(None).check(ctx["model"], *_xy(test, target))
        metrics = {r["metric"]: r["value"] for r in report.checks if r["value"] is not None}
        ctx["metrics"] = metrics
        shown = ", ".join(f"{k} {v:.3f}" for k, v in metrics.items())
        return {"message": shown, "metrics": metrics}

    def gate(ctx):
        from mlops_kit.validation import PerformanceGate

        _, test, target = _split(ctx, n_rows, seed, test_size)
        run = ctx["run"]
        report = PerformanceGate(
            thresholds,
            champion=model_name,
            alias=alias,
            max_drop=max_drop,
            if_no_champion="pass",
            tracking_uri=run.tracking_uri,
        ).check(ctx["model"], *_xy(test, target))
        report.log_to_mlflow(run.run_id, tracking_uri=run.tracking_uri)
        ctx["gate_report"] = report
        return {"passed": report.passed, "message": report.summary()}

    def register(ctx):
        from mlops_kit import tracking

        run = ctx["run"]
        run.flush()
        info = tracking.register(
            ctx["model"], model_name, run_id=run.run_id, tracking_uri=run.tracking_uri
        )
        ctx["version"] = info
        return {
            "message": f"{model_name} version {info.version}",
            "metrics": {"version": info.version},
        }

    def deploy(ctx):
        from mlops_kit import tracking

        run, info = ctx["run"], ctx["version"]
        reason = f"pipeline run {run.run_id}: {ctx['gate_report'].summary()}"
        tracking.promote(
            model_name, info.version, alias, reason=reason, tracking_uri=run.tracking_uri
        )
        return {"message": f"{model_name}@{alias} -> version {info.version}"}

    def monitor(ctx):
        from mlops_kit.validation import DriftCheck

        train_frame, test, target = _split(ctx, n_rows, seed, test_size)
        drift = DriftCheck().run(train_frame.drop(columns=[target]), test.drop(columns=[target]))
        drift.log_to_mlflow(ctx["run"].run_id, tracking_uri=ctx["run"].tracking_uri)
        ctx["drift"] = drift
        passed = not (fail_on_drift and drift.dataset_drift)
        return {
            "passed": passed,
            "message": drift.summary(),
            "metrics": {"drift_share": drift.share_drifted},
        }

    return [
        Stage("validate_data", validate_data, gate=True),
        Stage("train", train),
        Stage("evaluate", evaluate),
        Stage("gate", gate, gate=True),
        Stage("register", register),
        Stage("deploy", deploy),
        Stage("monitor", monitor),
    ]
