"""Named data slices for a performance gate: the rows each check runs on.

``slices`` maps a name to what selects the rows:

- ``None``: the name is a column of ``X``; one slice per value
  (``{"region": None}`` gives ``region=north``, ``region=south``, ...);
- a list of values of that column (``{"region": ["north", "east"]}``);
- a query string evaluated with :meth:`pandas.DataFrame.eval`
  (``{"big_loans": "loan_amount > 20000"}``);
- a boolean mask (array or Series, one entry per row) or a callable
  ``X -> mask``.

A column name or a list of column names is shorthand for ``{col: None}``.
The whole data set is always the first slice, named ``overall``.

Examples
--------
>>> import pandas as pd
>>> X = pd.DataFrame({"region": ["n", "s", "n"], "x": [1, 2, 3]})
>>> [(name, int(mask.sum())) for name, mask in build_slices({"region": None, "big": "x > 1"}, X)]
[('overall', 3), ('region=n', 2), ('region=s', 1), ('big', 2)]
"""

from __future__ import annotations

from mlops_kit.errors import ColumnError, InputError

__all__ = ["OVERALL", "build_slices"]

OVERALL = "overall"
_FORMS = (
    "None, a column name, a list of column names, or a dict {name: None | list of values | "
    "query string | boolean mask | callable}"
)


def _column(X, name: str, where: str):
    columns = list(getattr(X, "columns", []))
    if name not in columns:
        shown = ", ".join(repr(c) for c in columns[:20]) or "none (X is not a DataFrame)"
        raise ColumnError(
            f"Invalid {where}: column {name!r} is not in X. Columns of X: {shown}. "
            "Pass a boolean mask instead if the column is not a model input."
        )
    return X[name]


def _mask(X, n: int, spec, where: str):
    import numpy as np
    import pandas as pd

    if isinstance(spec, str):
        if not isinstance(X, pd.DataFrame):
            raise InputError.invalid(where, spec, "a boolean mask (X is not a DataFrame)")
        try:
            spec = X.eval(spec)
        except Exception as exc:
            raise InputError.invalid(
                where, spec, "a valid pandas query over the columns of X", f"({exc})"
            ) from None
    elif callable(spec):
        spec = spec(X)
    mask = np.asarray(getattr(spec, "values", spec))
    if mask.dtype != bool or mask.shape != (n,):
        raise InputError.invalid(
            where,
            f"{mask.dtype} array of shape {mask.shape}",
            f"a boolean mask of shape ({n},), one entry per row of X",
        )
    return mask


def build_slices(slices, X) -> list[tuple[str, object]]:
    """Return ``[(name, boolean mask)]``: ``overall`` first, then each slice.

    Raises :class:`~mlops_kit.errors.InputError` (or ColumnError) naming
    ``slices[<name>]`` when a slice cannot be built.
    """
    import numpy as np

    n = len(X)
    found = [(OVERALL, np.ones(n, dtype=bool))]
    if slices is None:
        return found
    if isinstance(slices, str):
        slices = {slices: None}
    elif isinstance(slices, list | tuple) and all(isinstance(s, str) for s in slices):
        slices = dict.fromkeys(slices)
    if not isinstance(slices, dict):
        raise InputError.invalid("slices", slices, _FORMS)
    for name, spec in slices.items():
        where = f"slices[{name!r}]"
        if not isinstance(name, str) or not name.strip() or name == OVERALL:
            raise InputError.invalid("slices key", name, f"a non-empty name other than {OVERALL!r}")
        if spec is None or isinstance(spec, list | tuple | set):
            column = _column(X, name, where)
            values = column.dropna().unique() if spec is None else list(spec)
            if spec is None:
                values = sorted(values, key=lambda v: (str(type(v)), v))
            found.extend((f"{name}={v}", (column == v).to_numpy()) for v in values)
        else:
            found.append((name, _mask(X, n, spec, where)))
    names = [name for name, _ in found]
    if len(set(names)) != len(names):
        dup = next(x for x in names if names.count(x) > 1)
        raise InputError.invalid("slices", dup, "slice names that are unique")
    return found
