"""Synthetic daily product demand per store with a known log-linear concept.

Examples
--------
>>> from mlops_kit.data import make_demand
>>> df = make_demand(n_rows=1_000, seed=1)
>>> df.shape
(1000, 13)
>>> bool((df["demand"] > 0).all())
True
"""

from __future__ import annotations

from typing import ClassVar

from mlops_kit.data._checks import check_int, check_seed, draw_dates
from mlops_kit.data.concept import ATTR_DATASET, LinearConcept

__all__ = ["DemandConcept", "make_demand"]

REGIONS = ["north", "south", "east", "west", "central"]
SIZES = ["small", "medium", "large"]
CATEGORIES = ["grocery", "beverages", "household", "personal_care", "snacks"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
#: (month, day) of the holidays, the same every year
HOLIDAYS = {(1, 1), (2, 14), (5, 1), (7, 4), (10, 31), (11, 24), (12, 24), (12, 25), (12, 31)}
_BASE_PRICE = {
    "grocery": 4.0,
    "beverages": 2.5,
    "household": 7.0,
    "personal_care": 6.0,
    "snacks": 3.0,
}
_REGION_TEMP = {"north": -5.0, "south": 6.0, "east": 0.0, "west": 2.0, "central": -1.0}


class DemandConcept(LinearConcept):
    """The concept behind :func:`make_demand`: ``demand = exp(eta(x)) * noise``.

    ``eta`` is the standardised linear predictor documented in
    :class:`~mlops_kit.data.LinearConcept` (the log of the expected demand) and
    the noise is log-normal with mean 1 (``NOISE_SIGMA`` on the log scale), so
    ``E[demand | x] = exp(eta(x))``. Price lowers demand; promotions, discounts,
    warm days, weekends, holidays and large stores raise it.

    Examples
    --------
    >>> import numpy as np
    >>> from mlops_kit.data import DemandConcept
    >>> concept = DemandConcept()
    >>> X = concept.features(200, np.random.default_rng(0))
    >>> bool((concept.expected(X) > 0).all())
    True
    """

    name = "demand"
    task = "regression"
    time_column = "date"
    target_column = "demand"
    NOISE_SIGMA = 0.25
    INTERCEPT = 3.0
    NUMERIC: ClassVar[dict[str, tuple[float, float, float]]] = {
        "price": (1.62, 0.36, -0.3),
        "discount_pct": (4.0, 8.0, 0.2),
        "temperature": (12.5, 10.0, 0.2),
        "competitor_price": (1.63, 0.37, 0.1),
    }
    LOG_COLUMNS = frozenset({"price", "competitor_price"})
    CATEGORICAL: ClassVar[dict[str, dict]] = {
        "product_category": {
            "grocery": 0.6,
            "beverages": 0.3,
            "household": -0.5,
            "personal_care": -0.6,
            "snacks": 0.2,
        },
        "store_size": {"small": -0.45, "medium": 0.0, "large": 0.45},
        "store_region": {"north": -0.05, "south": 0.05, "east": 0.1, "west": 0.0, "central": -0.1},
        "day_of_week": {
            "Mon": -0.12,
            "Tue": -0.1,
            "Wed": -0.08,
            "Thu": -0.04,
            "Fri": 0.08,
            "Sat": 0.2,
            "Sun": 0.1,
        },
        "promo": {True: 0.25, False: 0.0},
        "is_holiday": {True: 0.3, False: 0.0},
    }
    DEFAULT_COLUMNS: ClassVar[dict[str, tuple[str, ...]]] = {
        "covariate": ("price", "temperature"),
        "category_mix": ("product_category",),
        "concept": ("price", "promo"),
        "label": ("demand",),
    }

    def features(self, n, rng, *, start="2023-01-01", months=24):
        """Draw ``n`` store-product-days (every column but ``id`` and ``demand``), sorted by date.

        Parameters
        ----------
        n : int
            Number of rows.
        rng : numpy.random.Generator
            Source of randomness.
        start : str or pandas.Timestamp, default "2023-01-01"
            First day of the period.
        months : int, default 24
            Length of the period in months.

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> import numpy as np
        >>> X = DemandConcept().features(4, np.random.default_rng(0))
        >>> list(X.columns[:3])
        ['date', 'store_region', 'store_size']
        """
        import numpy as np
        import pandas as pd

        n = check_int("n_rows", n, minimum=1)
        dates = draw_dates(n, rng, start, months)
        region = rng.choice(REGIONS, n, p=[0.2, 0.22, 0.2, 0.2, 0.18])
        size = rng.choice(SIZES, n, p=[0.35, 0.4, 0.25])
        category = rng.choice(CATEGORIES, n, p=[0.3, 0.2, 0.15, 0.15, 0.2])
        day_of_week = np.asarray(DAYS)[dates.dt.dayofweek.to_numpy()]
        holiday = np.array([(m, d) in HOLIDAYS for m, d in zip(dates.dt.month, dates.dt.day)])
        season = -np.cos(2 * np.pi * (dates.dt.dayofyear.to_numpy() - 15) / 365.25)
        temperature = (
            12.0
            + pd.Series(region).map(_REGION_TEMP).to_numpy()
            + 10.0 * season
            + rng.normal(0, 3.0, n)
        )
        base = pd.Series(category).map(_BASE_PRICE).to_numpy()
        price = np.round(base * np.exp(rng.normal(0, 0.25, n)), 2)
        promo = rng.random(n) < np.where(holiday, 0.45, 0.2)
        discount = np.where(promo, rng.choice([10.0, 15.0, 20.0, 25.0, 30.0], n), 0.0)
        competitor = np.round(price * np.exp(rng.normal(0.02, 0.1, n)), 2)
        return pd.DataFrame(
            {
                self.time_column: dates,
                "store_region": region.astype(object),
                "store_size": size.astype(object),
                "product_category": category.astype(object),
                "day_of_week": day_of_week.astype(object),
                "is_holiday": holiday,
                "temperature": np.round(temperature, 1),
                "price": price,
                "promo": promo,
                "discount_pct": discount,
                "competitor_price": competitor,
            }
        )

    def expected(self, X):
        """Return ``E[demand | x] = exp(eta(x))`` for each row of ``X`` (a numpy array).

        Examples
        --------
        >>> import numpy as np
        >>> c = DemandConcept()
        >>> c.expected(c.features(2, np.random.default_rng(0))).shape
        (2,)
        """
        import numpy as np

        return np.exp(self.linear_predictor(X))

    def target(self, X, rng):
        """Draw ``demand`` (float, 2 decimals) for each row of ``X`` from this concept.

        Examples
        --------
        >>> import numpy as np
        >>> c = DemandConcept()
        >>> y = c.target(c.features(3, np.random.default_rng(0)), np.random.default_rng(0))
        >>> str(y.dtype), y.name
        ('float64', 'demand')
        """
        import numpy as np
        import pandas as pd

        sigma = self.NOISE_SIGMA
        noise = np.exp(rng.normal(-0.5 * sigma**2, sigma, len(X)))
        y = np.round(self.expected(X) * noise, 2)
        return pd.Series(y, index=X.index, name=self.target_column)


def make_demand(n_rows=20_000, seed=0, start="2023-01-01", months=24):
    """Generate daily product demand per store with a float ``demand`` target.

    Each row is one product category in one store on one day; days are spread
    uniformly over ``months`` months from ``start`` and sorted. Temperature
    follows the seasons, so the default of 24 months lets the default split
    (:func:`~mlops_kit.data.split_reference_current`) compare a full year with a
    full year instead of reporting the seasons as drift. The target is drawn from
    the known :class:`DemandConcept` plus log-normal noise.

    Parameters
    ----------
    n_rows : int, default 20_000
        Number of rows (>= 1).
    seed : int, default 0
        Seed of the random generator (>= 0).
    start : str or pandas.Timestamp, default "2023-01-01"
        First day of the period.
    months : int, default 24
        Length of the period in months (>= 1).

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``date``, categorical features (``store_region``,
        ``store_size``, ``product_category``, ``day_of_week``; bools ``is_holiday``
        and ``promo``), numeric features (``temperature``, ``price``,
        ``discount_pct``, ``competitor_price``) and ``demand`` (float).
        ``df.attrs["mlops_kit_dataset"] == "demand"``.

    Raises
    ------
    InputError
        If ``n_rows``, ``seed``, ``start`` or ``months`` is not allowed.

    Examples
    --------
    >>> from mlops_kit.data import make_demand
    >>> df = make_demand(n_rows=500, seed=0, months=12)
    >>> df.attrs["mlops_kit_dataset"], str(df["demand"].dtype)
    ('demand', 'float64')
    >>> make_demand(n_rows=500, seed=0, months=12).equals(df)
    True
    """
    import numpy as np

    n_rows = check_int("n_rows", n_rows, minimum=1)
    seed = check_seed(seed)
    months = check_int("months", months, minimum=1)
    concept = DemandConcept()
    feature_rng, target_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2)
    )
    X = concept.features(n_rows, feature_rng, start=start, months=months)
    X.insert(0, concept.id_column, np.arange(1, n_rows + 1, dtype=np.int64))
    X[concept.target_column] = concept.target(X, target_rng)
    X.attrs[ATTR_DATASET] = concept.name
    return X
