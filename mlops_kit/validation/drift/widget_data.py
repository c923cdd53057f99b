"""The drift explorer's data: inputs read once, and the seeded samples its charts draw.

Examples
--------
>>> sample_index(5, 10) is None
True
>>> len(sample_index(1_000, 100)), list(sample_index(10, 3)) == list(sample_index(10, 3))
(100, True)
"""

from __future__ import annotations

import os

from mlops_kit.errors import InputError

__all__ = ["column_values", "load_frame", "sample_index"]


def load_frame(data, side: str):
    """Return ``data`` as a DataFrame (a Parquet/CSV path is read whole)."""
    import pandas as pd

    if isinstance(data, (str, os.PathLike)):
        from mlops_kit.validation.drift.sources import read_frame

        return read_frame(data, side)
    if not isinstance(data, pd.DataFrame):
        raise InputError.invalid(
            side, type(data).__name__, "a pandas DataFrame or a Parquet/CSV path"
        )
    return data


def column_values(frame, name, index):
    """The values of column ``name`` (a ColumnDrift name) on the sampled rows."""
    label = name
    if name not in frame.columns:
        label = next(c for c in frame.columns if str(c) == str(name))
    series = frame[label]
    return series if index is None else series.iloc[index]


def sample_index(n_rows: int, max_rows: int, seed: int = 0):
    """Sorted row positions of a seeded sample of ``max_rows`` rows (None: keep all)."""
    import numpy as np

    if n_rows <= max_rows:
        return None
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n_rows, size=max_rows, replace=False))
