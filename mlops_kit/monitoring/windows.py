"""Windowed metrics over the prediction log: performance, drift, volume, latency, coverage.

:class:`WindowedMetrics` streams the log in time order and cuts it into windows
(an hour, a day, a week, or every N predictions). Only one window is in memory
at a time, whatever the size of the log. Per window: the model metrics on the
labelled rows (the kit's metric registry), input drift and prediction drift
against the fitted reference, volume, latency percentiles and label coverage.
Empty windows and metrics a window cannot give are kept as rows with a note,
never dropped.

Examples
--------
>>> import tempfile, os
>>> from mlops_kit.monitoring.log import PredictionLog
>>> log = PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db"))
>>> _ = log.append([{"id": str(i), "time": f"2024-01-0{1 + i % 3}", "prediction": i % 2,
...                  "probability": 0.3 + 0.4 * (i % 2), "latency_ms": 2.0 + i}
...                 for i in range(9)])
>>> _ = log.add_labels({str(i): i % 2 for i in range(6)})
>>> result = WindowedMetrics(window="day").run(log)
>>> result.to_frame()[["volume", "label_coverage", "accuracy"]].round(2).values.tolist()
[[3.0, 0.67, 1.0], [3.0, 0.67, 1.0], [3.0, 0.67, 1.0]]
"""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pandas as pd

from mlops_kit._params import InstanceOf, Interval, Options, Params, Predicate
from mlops_kit.errors import InputError
from mlops_kit.monitoring._engines import (
    MetricUndefined,
    check_metrics,
    window_drift,
    window_metrics,
)
from mlops_kit.monitoring.result import MonitoringResult

__all__ = ["WINDOWS", "WindowedMetrics"]

_DAY = 86_400_000
#: window name -> (length in ms, offset so that weeks start on Monday)
WINDOWS = {"hour": (3_600_000, 0), "day": (_DAY, 0), "week": (7 * _DAY, 3 * _DAY)}
_QUANTILES = Predicate(
    lambda q: isinstance(q, (list, tuple)) and all(0 < float(x) < 1 for x in q),
    "a list of quantiles in (0, 1)",
)


class WindowedMetrics(Params):
    """Per-window monitoring metrics of a prediction log (fit the reference once).

    Parameters
    ----------
    window : {"hour", "day", "week"} or int, default "day"
        Calendar windows (UTC; weeks start on Monday) or every N predictions.
    task : {"classification", "regression"}, optional
        Inferred from the first predictions when omitted.
    metrics : list of str, optional
        Model metrics on labelled rows; default accuracy, precision, recall and
        ROC AUC (classification) or MAE and RMSE (regression). A metric of the
        other task is an error.
    pos_label : optional
        The positive class (binary precision, recall; ``probability`` is
        taken as its probability). Default: the larger label.
    latency_quantiles : list of float, default (0.5, 0.95, 0.99)
        Latency percentiles reported per window.
    drift_method : str or dict, optional
        The drift test (as :class:`~mlops_kit.validation.drift.DriftCheck`); default
        ``{"num": "ks", "cat": "chisquare"}``.
        Tests rather than Evidently's ``"auto"``: ``"auto"`` picks a distance
        (Wasserstein) when the *reference* is large, and a distance on a small
        window is noisy enough to flag drift that is not there; a test's
        p-value accounts for the window's size.
    drift_share : float, default 0.5
        Share of drifted features at which a window has input drift.
    min_drift_rows : int, default 30
        Windows with fewer predictions get no drift verdict (a note says so).

    Examples
    --------
    >>> WindowedMetrics(window=1000, task="regression")
    WindowedMetrics(window=1000, task='regression')
    """

    _parameter_constraints = {
        "window": [Options(*WINDOWS), Interval(int, 1, None)],
        "task": [None, Options("classification", "regression")],
        "metrics": [None, InstanceOf(list, tuple, description="a list of metric names")],
        "pos_label": [None, InstanceOf(int, str, float)],
        "latency_quantiles": [_QUANTILES],
        "drift_method": [None, InstanceOf(str, dict)],
        "drift_share": [Interval(float, 0, 1, closed="right")],
        "min_drift_rows": [Interval(int, 2, None)],
    }

    def __init__(
        self,
        window="day",
        task=None,
        metrics=None,
        pos_label=None,
        latency_quantiles=(0.5, 0.95, 0.99),
        drift_method=None,
        drift_share=0.5,
        min_drift_rows=30,
    ):
        self.window = window
        self.task = task
        self.metrics = metrics
        self.pos_label = pos_label
        self.latency_quantiles = latency_quantiles
        self.drift_method = drift_method
        self.drift_share = drift_share
        self.min_drift_rows = min_drift_rows

    def fit(self, reference, predictions=None, labels=None) -> WindowedMetrics:
        """Keep the reference the windows are compared with, and return ``self``.

        Parameters
        ----------
        reference : pandas.DataFrame
            The features the model was validated on (its columns are the
            features checked for drift).
        predictions : array-like, optional
            The model's outputs on ``reference``: probabilities of the positive
            class (classification) or predictions (regression), for prediction drift.
        labels : array-like, optional
            The true 0/1 labels of ``reference`` (binary classification): the
            scores are then calibrated on them and every window also gets
            ``estimated_accuracy``, ``estimated_precision`` and
            ``estimated_recall`` from its scores alone, before its labels arrive
            (:class:`~mlops_kit.monitoring.estimate.ConfidenceEstimator`).

        Examples
        --------
        >>> import pandas as pd
        >>> wm = WindowedMetrics().fit(pd.DataFrame({"x": [1.0, 2.0, 3.0]}), [0.1, 0.5, 0.9])
        >>> wm.features_
        ['x']
        """
        self._validate_params()
        if not isinstance(reference, pd.DataFrame) or reference.empty:
            raise InputError.invalid(
                "reference", type(reference).__name__, "a non-empty DataFrame of features"
            )
        from mlops_kit.validation.drift import DriftCheck

        self.reference_ = reference.reset_index(drop=True)
        self.features_ = [str(c) for c in reference.columns]
        self.drift_check_ = DriftCheck(method=self._method(), drift_share=self.drift_share).fit(
            self.reference_
        )
        self.reference_predictions_ = None
        self.prediction_check_ = None
        self.estimator_ = None
        if predictions is not None:
            values = np.asarray(predictions, dtype=float).ravel()
            if len(values) < 2 or not np.isfinite(values).all():
                raise InputError.invalid(
                    "predictions", f"{len(values)} values", "at least 2 finite numbers"
                )
            self.reference_predictions_ = pd.DataFrame({"prediction": values})
            self.prediction_check_ = DriftCheck(method=self._method(), drift_share=1.0).fit(
                self.reference_predictions_
            )
        if labels is not None:
            from mlops_kit.monitoring.estimate import ConfidenceEstimator

            if predictions is None:
                raise InputError.invalid("labels", "labels without predictions", "both or neither")
            self.estimator_ = ConfidenceEstimator().fit(predictions, labels)
        return self

    def run(self, log, start=None, end=None) -> MonitoringResult:
        """Compute the metrics of every window of ``log`` and return a :class:`MonitoringResult`.

        Parameters
        ----------
        log : PredictionLog or pyspark.sql.DataFrame
            The prediction log, or predictions in a Spark DataFrame with the
            log's fields as columns (see :mod:`.spark_windows`).
        start, end : optional
            Only predictions with ``start <= time < end``.
        """
        from mlops_kit.monitoring.log import PredictionLog
        from mlops_kit.validation.drift.spark import is_spark_frame

        if is_spark_frame(log):  # predictions in a Spark DataFrame: one groupBy in Spark
            from mlops_kit.monitoring.spark_windows import run_spark_windows

            return run_spark_windows(self, log, start, end, spans=WINDOWS)
        self._validate_params()
        if not isinstance(log, PredictionLog):
            raise InputError.invalid("log", type(log).__name__, "a PredictionLog")
        if self.task is not None:
            check_metrics(self.metrics, self.task)
        fitted = hasattr(self, "reference_")
        columns = ["ts", "prediction", "probability", "label", "latency_ms"]
        if fitted:
            columns.append("features")
        state = {"task": self.task, "metrics": None}
        rows, drift_rows = [], []
        parts: list = []  # the current window's column chunks
        key = None
        counter = 0
        # closed days column-wise from Parquet (PredictionLog.compact), the rest from SQLite
        for batch in log.scan_columns(columns, start=start, end=end):
            cols = [batch[c] for c in columns]
            keys = self._keys(cols[0], counter)
            counter += len(keys)
            cuts = [0, *(np.flatnonzero(np.diff(keys)) + 1).tolist(), len(keys)]
            for lo, hi in itertools.pairwise(cuts):
                k = int(keys[lo])
                if k != key and parts:
                    self._emit(key, _concat(parts), state, rows, drift_rows)
                    parts = []
                key = k
                parts.append([c[lo:hi] for c in cols])
        if parts:
            self._emit(key, _concat(parts), state, rows, drift_rows)
        frame = pd.DataFrame(rows)
        drift = pd.DataFrame(drift_rows, index=frame.index if len(frame) else None)
        return MonitoringResult(
            windows=frame,
            feature_drift=drift,
            task=state["task"] or "unknown",
            metrics=state["metrics"] or [],
            window=self.window,
        )

    # --- one window ---------------------------------------------------------
    def _keys(self, ts, counter):
        if isinstance(self.window, int):
            return (counter + np.arange(len(ts))) // self.window
        size, offset = WINDOWS[self.window]
        return (ts + offset) // size

    def _bounds(self, key, cols):
        if isinstance(self.window, int):
            return cols[0][0], cols[0][-1]
        size, offset = WINDOWS[self.window]
        return key * size - offset, (key + 1) * size - offset

    def _emit(self, key, cols, state, rows, drift_rows) -> None:
        if rows and not isinstance(self.window, int):
            previous = rows[-1]["_key"]
            for gap in range(previous + 1, key):  # empty windows stay visible
                lo, hi = self._bounds(gap, None)
                rows.append(self._empty(gap, lo, hi, state))
                drift_rows.append({})
        lo, hi = self._bounds(key, cols)
        row, drift = self._window(cols, state)
        row.update(_key=key, window_start=_ts(lo), window_end=_ts(hi))
        rows.append(row)
        drift_rows.append(drift)

    def _empty(self, key, lo, hi, state) -> dict:
        row = {"_key": key, "window_start": _ts(lo), "window_end": _ts(hi), "volume": 0}
        row.update(n_labelled=0, label_coverage=math.nan)
        for name in state["metrics"] or []:
            row[name] = math.nan
        row["notes"] = "empty window: no predictions"
        return row

    def _window(self, cols, state):
        notes = []
        _, pred, prob, labels, latency = cols[:5]
        n = len(pred)
        if state["task"] is None:
            from mlops_kit.metrics import infer_task

            state["task"] = "classification" if np.isfinite(prob).any() else infer_task(pred)
        if state["metrics"] is None:
            state["metrics"] = check_metrics(self.metrics, state["task"])
        # numeric labels come as floats (NaN until a label arrives), others as objects
        has = ~np.isnan(labels) if labels.dtype.kind == "f" else labels != None  # noqa: E711
        row = {"volume": n, "n_labelled": int(has.sum())}
        row["label_coverage"] = row["n_labelled"] / n
        regression = state["task"] == "regression"
        y_true, y_pred = labels[has], pred[has]
        if regression:
            y_true, y_pred = y_true.astype(float), y_pred.astype(float)
        else:
            y_true, y_pred = _common_type(y_true), _common_type(y_pred)
        scores = prob[has]
        scores = scores if len(scores) and np.isfinite(scores).all() else None
        if not has.any():
            notes.append("no labels yet")
        values = {}
        if has.any():
            values = window_metrics(state["metrics"], y_true, y_pred, scores, self.pos_label)
        for name in state["metrics"]:
            value = values.get(name, math.nan)
            if isinstance(value, MetricUndefined):
                notes.append(str(value))
                value = math.nan
            row[name] = value
        finite = latency[np.isfinite(latency)]
        quantiles = [float(q) for q in self.latency_quantiles]
        points = np.quantile(finite, quantiles) if len(finite) else [math.nan] * len(quantiles)
        for q, point in zip(quantiles, points, strict=True):
            row[f"latency_p{round(q * 100):d}"] = float(point)
        if getattr(self, "estimator_", None) is not None:
            row.update(self.estimator_.expected(prob))
        drift = {}
        if hasattr(self, "reference_"):
            drift = self._drift(cols[5], prob if not regression else pred, row, notes, state)
        row["notes"] = "; ".join(dict.fromkeys(notes))
        return row, drift

    def _method(self):
        return {"num": "ks", "cat": "chisquare"} if self.drift_method is None else self.drift_method

    def _drift(self, features, outputs, row, notes, state) -> dict:

        row.update(input_drift_share=math.nan, input_drift=None)
        row.update(prediction_drift_score=math.nan, prediction_drift=None)
        if len(features) < self.min_drift_rows:
            notes.append(f"no drift verdict: {len(features)} < {self.min_drift_rows} predictions")
            return {}
        feats = pd.DataFrame.from_records([json.loads(text or "{}") for text in features])
        missing = [c for c in self.features_ if c not in feats.columns]
        if missing:
            raise InputError.invalid(
                "log", f"predictions without feature {missing[0]!r}", "the reference's features"
            )
        feats = feats[self.features_].astype(self.reference_.dtypes.to_dict(), errors="ignore")
        result = window_drift(self.drift_check_, feats)
        row["input_drift_share"] = result.share_drifted
        row["input_drift"] = bool(result.dataset_drift)
        if self.reference_predictions_ is not None:
            current = pd.DataFrame({"prediction": np.asarray(outputs, dtype=float)})
            current = current[np.isfinite(current["prediction"])]
            if len(current) >= self.min_drift_rows:
                pred = window_drift(self.prediction_check_, current)
                row["prediction_drift_score"] = pred.scores()[0][1] if pred.checked else math.nan
                row["prediction_drift"] = bool(pred.dataset_drift)
        return dict(result.scores())


def _concat(parts) -> list:
    return [_join(c) if len(parts) > 1 else c[0] for c in zip(*parts, strict=True)]


def _join(arrays):
    """One column from several batches; numbers stay numbers unless a batch holds text."""
    if len({a.dtype.kind for a in arrays}) > 1:
        arrays = [_as_objects(a) for a in arrays]
    return np.concatenate(arrays)


def _as_objects(values):
    if values.dtype.kind != "f":
        return values.astype(object)
    out = values.astype(object)
    out[np.isnan(values)] = None
    return out


def _ts(ms) -> pd.Timestamp:
    return pd.Timestamp(int(ms), unit="ms", tz="UTC")


def _common_type(values):
    """Class labels of one type: numbers as numbers, anything else as text."""
    try:
        return values.astype(float)
    except (TypeError, ValueError):
        return values.astype(str)
