"""The fitted reference: what :meth:`DriftCheck.fit` keeps, and its file format.

A :class:`ReferenceSummary` holds, per column, everything a drift check needs
from the reference and nothing else: the kind of values (:class:`Family`),
the column's role (feature, target, prediction, declared ID), the sorted
non-missing values of a numeric column, or the value counts of a categorical
one. Windows of current data are then typed and tested against it
(:func:`current_specs`) without the reference frame.

:meth:`ReferenceSummary.save` writes one ``.npz`` file: the numeric arrays
plus a JSON header (column names, roles, dtypes, category keys and the
check's parameters). It is read back with ``allow_pickle=False``: loading a
summary never runs code from the file.

Examples
--------
>>> import pandas as pd
>>> ref = pd.DataFrame({"x": [3.0, 1.0, 2.0], "c": ["a", "b", "a"]})
>>> s = ReferenceSummary.from_frame(ref)
>>> s.names, s["x"].values.tolist(), s["c"].counts.to_dict()
(['x', 'c'], [1.0, 2.0, 3.0], {'a': 2, 'b': 1})
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mlops_kit.errors import ColumnError, InputError
from mlops_kit.validation.drift import stattests as st
from mlops_kit.validation.drift.columns import (
    ColumnSpec,
    check_column_types,
    check_frame,
    decide,
    has_values,
    is_integer_dtype,
    pick_columns,
    unique_count,
)
from mlops_kit.validation.drift.families import Family, check_compatible, family_of, to_float
from mlops_kit.validation.drift.native import CatStats

__all__ = [
    "FORMAT_VERSION",
    "ID_MIN_ROWS",
    "ID_UNIQUE_SHARE",
    "ROLES",
    "RefColumn",
    "ReferenceSummary",
    "current_specs",
]

FORMAT_VERSION = 1
#: the version written when a column is sketched (older readers must refuse such a file)
SKETCH_FORMAT_VERSION = 2
ROLES = ("feature", "target", "prediction", "id")
#: an integer column all of whose reference values are distinct (at least this many rows) ...
ID_MIN_ROWS = 20
#: ... and at least this share of whose current values are distinct is an identifier
ID_UNIQUE_SHARE = 0.95


@dataclass
class RefColumn:
    """The reference side of one column.

    ``values``: sorted non-missing values as float64 (numeric columns);
    ``sketch``: instead of ``values``, a :class:`~.ref_sketch.RefSketch` (a numeric
    column with more distinct values than a Spark fit's ``max_reference_values``);
    ``counts``: value counts, index = value (string and boolean columns).
    """

    name: object
    role: str
    family: Family
    np_int: bool  # a numpy integer dtype (histogram bins of integers are at least 1 wide)
    has_values: bool
    n_rows: int
    all_unique: bool  # integer dtype, no missing value, every value distinct
    values: np.ndarray | None = None
    counts: object = None
    sketch: object = None
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def numeric(self) -> bool:
        return self.values is not None or self.sketch is not None

    def _no_values(self, what: str):
        if self.values is None and self.sketch is not None:
            raise InputError(
                f"Column {self.name!r} was fitted as a sketch ({self.sketch.n_distinct} or more "
                f"distinct reference values, above max_reference_values): {what} needs every "
                "reference value; pass column_types={" + repr(self.name) + ": 'num'} or refit "
                "with a larger max_reference_values."
            )

    def distinct(self):
        """``(values, counts)`` of the sorted reference values (cached)."""
        self._no_values("counting each distinct value")
        if "distinct" not in self._cache:
            self._cache["distinct"] = st.distinct_counts(self.values)
        return self._cache["distinct"]

    def std(self) -> float:
        """Population standard deviation of the values (Evidently's Wasserstein norm)."""
        if self.sketch is not None:
            return self.sketch.std
        if "std" not in self._cache:
            self._cache["std"] = float(np.std(self.values))
        return self._cache["std"]

    def value_counts(self):
        """The reference value counts (derived from the sorted values for numbers)."""
        if self.values is None and self.sketch is None:
            return self.counts
        self._no_values("testing it by value (categorical)")
        import pandas as pd

        keys, counts = self.distinct()
        return pd.Series(counts, index=pd.Index(keys))


def _ref_column(series, name, role) -> RefColumn:
    fam = family_of(series, name, "reference")
    present = has_values(series, fam, name, "reference")
    dtype = series.dtype
    np_int = isinstance(dtype, np.dtype) and dtype.kind in "iu"
    n_rows = len(series)
    all_unique = False
    if is_integer_dtype(dtype) and n_rows >= ID_MIN_ROWS:
        all_unique = int(series.count()) == n_rows and int(series.nunique()) == n_rows
    col = RefColumn(name, role, fam, np_int, present, n_rows, all_unique)
    if not present or fam.name == "empty":
        return col
    if fam.name == "numeric":
        values = to_float(series)
        values = values[~np.isnan(values)]
        values.sort()
        col.values = values
    elif fam.name in ("string", "bool"):
        col.counts = CatStats.counts(series)
        col.counts = col.counts[col.counts > 0]
    return col


def _role_names(value, option: str, known) -> list:
    if value is None:
        return []
    names = list(value) if isinstance(value, (list, tuple)) else [value]
    for name in names:
        if name not in known:
            raise ColumnError(
                f"{option} names column {name!r}, which is not in reference (present there: "
                f"{sorted(map(str, known))[:20]})."
            )
    return names


def column_roles(known, columns, id_columns, target, prediction) -> tuple[dict, list]:
    """Return ``(roles, names)``: the declared role of each named column, and the columns
    to summarise (``columns`` or all of ``known``, plus every column given a role).

    Examples
    --------
    >>> column_roles(["id", "x", "y"], ["x"], ["id"], "y", None)
    ({'id': 'id', 'y': 'target'}, ['x', 'id', 'y'])
    """
    roles = {}
    declared = (
        ("id_columns", id_columns, "id"),
        ("target", target, "target"),
        ("prediction", prediction, "prediction"),
    )
    for option, value, role in declared:
        for name in _role_names(value, option, known):
            if name in roles:
                raise ColumnError(f"Column {name!r} is given two roles: {roles[name]} and {role}.")
            roles[name] = role
    if columns is None:
        return roles, list(known)
    names = pick_columns(known, known, columns)
    return roles, names + [n for n in roles if n not in names]


class ReferenceSummary:
    """Per-column summaries of a reference frame, in column order.

    Build one with :meth:`from_frame` (what :meth:`DriftCheck.fit` does) or
    :meth:`load`; ``params`` holds the parameters of the check that fitted it.

    Examples
    --------
    >>> import pandas as pd
    >>> ref = pd.DataFrame({"id": range(100), "x": [1.0, 2.0] * 50, "y": [0, 1] * 50})
    >>> s = ReferenceSummary.from_frame(ref, target="y", id_columns=["id"])
    >>> [(c.name, c.role) for c in s.columns]
    [('id', 'id'), ('x', 'feature'), ('y', 'target')]
    """

    def __init__(self, columns, params=None, explicit_columns=False):
        self.columns = list(columns)
        self.params = dict(params or {})
        self.explicit_columns = explicit_columns
        self._by_name = {c.name: c for c in self.columns}

    @property
    def names(self) -> list:
        return [c.name for c in self.columns]

    def __getitem__(self, name) -> RefColumn:
        return self._by_name[name]

    def __len__(self) -> int:
        return len(self.columns)

    def __repr__(self) -> str:
        roles = {}
        for c in self.columns:
            roles[c.role] = roles.get(c.role, 0) + 1
        text = ", ".join(f"{n} {r}" for r, n in roles.items())
        return f"<ReferenceSummary: {len(self)} columns ({text})>"

    @classmethod
    def from_frame(
        cls,
        reference,
        columns=None,
        column_types=None,
        target=None,
        prediction=None,
        id_columns=None,
        params=None,
    ) -> ReferenceSummary:
        """Summarise ``reference`` (a non-empty DataFrame) for the given column roles.

        ``columns`` (default: all) are the features; ``target`` and
        ``prediction`` are tested and reported apart; ``id_columns`` are
        never tested.
        """
        check_frame(reference, "reference")
        known = list(reference.columns)
        roles, names = column_roles(known, columns, id_columns, target, prediction)
        check_column_types(column_types, names)
        cols = [_ref_column(reference[n], n, roles.get(n, "feature")) for n in names]
        return cls(cols, params, explicit_columns=columns is not None)

    # --- file format ------------------------------------------------------------
    def save(self, path) -> Path:
        """Write the summary to ``path`` (an ``.npz`` file; parent folders are created).

        Examples
        --------
        >>> import pandas as pd, pathlib, tempfile
        >>> s = ReferenceSummary.from_frame(pd.DataFrame({"x": [1.0, 2.0], "c": ["a", "b"]}))
        >>> p = s.save(pathlib.Path(tempfile.mkdtemp()) / "ref.npz")
        >>> ReferenceSummary.load(p)["c"].counts.to_dict()
        {'a': 1, 'b': 1}
        """
        path = Path(path)
        if path.suffix != ".npz":
            raise InputError.invalid("path", str(path), "a file name ending in .npz")
        arrays, header = {}, []
        sketched = False
        for i, c in enumerate(self.columns):
            item = {
                "name": _json_name(c.name),
                "role": c.role,
                "family": [c.family.name, c.family.dtype, c.family.categorical_dtype],
                "np_int": c.np_int,
                "has_values": c.has_values,
                "n_rows": c.n_rows,
                "all_unique": c.all_unique,
            }
            if c.values is not None:
                arrays[f"values_{i}"] = c.values
            if c.sketch is not None:
                more, item["sketch"] = c.sketch.to_arrays(f"sketch_{i}")
                arrays.update(more)
                sketched = True
            if c.counts is not None:
                item["keys"] = [_json_key(k) for k in c.counts.index]
                arrays[f"counts_{i}"] = c.counts.to_numpy(dtype=np.int64)
            header.append(item)
        meta = {
            "format": "mlops-kit drift reference",
            "version": SKETCH_FORMAT_VERSION if sketched else FORMAT_VERSION,
            "explicit_columns": self.explicit_columns,
            "params": self.params,
            "columns": header,
        }
        text = json.dumps(meta, allow_nan=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(tmp, __meta__=np.frombuffer(text.encode(), dtype=np.uint8), **arrays)
        tmp.replace(path)  # never a half-written summary under the final name
        return path

    @classmethod
    def load(cls, path) -> ReferenceSummary:
        """Read a summary written by :meth:`save` (no pickle is ever loaded)."""
        import pandas as pd

        path = Path(path)
        if not path.is_file():
            raise InputError.invalid("path", str(path), "a drift reference file (.npz) that exists")
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(bytes(data["__meta__"]).decode())
                arrays = {k: data[k] for k in data.files if k != "__meta__"}
            if meta.get("format") != "mlops-kit drift reference":
                raise ValueError("not a drift reference file")
            if meta.get("version") not in (FORMAT_VERSION, SKETCH_FORMAT_VERSION):
                raise ValueError(
                    f"format version {meta.get('version')}, expected {FORMAT_VERSION} or "
                    f"{SKETCH_FORMAT_VERSION}"
                )
            cols = []
            for i, item in enumerate(meta["columns"]):
                fam = Family(*item["family"])
                col = RefColumn(
                    item["name"],
                    item["role"],
                    fam,
                    item["np_int"],
                    item["has_values"],
                    item["n_rows"],
                    item["all_unique"],
                )
                col.values = arrays.get(f"values_{i}")
                if "sketch" in item:
                    from mlops_kit.validation.drift.ref_sketch import RefSketch

                    col.sketch = RefSketch.from_arrays(f"sketch_{i}", arrays, item["sketch"])
                if "keys" in item:
                    col.counts = pd.Series(arrays[f"counts_{i}"], index=pd.Index(item["keys"]))
                cols.append(col)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError.invalid(
                "path",
                str(path),
                "a drift reference file written by DriftCheck.save",
                f"Reading failed: {' '.join(str(exc).split())}",
            ) from None
        return cls(cols, meta.get("params"), explicit_columns=meta.get("explicit_columns", False))


def _json_name(name):
    return name if isinstance(name, (str, int)) and not isinstance(name, bool) else str(name)


def _json_key(key):
    if isinstance(key, np.generic):
        key = key.item()
    if isinstance(key, (str, bool, int, float)):
        return key
    return str(key)


def current_specs(summary: ReferenceSummary, current, column_types=None) -> list[ColumnSpec]:
    """Check a current frame against the fitted reference and type each column.

    Types follow Evidently 0.7's inference on the *current* data (see
    :mod:`.columns`); identifier columns are skipped with the reason: declared
    ones always, and integer columns whose reference values are all distinct
    (at least :data:`ID_MIN_ROWS` rows) when at least :data:`ID_UNIQUE_SHARE`
    of the current values are distinct too.
    """
    check_frame(current, "current")
    names = pick_columns(
        summary.names, current.columns, summary.names if summary.explicit_columns else None
    )
    types = check_column_types(column_types, names)
    specs = []
    for name in names:
        ref, cur_s = summary[name], current[name]
        fam_cur = family_of(cur_s, name, "current")
        check_compatible(name, ref.family, fam_cur)
        if ref.role == "id":
            specs.append(ColumnSpec(name, None, "identifier (declared in id_columns)", role="id"))
            continue
        cache = {}
        counter = functools.partial(unique_count, cur_s, fam_cur, cache)
        forced = types.get(name)
        spec = decide(
            name,
            ref.family,
            fam_cur,
            cur_s.dtype,
            forced,
            ref.has_values,
            has_values(cur_s, fam_cur, name, "current"),
            counter,
        )
        spec.role = ref.role
        spec.cur_counts = cache.get("counts")
        spec.is_int = ref.np_int and isinstance(cur_s.dtype, np.dtype) and cur_s.dtype.kind in "iu"
        if (
            spec.kind == "num"
            and forced is None
            and ref.role == "feature"
            and ref.all_unique
            and is_integer_dtype(cur_s.dtype)
        ):
            n_unique, n_count = counter()
            if n_count and n_unique >= ID_UNIQUE_SHARE * n_count:
                spec = ColumnSpec(
                    name,
                    None,
                    f"identifier: integers all distinct in reference ({ref.n_rows} rows) and "
                    f"{n_unique / n_count:.0%} distinct in current; pass "
                    f"column_types={{{name!r}: 'num'}} to test it",
                    role="id",
                )
        specs.append(spec)
    return specs
