"""Simulated production on the sample data: a real model's predictions written to a log.

Used by the tutorial, the dashboard template, the tests and the benchmarks:
a scikit-learn model is trained on the first months of
:func:`~mlops_kit.data.make_credit`, then scores the following months (with
drift injected part-way by :func:`~mlops_kit.data.inject_drift`) and every
prediction is appended to a :class:`~mlops_kit.monitoring.log.PredictionLog`,
with its label arriving ``label_delay`` later.

Examples
--------
>>> import tempfile, os
>>> from mlops_kit.monitoring.log import PredictionLog
>>> log = PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db"))
>>> sim = simulate_production(log, n_rows=2_000, months=4, drift_month=2, seed=0)
>>> len(log) == sim.n_logged, str(sim.drift_start.date())
(True, '2023-06-01')
>>> str(sim.drift_start.tz)
'UTC'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mlops_kit._params import Interval, Options, check_param
from mlops_kit.errors import InputError

__all__ = ["Simulation", "simulate_production"]

#: months of data before production: the model is trained and the reference taken there
TRAIN_MONTHS = 3


@dataclass
class Simulation:
    """What :func:`simulate_production` made: the model, its reference and the drift start."""

    model: object
    features: list
    reference: pd.DataFrame
    reference_predictions: np.ndarray
    reference_labels: np.ndarray
    production_start: pd.Timestamp  # UTC
    drift_start: pd.Timestamp | None  # UTC
    n_logged: int
    n_labelled: int
    data: pd.DataFrame | None = None  # every row made: training months and production, labelled


def simulate_production(
    log,
    n_rows=24_000,
    months=12,
    drift="concept",
    drift_month=6,
    severity=0.8,
    label_delay="0D",
    seed=0,
    start="2023-01-01",
):
    """Train a model, then log ``months`` of its production predictions (and labels).

    Parameters
    ----------
    log : PredictionLog
        Where the predictions go.
    n_rows : int, default 24_000
        Production predictions (the training months add a quarter as many).
    months : int, default 12
        Months of production.
    drift : {"concept", "covariate", None} or list of them
        What changes from ``drift_month`` on: P(y|x) (``credit_score`` and
        ``debt_to_income`` lose their meaning) or P(x) (``loan_amount`` and
        ``debt_to_income`` move up); ``None`` for no drift; a list applies
        each kind in turn (a recession: inputs move *and* mean something else).
    drift_month : int, default 6
        Months into production when the drift starts.
    severity : float or list of float, default 0.8
        Strength of the drift in [0, 1]; a list gives one per kind of ``drift``.
    label_delay : str or pandas.Timedelta, default "0D"
        Labels of predictions made later than ``end - label_delay`` have not
        arrived yet and are not logged.
    seed : int
        Seed of the data, the drift and the latencies.
    start : str
        First day of the training months.

    Returns
    -------
    Simulation
        With ``data``, every row made (training months and production, with
        the true target), to score or retrain other models on the same traffic.

    Examples
    --------
    >>> import tempfile, os
    >>> from mlops_kit.monitoring.log import PredictionLog
    >>> log = PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db"))
    >>> sim = simulate_production(log, n_rows=1_000, months=2, drift=["covariate", "concept"],
    ...                           drift_month=1, severity=[0.5, 1.0])
    >>> sim.data.attrs["mlops_kit_drift"][-1]["kind"], len(sim.data) > sim.n_logged
    ('concept', True)
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from mlops_kit.data import get_concept, inject_drift, make_credit

    check_param("n_rows", n_rows, [Interval(int, 10, None)])
    check_param("months", months, [Interval(int, 1, None)])
    kinds = list(drift) if isinstance(drift, (list, tuple)) else [drift]
    for i, kind in enumerate(kinds):
        name = (
            "drift" if len(kinds) == 1 and not isinstance(drift, (list, tuple)) else f"drift[{i}]"
        )
        check_param(name, kind, [None, Options("concept", "covariate")])
    kinds = [k for k in kinds if k is not None]
    severities = list(severity) if isinstance(severity, (list, tuple)) else [severity] * len(kinds)
    if len(severities) != len(kinds):
        raise InputError.invalid(
            "severity", f"{len(severities)} values", f"one per kind of drift ({len(kinds)})"
        )
    for i, value in enumerate(severities):
        check_param(
            f"severity[{i}]" if len(severities) > 1 else "severity", value, [Interval(float, 0, 1)]
        )
    check_param("drift_month", drift_month, [Interval(int, 0, months - 1)])
    total_months = months + TRAIN_MONTHS
    df = make_credit(
        n_rows=n_rows * total_months // months, seed=seed, start=start, months=total_months
    )
    begin = pd.Timestamp(start)
    production_start = begin + pd.DateOffset(months=TRAIN_MONTHS)
    drift_start = None
    if kinds:
        drift_start = production_start + pd.DateOffset(months=drift_month)
        for i, (kind, value) in enumerate(zip(kinds, severities, strict=True)):
            df = inject_drift(df, kind, severity=value, start=drift_start, seed=seed + i)
    concept = get_concept(df)
    features = list(concept.NUMERIC)
    time_col, target = concept.time_column, concept.target_column
    train = df[df[time_col] < production_start]
    prod = df[df[time_col] >= production_start].reset_index(drop=True)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(train[features], train[target])
    reference = train[features].reset_index(drop=True)
    ref_scores = model.predict_proba(reference)[:, 1]

    rng = np.random.default_rng(seed)
    proba = model.predict_proba(prod[features])[:, 1]
    frame = prod[features].copy()
    frame.insert(0, "id", "p" + prod[concept.id_column].astype(str))
    frame.insert(1, "time", pd.to_datetime(prod[time_col]))
    frame["model"], frame["version"] = "credit-default", "1"
    frame["prediction"] = (proba >= 0.5).astype(int)
    frame["probability"] = proba
    frame["latency_ms"] = np.round(rng.lognormal(np.log(8.0), 0.35, len(frame)), 3)
    log.append(frame)
    cutoff = frame["time"].max() - pd.Timedelta(label_delay)
    labelled = frame["time"] <= cutoff
    n_labelled = log.add_labels(
        pd.DataFrame({"id": frame.loc[labelled, "id"], "label": prod.loc[labelled, target]}),
        time=frame["time"].max(),
    )
    return Simulation(
        model=model,
        features=features,
        reference=reference,
        reference_predictions=ref_scores,
        reference_labels=train[target].to_numpy(),
        production_start=production_start.tz_localize("UTC"),
        drift_start=None if drift_start is None else drift_start.tz_localize("UTC"),
        n_logged=len(frame),
        n_labelled=n_labelled,
        data=df,
    )
