"""Parse the thresholds of a performance gate into :class:`Threshold` records.

Accepted forms (all may be mixed in a list)::

    {"roc_auc": ">= 0.75", "rmse": "<= 12"}     # operator strings
    {"roc_auc": 0.75}                            # a number: >= for higher-is-better,
                                                 # <= for lower-is-better metrics
    {"f1": None}                                 # no absolute bound (reported and
                                                 # checked against the champion only)
    {"roc_auc": {"min": 0.75, "max_drop": 0.02}}
    {"metric": "roc_auc", "min": 0.75}           # one structured threshold
    [{"metric": "rmse", "max": 12}, "accuracy >= 0.8", "f1"]

Examples
--------
>>> [t.text for t in parse_thresholds({"roc_auc": ">= 0.75", "rmse": 12})]
['>= 0.75', '<= 12']
>>> parse_thresholds({"auc": 0.7})[0].failure(0.71) is None
True
>>> parse_thresholds({"auc": 0.7})[0].failure(0.65)
'0.65 < 0.7'
>>> parse_max_drop("2%")
(0.02, True)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from mlops_kit._params import Interval, check_param
from mlops_kit.errors import InputError
from mlops_kit.metrics import METRICS, get_metric

__all__ = ["OPERATORS", "Threshold", "fmt", "parse_max_drop", "parse_thresholds", "to_number"]

#: operator -> (holds(value, bound), operator shown when the check fails)
OPERATORS = {
    ">=": (lambda v, b: v >= b, "<"),
    ">": (lambda v, b: v > b, "<="),
    "<=": (lambda v, b: v <= b, ">"),
    "<": (lambda v, b: v < b, ">="),
}
_OP_RE = re.compile(r"^\s*(>=|<=|>|<)\s*(\S+)\s*$")
_RULE_RE = re.compile(r"^\s*([A-Za-z][\w]*)\s*(>=|<=|>|<)\s*(\S+)\s*$")
_KEYS = ("metric", "min", "max", "max_drop")
_FORMS = (
    "a dict {metric: '>= 0.75' | number | None | {'min'/'max'/'max_drop': number}}, a dict "
    "{'metric': name, 'min'/'max': number}, a list of those or of strings such as "
    "'roc_auc >= 0.75' or 'f1', or None (the default metrics of the task)"
)


def fmt(value) -> str:
    """Format a number for messages: 4 significant digits.

    Examples
    --------
    >>> fmt(0.712345), fmt(12.0), fmt(None)
    ('0.7123', '12', 'n/a')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.4g}"


@dataclass(frozen=True)
class Threshold:
    """The absolute bounds and the allowed drop of one metric.

    Examples
    --------
    >>> t = Threshold("rmse", ((">", 0.0), ("<=", 12.0)))
    >>> t.text, t.failure(13.5)
    ('> 0 and <= 12', '13.5 > 12')
    """

    metric: str
    conditions: tuple[tuple[str, float], ...] = ()
    max_drop: float | None = None
    drop_relative: bool = False

    @property
    def text(self) -> str | None:
        """The bounds as text (``">= 0.75"``), or None when there are none."""
        if not self.conditions:
            return None
        return " and ".join(f"{op} {fmt(bound)}" for op, bound in self.conditions)

    def failure(self, value) -> str | None:
        """Return why ``value`` breaks a bound (``"0.71 < 0.75"``), or None if it holds."""
        for op, bound in self.conditions:
            holds, negated = OPERATORS[op]
            if not holds(value, bound):
                return f"{fmt(value)} {negated} {fmt(bound)}"
        return None


_FINITE = [Interval(float)]
_DROP_ALLOWED = "a number >= 0 (same units as the metric) or a percentage such as '2%'"


def to_number(where: str, value, constraints=_FINITE, allowed: str | None = None) -> float:
    """Return ``value`` (a number or numeric text, as YAML and the CLI give) as a float.

    The value must satisfy ``constraints`` (:mod:`mlops_kit._params`; default
    a finite number); the error names ``where`` and says ``allowed`` (default:
    what the constraints allow).

    Examples
    --------
    >>> to_number("bound", "0.75"), to_number("bound", 3)
    (0.75, 3)
    >>> to_number("min_consecutive", "x", [Interval(int, 1, None)])
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid min_consecutive: got 'x'; allowed: an integer >= 1.
    """
    parsed = value
    if isinstance(value, str):
        for kind in (int, float):
            try:
                parsed = kind(value.strip())
                break
            except ValueError:
                pass
    try:
        check_param(where, parsed, constraints)
    except InputError:
        if allowed is None and parsed is value:
            raise
        from mlops_kit._params import describe

        raise InputError.invalid(where, value, allowed or describe(constraints)) from None
    return parsed if isinstance(parsed, int) and not isinstance(parsed, bool) else float(parsed)


def parse_max_drop(value, where: str = "max_drop") -> tuple[float | None, bool]:
    """Return ``(drop, relative)`` from a number >= 0 or a percentage string like ``"2%"``.

    The one parser of allowed drops: performance gates and rollback rules use it.

    Examples
    --------
    >>> parse_max_drop(0.01), parse_max_drop(None), parse_max_drop(" 5% ")
    ((0.01, False), (None, False), (0.05, True))
    """
    if value is None:
        return None, False
    relative = isinstance(value, str) and value.strip().endswith("%")
    raw = value.strip()[:-1] if relative else value
    number = to_number(where, raw, [Interval(float, 0, None)], _DROP_ALLOWED)
    return (number / 100.0 if relative else number), relative


def _from_value(metric: str, value, where: str) -> Threshold:
    if value is None:
        return Threshold(metric)
    if isinstance(value, dict):
        return _from_fields(metric, value, where, allow_metric=False)
    if isinstance(value, str):
        match = _OP_RE.match(value)
        if not match:
            raise InputError.invalid(where, value, "an operator and a number, e.g. '>= 0.75'")
        try:
            bound = to_number(where, match.group(2))
        except InputError:
            raise InputError.invalid(
                where, value, "an operator and a number, e.g. '>= 0.75'"
            ) from None
        return Threshold(metric, ((match.group(1), bound),))
    bound = to_number(
        where, value, allowed="a number, an operator string such as '>= 0.75', a dict or None"
    )
    return Threshold(metric, ((">=" if METRICS[metric].higher_is_better else "<=", bound),))


def _from_fields(metric: str, fields: dict, where: str, *, allow_metric: bool) -> Threshold:
    keys = _KEYS if allow_metric else _KEYS[1:]
    for key in fields:
        if key not in keys:
            raise InputError.invalid(f"{where} key", key, f"one of {list(keys)}")
    conditions = []
    if fields.get("min") is not None:
        conditions.append((">=", to_number(f"{where}['min']", fields["min"])))
    if fields.get("max") is not None:
        conditions.append(("<=", to_number(f"{where}['max']", fields["max"])))
    drop, relative = parse_max_drop(fields.get("max_drop"), f"{where}['max_drop']")
    return Threshold(metric, tuple(conditions), drop, relative)


def _from_item(item, where: str) -> Threshold:
    if isinstance(item, str):
        match = _RULE_RE.match(item)
        if match is None:
            return Threshold(get_metric(item, where=where).name)
        metric = get_metric(match.group(1), where=where).name
        return _from_value(metric, f"{match.group(2)} {match.group(3)}", where)
    if isinstance(item, dict) and "metric" in item:
        metric = get_metric(item["metric"], where=f"{where}['metric']").name
        return _from_fields(metric, item, where, allow_metric=True)
    raise InputError.invalid(where, item, _FORMS)


def parse_thresholds(thresholds) -> list[Threshold]:
    """Parse gate thresholds (see the module docstring) into a list of :class:`Threshold`.

    Raises :class:`~mlops_kit.errors.InputError` naming the bad threshold
    (``thresholds['roc_auc']``, ``thresholds[2]``), for unknown metric names
    (listing the known ones) and for a metric given twice.

    Examples
    --------
    >>> found = parse_thresholds(["roc_auc >= 0.75", {"metric": "rmse", "max": 12}, "f1"])
    >>> [(t.metric, t.text) for t in found]
    [('roc_auc', '>= 0.75'), ('rmse', '<= 12'), ('f1', None)]
    >>> t = parse_thresholds({"accuracy": {"min": 0.8, "max_drop": "2%"}})[0]
    >>> t.text, t.max_drop, t.drop_relative
    ('>= 0.8', 0.02, True)
    """
    if thresholds is None:
        return []
    if isinstance(thresholds, dict) and "metric" in thresholds:
        found = [_from_item(thresholds, "thresholds")]
    elif isinstance(thresholds, dict):
        found = []
        for key, value in thresholds.items():
            where = f"thresholds[{key!r}]"
            found.append(_from_value(get_metric(key, where=where).name, value, where))
    elif isinstance(thresholds, list | tuple):
        found = [_from_item(item, f"thresholds[{i}]") for i, item in enumerate(thresholds)]
    elif isinstance(thresholds, str):
        found = [_from_item(thresholds, "thresholds")]
    else:
        raise InputError.invalid("thresholds", thresholds, _FORMS)
    seen = set()
    for t in found:
        if t.metric in seen:
            raise InputError.invalid(
                "thresholds", t.metric, "each metric once (combine bounds with 'min' and 'max')"
            )
        seen.add(t.metric)
    return found
