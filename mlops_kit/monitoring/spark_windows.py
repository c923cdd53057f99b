"""Windowed metrics of predictions held in a Spark DataFrame: one ``groupBy`` per run.

``WindowedMetrics(window="day", task=...).run(spark_df)`` takes this path (the
``[spark]`` extra). The DataFrame has the prediction log's fields as columns:
``time`` (timestamp), ``prediction``, ``label`` (null until known) and,
optionally, ``latency_ms``. Per calendar window (UTC; weeks start on Monday)
Spark computes the volume, the labelled count, the model metrics on labelled
rows and the exact latency percentiles (``percentile``, numpy's linear
interpolation); only one row per window comes back. Windows with no
predictions between the first and the last are kept, as in the pandas path.

On Spark: metrics ``accuracy`` (classification) and ``mae``, ``rmse``
(regression); calendar windows only; no per-window drift (use
:class:`~mlops_kit.validation.DriftCheck` on each window's Spark DataFrame).

Examples
--------
>>> SPARK_METRICS["regression"]
('mae', 'rmse')
"""

from __future__ import annotations

import math

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
    pandas path returns for the same predictions (without drift columns).
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
    rows = []
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
        row["notes"] = "" if n_lab else "no labels yet"
        rows.append(row)
    frame = pd.DataFrame(rows)
    return MonitoringResult(
        windows=frame,
        feature_drift=pd.DataFrame(index=frame.index if len(frame) else None),
        task=wm.task,
        metrics=metrics,
        window=wm.window,
    )
