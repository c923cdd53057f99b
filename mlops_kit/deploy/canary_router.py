"""Routers a canary rollout drives: a seeded split of rows between champion and challenger.

A router has two methods: ``set_percent(p)`` (the challenger's share of
traffic, 0-100) and ``predict(X) -> (predictions, to_challenger)`` where
``to_challenger`` is a boolean mask of the rows the challenger answered.

- :class:`TrafficSplit` calls two in-process models (notebooks, tests, the tour);
- :class:`RouterSplit` drives the weights of the serving
  :class:`~mlops_kit.deploy.router.Router` in front of two real scoring
  servers (``mlflow models serve``); a challenger that stops answering raises
  :class:`~mlops_kit.errors.DeploymentError`, and the rollout then aborts.

The in-process split is deterministic: row ``i`` of call ``k`` goes to the challenger when
a uniform draw from ``numpy.random.default_rng([seed, k])`` is below ``p/100``,
so the same seed and traffic give the same rollout.

Examples
--------
>>> import numpy as np
>>> class Const:
...     def __init__(self, v): self.v = v
...     def predict(self, X): return np.full(len(X), self.v)
>>> split = TrafficSplit(Const(0), Const(1), seed=0)
>>> split.set_percent(25)
>>> pred, mask = split.predict(np.zeros((1000, 1)))
>>> int(mask.sum()), bool((pred == mask).all())
(231, True)
"""

from __future__ import annotations

import numpy as np

from mlops_kit._params import Interval, check_param
from mlops_kit.errors import DeploymentError

__all__ = ["RouterSplit", "TrafficSplit"]


def _check_percent(percent) -> float:
    return float(check_param("percent", percent, [Interval(float, 0, 100)]))


class TrafficSplit:
    """Route a seeded share of rows to the challenger model, the rest to the champion.

    Parameters
    ----------
    champion, challenger : fitted models
        Anything with ``predict(X)``.
    seed : int, default 0
        Seed of the split.

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> a = DummyClassifier(strategy="constant", constant=0).fit([[0], [1]], [0, 1])
    >>> b = DummyClassifier(strategy="constant", constant=1).fit([[0], [1]], [0, 1])
    >>> split = TrafficSplit(a, b)
    >>> split.set_percent(0)
    >>> split.predict([[0]] * 5)[1].any()
    np.False_
    """

    def __init__(self, champion, challenger, seed: int = 0):
        self.champion = champion
        self.challenger = challenger
        self.seed = seed
        self.percent = 0.0
        self._calls = 0

    def set_percent(self, percent) -> None:
        """Send ``percent`` % of the next rows to the challenger."""
        self.percent = _check_percent(percent)

    def route(self, n: int) -> np.ndarray:
        """Return the boolean mask of the next ``n`` rows that go to the challenger."""
        draws = np.random.default_rng([self.seed, self._calls]).random(n)
        self._calls += 1
        return draws < self.percent / 100.0

    def _answer(self, arm: str, X):
        return np.asarray(getattr(self, arm).predict(X))

    def predict(self, X):
        """Return ``(predictions, to_challenger)`` for the rows of ``X``."""
        n = len(X)
        mask = self.route(n)
        out = None
        for arm, rows in (("champion", ~mask), ("challenger", mask)):
            if not rows.any():
                continue
            part = X[rows] if isinstance(X, np.ndarray) else _take(X, rows)
            pred = np.asarray(self._answer(arm, part)).reshape(-1)
            if out is None:
                out = np.empty(n, dtype=pred.dtype if pred.dtype.kind != "U" else object)
            out[rows] = pred
        return (out if out is not None else np.empty(0)), mask


def _take(X, rows):
    if hasattr(X, "iloc"):
        return X.iloc[np.flatnonzero(rows)]
    return [x for x, keep in zip(X, rows, strict=True) if keep]


class RouterSplit:
    """Drive the serving :class:`~mlops_kit.deploy.router.Router`'s weights from a rollout.

    ``set_percent(p)`` sets the weights ``{champion: 100 - p, challenger: p}``
    (the Router checks that an upstream about to receive traffic answers
    ``/ping``); ``predict(X)`` sends ``X`` in requests of ``request_rows`` rows
    through the Router, which picks an upstream per request by weight. A request
    the challenger could not take (the Router failed it over to the champion)
    raises :class:`~mlops_kit.errors.DeploymentError`, so the rollout aborts.

    Parameters
    ----------
    router : Router
        With upstreams named ``champion`` and ``challenger`` (names can be changed).
    request_rows : int, default 20
        Rows per HTTP request.

    Examples
    --------
    >>> from mlops_kit.deploy.router import Router
    >>> router = Router({"champion": "http://127.0.0.1:5001",
    ...                  "challenger": "http://127.0.0.1:5002"})
    >>> split = RouterSplit(router)
    >>> split.set_percent(25, check=False)
    >>> router.shares
    {'champion': 0.75, 'challenger': 0.25}
    """

    def __init__(
        self, router, request_rows: int = 20, champion="champion", challenger="challenger"
    ):
        self.router = router
        self.request_rows = check_param("request_rows", request_rows, [Interval(int, 1, None)])
        self.champion = champion
        self.challenger = challenger
        self.percent = 0.0

    def set_percent(self, percent, check: bool = True) -> None:
        """Route ``percent`` % of requests to the challenger (weights set atomically)."""
        percent = _check_percent(percent)
        weights = {self.champion: 100.0 - percent, self.challenger: percent}
        self.router.set_weights(weights, check=check and percent > 0)
        self.percent = percent

    def predict(self, X):
        """Return ``(predictions, to_challenger)``; raise DeploymentError on a failover."""
        from mlops_kit.deploy.serving import decode_predictions, encode_frame

        n = len(X)
        out = np.empty(n, dtype=object)
        mask = np.zeros(n, dtype=bool)
        for start in range(0, n, self.request_rows):
            part = X.iloc[start : start + self.request_rows]
            name, response, failed = self.router.route(encode_frame(part))
            if failed is not None:
                raise DeploymentError(
                    f"The {failed} server did not answer (the router failed the request "
                    f"over to {name})"
                )
            pred = np.asarray(decode_predictions(response)).reshape(-1)
            out[start : start + len(part)] = pred
            mask[start : start + len(part)] = name == self.challenger
        return _numeric(out), mask


def _numeric(values: np.ndarray) -> np.ndarray:
    try:
        return values.astype(float) if values.dtype == object else values
    except (TypeError, ValueError):
        return values
