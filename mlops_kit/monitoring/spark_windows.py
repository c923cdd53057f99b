"""Windowed metrics of predictions held in a Spark DataFrame: one ``groupBy`` and one drift job.

``WindowedMetrics(window="day", task=...).run(spark_df)`` takes this path (the
``[spark]`` extra). The DataFrame has the prediction log's fields as columns:
``time`` (timestamp), ``prediction``, ``label`` (null until known) and,
optionally, ``latency_ms`` and ``probability`` (of the positive class); after
``fit(reference, ...)`` also the reference's features, as plain columns. Per
calendar window (UTC; weeks start on Monday) Spark computes the volume, the
labelled count, the model metrics on labelled rows and the exact latency
percentiles (``percentile``, numpy's linear interpolation); only one row per
window comes back. Windows with no predictions between the first and the last
are kept, as in the pandas path.

After ``fit``, every window also gets its drift, with the pandas path's rules
(``min_drift_rows``, ``drift_share``, ``drift_method``): input drift of the
features, prediction drift of ``probability`` (classification) or
``prediction`` (regression) when ``fit(predictions=...)`` was given, and the
``estimated_*`` columns of the confidence estimator when ``fit(labels=...)``
was given. All windows' drift statistics come from **one** Spark job
(:func:`~mlops_kit.validation.drift.spark_run.run_spark_keyed`: each partition
keeps one set of column states per window), decided on the driver by the
streamed engine's code, so K-S and chi-square equal the pandas path's.

On Spark: metrics ``accuracy`` (classification) and ``mae``, ``rmse``
(regression); calendar windows only; ``task`` must be given.

Examples
--------
>>> SPARK_METRICS["regression"]
('mae', 'rmse')
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from mlops_kit.errors import ColumnError, InputError

__all__ = ["SPARK_METRICS", "run_spark_windows"]

#: the metrics computed in Spark, per task
SPARK_METRICS = {"classification": ("accuracy",), "regression": ("mae", "rmse")}
_TIME_TYPES = ("timestamp", "timestamp_ntz", "date")


def _check(wm, df) -> tuple[list, bool]:
    from mlops_kit.validation.drift.spark import require_pyspark

    require_pyspark("log")
    if isinstance(wm.window, int):
        raise InputError.invalid(
            "window", wm.window, "'hour', 'day' or 'week' with a Spark DataFrame"
        )
    if wm.task is None:
        raise InputError.invalid(
            "task", None, "'classification' or 'regression' with a Spark DataFrame"
        )
    allowed = SPARK_METRICS[wm.task]
    metrics = list(allowed) if wm.metrics is None else list(wm.metrics)
    for name in metrics:
        if name not in allowed:
            raise InputError.invalid(
                "metrics", name, f"one of {list(allowed)} on a Spark DataFrame ({wm.task})"
            )
    types = {f.name: f.dataType.simpleString() for f in df.schema.fields}
    for name in ("time", "prediction", "label"):
        if name not in types:
            raise ColumnError(
                f"Column {name!r} is missing from the Spark DataFrame (present: "
                f"{sorted(types)[:20]}); it needs the prediction log's fields as columns."
            )
    if types["time"] not in _TIME_TYPES:
        raise InputError.invalid(
            "column 'time'", f"Spark type {types['time']}", "a timestamp or date column"
        )
    return metrics, "latency_ms" in types


def _ts(ms) -> pd.Timestamp:
    return pd.Timestamp(int(ms), unit="ms", tz="UTC")


def run_spark_windows(wm, df, start=None, end=None, spans=None):
    """Per-window volume, label coverage, metrics and latency of a Spark DataFrame.

    Returns the :class:`~mlops_kit.monitoring.result.MonitoringResult` the
    pandas path returns for the same predictions (drift columns after ``fit``).
    ``spans``: ``{window: (length in ms, offset)}``, given by
    :meth:`WindowedMetrics.run <mlops_kit.monitoring.windows.WindowedMetrics.run>`.

    Examples
    --------
    >>> from mlops_kit.monitoring import WindowedMetrics
    >>> run_spark_windows(WindowedMetrics(), [1])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid log: got 'list'; allowed: a Spark DataFrame...
    """
    from mlops_kit.monitoring._time import to_ms
    from mlops_kit.monitoring.result import MonitoringResult
    from mlops_kit.validation.drift.spark import is_spark_frame

    if not is_spark_frame(df):
        raise InputError.invalid("log", type(df).__name__, "a Spark DataFrame of predictions")
    wm._validate_params()
    metrics, has_latency = _check(wm, df)
    from pyspark.sql import functions as F

    size, offset = spans[wm.window]
    ms = F.expr("unix_millis(CAST(`time` AS TIMESTAMP))")
    if start is not None:
        df = df.where(ms >= F.lit(to_ms(start, "start")))
    if end is not None:
        df = df.where(ms < F.lit(to_ms(end, "end")))
    label, pred = F.col("label"), F.col("prediction")
    labelled = label.isNotNull() & ~F.isnan(label.cast("double"))
    aggs = [F.count(F.lit(1)).alias("volume"), F.sum(labelled.cast("long")).alias("n_labelled")]
    if "accuracy" in metrics:
        hit = F.when(labelled, (pred == label).cast("double"))
        aggs.append(F.avg(hit).alias("accuracy"))
    err = pred.cast("double") - label.cast("double")
    if "mae" in metrics:
        aggs.append(F.avg(F.when(labelled, F.abs(err))).alias("mae"))
    if "rmse" in metrics:
        aggs.append(F.sqrt(F.avg(F.when(labelled, err * err))).alias("rmse"))
    quantiles = [float(q) for q in wm.latency_quantiles]
    if has_latency:
        lat = F.col("latency_ms").cast("double")
        finite = F.when(~F.isnan(lat) & (F.abs(lat) < float("inf")), lat)
        qs = F.array(*[F.lit(q) for q in quantiles])
        aggs.append(F.percentile(finite, qs).alias("latency"))
    key = F.floor((ms + offset) / size).alias("_key")
    found = df.groupBy(key).agg(*aggs).orderBy("_key").collect()
    drift = _window_drift(wm, df, key) if hasattr(wm, "reference_") else None
    rows, drift_rows = [], []
    for r in found:
        k = int(r["_key"])
        if rows:
            for gap in range(rows[-1]["_key"] + 1, k):
                row = {"_key": gap, "window_start": _ts(gap * size - offset)}
                row.update(window_end=_ts((gap + 1) * size - offset), volume=0, n_labelled=0)
                row["label_coverage"] = math.nan
                row.update({name: math.nan for name in metrics})
                row["notes"] = "empty window: no predictions"
                rows.append(row)
                drift_rows.append({})
        n, n_lab = int(r["volume"]), int(r["n_labelled"] or 0)
        row = {"_key": k, "window_start": _ts(k * size - offset)}
        row.update(window_end=_ts((k + 1) * size - offset), volume=n, n_labelled=n_lab)
        row["label_coverage"] = n_lab / n
        for name in metrics:
            value = r[name]
            row[name] = math.nan if value is None or not n_lab else float(value)
        points = (r["latency"] if has_latency else None) or [math.nan] * len(quantiles)
        for q, point in zip(quantiles, points, strict=True):
            row[f"latency_p{round(q * 100):d}"] = math.nan if point is None else float(point)
        notes = [] if n_lab else ["no labels yet"]
        scores = {}
        if drift is not None:
            scores = _drift_row(wm, drift.get(k), n, row, notes)
        row["notes"] = "; ".join(notes)
        rows.append(row)
        drift_rows.append(scores)
    frame = pd.DataFrame(rows)
    return MonitoringResult(
        windows=frame,
        feature_drift=pd.DataFrame(drift_rows, index=frame.index if len(frame) else None),
        task=wm.task,
        metrics=metrics,
        window=wm.window,
    )


_OUTPUT, _SCORE = "__mlops_kit_output__", "__mlops_kit_score__"


def _finite(column):
    from pyspark.sql import functions as F

    value = column.cast("double")
    return F.when(~F.isnan(value) & (F.abs(value) < float("inf")), value)


def _window_drift(wm, df, key) -> dict:
    """Every window's drift statistics (and estimator sums), from one Spark job.

    Returns ``{window key: Keyed}`` (:class:`~mlops_kit.validation.drift.spark_run.Keyed`):
    part 0 the features, part 1 the model's output (when ``fit(predictions=...)``).
    """
    from pyspark.sql import functions as F

    from mlops_kit.validation.drift.spark import spark_type_allowed
    from mlops_kit.validation.drift.spark_run import Part, run_spark_keyed

    present = list(df.columns)
    missing = [name for name in wm.features_ if name not in present]
    if missing:
        raise ColumnError(
            f"Feature column {missing[0]!r} is missing from the Spark DataFrame (present: "
            f"{sorted(present)[:20]}); after fit(reference) the reference's features are "
            "columns next to time and prediction."
        )
    types = {f.name: f.dataType.simpleString() for f in df.schema.fields}
    for name in wm.features_:
        if not spark_type_allowed(types[name]):
            raise InputError.invalid(
                f"feature column {name!r}",
                f"Spark type {types[name]}",
                "numeric, string, boolean, date or timestamp columns",
                "convert it in Spark first (e.g. F.size, F.col('s.field')) and fit on the same",
            )
    check = wm.drift_check_
    parts = [
        Part(
            check.reference_,
            wm.features_,
            column_types=check.column_types,
            min_values=wm.min_drift_rows,
        )
    ]
    score = _finite(F.col("probability")) if "probability" in present else F.lit(None)
    score = score.cast("double")
    output = score if wm.task == "classification" else _finite(F.col("prediction"))
    df = df.withColumn(_SCORE, score).withColumn(_OUTPUT, output)
    if wm.prediction_check_ is not None:
        summary = wm.prediction_check_.reference_
        sources = {"prediction": _OUTPUT}
        parts.append(Part(summary, ["prediction"], sources, min_values=wm.min_drift_rows))
    sums, sum_columns = None, ()
    if wm.estimator_ is not None:
        sums, sum_columns = _expected_sums(wm.estimator_), (_SCORE,)
    return run_spark_keyed(
        parts,
        df,
        key,
        method=check.method,
        threshold=check.threshold,
        negligible_effect=check.negligible_effect,
        sums=sums,
        sum_columns=sum_columns,
    )


def _expected_sums(estimator):
    """``rows -> [n, tp, fp, fn, tn]``: a window's expected confusion sums, in the executors."""
    calibrator, threshold = estimator.calibrator_, estimator.threshold

    def sums(rows):
        s = rows[_SCORE].to_numpy(dtype=np.float64)
        s = s[np.isfinite(s)]
        if not len(s):
            return np.zeros(5)
        c = calibrator.predict(s)
        positive = s >= threshold
        tp, fp = c[positive].sum(), (1 - c[positive]).sum()
        return np.array([len(s), tp, fp, c[~positive].sum(), (1 - c[~positive]).sum()])

    return sums


def _expected(total) -> dict:
    """The ConfidenceEstimator's ``estimated_*`` values from a window's summed counts."""
    n, tp, fp, fn, tn = total
    if not n:
        return dict.fromkeys(
            ("estimated_accuracy", "estimated_precision", "estimated_recall"), math.nan
        )
    return {
        "estimated_accuracy": float((tp + tn) / n),
        "estimated_precision": float(tp / (tp + fp)) if tp + fp > 0 else 0.0,
        "estimated_recall": float(tp / (tp + fn)) if tp + fn > 0 else 0.0,
    }


def _drift_row(wm, keyed, n, row, notes) -> dict:
    """Fill one window's drift columns as the pandas path does; return its feature scores."""
    if wm.estimator_ is not None:
        row.update(_expected(keyed.sums))
    row.update(input_drift_share=math.nan, input_drift=None)
    row.update(prediction_drift_score=math.nan, prediction_drift=None)
    if n < wm.min_drift_rows:
        notes.append(f"no drift verdict: {n} < {wm.min_drift_rows} predictions")
        return {}
    with warnings.catch_warnings():  # large-sample notes stay in the result, as window_drift
        warnings.simplefilter("ignore")
        result = wm.drift_check_._result(keyed.columns[0], None)
        row["input_drift_share"] = result.share_drifted
        row["input_drift"] = bool(result.dataset_drift)
        if len(keyed.columns) > 1 and keyed.columns[1] is not None:
            pred = wm.prediction_check_._result(keyed.columns[1], None)
            row["prediction_drift_score"] = pred.scores()[0][1] if pred.checked else math.nan
            row["prediction_drift"] = bool(pred.dataset_drift)
    return dict(result.scores())
