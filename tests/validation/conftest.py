"""Fixtures for the validation tests: seeded frames built with numpy only, Result examples."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest


def drift_frame(n: int, seed: int, drift: float = 0.0) -> pd.DataFrame:
    """A frame with one column of each kind the drift engines type differently.

    ``drift`` (0 = none) shifts, rescales or reweights most columns;
    ``num_same`` and ``cat_bin`` never drift.
    """
    rng = np.random.default_rng(seed)
    colors = np.array(["red", "green", "blue", "black"], dtype=object)
    return pd.DataFrame(
        {
            "num_shift": rng.normal(drift * 0.5, 1, n),
            "num_same": rng.normal(0, 1, n),
            "num_scale": rng.normal(0, 1 + drift, n),
            "int_many": rng.integers(0, 100 + int(drift * 20), n),
            "int_few": rng.integers(0, 4, n),
            "float_few": rng.choice(
                [0.5, 1.5, 2.5], n, p=[0.5, 0.3, 0.2] if drift else [0.3, 0.3, 0.4]
            ),
            "float_bin": rng.choice([0.0, 1.0], n),
            "color": colors[rng.integers(0, 3 + int(drift > 0), n)],  # "black" only when drifted
            "yes_no": np.array(["y", "n"], dtype=object)[rng.integers(0, 2, n)],
            "flag": rng.random(n) < (0.3 + 0.2 * drift),
            "with_nan": np.where(rng.random(n) < 0.1, np.nan, rng.normal(drift, 1, n)),
            "skewed": rng.uniform(0, 10, n) ** (1 + drift),
        }
    )


@pytest.fixture
def make_drift_frame():
    """The :func:`drift_frame` factory: ``make_drift_frame(n, seed, drift=0.0)``."""
    return drift_frame


@pytest.fixture(scope="session")
def result_examples():
    """The factories of ``tests/validation/result_examples.py`` (loaded by path: no name clash)."""
    path = Path(__file__).with_name("result_examples.py")
    spec = importlib.util.spec_from_file_location("_validation_result_examples", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
