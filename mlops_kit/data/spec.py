"""A drift described as data: :class:`DriftSpec`.

Examples
--------
>>> from mlops_kit.data import DriftSpec
>>> DriftSpec("concept", severity=0.8).to_dict()["severity"]
0.8
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["DriftSpec"]


@dataclass(frozen=True)
class DriftSpec:
    """The arguments of one :func:`~mlops_kit.data.inject_drift` call, kept as data.

    Useful to declare scenarios in YAML or to apply the same drift to several
    frames. The constructor only stores its arguments; they are checked when the
    spec is applied.

    Parameters
    ----------
    kind : {"covariate", "category_mix", "concept", "label"}
        What drifts.
    columns : str or tuple of str, optional
        Columns to drift (dataset default when omitted).
    severity : float, default 0.5
        Strength in [0, 1].
    start : str, optional
        First affected time (middle of the data when omitted).
    seed : int, default 0
        Seed of the drift's random generator.
    category : object or dict, optional
        ``"category_mix"`` only: the level to concentrate on.

    Examples
    --------
    >>> from mlops_kit.data import DriftSpec, make_credit
    >>> spec = DriftSpec("covariate", columns=("income",), severity=0.4, start="2024-01-01")
    >>> out = spec.apply(make_credit(n_rows=1_000))
    >>> out.attrs["mlops_kit_drift"][-1]["columns"]
    ['income']
    >>> DriftSpec.from_dict(spec.to_dict()) == spec
    True
    """

    kind: str
    columns: Any = None
    severity: float = 0.5
    start: Any = None
    seed: int = 0
    category: Any = None

    def apply(self, df):
        """Return ``inject_drift(df, **self)``: a new drifted frame.

        Examples
        --------
        >>> from mlops_kit.data import DriftSpec, make_demand
        >>> DriftSpec("label", severity=0.0).apply(make_demand(n_rows=50)).shape
        (50, 13)
        """
        from mlops_kit.data.drift import inject_drift

        return inject_drift(
            df,
            self.kind,
            columns=self.columns,
            severity=self.severity,
            start=self.start,
            seed=self.seed,
            category=self.category,
        )

    def to_dict(self) -> dict:
        """The spec as a plain dict (columns as a list).

        Examples
        --------
        >>> DriftSpec("label").to_dict()["kind"]
        'label'
        """
        out = asdict(self)
        if out["columns"] is not None and not isinstance(out["columns"], str):
            out["columns"] = list(out["columns"])
        return out

    @classmethod
    def from_dict(cls, data: dict) -> DriftSpec:
        """Build a spec from a dict such as one entry of ``df.attrs["mlops_kit_drift"]``.

        Unknown keys raise :class:`~mlops_kit.errors.InputError`; ``columns`` given as
        a list becomes a tuple.

        Examples
        --------
        >>> DriftSpec.from_dict({"kind": "concept", "columns": ["age"]}).columns
        ('age',)
        """
        from mlops_kit.errors import InputError

        if not isinstance(data, dict) or "kind" not in data:
            raise InputError.invalid("data", data, "a dict with at least a 'kind' key")
        fields = {"kind", "columns", "severity", "start", "seed", "category"}
        unknown = sorted(set(data) - fields)
        if unknown:
            raise InputError.invalid("data", unknown, f"keys among {sorted(fields)}")
        values = dict(data)
        if isinstance(values.get("columns"), list):
            values["columns"] = tuple(values["columns"])
        return cls(**values)
