"""One contract test over every Result class in the package (ARCHITECTURE.md, convention 3).

The Result classes are found by importing every module of ``mlops_kit``; the
small instances the test runs on come from the ``EXAMPLES`` mapping of every
``tests/**/*result_examples.py`` module (test scaffolding stays in the tests).
A Result class with no example fails the test.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import math
import pkgutil
from pathlib import Path

import pandas as pd
import pytest

import mlops_kit
from mlops_kit.results import Result, TableResult

TESTS = Path(__file__).resolve().parent
MAX_REPR_HTML = 20_000  # "compact: a few KB, never a multi-megabyte iframe"


def package_result_classes() -> list[type[Result]]:
    """Import every module of mlops_kit and return every Result subclass it defines."""
    for info in pkgutil.walk_packages(mlops_kit.__path__, prefix="mlops_kit."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    found, todo = [], [Result]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("mlops_kit.") and sub not in found:
                found.append(sub)
    return sorted(found, key=lambda c: (c.__module__, c.__qualname__))


def collected_examples() -> dict[type[Result], object]:
    """Merge ``EXAMPLES`` from every ``tests/**/*result_examples.py`` module."""
    examples: dict[type[Result], object] = {}
    for path in sorted(TESTS.rglob("*result_examples.py")):
        name = "_contract_" + "_".join(path.relative_to(TESTS).with_suffix("").parts)
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for cls, factory in module.EXAMPLES.items():
            assert cls not in examples, f"{cls.__name__} has two examples (second in {path})"
            examples[cls] = factory
    return examples


CLASSES = package_result_classes()
EXAMPLES = collected_examples()

def make_example(cls):
    if cls in EXAMPLES:
        return EXAMPLES[cls]()
    pytest.fail(
        f"{cls.__module__}.{cls.__name__} has no contract example: add it to EXAMPLES "
        "in a tests/<area>/result_examples.py module"
    )


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _numbers(value):
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        if math.isfinite(value):
            yield float(value)
    elif isinstance(value, str):
        # a number MLflow stores as text (a run parameter) may be numeric in the frame
        try:
            number = float(value)
        except ValueError:
            return
        if math.isfinite(number):
            yield number
    elif isinstance(value, dict):
        for v in value.values():
            yield from _numbers(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _numbers(v)


def _frame_numbers(frame: pd.DataFrame):
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            continue
        for value in series.dropna().tolist():
            if math.isfinite(value):
                yield column, float(value)


def _close_to_any(value: float, pool: list[float]) -> bool:
    return any(math.isclose(value, p, rel_tol=1e-9, abs_tol=1e-12) for p in pool)


def test_the_contract_finds_every_result_class_in_the_package():
    assert TableResult in CLASSES
    assert len(CLASSES) >= 10
    assert all(issubclass(c, Result) for c in CLASSES)


def test_every_example_is_for_a_result_class_of_the_package():
    stray = [c for c in EXAMPLES if c not in CLASSES]
    assert not stray, f"examples for classes that are not Results of mlops_kit: {stray}"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_result_has_an_example_in_the_tests(cls):
    assert cls in EXAMPLES, (
        f"{cls.__module__}.{cls.__name__} has no contract example: add it to EXAMPLES "
        "in a tests/<area>/result_examples.py module"
    )


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_to_dict_round_trips_through_json_exactly(cls):
    result = make_example(cls)
    assert isinstance(result, cls)
    data = result.to_dict()
    assert isinstance(data, dict) and data
    # plain JSON types only (no numpy scalars, tuples, NaN or inf): a JSON round trip is exact
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert json.loads(result.to_json()) == data


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_to_frame_carries_the_numbers_of_to_dict(cls):
    result = make_example(cls)
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) > 0
    pool = list(_numbers(result.to_dict()))
    missing = [(c, v) for c, v in _frame_numbers(frame) if not _close_to_any(v, pool)]
    assert not missing, f"numbers in to_frame() that to_dict() does not carry: {missing[:5]}"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_result_contract(cls, tmp_path):
    result = make_example(cls)
    data = result.to_dict()

    summary = result.summary()
    assert isinstance(summary, str) and summary.strip()
    assert "\n" not in summary.strip()

    plain = repr(result)
    assert isinstance(plain, str) and summary in plain
    assert "<td" not in plain and "<tr" not in plain

    html_view = result._repr_html_()
    assert len(html_view.encode()) < MAX_REPR_HTML
    assert "<iframe" not in html_view.lower()
    for s in _strings(data):
        if "<" in s and len(s) > 2:
            assert s not in html_view, f"unescaped user string in _repr_html_: {s!r}"

    import matplotlib.axes
    import matplotlib.pyplot as plt

    ax = result.plot()
    assert isinstance(ax, matplotlib.axes.Axes)
    _, given = plt.subplots()
    # plot(ax) draws on the given Axes (or returns its own for a different projection)
    assert isinstance(result.plot(ax=given), matplotlib.axes.Axes)
    plt.close("all")

    out = result.save_html(tmp_path / "sub" / "report.html")
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "data:image/png;base64," in page
    assert not (tmp_path / "sub" / "report.html.tmp").exists()


def test_table_result_escapes_user_strings():
    result = EXAMPLES[TableResult]()
    html_view = result._repr_html_()
    assert "&lt;b&gt;x&lt;/b&gt;" in html_view
    assert "<b>x</b>" not in html_view
