"""Data expectations: learned from a reference frame or written by hand.

An :class:`Expectations` is plain data (see :mod:`.spec` for the keys). It is
learned from a reference DataFrame with :meth:`Expectations.learn`, read from
a dict or YAML file, or built by chaining ``expect_*`` calls; each call
returns a new object. :class:`~.check.QualityCheck` checks data against it.

Examples
--------
>>> exp = (
...     Expectations()
...     .expect_column("age", dtype="int64", min=18, max=95)
...     .expect_column("region", categories=["north", "south"], max_missing=0.0)
...     .expect_row_count(min=10)
... )
>>> exp.columns
['age', 'region']
>>> Expectations.from_dict(exp.to_dict()) == exp
True
"""

from __future__ import annotations

import copy
from pathlib import Path

from mlops_kit._params import Options, check_param
from mlops_kit._yaml import read_yaml
from mlops_kit.errors import InputError
from mlops_kit.validation.quality.learn import learn_spec
from mlops_kit.validation.quality.spec import KINDS, SEVERITIES, empty_spec, normalise_spec

__all__ = ["Expectations"]


def _compact(spec: dict) -> dict:
    """Drop unset keys so that dicts and YAML files stay short."""
    cols = {}
    for name, col in spec["columns"].items():
        out = {k: v for k, v in col.items() if v is not None and k != "required"}
        if not col["required"]:
            out["required"] = False
        cols[name] = out
    table = {}
    rc = {k: v for k, v in spec["table"]["row_count"].items() if v is not None}
    if rc:
        table["row_count"] = rc
    if spec["table"]["max_duplicate_share"] is not None:
        table["max_duplicate_share"] = spec["table"]["max_duplicate_share"]
    if not spec["table"]["allow_extra_columns"]:
        table["allow_extra_columns"] = False
    out = {"columns": cols}
    if table:
        out["table"] = table
    severity = {k: v for k, v in spec["severity"].items() if v is not None}
    if severity:
        out["severity"] = severity
    return out


class Expectations:
    """What data should look like: columns, dtypes, missing shares, ranges, categories.

    Build one with :meth:`learn`, :meth:`from_dict`, :meth:`from_yaml` or the
    ``expect_*`` methods (each returns a new object).

    Parameters
    ----------
    spec : dict, optional
        An expectation spec (see :mod:`mlops_kit.validation.quality.spec`);
        validated by :meth:`from_dict` and again when a check runs.

    Examples
    --------
    >>> exp = Expectations.from_dict({"columns": {"age": {"min": 0, "max": 120}}})
    >>> exp.to_dict()
    {'columns': {'age': {'min': 0, 'max': 120}}}
    """

    def __init__(self, spec: dict | None = None):
        self.spec = spec if spec is not None else empty_spec()

    # --- construction -------------------------------------------------------
    @classmethod
    def learn(cls, reference, **options) -> Expectations:
        """Learn expectations from a reference DataFrame.

        ``options`` are the keywords of
        :func:`mlops_kit.validation.quality.learn.learn_spec`, where they are
        declared and documented: ``categorical_max_unique``, ``range_margin``,
        ``missing_tolerance``, ``range_tolerance``, ``duplicate_tolerance``,
        ``row_count_ratio``.

        Examples
        --------
        >>> import pandas as pd
        >>> ref = pd.DataFrame({"age": [20, 30, 40], "region": ["n", "s", "n"]})
        >>> Expectations.learn(ref).to_dict()["columns"]["region"]["categories"]
        ['n', 's']
        """
        return cls(learn_spec(reference, **options))

    @classmethod
    def from_dict(cls, spec) -> Expectations:
        """Build from a spec dict; raises ConfigError naming any unknown key or bad value.

        Examples
        --------
        >>> Expectations.from_dict({"table": {"row_count": {"min": 1}}}).n_expectations
        1
        """
        return cls(normalise_spec(copy.deepcopy(spec)))

    @classmethod
    def from_yaml(cls, path) -> Expectations:
        """Read a YAML spec file (``yaml.safe_load``).

        Examples
        --------
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "exp.yaml")
        >>> _ = Expectations().expect_row_count(min=1).to_yaml(path)
        >>> Expectations.from_yaml(path).to_dict()
        {'columns': {}, 'table': {'row_count': {'min': 1}}}
        """
        path = Path(path)
        if not path.is_file():
            raise InputError.invalid("path", str(path), "an existing YAML file")
        spec = read_yaml(path, "expectation spec")
        return cls(normalise_spec(spec if spec is not None else {}, source=path))

    # --- export -------------------------------------------------------------
    def to_dict(self) -> dict:
        """Return the spec as a short dict (unset keys left out)."""
        return _compact(normalise_spec(self.spec))

    def to_yaml(self, path) -> Path:
        """Write the spec to a YAML file and return its path.

        The file is written to a temporary name first, then moved into place.
        """
        import yaml

        from mlops_kit.results import jsonable

        path = Path(path)
        text = yaml.safe_dump(jsonable(self.to_dict()), sort_keys=False, allow_unicode=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        return path

    def to_pandera(self):
        """Return a ``pandera.DataFrameSchema`` for dtypes, presence, ranges and categories.

        Use it in your own pipelines (``schema.validate(df, lazy=True)``).
        Ranges are strict there (``max_out_of_range`` is not applied) and the
        missing-share tolerances, the duplicate share and the row count are
        not pandera checks: :class:`~.check.QualityCheck` adds them.
        """
        from mlops_kit.validation.quality.schema import build_schema

        return build_schema(normalise_spec(self.spec))[0]

    # --- builder ------------------------------------------------------------
    def _with(self, change) -> Expectations:
        spec = copy.deepcopy(normalise_spec(self.spec))
        change(spec)
        return type(self)(normalise_spec(spec))

    def expect_column(
        self,
        name,
        *,
        dtype: str | None = None,
        required: bool = True,
        max_missing: float | None = None,
        min: float | None = None,
        max: float | None = None,
        max_out_of_range: float | None = None,
        categories: list | None = None,
        severity: str | None = None,
    ) -> Expectations:
        """Return a copy expecting column ``name`` (given keys replace earlier ones).

        ``max_out_of_range`` is the share of non-missing values allowed below
        ``min`` (and, separately, above ``max``); by default none is.

        Examples
        --------
        >>> Expectations().expect_column("x", max_missing=0.0).to_dict()
        {'columns': {'x': {'max_missing': 0.0}}}
        """
        new = {
            "dtype": dtype,
            "max_missing": max_missing,
            "min": min,
            "max": max,
            "max_out_of_range": max_out_of_range,
            "categories": categories,
            "severity": severity,
        }

        def change(spec):
            col = spec["columns"].setdefault(name, {})
            col.update({k: v for k, v in new.items() if v is not None})
            col["required"] = required

        return self._with(change)

    def expect_row_count(self, min: int | None = None, max: int | None = None) -> Expectations:
        """Return a copy expecting between ``min`` and ``max`` rows (either may be None)."""

        def change(spec):
            spec["table"]["row_count"] = {"min": min, "max": max}

        return self._with(change)

    def expect_max_duplicate_share(self, share: float) -> Expectations:
        """Return a copy allowing at most ``share`` (0-1) fully duplicated rows."""

        def change(spec):
            spec["table"]["max_duplicate_share"] = share

        return self._with(change)

    def expect_no_extra_columns(self, flag: bool = True) -> Expectations:
        """Return a copy reporting columns that are not in the expectations."""

        def change(spec):
            spec["table"]["allow_extra_columns"] = not flag

        return self._with(change)

    def with_severity(self, **levels: str) -> Expectations:
        """Return a copy with the severity of expectation kinds changed.

        Examples
        --------
        >>> Expectations().with_severity(row_count="warning").to_dict()["severity"]
        {'row_count': 'warning'}
        """
        for kind, level in levels.items():
            check_param("kind", kind, [Options(*KINDS)])
            check_param(kind, level, [Options(*SEVERITIES)])

        def change(spec):
            spec["severity"].update(levels)

        return self._with(change)

    # --- inspection ---------------------------------------------------------
    @property
    def columns(self) -> list:
        """Names of the columns with expectations."""
        return list(normalise_spec(self.spec)["columns"])

    @property
    def n_expectations(self) -> int:
        """Number of individual expectations (a column range counts as two: min and max)."""
        spec = normalise_spec(self.spec)
        n = 0
        for col in spec["columns"].values():
            n += int(col["required"])
            n += sum(col[k] is not None for k in ("dtype", "max_missing", "min", "max"))
            n += col["categories"] is not None
        table = spec["table"]
        n += any(v is not None for v in table["row_count"].values())
        n += table["max_duplicate_share"] is not None
        return n

    def __eq__(self, other) -> bool:
        if not isinstance(other, Expectations):
            return NotImplemented
        return normalise_spec(self.spec) == normalise_spec(other.spec)

    __hash__ = None

    def __repr__(self) -> str:
        return f"Expectations({len(self.columns)} columns, {self.n_expectations} expectations)"
