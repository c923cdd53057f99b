"""Synthetic credit-risk applications with a known logistic default concept.

Examples
--------
>>> from mlops_kit.data import make_credit
>>> df = make_credit(n_rows=1_000, seed=1)
>>> df.shape
(1000, 16)
>>> bool(0.05 < df["default"].mean() < 0.3)
True
"""

from __future__ import annotations

from typing import ClassVar

from mlops_kit.data._checks import check_int, check_seed, draw_dates
from mlops_kit.data.concept import ATTR_DATASET, LinearConcept

__all__ = ["CreditConcept", "make_credit"]

REGIONS = ["north", "south", "east", "west", "central"]
EMPLOYMENT = ["salaried", "self_employed", "contract", "unemployed", "retired"]
HOME = ["rent", "mortgage", "own", "other"]
PURPOSES = [
    "debt_consolidation",
    "home_improvement",
    "car",
    "education",
    "medical",
    "business",
    "other",
]


class CreditConcept(LinearConcept):
    """The logistic concept behind :func:`make_credit`: ``P(default=1 | x) = sigmoid(eta(x))``.

    ``eta`` is the standardised linear predictor documented in
    :class:`~mlops_kit.data.LinearConcept`; :meth:`to_frame` lists every
    coefficient. Low credit scores, high debt-to-income, past delinquencies, large
    loans and unemployment raise the risk; income and years in employment lower it.

    Examples
    --------
    >>> import numpy as np
    >>> from mlops_kit.data import CreditConcept
    >>> concept = CreditConcept()
    >>> X = concept.features(500, np.random.default_rng(0))
    >>> p = concept.expected(X)
    >>> bool(((p > 0) & (p < 1)).all())
    True
    >>> set(concept.target(X, np.random.default_rng(1)).unique()) <= {0, 1}
    True
    """

    name = "credit"
    task = "classification"
    time_column = "application_date"
    target_column = "default"
    INTERCEPT = -2.5
    NUMERIC: ClassVar[dict[str, tuple[float, float, float]]] = {
        "credit_score": (650.0, 70.0, -1.05),
        "debt_to_income": (0.23, 0.1, 0.75),
        "num_delinquencies": (0.45, 0.8, 0.4),
        "loan_amount": (9.35, 0.7, 0.35),
        "income": (10.75, 0.5, -0.35),
        "employment_years": (5.5, 4.4, -0.25),
        "age": (42.0, 11.5, -0.1),
        "num_credit_lines": (3.4, 2.1, 0.1),
        "loan_term_months": (46.0, 12.0, 0.1),
    }
    LOG_COLUMNS = frozenset({"loan_amount", "income"})
    CATEGORICAL: ClassVar[dict[str, dict]] = {
        "employment_type": {
            "salaried": -0.1,
            "self_employed": 0.15,
            "contract": 0.25,
            "unemployed": 0.8,
            "retired": 0.0,
        },
        "home_ownership": {"rent": 0.15, "mortgage": -0.1, "own": -0.25, "other": 0.2},
        "loan_purpose": {
            "debt_consolidation": 0.05,
            "home_improvement": -0.15,
            "car": -0.2,
            "education": 0.05,
            "medical": 0.25,
            "business": 0.35,
            "other": 0.1,
        },
        "region": {"north": 0.05, "south": 0.1, "east": -0.05, "west": -0.1, "central": 0.0},
    }
    DEFAULT_COLUMNS: ClassVar[dict[str, tuple[str, ...]]] = {
        "covariate": ("loan_amount", "debt_to_income"),
        "category_mix": ("loan_purpose",),
        "concept": ("credit_score", "debt_to_income"),
        "label": ("default",),
    }

    def features(self, n, rng, *, start="2023-01-01", months=18):
        """Draw ``n`` applications (every column but ``id`` and ``default``), sorted by date.

        Parameters
        ----------
        n : int
            Number of rows.
        rng : numpy.random.Generator
            Source of randomness.
        start : str or pandas.Timestamp, default "2023-01-01"
            First day of the application period.
        months : int, default 18
            Length of the application period.

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> import numpy as np
        >>> X = CreditConcept().features(4, np.random.default_rng(0))
        >>> list(X.columns[:3])
        ['application_date', 'age', 'region']
        """
        import numpy as np
        import pandas as pd

        n = check_int("n_rows", n, minimum=1)
        dates = draw_dates(n, rng, start, months)
        age = np.clip(np.rint(rng.normal(42, 12, n)), 21, 75).astype(np.int64)
        region = rng.choice(REGIONS, n, p=[0.22, 0.2, 0.2, 0.23, 0.15])
        employment = rng.choice(EMPLOYMENT, n, p=[0.64, 0.13, 0.13, 0.05, 0.05])
        employment[(age >= 63) & (rng.random(n) < 0.7)] = "retired"
        employment[(age < 50) & (employment == "retired")] = "salaried"
        working = ~np.isin(employment, ["unemployed", "retired"])
        years = np.minimum(age - 18, rng.gamma(2.0, 3.2, n)) * working
        emp_effect = pd.Series(employment).map(
            {
                "salaried": 0.0,
                "self_employed": 0.1,
                "contract": -0.15,
                "unemployed": -0.9,
                "retired": -0.35,
            }
        )
        region_effect = pd.Series(region).map(
            {"north": 0.0, "south": -0.1, "east": 0.05, "west": 0.08, "central": 0.12}
        )
        log_income = (
            10.75
            + 0.012 * (age - 42)
            - 0.0004 * (age - 42) ** 2
            + 0.015 * years
            + emp_effect.to_numpy()
            + region_effect.to_numpy()
            + rng.normal(0, 0.42, n)
        )
        income = np.round(np.exp(log_income), -2)
        home_logits = np.column_stack(
            [
                np.full(n, 0.8) - 0.04 * (age - 30),  # rent
                0.05 * (age - 30) + 0.8 * (log_income - 10.75),  # mortgage
                -1.2 + 0.06 * (age - 30) + 0.4 * (log_income - 10.75),  # own
                np.full(n, -2.5),  # other
            ]
        )
        home = np.asarray(HOME)[np.argmax(home_logits + rng.gumbel(size=(n, 4)), axis=1)]
        purpose = rng.choice(PURPOSES, n, p=[0.32, 0.14, 0.16, 0.08, 0.07, 0.08, 0.15])
        purpose_effect = pd.Series(purpose).map(
            {
                "debt_consolidation": 0.0,
                "home_improvement": 0.1,
                "car": -0.2,
                "education": -0.1,
                "medical": -0.5,
                "business": 0.35,
                "other": -0.4,
            }
        )
        log_loan = log_income - 1.3 + purpose_effect.to_numpy() + rng.normal(0, 0.45, n)
        loan = np.round(np.clip(np.exp(log_loan), 1_000, 100_000), -2)
        p_long = 1 / (1 + np.exp(-(log_loan - 9.6) * 1.5))
        term = np.where(rng.random(n) < p_long, 60, 36).astype(np.int64)
        score = 640 + 1.8 * (age - 42) + 40 * (log_income - 10.75) + 2.0 * years
        score = np.clip(np.rint(score + rng.normal(0, 62, n)), 300, 850).astype(np.int64)
        lines = rng.poisson(np.clip(1.5 + 0.09 * (age - 21), 0.5, None)).astype(np.int64)
        delinq = rng.poisson(np.exp(-1.2 - 0.012 * (score - 650))).astype(np.int64)
        existing = rng.beta(2.0, 6.0, n) * 0.6
        payment = loan * 1.12 / term
        dti = np.round(np.clip(existing + 12 * payment / income, 0, 2.0), 3)
        return pd.DataFrame(
            {
                self.time_column: dates,
                "age": age,
                "region": region.astype(object),
                "employment_type": employment.astype(object),
                "employment_years": np.round(years, 1),
                "income": income,
                "home_ownership": home.astype(object),
                "loan_purpose": purpose.astype(object),
                "loan_amount": loan,
                "loan_term_months": term,
                "credit_score": score,
                "num_credit_lines": lines,
                "num_delinquencies": delinq,
                "debt_to_income": dti,
            }
        )

    def expected(self, X):
        """Return ``P(default=1 | x)`` for each row of ``X`` (a numpy array).

        Examples
        --------
        >>> import numpy as np
        >>> c = CreditConcept()
        >>> c.expected(c.features(2, np.random.default_rng(0))).shape
        (2,)
        """
        import numpy as np

        return 1.0 / (1.0 + np.exp(-self.linear_predictor(X)))

    def target(self, X, rng):
        """Draw ``default`` (0/1, int64) for each row of ``X`` from this concept.

        Examples
        --------
        >>> import numpy as np
        >>> c = CreditConcept()
        >>> str(c.target(c.features(2, np.random.default_rng(0)), np.random.default_rng(0)).dtype)
        'int64'
        """
        import numpy as np
        import pandas as pd

        y = (rng.random(len(X)) < self.expected(X)).astype(np.int64)
        return pd.Series(y, index=X.index, name=self.target_column)


def make_credit(n_rows=20_000, seed=0, start="2023-01-01", months=18):
    """Generate credit applications with a binary ``default`` target.

    Rows are loan applications spread uniformly over ``months`` months from
    ``start`` and sorted by ``application_date``. The target is drawn from the
    known logistic :class:`CreditConcept` (base rate about 15%), so the same
    seed always gives the same frame and drift can be injected faithfully with
    :func:`~mlops_kit.data.inject_drift`.

    Parameters
    ----------
    n_rows : int, default 20_000
        Number of applications (>= 1).
    seed : int, default 0
        Seed of the random generator (>= 0).
    start : str or pandas.Timestamp, default "2023-01-01"
        First day of the period.
    months : int, default 18
        Length of the period in months (>= 1).

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``application_date``, numeric features (``age``,
        ``employment_years``, ``income``, ``loan_amount``, ``loan_term_months``,
        ``credit_score``, ``num_credit_lines``, ``num_delinquencies``,
        ``debt_to_income``), categorical features (``region``,
        ``employment_type``, ``home_ownership``, ``loan_purpose``) and ``default``
        (0/1). ``df.attrs["mlops_kit_dataset"] == "credit"``.

    Raises
    ------
    InputError
        If ``n_rows``, ``seed``, ``start`` or ``months`` is not allowed.

    Examples
    --------
    >>> from mlops_kit.data import make_credit
    >>> df = make_credit(n_rows=500, seed=0)
    >>> df.attrs["mlops_kit_dataset"], bool(df["application_date"].is_monotonic_increasing)
    ('credit', True)
    >>> make_credit(n_rows=500, seed=0).equals(df)
    True
    """
    import numpy as np

    n_rows = check_int("n_rows", n_rows, minimum=1)
    seed = check_seed(seed)
    months = check_int("months", months, minimum=1)
    concept = CreditConcept()
    feature_rng, target_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2)
    )
    X = concept.features(n_rows, feature_rng, start=start, months=months)
    X.insert(0, concept.id_column, np.arange(1, n_rows + 1, dtype=np.int64))
    X[concept.target_column] = concept.target(X, target_rng)
    X.attrs[ATTR_DATASET] = concept.name
    return X
