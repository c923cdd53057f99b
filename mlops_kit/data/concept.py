"""The known "concept" behind each sample dataset: a linear predictor of the features.

A concept holds the coefficients that turn a row of features into the
expected target (a default probability through the logistic link, or a mean
demand through the log link). Because the concept is known, drift injection
can redraw targets from *the same* concept (covariate and category-mix shift:
P(y|x) unchanged) or from a *changed* one (concept drift).

Numeric terms are standardised, ``coef * (f(x) - center) / scale`` where
``f`` is ``log1p`` for the columns in ``LOG_COLUMNS`` and the identity
otherwise; categorical terms add a fixed effect per level (0 for unknown
levels).

Examples
--------
>>> from mlops_kit.data import get_concept
>>> concept = get_concept("credit")
>>> concept.task, concept.target_column
('classification', 'default')
>>> concept.drifted(1.0, ["credit_score"]).numeric["credit_score"][2] == -concept.numeric[
...     "credit_score"
... ][2]
True
"""

from __future__ import annotations

import importlib
from typing import ClassVar

from mlops_kit.errors import ColumnError, InputError

__all__ = ["LinearConcept", "dataset_of", "get_concept"]

_REGISTRY = {
    "credit": ("mlops_kit.data.credit", "CreditConcept"),
    "demand": ("mlops_kit.data.demand", "DemandConcept"),
}
ATTR_DATASET = "mlops_kit_dataset"
ATTR_DRIFT = "mlops_kit_drift"


class LinearConcept:
    """Base class of the sample-data concepts (subclassed per dataset).

    Parameters
    ----------
    intercept : float, optional
        Intercept of the linear predictor; the class default when omitted.
    numeric : dict, optional
        ``{column: (center, scale, coefficient)}``; the class default when omitted.
    categorical : dict, optional
        ``{column: {level: effect}}``; the class default when omitted.

    Examples
    --------
    >>> from mlops_kit.data import CreditConcept
    >>> CreditConcept(intercept=-1.0).intercept
    -1.0
    """

    name: ClassVar[str] = ""
    task: ClassVar[str] = ""
    time_column: ClassVar[str] = ""
    target_column: ClassVar[str] = ""
    id_column: ClassVar[str] = "id"
    INTERCEPT: ClassVar[float] = 0.0
    NUMERIC: ClassVar[dict[str, tuple[float, float, float]]] = {}
    LOG_COLUMNS: ClassVar[frozenset[str]] = frozenset()
    CATEGORICAL: ClassVar[dict[str, dict]] = {}
    #: default ``columns`` of :func:`~mlops_kit.data.inject_drift`, per drift kind
    DEFAULT_COLUMNS: ClassVar[dict[str, tuple[str, ...]]] = {}

    def __init__(self, *, intercept=None, numeric=None, categorical=None):
        self.intercept = float(self.INTERCEPT if intercept is None else intercept)
        self.numeric = dict(self.NUMERIC if numeric is None else numeric)
        self.categorical = {
            k: dict(v)
            for k, v in (self.CATEGORICAL if categorical is None else categorical).items()
        }

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(intercept={self.intercept:.3g}, "
            f"{len(self.numeric)} numeric and {len(self.categorical)} categorical terms)"
        )

    def __eq__(self, other) -> bool:
        return (
            type(self) is type(other)
            and self.intercept == other.intercept
            and self.numeric == other.numeric
            and self.categorical == other.categorical
        )

    __hash__ = None  # mutable dicts inside

    @property
    def feature_columns(self) -> list[str]:
        """The columns the concept reads (numeric first, then categorical)."""
        return [*self.numeric, *self.categorical]

    def linear_predictor(self, X):
        """Return the linear predictor (logit or log-mean) of each row of ``X``.

        Parameters
        ----------
        X : pandas.DataFrame
            Must hold every column of :attr:`feature_columns`.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> import numpy as np
        >>> from mlops_kit.data import CreditConcept
        >>> c = CreditConcept()
        >>> X = c.features(3, np.random.default_rng(0))
        >>> c.linear_predictor(X).shape
        (3,)
        """
        import numpy as np

        missing = [c for c in self.feature_columns if c not in X.columns]
        if missing:
            raise ColumnError(
                f"Column {missing[0]!r} is needed by the {self.name} concept but is not in "
                f"the frame; the frame's columns are {list(map(str, X.columns))}."
            )
        eta = np.full(len(X), self.intercept, dtype=float)
        for column, (center, scale, coef) in self.numeric.items():
            x = X[column].to_numpy(dtype=float)
            if column in self.LOG_COLUMNS:
                x = np.log1p(np.clip(x, 0.0, None))
            eta += coef * (x - center) / scale
        for column, effects in self.categorical.items():
            eta += X[column].map(effects).astype(float).fillna(0.0).to_numpy()
        return eta

    def drifted(self, severity: float, columns) -> LinearConcept:
        """Return a new concept whose terms for ``columns`` are scaled by ``1 - 2 * severity``.

        Severity 0 keeps the concept, 0.5 makes the named features irrelevant and 1
        flips the sign of their effect.

        Examples
        --------
        >>> from mlops_kit.data import CreditConcept
        >>> c = CreditConcept().drifted(0.5, ["region"])
        >>> set(c.categorical["region"].values())
        {0.0}
        """
        factor = 1.0 - 2.0 * float(severity)
        numeric = dict(self.numeric)
        categorical = {k: dict(v) for k, v in self.categorical.items()}
        for column in columns:
            if column in numeric:
                center, scale, coef = numeric[column]
                numeric[column] = (center, scale, coef * factor)
            elif column in categorical:
                categorical[column] = {k: v * factor for k, v in categorical[column].items()}
            else:
                raise ColumnError(
                    f"Column {column!r} is not a feature of the {self.name} concept; its "
                    f"features are {self.feature_columns}."
                )
        return type(self)(intercept=self.intercept, numeric=numeric, categorical=categorical)

    def to_frame(self):
        """The coefficients as a tidy table: ``term``, ``level``, ``coefficient``.

        Examples
        --------
        >>> from mlops_kit.data import DemandConcept
        >>> list(DemandConcept().to_frame().columns)
        ['term', 'level', 'transform', 'coefficient']
        """
        import pandas as pd

        rows = [{"term": "intercept", "level": None, "transform": None, "coefficient": 0.0}]
        rows[0]["coefficient"] = self.intercept
        for column, (center, scale, coef) in self.numeric.items():
            f = "log1p" if column in self.LOG_COLUMNS else "x"
            rows.append(
                {
                    "term": column,
                    "level": None,
                    "transform": f"({f} - {center:.4g}) / {scale:.4g}",
                    "coefficient": coef,
                }
            )
        for column, effects in self.categorical.items():
            for level, effect in effects.items():
                rows.append(
                    {"term": column, "level": level, "transform": None, "coefficient": effect}
                )
        return pd.DataFrame(rows)

    # --- implemented by each dataset -------------------------------------------------
    def features(self, n, rng, *, start="2023-01-01", months=18):  # pragma: no cover
        """Draw ``n`` rows of features (with the time column), sorted by time."""
        raise NotImplementedError

    def expected(self, X):  # pragma: no cover
        """Expected target of each row: P(y=1|x) or E[y|x]."""
        raise NotImplementedError

    def target(self, X, rng):  # pragma: no cover
        """Draw the target of each row of ``X`` from the concept."""
        raise NotImplementedError


def get_concept(dataset) -> LinearConcept:
    """Return the base concept of a dataset, by name or from a generated frame.

    Parameters
    ----------
    dataset : {"credit", "demand"} or pandas.DataFrame
        A dataset name, or a frame made by :func:`make_credit`/:func:`make_demand`.

    Returns
    -------
    LinearConcept
        A fresh :class:`CreditConcept` or :class:`DemandConcept` (drift recorded in
        the frame's attrs is not applied).

    Examples
    --------
    >>> from mlops_kit.data import get_concept, make_demand
    >>> type(get_concept(make_demand(n_rows=10))).__name__
    'DemandConcept'
    """
    name = dataset if isinstance(dataset, str) else dataset_of(dataset)
    if name not in _REGISTRY:
        raise InputError.invalid("dataset", name, f"one of {sorted(_REGISTRY)} or a sample frame")
    module, cls = _REGISTRY[name]
    return getattr(importlib.import_module(module), cls)()


def dataset_of(df) -> str:
    """Name of the sample dataset ``df`` comes from (attrs first, then its columns).

    Examples
    --------
    >>> from mlops_kit.data import make_credit
    >>> dataset_of(make_credit(n_rows=5))
    'credit'
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise InputError.invalid("df", type(df).__name__, "a pandas DataFrame")
    name = df.attrs.get(ATTR_DATASET)
    if name in _REGISTRY:
        return name
    for candidate, (module, cls) in _REGISTRY.items():
        concept = getattr(importlib.import_module(module), cls)
        if {concept.time_column, concept.target_column} <= set(df.columns):
            return candidate
    raise InputError.invalid(
        "df",
        f"a frame with columns {list(map(str, df.columns))[:12]}",
        "a frame made by make_credit or make_demand "
        f"(df.attrs[{ATTR_DATASET!r}] in {sorted(_REGISTRY)})",
    )
