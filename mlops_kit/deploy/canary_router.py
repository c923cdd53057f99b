"""Routers a canary rollout drives: a seeded split of rows between champion and challenger.

A router has two methods: ``set_percent(p)`` (the challenger's share of
traffic, 0-100) and ``predict(X) -> (predictions, to_challenger)`` where
``to_challenger`` is a boolean mask of the rows the challenger answered.

- :class:`TrafficSplit` calls two in-process models (notebooks, tests, the tour);
- :class:`HttpTrafficSplit` sends each share to a real scoring server over HTTP
  (MLflow's ``/invocations``), for example two ``mlflow models serve``
  processes; a server that does not answer raises
  :class:`~mlops_kit.errors.DeploymentError`, and the rollout then aborts.

The split is deterministic: row ``i`` of call ``k`` goes to the challenger when
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

import json

import numpy as np

from mlops_kit._params import Interval, check_param
from mlops_kit.errors import DeploymentError

__all__ = ["HttpTrafficSplit", "TrafficSplit"]


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


def _url(server) -> str:
    url = getattr(server, "url", server)
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise DeploymentError(
            f"Invalid server: got {url!r}; allowed: an http:// URL or a handle with .url "
            "(for example mlops_kit.deploy.serve(...))."
        )
    return url.rstrip("/")


class HttpTrafficSplit(TrafficSplit):
    """The same seeded split, answered by two real scoring servers over HTTP.

    Parameters
    ----------
    champion, challenger : str or server handle
        Base URLs (``http://127.0.0.1:5001``) or objects with ``.url``; each
        must answer MLflow's ``POST /invocations`` with ``dataframe_split`` JSON.
    seed : int, default 0
    timeout : float, default 30
        Seconds to wait for an answer.

    Examples
    --------
    >>> split = HttpTrafficSplit("http://127.0.0.1:5001", "http://127.0.0.1:5002")
    >>> split.champion
    'http://127.0.0.1:5001'
    """

    def __init__(self, champion, challenger, seed: int = 0, timeout: float = 30.0):
        super().__init__(_url(champion), _url(challenger), seed)
        self.timeout = timeout

    def _answer(self, arm: str, X):
        import urllib.error
        import urllib.request

        url = getattr(self, arm)
        frame = X if hasattr(X, "to_json") else None
        if frame is None:
            import pandas as pd

            frame = pd.DataFrame(X)
        body = json.dumps({"dataframe_split": json.loads(frame.to_json(orient="split"))})
        request = urllib.request.Request(
            f"{url}/invocations",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise DeploymentError(f"The {arm} server at {url} did not answer: {exc}") from None
        preds = payload.get("predictions", payload) if isinstance(payload, dict) else payload
        return np.asarray(preds).reshape(-1)
