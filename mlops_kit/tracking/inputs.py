"""What goes into a run: datasets (with fingerprints), the seed, buffer options.

Everything here validates before anything is written, so that
:func:`~mlops_kit.tracking.fluent.start_run` never leaves a half-made run.

Examples
--------
>>> import pandas as pd
>>> [(d.name, d.context, len(d.fingerprint)) for d in prepare_datasets(pd.DataFrame({"x": [1]}))]
[('dataset', 'training', 64)]
"""

from __future__ import annotations

import random
import warnings
from typing import NamedTuple

from mlops_kit._params import Interval, check_param
from mlops_kit.errors import InputError
from mlops_kit.tracking.buffer import MetricBuffer, check_key
from mlops_kit.tracking.fingerprint import fingerprint, mlflow_digest

__all__ = ["PreparedDataset", "apply_seed", "check_options", "prepare_datasets"]


class PreparedDataset(NamedTuple):
    """A dataset ready to log: name, MLflow context, fingerprint, ``mlflow.data`` dataset."""

    name: str
    context: str
    fingerprint: str
    mlflow_dataset: object


def _named_frames(dataset) -> list[tuple[str, str, object]]:
    import pandas as pd

    if dataset is None:
        return []
    if isinstance(dataset, pd.DataFrame):
        return [("dataset", "training", dataset)]
    if isinstance(dataset, dict) and dataset:
        out = []
        for name, df in dataset.items():
            check_key(name, "dataset name")
            if not isinstance(df, pd.DataFrame):
                raise InputError.invalid(f"dataset {name!r}", type(df).__name__, "a DataFrame")
            out.append((name, name, df))
        return out
    raise InputError.invalid(
        "dataset", type(dataset).__name__, "a pandas DataFrame or a dict of name -> DataFrame"
    )


def prepare_datasets(dataset) -> list[PreparedDataset]:
    """Validate, fingerprint and wrap datasets for ``mlflow.log_inputs``.

    A single DataFrame is named ``"dataset"`` with context ``"training"``; a
    dict maps each name (also used as the context, e.g. ``"train"``,
    ``"test"``) to a DataFrame. The MLflow digest is the start of the
    fingerprint (see :func:`~mlops_kit.tracking.fingerprint.mlflow_digest`).
    The MLflow schema is computed here, so a frame MLflow cannot describe
    fails before any run exists.

    Examples
    --------
    >>> import pandas as pd
    >>> [d.name for d in prepare_datasets({"train": pd.DataFrame({"x": [1]})})]
    ['train']
    """
    frames = _named_frames(dataset)
    if not frames:
        return []
    import mlflow.data

    out = []
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*Inferred schema contains integer.*")
        for name, context, df in frames:
            fp = fingerprint(df)
            ds = mlflow.data.from_pandas(df, name=name, digest=mlflow_digest(fp))
            ds.to_dict()  # computes the schema now
            out.append(PreparedDataset(name, context, fp, ds))
    return out


def check_options(seed=None, flush_interval=2.0, buffer_size=1000, max_write_seconds=1.0) -> None:
    """Raise InputError naming the first invalid option of ``start_run``.

    The buffer options use the constraints declared once on
    :class:`~mlops_kit.tracking.buffer.MetricBuffer`.

    Examples
    --------
    >>> check_options(seed=0, flush_interval=None, buffer_size=10)
    >>> check_options(seed=-1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mlops_kit.errors.InputError: Invalid seed: got -1; allowed: an integer in [0, ...) or None.
    """
    check_param("seed", seed, [None, Interval(int, 0, 2**32, closed="left")])
    declared = MetricBuffer._parameter_constraints
    check_param("flush_interval", flush_interval, declared["flush_interval"])
    check_param("buffer_size", buffer_size, declared["max_size"])
    check_param("max_write_seconds", max_write_seconds, declared["max_write_seconds"])


def apply_seed(seed: int) -> None:
    """Seed Python's ``random`` and NumPy's global generator.

    Examples
    --------
    >>> apply_seed(1); a = random.random(); apply_seed(1); a == random.random()
    True
    """
    random.seed(seed)
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is a dependency
        return
    np.random.seed(int(seed))
