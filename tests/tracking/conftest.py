"""Fixtures of the tracking tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest


@pytest.fixture
def example_comparison():
    """The RunComparison of ``result_examples.py`` (the contract test's example)."""
    path = Path(__file__).with_name("result_examples.py")
    spec = importlib.util.spec_from_file_location("_tracking_result_examples", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.run_comparison()
