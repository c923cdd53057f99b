"""What a row of the prediction log is: the checks and conversions before it is written.

:class:`~mlops_kit.monitoring.log.PredictionLog` turns what a caller appends
(a DataFrame, a list of dicts or one dict) into records with :func:`_records`
and each record into the tuple it stores with :func:`_prepare`, which raises
one clear :class:`~mlops_kit.errors.InputError` for a row no batch may hold
and returns a reason for a row the log rejects (a duplicate id in the batch,
a time in the future).

Examples
--------
>>> row, reason = _prepare({"id": 7, "prediction": 1, "features": {"x": 2}}, 0, set())
>>> row[:2], row[4], reason
(('7', 0), '{"x": 2}', None)
>>> _prepare({"id": "a", "prediction": 1, "time": "2100-01-01"}, 0, set())[1]
'time 2100-01-01T00:00:00+00:00 in the future (now 1970-01-01T00:00:00+00:00)'
"""

from __future__ import annotations

import json
import math
import time

import pandas as pd

from mlops_kit.errors import InputError
from mlops_kit.monitoring._time import to_ms

#: how far ahead of this machine's clock a prediction's time may be (clock skew)
FUTURE_TOLERANCE_MS = 5 * 60 * 1000
#: the fields a logged row may have; any other DataFrame column is a feature
_FIELDS = ("id", "time", "model", "version", "features", "prediction", "probability", "latency_ms")


def _now_ms() -> int:
    return int(time.time() * 1000)


def _plain(value):
    """A value SQLite stores as is: numpy scalars become Python ones."""
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _iso(ms: int) -> str:
    return pd.Timestamp(ms, unit="ms", tz="UTC").isoformat()


def _records(rows) -> list[dict]:
    if isinstance(rows, pd.DataFrame):
        fields = [c for c in rows.columns if c in _FIELDS]
        feature_cols = [c for c in rows.columns if c not in _FIELDS]
        out = []
        for rec in rows.to_dict("records"):
            item = {k: rec[k] for k in fields}
            if feature_cols and "features" not in item:
                item["features"] = {k: rec[k] for k in feature_cols}
            out.append(item)
        return out
    if isinstance(rows, dict):
        rows = [rows]
    if not isinstance(rows, (list, tuple)) or not all(isinstance(r, dict) for r in rows):
        raise InputError.invalid("rows", type(rows).__name__, "a DataFrame or a list of dicts")
    return list(rows)


def _missing(value) -> bool:
    """None, NaN, pandas' NA or NaT: no value."""
    value = _plain(value)
    if value is None:
        return True
    return (
        pd.api.types.is_scalar(value)
        and not isinstance(value, (str, bytes))
        and bool(pd.isna(value))
    )


def _prepare(rec: dict, now: int, seen: set):
    """Return ``(row tuple, None)`` for a good record or ``(None, reason)``."""
    unknown = sorted(set(rec) - set(_FIELDS))
    if unknown:
        raise InputError.invalid("rows", f"field {unknown[0]!r}", f"fields {list(_FIELDS)}")
    missing = [k for k in ("id", "prediction") if _missing(rec.get(k))]
    if missing:
        raise InputError.invalid(
            "rows", f"a row without {missing[0]!r}", "every row has id and prediction (not NaN)"
        )
    prediction = _plain(rec["prediction"])
    if not isinstance(prediction, (int, float, str, bytes)):
        raise InputError.invalid(
            "prediction", type(prediction).__name__, "a number or a string per row"
        )
    pid = str(_plain(rec["id"]))
    ts = now if rec.get("time") is None else to_ms(rec["time"])
    if pid in seen:
        return None, f"duplicate id {pid!r} within the batch"
    if ts > now + FUTURE_TOLERANCE_MS:
        return None, f"time {_iso(ts)} in the future (now {_iso(now)})"
    seen.add(pid)
    features = rec.get("features")
    if features is not None and not isinstance(features, dict):
        raise InputError.invalid("features", type(features).__name__, "a dict of feature values")
    try:
        text = None if features is None else json.dumps({k: _plain(v) for k, v in features.items()})
    except (TypeError, ValueError) as exc:
        raise InputError.invalid(
            "features", "a value JSON cannot hold", "JSON values", str(exc)
        ) from None
    prob = _plain(rec.get("probability"))
    lat = _plain(rec.get("latency_ms"))
    for name, value in (("probability", prob), ("latency_ms", lat)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise InputError.invalid(name, value, "a number or None")
    if prob is not None and not 0 <= prob <= 1:
        raise InputError.invalid("probability", prob, "a number in [0, 1] or None")
    model, version = rec.get("model"), rec.get("version")
    return (
        pid,
        ts,
        None if model is None else str(model),
        None if version is None else str(version),
        text,
        prediction,
        None if prob is None else float(prob),
        None if lat is None else float(lat),
    ), None
