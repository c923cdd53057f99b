"""Performance before labels arrive: confidence-based estimation (the idea of NannyML's CBPE).

A binary classifier's calibrated probability ``c`` of the positive class is the
chance that the row is positive. So, on rows without labels, the *expected*
confusion matrix follows from the scores alone: a row predicted positive is a
true positive with probability ``c`` and a false positive with ``1 - c``; one
predicted negative is a false negative with ``c`` and a true negative with
``1 - c``. Summing over a window gives expected accuracy, precision and recall.

It needs calibrated scores, so :meth:`ConfidenceEstimator.fit` learns an
isotonic map from the model's raw scores to observed outcomes on labelled
reference data. It works under covariate drift (P(x) moves, P(y|x) and so the
calibration hold). It **cannot** see concept drift: when P(y|x) changes the
scores do not move, the estimate stays where it was while realised
performance falls. Only labels (or a drift check on the target) reveal that.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> p = rng.random(5000); y = (rng.random(5000) < p).astype(int)
>>> est = ConfidenceEstimator().fit(p, y)
>>> exp = est.expected(p)
>>> round(exp["estimated_accuracy"], 2), round(float(np.mean((p >= 0.5) == y)), 2)
(0.75, 0.75)
"""

from __future__ import annotations

import numpy as np

from mlops_kit._params import Interval, Params
from mlops_kit.errors import InputError

__all__ = ["ConfidenceEstimator"]


class ConfidenceEstimator(Params):
    """Expected accuracy, precision and recall of a binary classifier from its scores.

    Parameters
    ----------
    threshold : float, default 0.5
        Scores at or above it are predicted positive (as the model does).
    min_reference : int, default 200
        Labelled reference rows needed to calibrate.

    Examples
    --------
    >>> ConfidenceEstimator(threshold=0.3)
    ConfidenceEstimator(threshold=0.3)
    """

    _parameter_constraints = {
        "threshold": [Interval(float, 0, 1)],
        "min_reference": [Interval(int, 10, None)],
    }

    def __init__(self, threshold=0.5, min_reference=200):
        self.threshold = threshold
        self.min_reference = min_reference

    def fit(self, scores, labels) -> ConfidenceEstimator:
        """Calibrate raw ``scores`` against 0/1 ``labels`` of labelled reference rows."""
        from sklearn.isotonic import IsotonicRegression

        self._validate_params()
        s = np.asarray(scores, dtype=float).ravel()
        y = np.asarray(labels, dtype=float).ravel()
        if len(s) != len(y) or len(s) < self.min_reference or not np.isfinite(s).all():
            raise InputError.invalid(
                "scores",
                f"{len(s)} scores for {len(y)} labels",
                f"as many finite scores as labels, at least {self.min_reference}",
            )
        if not set(np.unique(y)) <= {0.0, 1.0} or len(np.unique(y)) < 2:
            raise InputError.invalid(
                "labels", np.unique(y).tolist()[:5], "0/1 labels, both present"
            )
        self.calibrator_ = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(s, y)
        return self

    def expected(self, scores) -> dict:
        """Expected ``estimated_accuracy``, ``estimated_precision``, ``estimated_recall``."""
        if not hasattr(self, "calibrator_"):
            raise InputError.invalid("estimator", "an unfitted estimator", "call fit() first")
        s = np.asarray(scores, dtype=float)
        s = s[np.isfinite(s)]
        if not len(s):
            nan = float("nan")
            return {"estimated_accuracy": nan, "estimated_precision": nan, "estimated_recall": nan}
        c = self.calibrator_.predict(s)
        positive = s >= self.threshold
        tp, fp = c[positive].sum(), (1 - c[positive]).sum()
        fn, tn = c[~positive].sum(), (1 - c[~positive]).sum()
        return {
            "estimated_accuracy": float((tp + tn) / len(s)),
            "estimated_precision": float(tp / (tp + fp)) if tp + fp > 0 else 0.0,
            "estimated_recall": float(tp / (tp + fn)) if tp + fn > 0 else 0.0,
        }
