"""Parameters declared once: constraints, one checker, ``get_params`` and a readable repr.

Every analysis class of the kit (a drift check, a gate, a policy, a rollout)
declares its constructor parameters and their constraints once, in the
scikit-learn way::

    class DriftCheck(Params):
        _parameter_constraints = {
            "drift_share": [Interval(float, 0, 1, closed="right")],
            "engine": [Options("native", "evidently")],
            "columns": [None, InstanceOf(list, tuple, description="a list of column names")],
        }

The constructor only stores its arguments. ``fit``/``run``/``check`` call
:meth:`Params._validate_params` first, which turns any violation into the
kit's standard :class:`~mlops_kit.errors.InputError` (parameter name, value
received, what is allowed). The same declaration gives :meth:`Params.get_params`
and a repr that shows the parameters that differ from their defaults.

Plain functions use :func:`check_param` with the same constraint objects.

Examples
--------
>>> class Gate(Params):
...     _parameter_constraints = {
...         "min_accuracy": [Interval(float, 0, 1)],
...         "metric": [Options("accuracy", "f1")],
...     }
...     def __init__(self, metric="accuracy", min_accuracy=0.8):
...         self.metric = metric
...         self.min_accuracy = min_accuracy
>>> Gate(min_accuracy=0.9)
Gate(min_accuracy=0.9)
>>> Gate().get_params()
{'metric': 'accuracy', 'min_accuracy': 0.8}
>>> Gate(min_accuracy=1.5)._validate_params()
Traceback (most recent call last):
...
mlops_kit.errors.InputError: Invalid min_accuracy: got 1.5; allowed: a number in [0, 1].
"""

from __future__ import annotations

import inspect
import math
import numbers
from typing import Any, ClassVar

from mlops_kit.errors import InputError

__all__ = [
    "InstanceOf",
    "Interval",
    "Options",
    "Params",
    "Predicate",
    "check_param",
    "describe",
]


class Constraint:
    """Base class: ``accepts(value)`` says whether a value satisfies it; ``text`` describes it."""

    text = "a valid value"

    def accepts(self, value) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.text}>"


class Interval(Constraint):
    """A real number (``float``) or whole number (``int``) in a range; booleans never match.

    Parameters
    ----------
    kind : {int, float}
        ``int`` accepts integers only; ``float`` accepts any finite real number
        (integers included, NaN and infinities never).
    low, high : float or None
        The bounds; ``None`` for an open side.
    closed : {"both", "left", "right", "neither"}
        Which bounds are included.

    Examples
    --------
    >>> Interval(float, 0, 1, closed="right").text
    'a number in (0, 1]'
    >>> Interval(int, 1, None).accepts(3), Interval(int, 1, None).accepts(True)
    (True, False)
    """

    def __init__(self, kind, low=None, high=None, closed="both"):
        if kind not in (int, float):
            raise TypeError("Interval kind must be int or float")
        if closed not in ("both", "left", "right", "neither"):
            raise TypeError("closed must be 'both', 'left', 'right' or 'neither'")
        self.kind, self.low, self.high, self.closed = kind, low, high, closed
        self.text = self._describe()

    def _describe(self) -> str:
        noun = "an integer" if self.kind is int else "a number"
        lo_in = self.closed in ("both", "left")
        hi_in = self.closed in ("both", "right")
        if self.low is not None and self.high is not None:
            left, right = "[" if lo_in else "(", "]" if hi_in else ")"
            return f"{noun} in {left}{self.low}, {self.high}{right}"
        if self.low is not None:
            return f"{noun} {'>=' if lo_in else '>'} {self.low}"
        if self.high is not None:
            return f"{noun} {'<=' if hi_in else '<'} {self.high}"
        return "an integer" if self.kind is int else "a finite number"

    def accepts(self, value) -> bool:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return False
        if self.kind is int and not isinstance(value, numbers.Integral):
            return False
        if not math.isfinite(value):
            return False
        lo_in = self.closed in ("both", "left")
        hi_in = self.closed in ("both", "right")
        if self.low is not None and (value < self.low or (value == self.low and not lo_in)):
            return False
        return not (
            self.high is not None and (value > self.high or (value == self.high and not hi_in))
        )


class Options(Constraint):
    """One of a fixed set of values (compared with ``==``; booleans never match numbers).

    Examples
    --------
    >>> Options("native", "evidently").text
    "one of ['native', 'evidently']"
    >>> Options("native", "evidently").accepts("native")
    True
    """

    def __init__(self, *values):
        self.values = values
        self.text = f"one of {list(values)}"

    def accepts(self, value) -> bool:
        try:
            return any(
                (type(value) is type(v) and value == v)
                or (isinstance(v, str) and isinstance(value, str) and value == v)
                for v in self.values
            )
        except (TypeError, ValueError):  # arrays and other odd objects
            return False


class InstanceOf(Constraint):
    """An instance of one of ``types`` (``bool`` is not taken for ``int``/``float``).

    Examples
    --------
    >>> InstanceOf(list, tuple, description="a list of column names").accepts(["a"])
    True
    >>> InstanceOf(int).accepts(True)
    False
    """

    def __init__(self, *types, description: str | None = None):
        self.types = types
        names = " or ".join(t.__name__ for t in types)
        self.text = description or f"an instance of {names}"

    def accepts(self, value) -> bool:
        if isinstance(value, bool) and bool not in self.types:
            return False
        return isinstance(value, self.types)


class Predicate(Constraint):
    """Any rule written as a function ``value -> bool``, with its description.

    Examples
    --------
    >>> nonempty = Predicate(lambda v: isinstance(v, str) and bool(v.strip()), "a non-empty string")
    >>> nonempty.accepts(" "), nonempty.accepts("x")
    (False, True)
    """

    def __init__(self, func, text: str):
        self.func, self.text = func, text

    def accepts(self, value) -> bool:
        try:
            return bool(self.func(value))
        except Exception:  # a rule that cannot even look at the value rejects it
            return False


_BOOLEAN = InstanceOf(bool, description="True or False")
_CALLABLE = Predicate(callable, "a callable")


def _as_constraint(item) -> Constraint | None:
    if item is None:
        return None
    if item == "boolean":
        return _BOOLEAN
    if item == "callable":
        return _CALLABLE
    if isinstance(item, Constraint):
        return item
    raise TypeError(f"not a parameter constraint: {item!r}")


def describe(constraints) -> str:
    """Say in words what a list of constraints allows.

    Examples
    --------
    >>> describe([None, Interval(int, 1, None)])
    'an integer >= 1 or None'
    """
    texts = [c.text for c in map(_as_constraint, constraints) if c is not None]
    if any(item is None for item in constraints):
        texts.append("None")
    return " or ".join(texts)


def check_param(name: str, value, constraints, hint: str | None = None):
    """Return ``value`` if it satisfies one of ``constraints``, else raise the standard error.

    Parameters
    ----------
    name : str
        The parameter's name as the user wrote it (or the CLI option).
    value : object
        The value received.
    constraints : list
        Constraint objects, ``None`` (the value may be None), ``"boolean"`` or
        ``"callable"``.
    hint : str, optional
        What to do, appended to the message.

    Examples
    --------
    >>> check_param("n_rows", 10, [Interval(int, 1, None)])
    10
    >>> check_param("n_rows", 0, [Interval(int, 1, None)])
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid n_rows: got 0; allowed: an integer >= 1.
    """
    for item in constraints:
        constraint = _as_constraint(item)
        if (constraint is None and value is None) or (
            constraint is not None and constraint.accepts(value)
        ):
            return value
    raise InputError.invalid(name, value, describe(constraints), hint)


class Params:
    """Mixin: declared parameters, one validation, ``get_params`` and a readable repr.

    Subclasses set ``_parameter_constraints`` (parameter -> list of
    constraints) and store every ``__init__`` argument under its own name.
    """

    _parameter_constraints: ClassVar[dict[str, list]] = {}

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]

    def get_params(self) -> dict[str, Any]:
        """Return the constructor parameters and their current values.

        Examples
        --------
        >>> class P(Params):
        ...     def __init__(self, k=3):
        ...         self.k = k
        >>> P(k=5).get_params()
        {'k': 5}
        """
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params):
        """Set parameters by name and return ``self`` (unknown names are an error).

        Examples
        --------
        >>> class P(Params):
        ...     def __init__(self, k=3):
        ...         self.k = k
        >>> P().set_params(k=4).k
        4
        """
        known = self._param_names()
        for name, value in params.items():
            if name not in known:
                raise InputError.invalid("parameter", name, f"one of {known}")
            setattr(self, name, value)
        return self

    def _validate_params(self) -> None:
        """Check every declared parameter; raise the standard InputError on the first bad one."""
        for name, constraints in self._parameter_constraints.items():
            check_param(name, getattr(self, name), constraints)

    def __repr__(self) -> str:
        sig = inspect.signature(type(self).__init__)
        shown = []
        for name in self._param_names():
            value = getattr(self, name, None)
            default = sig.parameters[name].default
            try:
                same = default is not inspect.Parameter.empty and bool(value == default)
            except (TypeError, ValueError):
                same = False
            if not same:
                text = repr(value)
                shown.append(f"{name}={text if len(text) <= 60 else text[:57] + '...'}")
        return f"{type(self).__name__}({', '.join(shown)})"
