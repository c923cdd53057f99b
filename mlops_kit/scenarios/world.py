"""The production world a scenario plays in: sample data by month, models, quality and cost.

A world is :data:`TRAIN_MONTHS` months of training data from
:func:`~mlops_kit.data.make_credit` followed by ``months`` production
periods (calendar months). The original model (scaled logistic regression on
the numeric features) is trained on the training months. A period's quality
is the served model's ROC AUC on that month's applications (the kit's metric
registry); its cost is ``cost_per_month`` times the share of the original
model's lift over chance (AUC 0.5) that was lost against what the original
model would have scored on the same month had nothing gone wrong (after a
drift: what a model retrained on the changed world scores, since no practice
can undo the change itself, only the time a stale model keeps serving).

Examples
--------
>>> from mlops_kit.scenarios.catalogue import ScenarioParams
>>> world = build_world(ScenarioParams(months=3, incident_period=2, rows_per_month=300), seed=0)
>>> len(world.periods), round(world.reference_quality[0], 2) > 0.75
(3, True)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "TRAIN_MONTHS",
    "Arm",
    "World",
    "build_world",
    "costs",
    "fit_model",
    "lost_share",
    "period_of",
    "quality",
]

#: months of training data before production starts
TRAIN_MONTHS = 3
_START = pd.Timestamp("2023-01-01")


@dataclass
class World:
    """The data and the original model of one simulation."""

    data: pd.DataFrame  # every row, clean, sorted by time
    features: list
    target: str
    time_column: str
    train: pd.DataFrame
    periods: list  # clean production months
    starts: list  # first day of each production month (naive timestamps)
    model: object
    reference_quality: list  # the original model on each clean month
    seed: int
    incident_period: int  # 1-based production period in which the incident starts
    cache: dict = field(default_factory=dict, repr=False)  # work both arms share

    @property
    def incident_start(self) -> pd.Timestamp:
        """First day of the incident's period."""
        return self.starts[self.incident_period - 1]

    def months_of(self, frame: pd.DataFrame) -> list:
        """Split ``frame`` (same rows as :attr:`data`) into production months."""
        times = frame[self.time_column]
        bounds = [*self.starts, self.starts[-1] + pd.DateOffset(months=1)]
        return [
            frame[(times >= lo) & (times < hi)].reset_index(drop=True)
            for lo, hi in itertools.pairwise(bounds)
        ]

    def before(self, period: int, frame: pd.DataFrame | None = None) -> pd.DataFrame:
        """Rows of ``frame`` (default: the clean data) before production period ``period``."""
        frame = self.data if frame is None else frame
        return frame[frame[self.time_column] < self.starts[period - 1]]


@dataclass
class Arm:
    """One side of a simulation: the quality per period and when the problem was handled."""

    quality: list
    caught: int | None  # period in which the problem was caught (None: never in the horizon)
    recovered: int | None  # first period served by a good model again (None: never)
    evidence: list = field(default_factory=list)
    reference: list | None = None  # what a good model scores per period (default: the world's)

    def reference_of(self, world: World) -> list:
        """The quality a good model reaches in each period of this arm's world."""
        return list(world.reference_quality if self.reference is None else self.reference)


def fit_model(frame: pd.DataFrame, features, target, drop=(), C=1.0):
    """A scaled logistic regression on ``features`` (minus ``drop``), fitted on ``frame``.

    It takes every feature column at predict time and uses only the kept ones, so
    a model that lost columns still serves the same requests.

    Examples
    --------
    >>> from mlops_kit.data import make_credit
    >>> df = make_credit(n_rows=300, seed=0)
    >>> m = fit_model(df, ["credit_score", "income"], "default", drop=["income"])
    >>> m.predict_proba(df[["credit_score", "income"]]).shape
    (300, 2)
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    kept = [f for f in features if f not in set(drop)]
    model = make_pipeline(
        ColumnTransformer([("kept", StandardScaler(), kept)]),
        LogisticRegression(C=C, max_iter=1000),
    )
    return model.fit(frame[list(features)], frame[target])


def quality(model, frame: pd.DataFrame, features, target, cache: dict | None = None) -> float:
    """ROC AUC of ``model`` on ``frame`` (the kit's metric registry).

    ``cache`` (a dict) keeps the value for the same model and frame objects.

    Examples
    --------
    >>> from mlops_kit.data import make_credit
    >>> df = make_credit(n_rows=400, seed=0)
    >>> m = fit_model(df, ["credit_score"], "default")
    >>> 0.5 < quality(m, df, ["credit_score"], "default") < 1
    True
    """
    from mlops_kit.metrics import compute_metric

    key = (id(model), id(frame))
    if cache is not None and key in cache:
        return cache[key][2]
    scores = model.predict_proba(frame[list(features)])[:, 1]
    value = float(compute_metric("roc_auc", frame[target], y_score=scores))
    if cache is not None:  # keep both objects alive so their ids stay theirs
        cache[key] = (model, frame, value)
    return value


def build_world(params, seed: int = 0) -> World:
    """Make the sample data, train the original model and score it on every clean month."""
    from mlops_kit.data import get_concept, make_credit

    total = TRAIN_MONTHS + params.months
    data = make_credit(n_rows=params.rows_per_month * total, seed=seed, months=total)
    concept = get_concept(data)
    features = list(concept.NUMERIC)
    target, time_col = concept.target_column, concept.time_column
    production = _START + pd.DateOffset(months=TRAIN_MONTHS)
    starts = [production + pd.DateOffset(months=i) for i in range(params.months)]
    train = data[data[time_col] < production].reset_index(drop=True)
    model = fit_model(train, features, target)
    world = World(
        data=data,
        features=features,
        target=target,
        time_column=time_col,
        train=train,
        periods=[],
        starts=starts,
        model=model,
        reference_quality=[],
        seed=seed,
        incident_period=params.incident_period,
    )
    world.periods = world.months_of(data)
    world.reference_quality = [
        quality(model, p, features, target, world.cache) for p in world.periods
    ]
    return world


def period_of(world: World, when) -> int:
    """The 1-based production period that contains time ``when`` (naive or UTC)."""
    when = pd.Timestamp(when)
    if when.tzinfo is not None:
        when = when.tz_convert("UTC").tz_localize(None)
    return sum(1 for start in world.starts if start <= when)


def costs(world: World, arm: Arm, cost_per_month: float) -> list[float]:
    """Cost of each period: ``cost_per_month`` times the share of lift lost."""
    out = []
    for q, ref in zip(arm.quality, arm.reference_of(world), strict=True):
        lift = max(ref - 0.5, 1e-9)
        out.append(cost_per_month * float(np.clip((ref - q) / lift, 0.0, 1.0)))
    return out


def lost_share(world: World, arm: Arm) -> float:
    """Sum over periods of the share of lift lost (the cost in units of ``cost_per_month``)."""
    return float(sum(costs(world, arm, 1.0)))
