"""Rollback rules: a metric below or above a bound, or dropped against the previous version.

A rule is declared in Python, as a string or as a dict (the YAML form)::

    Rule.below("accuracy", 0.8)     "accuracy < 0.8"       {"metric": "accuracy", "below": 0.8}
    Rule.above("drift_share", 0.5)  "drift_share > 0.5"    {"metric": "drift_share", "above": 0.5}
    Rule.drop("roc_auc", 0.05)      "roc_auc drop > 0.05"  {"metric": "roc_auc", "max_drop": 0.05}

``metric`` names a column of the window results. A drop rule compares each
window with the value recorded for the previous model version; for
lower-is-better metrics (mae, rmse, ...) a drop is an increase. A dict may
also set ``name``, ``min_consecutive`` and ``mode`` (overriding the policy's)
and, for drop rules, ``higher_is_better``.

Examples
--------
>>> parse_rule("accuracy < 0.8").label
'accuracy < 0.8'
>>> parse_rule({"metric": "roc_auc", "max_drop": "5%"}).label
'roc_auc drop > 5% vs previous'
>>> parse_rule({"metric": "rmse", "max_drop": 2}).bound_for(10.0)
12.0
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from mlops_kit._params import Interval, Options, check_param
from mlops_kit.errors import InputError
from mlops_kit.metrics import lower_is_better
from mlops_kit.validation.performance.thresholds import parse_max_drop, to_number

__all__ = ["MODES", "Rule", "parse_rule", "parse_rules"]

MODES = ("consecutive", "mean", "either")
_OPS = {"<": lambda v, b: v < b, "<=": lambda v, b: v <= b, ">": lambda v, b: v > b}
_OPS[">="] = lambda v, b: v >= b
_RULE_RE = re.compile(r"^\s*([A-Za-z_][\w.\-]*)\s*(<=|>=|<|>)\s*(\S+)\s*$")
_DROP_RE = re.compile(r"^\s*([A-Za-z_][\w.\-]*)\s+drop\s*>\s*(\S+)\s*$")
_KEYS = (
    "metric",
    "below",
    "above",
    "max_drop",
    "name",
    "min_consecutive",
    "mode",
    "higher_is_better",
)
_FORMS = (
    "a Rule, a string such as 'accuracy < 0.8' or 'roc_auc drop > 0.05', or a dict with "
    "'metric' and one of 'below', 'above', 'max_drop'"
)


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.4g}"


#: the constraints of the settings a policy and a rule share (declared once)
MIN_CONSECUTIVE = [Interval(int, 1, None)]
MODE = [Options(*MODES)]


@dataclass(frozen=True)
class Rule:
    """One rollback rule (build it with :meth:`below`, :meth:`above`, :meth:`drop`).

    Attributes
    ----------
    metric : str
        Column of the window results.
    op : str
        ``"<"``, ``"<="``, ``">"`` or ``">="``: a window *violates* the rule
        when ``value op bound`` holds. For a drop rule the op follows the
        metric's direction.
    bound : float
        The bound, or the allowed drop for a drop rule.
    vs_previous : bool
        True for a drop rule (against the previous version).
    relative : bool
        A drop rule's bound is a fraction of the previous value.

    Examples
    --------
    >>> Rule.above("drift_share", 0.5).violated(0.6)
    True
    """

    metric: str
    op: str
    bound: float
    vs_previous: bool = False
    relative: bool = False
    name: str | None = None
    min_consecutive: int | None = None
    mode: str | None = None

    @classmethod
    def below(cls, metric: str, bound: float, **options) -> Rule:
        """Fire when ``metric < bound``."""
        return parse_rule({"metric": metric, "below": bound, **options})

    @classmethod
    def above(cls, metric: str, bound: float, **options) -> Rule:
        """Fire when ``metric > bound`` (e.g. ``drift_share`` above 0.5)."""
        return parse_rule({"metric": metric, "above": bound, **options})

    @classmethod
    def drop(cls, metric: str, max_drop, **options) -> Rule:
        """Fire when ``metric`` is worse than the previous version's by more than ``max_drop``."""
        return parse_rule({"metric": metric, "max_drop": max_drop, **options})

    @property
    def label(self) -> str:
        """The rule as text (its ``name`` when given)."""
        if self.name:
            return self.name
        if self.vs_previous:
            shown = f"{self.bound * 100:g}%" if self.relative else _fmt(self.bound)
            return f"{self.metric} drop > {shown} vs previous"
        return f"{self.metric} {self.op} {_fmt(self.bound)}"

    def bound_for(self, previous: float | None) -> float | None:
        """The value a window is compared with (for a drop rule: from ``previous``)."""
        if not self.vs_previous:
            return self.bound
        if previous is None:
            return None
        allowance = self.bound * abs(previous) if self.relative else self.bound
        return previous - allowance if self.op == "<" else previous + allowance

    def violated(self, value, bound: float | None = None) -> bool:
        """True when ``value`` breaks the rule (NaN never does)."""
        bound = self.bound if bound is None else bound
        if value is None or not math.isfinite(value):
            return False
        return bool(_OPS[self.op](value, bound))

    def to_dict(self) -> dict:
        """The dict form (as accepted by :func:`parse_rule`)."""
        out: dict = {"metric": self.metric}
        if self.vs_previous:
            out["max_drop"] = f"{self.bound * 100:g}%" if self.relative else self.bound
            out["higher_is_better"] = self.op == "<"
        elif self.op in ("<", "<="):
            out["below"] = self.bound
        else:
            out["above"] = self.bound
        for key in ("name", "min_consecutive", "mode"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


def _from_dict(item: dict, where: str) -> Rule:
    for key in item:
        if key not in _KEYS:
            raise InputError.invalid(f"{where} key", key, f"one of {list(_KEYS)}")
    metric = item.get("metric")
    if not isinstance(metric, str) or not metric.strip():
        raise InputError.invalid(f"{where}.metric", metric, "a column name of the window results")
    kinds = [k for k in ("below", "above", "max_drop") if item.get(k) is not None]
    if len(kinds) != 1:
        raise InputError.invalid(where, item, "exactly one of 'below', 'above', 'max_drop'")
    kind = kinds[0]
    extra = {}
    if item.get("name") is not None:
        if not isinstance(item["name"], str) or not item["name"].strip():
            raise InputError.invalid(f"{where}.name", item["name"], "a non-empty string")
        extra["name"] = item["name"]
    if item.get("min_consecutive") is not None:
        extra["min_consecutive"] = check_param(
            f"{where}.min_consecutive", item["min_consecutive"], MIN_CONSECUTIVE
        )
    if item.get("mode") is not None:
        extra["mode"] = check_param(f"{where}.mode", item["mode"], MODE)
    if kind != "max_drop":
        if item.get("higher_is_better") is not None:
            raise InputError.invalid(
                f"{where}.higher_is_better", item["higher_is_better"], "only with 'max_drop'"
            )
        bound = float(to_number(f"{where}.{kind}", item[kind]))
        return Rule(metric, "<" if kind == "below" else ">", bound, **extra)
    amount, relative = parse_max_drop(item["max_drop"], f"{where}.max_drop")
    higher = item.get("higher_is_better")
    if higher is None:
        higher = not lower_is_better(metric)
    check_param(f"{where}.higher_is_better", higher, ["boolean"])
    op = "<" if higher else ">"
    return Rule(metric, op, amount, True, relative, **extra)


def parse_rule(item, where: str = "rule") -> Rule:
    """Return a :class:`Rule` from a Rule, a string or a dict (see the module docstring).

    Raises :class:`~mlops_kit.errors.InputError` naming ``where`` and the bad field.

    Examples
    --------
    >>> rule = parse_rule({"metric": "accuracy", "below": 0.8, "min_consecutive": 2})
    >>> rule.label, rule.violated(0.75), rule.min_consecutive
    ('accuracy < 0.8', True, 2)
    >>> drop = parse_rule("rmse drop > 10%")  # lower is better: a drop is an increase
    >>> drop.label, drop.bound_for(20.0)
    ('rmse drop > 10% vs previous', 22.0)
    """
    if isinstance(item, Rule):
        return item
    if isinstance(item, str):
        if match := _DROP_RE.match(item):
            return _from_dict({"metric": match[1], "max_drop": match[2]}, where)
        if match := _RULE_RE.match(item):
            bound = float(to_number(where, match[3]))
            return Rule(match[1], match[2], bound)
        raise InputError.invalid(where, item, _FORMS)
    if isinstance(item, dict):
        return _from_dict(item, where)
    raise InputError.invalid(where, item, _FORMS)


def parse_rules(rules, where: str = "rules") -> list[Rule]:
    """Parse a non-empty list of rules (a single rule is accepted too)."""
    if isinstance(rules, Rule | str | dict):
        rules = [rules]
    if not isinstance(rules, list | tuple) or not rules:
        raise InputError.invalid(where, rules, f"a non-empty list of rules: {_FORMS}")
    parsed = [parse_rule(item, f"{where}[{i}]") for i, item in enumerate(rules)]
    labels = [r.label for r in parsed]
    for label in labels:
        if labels.count(label) > 1:
            raise InputError.invalid(where, label, "rules with distinct labels (give a 'name')")
    return parsed
