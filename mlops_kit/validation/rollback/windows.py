"""Evaluate rollback rules over a table of recent monitoring windows.

A rule fires in mode ``"consecutive"`` when the most recent
``min_consecutive`` windows all violate it (so a single noisy window, or a
dip that has since recovered, does not fire), in mode ``"mean"`` when the
mean over all windows violates it, and in mode ``"either"`` when one of the
two holds. Missing values (NaN) never violate and break a streak.

Examples
--------
>>> import pandas as pd
>>> from mlops_kit.validation.rollback.rules import Rule
>>> frame = pd.DataFrame({"accuracy": [0.9, 0.7, 0.75]})
>>> out = evaluate_rule(Rule.below("accuracy", 0.8), prepare(frame, [], "timestamp")[0],
...                     ["0", "1", "2"], min_consecutive=2, mode="consecutive")
>>> out["fired"], out["streak"]
(True, 2)
"""

from __future__ import annotations

import math

from mlops_kit.errors import ColumnError, InputError

__all__ = ["evaluate_rule", "prepare"]


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.4g}"


def prepare(window_results, metrics, time_column: str | None):
    """Validate the window table and return ``(frame sorted by time, window labels)``.

    Raises InputError when it is not a non-empty DataFrame and ColumnError when
    a rule's column is missing or not numeric.
    """
    import pandas as pd

    if not isinstance(window_results, pd.DataFrame):
        raise InputError.invalid(
            "window_results",
            type(window_results).__name__,
            "a pandas DataFrame, one row per monitoring window (columns such as timestamp, "
            "accuracy, drift_share)",
        )
    if window_results.empty:
        raise InputError.invalid("window_results", "an empty DataFrame", "at least one window")
    frame = window_results
    columns = [str(c) for c in frame.columns]
    for metric in metrics:
        if metric not in frame.columns:
            raise ColumnError(
                f"Invalid window_results: the rule column {metric!r} is missing. "
                f"Columns: {', '.join(repr(c) for c in columns[:20])}."
            )
        if not pd.api.types.is_numeric_dtype(frame[metric]) or pd.api.types.is_bool_dtype(
            frame[metric]
        ):
            raise ColumnError(
                f"Invalid window_results: column {metric!r} has dtype {frame[metric].dtype}; "
                "allowed: numbers (one metric value per window)."
            )
    if time_column is not None and time_column in frame.columns:
        frame = frame.sort_values(time_column, kind="stable")
        labels = [_label(v) for v in frame[time_column]]
    else:
        labels = [_label(v) for v in frame.index]
    return frame.reset_index(drop=True), labels


def _label(value) -> str:
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value)


def _streak(violations) -> int:
    count = 0
    for flag in reversed(violations):
        if not flag:
            break
        count += 1
    return count


def evaluate_rule(rule, frame, labels, *, min_consecutive: int, mode: str, previous=None) -> dict:
    """Evaluate ``rule`` on ``frame`` and return its outcome record.

    ``previous`` is the previous version's value of the rule's metric (drop rules).
    The record holds the per-window ``values`` and ``violations`` (for plots),
    ``streak`` (trailing violating windows), ``mean``, ``fired``, ``status``
    (``"fired"``, ``"ok"``, ``"skipped"``) and, when fired, a ``reason`` dict.
    """
    k = rule.min_consecutive or min_consecutive
    mode = rule.mode or mode
    values = [None if not math.isfinite(v) else float(v) for v in frame[rule.metric].astype(float)]
    bound = rule.bound_for(previous)
    finite = [v for v in values if v is not None]
    mean = sum(finite) / len(finite) if finite else None
    out = {
        "rule": rule.label,
        "metric": rule.metric,
        "op": rule.op,
        "bound": bound,
        "previous": previous,
        "mode": mode,
        "min_consecutive": k,
        "n_windows": len(values),
        "labels": list(labels),
        "values": values,
        "violations": [False] * len(values),
        "n_violations": 0,
        "streak": 0,
        "mean": mean,
        "fired": False,
        "status": "skipped",
        "reason": None,
        "note": None,
    }
    if bound is None:
        out["note"] = f"no recorded {rule.metric!r} for the previous version; rule not evaluated"
        return out
    violations = [rule.violated(v, bound) for v in values]
    streak = _streak(violations)
    by_streak = mode in ("consecutive", "either") and streak >= k
    by_mean = mode in ("mean", "either") and rule.violated(mean, bound)
    out.update(violations=violations, n_violations=sum(violations), streak=streak)
    out["fired"] = bool(by_streak or by_mean)
    out["status"] = "fired" if out["fired"] else "ok"
    context = ""
    if rule.vs_previous:
        context = f"; previous version {_fmt(previous)}, bound {_fmt(bound)}"
    if by_streak:
        window_labels = labels[len(values) - streak :]
        observed: object = values[len(values) - streak :]
        shown = ", ".join(_fmt(v) for v in observed)
        text = (
            f"{rule.label}: {rule.metric} {shown} in the last {streak} consecutive windows "
            f"({window_labels[0]} to {window_labels[-1]}{context})"
        )
    elif by_mean:
        window_labels = list(labels)
        observed = mean
        text = (
            f"{rule.label}: mean {rule.metric} {_fmt(mean)} over {len(finite)} windows "
            f"({labels[0]} to {labels[-1]}{context})"
        )
    else:
        if out["n_violations"]:
            out["note"] = (
                f"{out['n_violations']} violating window(s), last streak {streak} "
                f"< {k} needed" + (" and mean within bound" if mode != "consecutive" else "")
            )
        return out
    out["reason"] = {
        "rule": rule.label,
        "metric": rule.metric,
        "observed": observed,
        "bound": bound,
        "windows": window_labels,
        "mode": "consecutive" if by_streak else "mean",
        "text": text,
    }
    return out
