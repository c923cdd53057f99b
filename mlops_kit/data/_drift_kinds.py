"""The four drift mechanisms behind :func:`mlops_kit.data.inject_drift`.

Each function takes the output frame ``out`` (a deep copy of the input, edited
in place), the untouched input ``df``, the dataset's base concept, the checked
columns, the severity, the boolean ``window`` of affected rows, the random
generator and the drift records already in the frame; it returns the output
frame. Targets are redrawn only for rows whose features changed (covariate and
category mix) or whose concept changed (concept drift), from the concept in
effect for that row: the base concept with every earlier concept drift
recorded in ``df.attrs`` replayed.

Examples
--------
>>> from mlops_kit.data._drift_kinds import APPLY
>>> sorted(APPLY)
['category_mix', 'concept', 'covariate', 'label']
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _concept_groups(base, records, times, rows):
    """Yield ``(positions, concept)`` for ``rows`` grouped by the concept in effect."""
    concept_records = [r for r in records if isinstance(r, dict) and r.get("kind") == "concept"]
    if not concept_records:
        yield rows, base
        return
    flags = np.column_stack(
        [(times.iloc[rows] >= pd.Timestamp(r["start"])).to_numpy() for r in concept_records]
    )
    patterns = np.unique(flags, axis=0)
    for pattern in patterns:
        concept = base
        for record, on in zip(concept_records, pattern):
            if on:
                concept = concept.drifted(record["severity"], record["columns"])
        yield rows[(flags == pattern).all(axis=1)], concept


def redraw(out, base, records, rows, rng, extra=None):
    """Redraw the target of the rows at ``rows`` (positions) in ``out``, in place."""
    if len(rows) == 0:
        return
    target = base.target_column
    values = out[target].to_numpy(copy=True)
    times = out[base.time_column]
    for positions, concept in _concept_groups(base, records, times, np.asarray(rows)):
        if extra is not None:
            concept = concept.drifted(*extra)
        values[positions] = concept.target(out.iloc[positions], rng).to_numpy()
    out[target] = pd.Series(values, index=out.index, name=target).astype(out[target].dtype)


def covariate(out, df, base, columns, severity, window, rng, records, **_):
    """Shift each numeric column by ``severity`` x its standard deviation on window rows."""
    changed = np.zeros(len(df), dtype=bool)
    rows = np.flatnonzero(window)
    for column in columns:
        series = df[column]
        std = float(series.std(ddof=1)) if series.notna().sum() > 1 else 0.0
        shift = severity * (std if np.isfinite(std) else 0.0)
        if shift == 0.0:
            continue
        values = series.to_numpy(dtype=float, na_value=np.nan, copy=True)
        if pd.api.types.is_integer_dtype(series):
            whole = np.floor(shift)
            step = whole + (rng.random(len(rows)) < shift - whole)
        else:
            step = np.full(len(rows), shift)
        values[rows] = values[rows] + step
        changed[rows] |= (step != 0) & ~np.isnan(values[rows])
        out[column] = pd.Series(values, index=out.index, name=column).astype(series.dtype)
    redraw(out, base, records, np.flatnonzero(changed), rng)
    return out


def category_mix(out, df, base, columns, severity, window, rng, records, *, categories, **_):
    """Move each window row to the column's target level with probability ``severity``."""
    changed = np.zeros(len(df), dtype=bool)
    rows = np.flatnonzero(window)
    for column in columns:
        level = categories[column]
        current = df[column].iloc[rows]
        eligible = (current.notna() & (current != level)).to_numpy()
        flip = rows[eligible & (rng.random(len(rows)) < severity)]
        if len(flip):
            out.iloc[flip, out.columns.get_loc(column)] = level
            changed[flip] = True
    redraw(out, base, records, np.flatnonzero(changed), rng)
    return out


def concept(out, df, base, columns, severity, window, rng, records, **_):
    """Redraw the targets of window rows from the concept with ``columns`` drifted."""
    redraw(out, base, records, np.flatnonzero(window), rng, extra=(severity, list(columns)))
    return out


def label(out, df, base, columns, severity, window, rng, records, **_):
    """Replace window rows, with probability ``severity``, by rows resampled on the target.

    Classification: the replacement is a copy of a random positive row of the window,
    so the positive rate moves from ``p`` to ``p + severity * (1 - p)``. Regression:
    rows are resampled with weights ``exp(z)``, ``z`` the normal score of the
    target's rank in the window, which moves the target distribution up. Either way
    the whole row is copied (all columns but the id), so P(x | y) is unchanged.
    """
    from scipy.special import ndtri
    from scipy.stats import rankdata

    rows = np.flatnonzero(window)
    y = df[base.target_column].to_numpy()[rows]
    if base.task == "classification":
        weights = (y == 1).astype(float)
    else:
        z = ndtri(rankdata(y) / (len(y) + 1))
        weights = np.exp(z - z.max())
    weights = weights / weights.sum()
    destination = rows[rng.random(len(rows)) < severity]
    source = rng.choice(rows, size=len(destination), p=weights)
    for column in df.columns:
        if column == base.id_column:
            continue
        values = df[column].array.copy()
        values[destination] = df[column].array.take(source)
        out[column] = pd.Series(values, index=out.index, name=column)
    times = out[base.time_column]
    if df[base.time_column].is_monotonic_increasing and not times.is_monotonic_increasing:
        out = out.iloc[np.argsort(times.to_numpy(), kind="stable")]
    return out


APPLY = {
    "covariate": covariate,
    "category_mix": category_mix,
    "concept": concept,
    "label": label,
}
