"""Scenarios where the model changes: a worse release, no rollback, an unapproved promotion,
an experiment nobody can reproduce.

The practices run for real: :class:`~mlops_kit.validation.PerformanceGate`
against the champion; :func:`~mlops_kit.tracking.register`,
:func:`~mlops_kit.tracking.promote` and :func:`~mlops_kit.tracking.rollback`
on a SQLite MLflow store in a temporary folder (:class:`TempStore`); a
:class:`~mlops_kit.governance.GovernancePolicy` that makes ``promote`` refuse;
a tracked run whose parameters and dataset fingerprint rebuild the model.
Which model serves a period is what the registry's ``champion`` alias says.

Examples
--------
>>> from mlops_kit.scenarios.catalogue import load_catalogue
>>> from mlops_kit.scenarios.world import build_world
>>> params = load_catalogue().scenario("worse_model_released").params
>>> world = build_world(params.model_copy(update={"months": 5}), seed=0)
>>> run_release(world, params, active=True, months_unnoticed=6).caught
4
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import warnings

import numpy as np
import pandas as pd

from mlops_kit.scenarios.incidents_data import monitor, noticed
from mlops_kit.scenarios.world import Arm, World, fit_model, quality

__all__ = [
    "TempStore",
    "candidate",
    "run_approval",
    "run_release",
    "run_reproduce",
    "run_rollback",
    "temp_store",
]

MODEL = "credit-default"
AUTHOR, VALIDATOR = "data-scientist", "model-validator"


class TempStore:
    """A SQLite MLflow store in a temporary folder, removed on :meth:`close`.

    MLflow's global tracking and registry URIs are put back as they were, so a
    simulation never redirects the user's own logging.
    """

    def __init__(self):
        self._folder = None
        self._uris = None

    @property
    def uri(self) -> str:
        """The store's URI (created on first use)."""
        if self._folder is None:
            import mlflow

            from mlops_kit.tracking.store import get_client

            self._uris = (mlflow.get_tracking_uri(), mlflow.get_registry_uri())
            self._folder = tempfile.mkdtemp(prefix="mlops-kit-scenario-")
            get_client(f"sqlite:///{self._folder}/mlruns.db")
        return f"sqlite:///{self._folder}/mlruns.db"

    def close(self) -> None:
        """Restore MLflow's URIs and delete the folder."""
        if self._folder is None:
            return
        import mlflow

        while mlflow.active_run() is not None:
            mlflow.end_run()
        mlflow.set_tracking_uri(self._uris[0])
        mlflow.set_registry_uri(self._uris[1])
        shutil.rmtree(self._folder, ignore_errors=True)
        self._folder = None


def candidate(world: World, params):
    """The retrained candidate: the last three months before the incident, minus the dropped
    columns (a training query that lost them in a refactor)."""
    start = world.incident_start - pd.DateOffset(months=3)
    rows = world.data[
        (world.data[world.time_column] >= start)
        & (world.data[world.time_column] < world.incident_start)
    ]
    return fit_model(rows, world.features, world.target, drop=params.candidate_drops)


def _scores(world: World, served: list) -> list[float]:
    return [
        quality(m, f, world.features, world.target, world.cache)
        for m, f in zip(served, world.periods, strict=True)
    ]


def _serve(world: World, bad, first: int, recovered: int | None, good=None) -> list:
    n = len(world.periods)
    out = [world.model] * n
    stop = n if recovered is None else recovered - 1
    out[first - 1 : stop] = [bad] * (stop - first + 1)
    if good is not None and recovered is not None:
        out[recovered - 1 :] = [good] * (n - recovered + 1)
    return out


def _validation(world: World):
    last = world.periods[world.incident_period - 2]  # the month before the incident, labelled
    return last[world.features], last[world.target]


def _gate(world: World, params, model):
    from mlops_kit.validation import PerformanceGate

    X, y = _validation(world)
    gate = PerformanceGate({"roc_auc": f">= {params.min_quality}"}, champion=world.model)
    return gate.check(model, X, y)


def run_release(world: World, params, active: bool, months_unnoticed: int) -> Arm:
    """A worse candidate; with the practice a performance gate stops it before release."""
    bad, first = candidate(world, params), world.incident_period
    evidence = []
    if active:
        report = _gate(world, params, bad)
        evidence.append(f"PerformanceGate vs the champion: {report.summary()}")
        if not report.passed:
            evidence.append("release stopped: the champion keeps serving")
            return Arm(list(world.reference_quality), first, first, evidence)
    caught = noticed(world, first, months_unnoticed)
    recovered = None if caught is None or caught >= len(world.periods) else caught + 1
    evidence.append(f"released without a gate; noticed in period {caught}, then replaced")
    served = _serve(world, bad, first, recovered)
    return Arm(_scores(world, served), caught, recovered, evidence)


def _register(store: TempStore, model, name: str, X) -> int:
    from mlops_kit.tracking import register

    with warnings.catch_warnings():  # the model's 0/1 output is an integer column: MLflow says so
        warnings.filterwarnings("ignore", "Hint: Inferred schema contains integer", UserWarning)
        info = register(
            model,
            name,
            input_example=X.head(3).astype(float),
            tracking_uri=store.uri,
            tags={"mlops_kit.author": AUTHOR},
        )
    return int(info.version)


def run_rollback(world: World, params, active: bool, months_unnoticed: int, store=None) -> Arm:
    """A bad release caught by monitoring; with the registry one call rolls it back."""
    from mlops_kit import tracking

    bad, first, n = candidate(world, params), world.incident_period, len(world.periods)
    served = _serve(world, bad, first, None)
    caught, evidence = monitor(world, params, world.periods, served)
    if caught is None:
        caught = noticed(world, first, months_unnoticed)
    if active:
        name, X = f"{MODEL}-rollback", world.train[world.features]
        models = {_register(store, world.model, name, X): world.model}
        tracking.promote(name, min(models), reason="first model", tracking_uri=store.uri)
        models[_register(store, bad, name, X)] = bad
        tracking.promote(name, max(models), reason="retrained", tracking_uri=store.uri)
        back = None
        if caught is not None:
            info = tracking.rollback(name, reason="roc_auc alert", tracking_uri=store.uri)
            back = models[int(info.version)]
            evidence.append(f"tracking.rollback: champion back to version {info.version}")
        recovered = None if caught is None or caught >= n else caught + 1
        return Arm(
            _scores(world, _serve(world, bad, first, recovered, back)), caught, recovered, evidence
        )
    recovered = None if caught is None else caught + 1 + params.rebuild_months
    recovered = None if recovered is None or recovered > n else recovered
    rebuilt = None
    if recovered is not None:
        rebuilt = fit_model(
            world.before(recovered).tail(3 * params.rows_per_month), world.features, world.target
        )
    evidence.append(
        f"no earlier version kept: a model is rebuilt in {params.rebuild_months} month(s) "
        "while the bad one serves"
    )
    return Arm(
        _scores(world, _serve(world, bad, first, recovered, rebuilt)), caught, recovered, evidence
    )


def run_approval(world: World, params, active: bool, months_unnoticed: int, store=None) -> Arm:
    """The author promotes their own candidate; a governance policy refuses without approval."""
    from mlops_kit import governance, tracking
    from mlops_kit.errors import GateFailedError

    bad, first, n = candidate(world, params), world.incident_period, len(world.periods)
    name = f"{MODEL}-{'policy' if active else 'no-policy'}"
    X = world.train[world.features]
    models = {_register(store, world.model, name, X): world.model}
    tracking.promote(name, min(models), user=AUTHOR, tracking_uri=store.uri)
    if active:
        governance.set_policy(name, governance.GovernancePolicy(), tracking_uri=store.uri)
    version = _register(store, bad, name, X)
    models[version] = bad
    evidence = []
    try:
        tracking.promote(name, version, user=AUTHOR, reason="ship it", tracking_uri=store.uri)
    except GateFailedError as exc:
        evidence.append(f"promote refused: {exc}")
        report = _gate(world, params, bad)
        governance.approve(
            name,
            version,
            "reject",
            by=VALIDATOR,
            notes=report.summary(),
            evidence={"roc_auc_gate": report.passed},
            tracking_uri=store.uri,
        )
        evidence.append(f"the validator reviews it: {report.summary()} -> rejected")
    served_version = tracking.current(name, tracking_uri=store.uri).version
    if int(served_version) != version:
        return Arm(list(world.reference_quality), first, first, evidence)
    evidence.append(f"version {version} became champion with no review")
    caught = noticed(world, first, months_unnoticed)
    recovered = None
    if caught is not None and caught < n:
        info = tracking.rollback(name, reason="bad predictions", tracking_uri=store.uri)
        recovered = caught + 1
        evidence.append(f"noticed in period {caught}; rolled back to version {info.version}")
    return Arm(_scores(world, _serve(world, bad, first, recovered)), caught, recovered, evidence)


def run_reproduce(world: World, params, active: bool, months_unnoticed: int, store=None) -> Arm:
    """The served model is lost at the end of the incident's period and must be rebuilt."""
    from mlops_kit import tracking
    from mlops_kit.tracking.store import get_client

    first, n = world.incident_period, len(world.periods)
    after = min(first + 1, n)
    evidence = []
    if active:
        window = (str(world.train[world.time_column].min()), str(world.starts[0]))
        with tracking.start_run(
            "credit-default",
            params={
                "C": 1.0,
                "features": ",".join(world.features),
                "train_from": window[0],
                "train_to": window[1],
            },
            seed=world.seed,
            dataset={"train": world.train[[*world.features, world.target]]},
            tracking_uri=store.uri,
        ) as run:
            run_id = run.run_id
        logged = get_client(store.uri).get_run(run_id).data
        p = logged.params
        times = world.data[world.time_column]
        rows = world.data[
            (times >= pd.Timestamp(p["train_from"])) & (times < pd.Timestamp(p["train_to"]))
        ]
        features = p["features"].split(",")
        same = tracking.fingerprint(rows[[*features, world.target]].reset_index(drop=True))
        expected = logged.tags.get("mlops_kit.fingerprint.train")
        rebuilt = fit_model(rows, features, world.target, C=float(p["C"]))
        Xv, _ = _validation(world)
        gap = float(
            np.abs(rebuilt.predict_proba(Xv)[:, 1] - world.model.predict_proba(Xv)[:, 1]).max()
        )
        evidence.append(
            f"rebuilt from the run's params and data: fingerprint "
            f"{'matches' if same == expected else 'DIFFERS'}; "
            f"largest prediction difference {gap:.1e}"
        )
        if same == expected and gap < 1e-9:
            return Arm(list(world.reference_quality), first, after, evidence)
    guess = fit_model(
        world.before(after).tail(3 * params.rows_per_month),
        world.features,
        world.target,
        drop=params.forgotten_features,
    )
    caught = noticed(world, after, months_unnoticed)
    recovered = None if caught is None or caught >= n else caught + 1
    good = None
    if recovered is not None:
        good = fit_model(
            world.before(recovered).tail(3 * params.rows_per_month), world.features, world.target
        )
    evidence.append(
        "no tracked run: rebuilt from memory (a later window, without "
        f"{params.forgotten_features}); "
        f"noticed in period {caught}"
    )
    return Arm(
        _scores(world, _serve(world, guess, after, recovered, good)), caught, recovered, evidence
    )


@contextlib.contextmanager
def temp_store():
    """A :class:`TempStore` closed on exit."""
    store = TempStore()
    try:
        yield store
    finally:
        store.close()
