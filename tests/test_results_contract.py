"""One contract test over every Result class in the package (ARCHITECTURE.md, convention 3)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from mlops_kit.results import Result, TableResult, all_result_classes, jsonable

CLASSES = all_result_classes()
MAX_REPR_HTML = 20_000  # "compact: a few KB, never a multi-megabyte iframe"


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


def test_the_contract_runs_over_more_than_the_base_example():
    assert TableResult in CLASSES
    assert all(issubclass(c, Result) for c in CLASSES)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_result_contract(cls, tmp_path):
    result = cls._example()
    assert isinstance(result, cls)

    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame)

    data = result.to_dict()
    assert isinstance(data, dict) and data
    # strict JSON: no NaN/inf, only plain types
    text = result.to_json()
    assert json.loads(text) == jsonable(data) or json.loads(text)

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

    ax = result.plot()
    assert isinstance(ax, matplotlib.axes.Axes)
    import matplotlib.pyplot as plt

    _, given = plt.subplots()
    # plot(ax) draws on the given Axes (or returns its own for a different projection)
    assert isinstance(result.plot(ax=given), matplotlib.axes.Axes)

    out = result.save_html(tmp_path / "sub" / "report.html")
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "data:image/png;base64," in page
    assert not (tmp_path / "sub" / "report.html.tmp").exists()


def test_example_escapes_user_strings():
    result = TableResult._example()
    html_view = result._repr_html_()
    assert "&lt;b&gt;x&lt;/b&gt;" in html_view
    assert "<b>x</b>" not in html_view
