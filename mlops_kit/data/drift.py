"""Inject a known, controllable drift into a sample frame.

Examples
--------
>>> from mlops_kit.data import inject_drift, make_credit
>>> df = make_credit(n_rows=2_000, seed=0)
>>> drifted = inject_drift(df, "label", severity=0.3, start="2023-10-01")
>>> drifted.attrs["mlops_kit_drift"][0]["kind"]
'label'
>>> "mlops_kit_drift" in df.attrs  # the input is left untouched
False
"""

from __future__ import annotations

import copy

from mlops_kit.data._checks import (
    check_seed,
    check_severity,
    is_categorical_column,
    is_numeric_column,
    require_columns,
)
from mlops_kit.data.concept import ATTR_DATASET, ATTR_DRIFT
from mlops_kit.data.split import as_time, middle_of, time_of
from mlops_kit.errors import ColumnError, InputError

__all__ = ["DRIFT_KINDS", "inject_drift"]

#: The kinds of drift :func:`inject_drift` knows.
DRIFT_KINDS = ("covariate", "category_mix", "concept", "label")


def inject_drift(df, kind, *, columns=None, severity=0.5, start=None, seed=0, category=None):
    """Return a copy of ``df`` with one kind of drift injected from ``start`` on.

    Only rows at or after ``start`` change. Where features change, their targets are
    redrawn from the dataset's concept (see :func:`get_concept`), with any concept
    drift recorded earlier in ``df.attrs`` replayed; label drift applied earlier is
    not replayed, so apply it last when stacking drifts. Severity 0 changes nothing.

    ``"covariate"``
        P(x) shifts, P(y|x) unchanged: each numeric column in ``columns`` moves up
        by ``severity`` times its standard deviation (over the whole frame);
        integer columns keep their dtype with randomised rounding of the shift
        (exact on average); a constant column does not move. Other columns are
        untouched.
    ``"category_mix"``
        The level proportions of each categorical column change, P(y|x)
        unchanged: each row not already at the column's target level (``category``,
        by default its least frequent level) moves to it with probability
        ``severity``, so proportions go from ``p`` to ``(1 - s) p + s e_level``.
    ``"concept"``
        P(y|x) changes, features byte-identical: the concept's terms for
        ``columns`` are scaled by ``1 - 2 * severity`` (0.5: irrelevant, 1: flipped,
        see :meth:`LinearConcept.drifted`) and the targets redrawn.
    ``"label"``
        P(y) changes, P(x|y) unchanged: each row, with probability ``severity``, is
        replaced by a copy (all columns but ``id``) of a row of the window drawn by
        its target. Classification: a random positive row, so the positive rate
        moves from ``p`` to ``p + severity * (1 - p)``. Regression: rows drawn with
        weight ``exp(z)``, ``z`` the normal score of the target's rank, which moves
        the target distribution up. The frame is re-sorted by time.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from :func:`make_credit` or :func:`make_demand`.
    kind : {"covariate", "category_mix", "concept", "label"}
        What drifts.
    columns : str or list of str, optional
        The columns to drift; a default pair per dataset when omitted
        (``LinearConcept.DEFAULT_COLUMNS``). ``"label"`` takes only the target.
    severity : float, default 0.5
        Strength in [0, 1]; 0 leaves the data unchanged.
    start : str or pandas.Timestamp, optional
        First affected time (at or before the last row); the middle of the span
        by default.
    seed : int, default 0
        Seed of the random generator used for the drift.
    category : object or dict, optional
        ``"category_mix"`` only: the level to concentrate on, or
        ``{column: level}`` when several columns drift.

    Returns
    -------
    pandas.DataFrame
        A new frame; ``attrs["mlops_kit_drift"]`` lists every drift applied so
        far as dicts with ``kind``, ``columns``, ``severity``, ``start``, ``seed``
        (and ``category`` for ``"category_mix"``).

    Raises
    ------
    InputError
        If ``df``, ``kind``, ``severity``, ``start``, ``seed`` or ``category`` is not
        allowed.
    ColumnError
        If a column is missing or of the wrong type for ``kind``.

    Examples
    --------
    >>> from mlops_kit.data import inject_drift, make_demand
    >>> df = make_demand(n_rows=2_000, seed=0)
    >>> out = inject_drift(df, "covariate", columns="price", severity=0.5)
    >>> bool(out["price"].iloc[-1] > df["price"].iloc[-1])
    True
    >>> inject_drift(df, "concept", severity=0.0).equals(df)
    True
    """
    import numpy as np

    from mlops_kit.data._drift_kinds import APPLY

    concept, times = time_of(df)
    if not isinstance(kind, str) or kind not in DRIFT_KINDS:
        raise InputError.invalid("kind", kind, f"one of {list(DRIFT_KINDS)}")
    severity = check_severity(severity)
    seed = check_seed(seed)
    start = middle_of(times) if start is None else as_time("start", start, times)
    if start > times.max():
        raise InputError.invalid(
            "start", str(start), f"a time at or before the last row ({times.max()})"
        )
    columns = _check_columns(df, concept, kind, columns)
    window = (times >= start).to_numpy()
    categories = _check_category(df, kind, columns, category)
    positives = df[concept.target_column].to_numpy()[window] == 1
    if (
        kind == "label"
        and concept.task == "classification"
        and severity > 0
        and not positives.any()
    ):
        raise InputError.invalid(
            "start", str(start), "a start with at least one positive row at or after it"
        )
    if kind != "label":  # targets are redrawn from the concept, which reads every feature
        require_columns(df, concept.feature_columns)
    records = list(df.attrs.get(ATTR_DRIFT, []))

    out = df.copy(deep=True)
    if severity > 0:
        rng = np.random.default_rng(seed)
        out = APPLY[kind](
            out, df, concept, columns, severity, window, rng, records, categories=categories
        )
    record = {
        "kind": kind,
        "columns": list(columns),
        "severity": severity,
        "start": str(start),
        "seed": seed,
    }
    if categories:
        record["category"] = dict(categories)
    out.attrs = copy.deepcopy(dict(df.attrs))
    out.attrs[ATTR_DATASET] = concept.name
    out.attrs[ATTR_DRIFT] = [*copy.deepcopy(records), record]
    return out


def _check_columns(df, concept, kind, columns) -> list[str]:
    if columns is None:
        columns = list(concept.DEFAULT_COLUMNS[kind])
    elif isinstance(columns, str):
        columns = [columns]
    else:
        try:
            columns = list(columns)
        except TypeError as exc:
            raise InputError.invalid("columns", columns, "a column name or a list of them") from exc
    if (
        not columns
        or not all(isinstance(c, str) for c in columns)
        or len(set(columns)) < len(columns)
    ):
        raise InputError.invalid("columns", columns, "one or more distinct column names")
    require_columns(df, columns)
    target, time, ident = concept.target_column, concept.time_column, concept.id_column
    if kind == "label":
        if columns != [target]:
            raise InputError.invalid(
                "columns", columns, f"None or [{target!r}]: label drift acts on the target"
            )
        return columns
    for column in columns:
        if column in (target, time, ident):
            raise ColumnError(
                f"Column {column!r} cannot drift with kind={kind!r}; use a feature column "
                f"(kind='label' moves the target)."
            )
        series = df[column]
        if kind == "covariate" and not is_numeric_column(series):
            allowed = [
                c for c in df.columns if is_numeric_column(df[c]) and c not in (target, ident)
            ]
            raise ColumnError(
                f"Column {column!r} has dtype {series.dtype}; kind='covariate' needs a numeric "
                f"column, one of {allowed}."
            )
        if kind == "category_mix" and not is_categorical_column(series):
            allowed = [c for c in df.columns if is_categorical_column(df[c])]
            raise ColumnError(
                f"Column {column!r} has dtype {series.dtype}; kind='category_mix' needs a "
                f"categorical column, one of {allowed}."
            )
        if kind == "concept" and column not in concept.feature_columns:
            raise ColumnError(
                f"Column {column!r} is not a feature of the {concept.name} concept; "
                f"kind='concept' takes one of {concept.feature_columns}."
            )
    return columns


def _check_category(df, kind, columns, category) -> dict:
    if kind != "category_mix":
        if category is not None:
            raise InputError.invalid("category", category, "None unless kind='category_mix'")
        return {}
    if category is None:
        chosen = {}
    elif isinstance(category, dict):
        unknown = [c for c in category if c not in columns]
        if unknown:
            raise InputError.invalid(
                "category", category, f"a dict whose keys are among columns {columns}"
            )
        chosen = dict(category)
    elif len(columns) == 1:
        chosen = {columns[0]: category}
    else:
        raise InputError.invalid(
            "category", category, "a dict {column: level} when several columns drift"
        )
    result = {}
    for column in columns:
        counts = df[column].value_counts(dropna=True)
        levels = sorted(counts.index, key=lambda v: (int(counts[v]), str(v)))
        if not levels:
            raise ColumnError(f"Column {column!r} has no non-missing values to re-mix.")
        level = chosen.get(column, levels[0])
        try:
            known = level in counts.index
        except TypeError:  # unhashable
            known = False
        if not known:
            raise InputError.invalid(
                "category", level, f"a level of column {column!r}: {sorted(map(str, levels))}"
            )
        result[column] = level.item() if hasattr(level, "item") else level
    return result
