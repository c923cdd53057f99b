"""Drift methods, their defaults and how one is chosen for a column.

The table and the automatic choice copy Evidently 0.7's ``DataDriftPreset``
(``evidently.legacy.calculations.stattests.registry._get_default_stattest``
and the stattest modules) so that both engines decide alike:

=================  ============  =========  ==========  =========================
method             column types  threshold  statistic   drift when
=================  ============  =========  ==========  =========================
``ks``             num           0.05       p-value     ``p <= threshold``
``chisquare``      cat           0.05       p-value     ``p < threshold``
``z``              cat           0.05       p-value     ``p < threshold``
``wasserstein``    num           0.1        distance    ``d >= threshold``
``jensenshannon``  num, cat      0.1        distance    ``d >= threshold``
``psi``            num, cat      0.1        PSI         ``psi >= threshold``
=================  ============  =========  ==========  =========================

``method="auto"`` picks, from the reference size *after* missing values are
dropped and the number of distinct values on both sides together:
reference <= 1000 rows: ``ks`` for numeric columns with more than 5 distinct
values, otherwise ``chisquare`` (``z`` when there are at most 2 values);
larger reference: ``wasserstein`` for numeric columns with more than 5
distinct values, otherwise ``jensenshannon``.

Examples
--------
>>> auto_method("num", n_reference=500, n_values=40)
'ks'
>>> auto_method("cat", n_reference=5000, n_values=2)
'jensenshannon'
>>> METHODS["ks"].is_drift(0.05, 0.05), METHODS["chisquare"].is_drift(0.05, 0.05)
(True, False)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mlops_kit.errors import ColumnError, InputError

__all__ = [
    "KINDS",
    "METHODS",
    "MethodSpec",
    "auto_method",
    "check_method_options",
    "lookup",
    "method_from_display_name",
    "resolve_method",
    "resolve_threshold",
]

KINDS = ("num", "cat")


@dataclass(frozen=True)
class MethodSpec:
    """One drift method: where it applies, its default threshold, how it decides."""

    name: str
    display_name: str  # Evidently's display name (shown in its snapshot)
    kinds: tuple[str, ...]
    default_threshold: float
    is_test: bool  # True: the statistic is a p-value
    inclusive: bool = False  # p-value tests: drift when p <= threshold (K-S only)

    def is_drift(self, statistic: float, threshold: float) -> bool:
        """Return the verdict for ``statistic`` against ``threshold`` (NaN: no drift)."""
        if statistic is None or math.isnan(statistic):
            return False
        if self.is_test:
            return statistic <= threshold if self.inclusive else statistic < threshold
        return statistic >= threshold


METHODS: dict[str, MethodSpec] = {
    spec.name: spec
    for spec in (
        MethodSpec("ks", "K-S p_value", ("num",), 0.05, True, inclusive=True),
        MethodSpec("chisquare", "chi-square p_value", ("cat",), 0.05, True),
        MethodSpec("z", "Z-test p_value", ("cat",), 0.05, True),
        MethodSpec("wasserstein", "Wasserstein distance (normed)", ("num",), 0.1, False),
        MethodSpec("jensenshannon", "Jensen-Shannon distance", ("num", "cat"), 0.1, False),
        MethodSpec("psi", "PSI", ("num", "cat"), 0.1, False),
    )
}

_ALLOWED_METHODS = "'auto' or one of " + ", ".join(repr(m) for m in METHODS)


def method_from_display_name(display_name: str) -> str:
    """Map Evidently's display name (``'K-S p_value'``) to the method name (``'ks'``).

    Examples
    --------
    >>> method_from_display_name("Wasserstein distance (normed)")
    'wasserstein'
    """
    if display_name in METHODS:  # a method given explicitly keeps its name in the snapshot
        return display_name
    for spec in METHODS.values():
        if spec.display_name == display_name:
            return spec.name
    raise InputError.invalid("Evidently method", display_name, _ALLOWED_METHODS)


def auto_method(kind: str, n_reference: int, n_values: int) -> str:
    """Return the method Evidently 0.7 picks for a column (see module docstring).

    Parameters
    ----------
    kind : {"num", "cat"}
    n_reference : int
        Reference rows left after dropping missing values.
    n_values : int
        Distinct non-missing values in reference and current together.

    Examples
    --------
    >>> auto_method("num", 1000, 3), auto_method("num", 1001, 3)
    ('chisquare', 'jensenshannon')
    """
    if n_reference <= 1000:
        if kind == "num" and n_values > 5:
            return "ks"
        return "chisquare" if n_values > 2 else "z"
    if kind == "num" and n_values > 5:
        return "wasserstein"
    return "jensenshannon"


def _check_name(name, where: str) -> None:
    if not isinstance(name, str) or (name != "auto" and name not in METHODS):
        raise InputError.invalid(where, name, _ALLOWED_METHODS)


def _check_threshold(value, where: str) -> None:
    ok = (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )
    if not ok:
        raise InputError.invalid(where, value, "a finite number > 0")


def check_method_options(method, threshold, columns_known) -> None:
    """Validate ``method``/``threshold`` (a value, or a dict by column or by type).

    Dict keys are column names or the type names ``"num"``/``"cat"``; a key that
    is neither raises :class:`~mlops_kit.errors.ColumnError`.

    Examples
    --------
    >>> check_method_options({"num": "psi", "age": "ks"}, 0.2, ["age", "city"])
    >>> check_method_options("fast", None, ["age"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid method: got 'fast'; allowed: 'auto' or one of ...
    """
    known = set(columns_known)
    for option, checker in (("method", _check_name), ("threshold", _check_threshold)):
        value = method if option == "method" else threshold
        if value is None and option == "threshold":
            continue
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in KINDS and key not in known:
                    raise ColumnError(
                        f"Invalid {option} key {key!r}: it is neither a checked column nor a "
                        f"type ('num', 'cat'). Checked columns: {sorted(known)[:20]}."
                    )
                if option == "threshold" and item is None:
                    continue
                checker(item, f"{option}[{key!r}]")
        else:
            checker(value, option)


def lookup(option, column, kind: str):
    """Return the raw entry of ``method``/``threshold`` for a column (no checks).

    Examples
    --------
    >>> lookup({"num": "psi"}, "age", "num"), lookup("ks", "age", "num")
    ('psi', 'ks')
    """
    return _lookup(option, column, kind)


def _lookup(option, column: str, kind: str):
    if isinstance(option, dict):
        if column in option:
            return option[column]
        return option.get(kind)
    return option


def resolve_method(method, column: str, kind: str) -> str | None:
    """Return the method asked for ``column`` (``None`` for automatic).

    Per-column entries win over per-type entries, which win over a single value.

    Examples
    --------
    >>> resolve_method({"num": "psi", "age": "ks"}, "age", "num")
    'ks'
    >>> resolve_method({"num": "psi"}, "city", "cat") is None
    True
    """
    name = _lookup(method, column, kind)
    if name is None or name == "auto":
        return None
    spec = METHODS[name]
    if kind not in spec.kinds:
        allowed = [m for m, s in METHODS.items() if kind in s.kinds]
        other = "cat" if kind == "num" else "num"
        raise InputError(
            f"Invalid method for column {column!r}: got {name!r}, which applies to "
            f"{'/'.join(spec.kinds)} columns only, but {column!r} is {kind!r}; allowed for "
            f"{kind!r} columns: 'auto', {', '.join(repr(a) for a in allowed)}. Pass a dict "
            f"such as method={{{spec.kinds[0]!r}: {name!r}}}, or "
            f"column_types={{{column!r}: {other!r}}} to test it as {other!r}."
        )
    return name


def resolve_threshold(threshold, column: str, kind: str, method: str) -> float:
    """Return the threshold for ``column`` tested with ``method``.

    Examples
    --------
    >>> resolve_threshold(None, "age", "num", "ks")
    0.05
    >>> resolve_threshold({"cat": 0.2}, "city", "cat", "jensenshannon")
    0.2
    """
    value = _lookup(threshold, column, kind)
    if value is None:
        return METHODS[method].default_threshold
    return float(value)
