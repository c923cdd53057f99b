"""drift_explorer(): driven through its traitlets, on sample credit data with drifted income."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from mlops_kit.data import inject_drift, make_credit, split_reference_current
from mlops_kit.errors import InputError
from mlops_kit.validation.drift import DriftCheck, DriftExplorer, drift_explorer
from mlops_kit.validation.drift.methods import METHODS

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def frames():
    df = make_credit(n_rows=2_000, seed=0).drop(columns=["id"])
    drifted = inject_drift(df, "covariate", columns=["income"], severity=0.5)
    return split_reference_current(drifted)


@pytest.fixture(scope="module")
def expected(frames):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return DriftCheck().run(*frames)


@pytest.fixture
def ex(frames):
    return drift_explorer(*frames)


def _frame(result):
    return result.to_frame().set_index("column")


def _row_at(table, name):
    """Where the row of ``name`` starts its first cell (a warned name is followed by a mark)."""
    match = re.search(rf">{re.escape(name)}( <span|<)", table)
    assert match, name
    return match.start()


def _effects_in_table_order(ex):
    return [ex.result[name].effect_size for name in ex.column.options]


def test_table_sorted_by_effect_size_with_income_first_and_drifted(ex, expected):
    assert isinstance(ex, DriftExplorer)
    assert ex.result.to_dict() == expected.to_dict()
    options = list(ex.column.options)
    assert options[0] == "income" and ex.result["income"].drifted
    effects = _effects_in_table_order(ex)
    assert effects == sorted(effects, reverse=True)
    assert set(options) == {c.column for c in expected.checked}
    table = ex.table.value
    positions = [_row_at(table, name) for name in options]  # same order as the picker
    assert positions == sorted(positions)
    income_row = table[table.rindex("<tr", 0, positions[0]) : positions[0]]
    assert "background" in income_row  # drifted row highlighted
    region_at = _row_at(table, "region")
    assert "background" not in table[table.rindex("<tr", 0, region_at) : region_at]


def test_headline_and_large_sample_warnings(ex, expected):
    head = ex.headline.value
    assert "Dataset drift: no" in head
    assert f"{expected.n_drifted} of {expected.n_columns} columns drifted" in head
    assert "drift_share 0.5" in head
    assert expected.warnings and "large-sample warning" in head
    assert "employment_type" in head  # a warned column is named
    assert "application_date" in head  # skipped column and why
    assert ex.error is None and "method=auto" in ex.status.value


def test_picking_a_column_changes_chart_and_caption(ex):
    assert ex.column.value == "income"
    first_png, first_caption = bytes(ex.chart.value), ex.caption.value
    assert first_png.startswith(PNG)
    assert "income (num): ks p-value" in first_caption and "-&gt; drift" in first_caption
    ex.column.value = "debt_to_income"
    assert bytes(ex.chart.value).startswith(PNG)
    assert bytes(ex.chart.value) != first_png
    assert "debt_to_income (num): ks" in ex.caption.value and "no drift" in ex.caption.value


def test_categorical_column_shows_category_bars(ex, expected):
    ex.column.value = "region"
    col = expected["region"]
    assert col.type == "cat" and col.test == "chisquare"
    assert "region (cat): chisquare p-value" in ex.caption.value
    assert f"{col.statistic:.3g}" in ex.caption.value
    assert bytes(ex.chart.value).startswith(PNG)


def test_method_psi_matches_a_psi_check(ex, frames):
    ex.method.value = "psi"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = DriftCheck(method="psi").run(*frames)
    got = _frame(ex.result)
    assert set(got.loc[[c.column for c in want.checked], "test"]) == {"psi"}
    # tests, statistics, thresholds and verdicts exactly
    pd.testing.assert_frame_equal(got, _frame(want), check_exact=True)
    assert "psi" in ex.caption.value and "method psi" in ex.headline.value
    effects = _effects_in_table_order(ex)
    assert effects == sorted(effects, reverse=True)


def test_custom_threshold_changes_verdicts(ex, expected):
    before = ex.result.n_drifted
    ex.custom_threshold.value = True
    ex.threshold.value = 1e-10
    assert ex.threshold.disabled is False
    for c in ex.result.checked:
        assert c.threshold == 1e-10
        assert c.drifted == METHODS[c.test].is_drift(c.statistic, 1e-10)
    assert ex.result["income"].drifted  # p ~ 6e-27
    assert not ex.result["employment_type"].drifted  # p ~ 0.014: no longer drift
    assert ex.result.n_drifted < before
    ex.custom_threshold.value = False  # back to the method defaults
    assert ex.threshold.disabled is True
    assert ex.result.to_dict() == expected.to_dict()


def test_drift_share_slider_changes_dataset_drift(ex):
    assert not ex.result.dataset_drift
    columns_before = ex.result.columns
    ex.drift_share.value = 0.05
    assert ex.result.dataset_drift and ex.result.drift_share == 0.05
    assert ex.result.columns == columns_before  # verdicts unchanged
    assert "Dataset drift: yes" in ex.headline.value


def test_invalid_settings_show_an_error_and_do_not_raise(ex, expected):
    ex.method.value = "ks"  # K-S applies to numeric columns only
    assert ex.error is not None and "Invalid method" in ex.error
    assert "color:#b00020" in ex.status.value and "&#x27;ks&#x27;" in ex.status.value
    assert ex.result.to_dict() == expected.to_dict()  # last valid result kept
    ex.method.value = "auto"
    assert ex.error is None and "Invalid" not in ex.status.value
    ex.drift_share.value = 0.0
    assert "Invalid drift_share" in ex.error
    ex.drift_share.value = 0.5
    assert ex.error is None
    ex.custom_threshold.value = True
    ex.threshold.value = -1.0
    assert "Invalid threshold" in ex.error
    assert ex.result.to_dict() == expected.to_dict()


def test_html_in_column_names_is_escaped():
    rng = np.random.default_rng(0)
    ref = pd.DataFrame({"<b>x</b>": rng.normal(0, 1, 300), "<i>c</i>": rng.choice(["a", "b"], 300)})
    cur = pd.DataFrame(
        {"<b>x</b>": rng.normal(1, 1, 300), "<i>c</i>": rng.choice(["a", "<s>"], 300)}
    )
    ex = drift_explorer(ref, cur)
    ex.column.value = "<i>c</i>"
    shown = ex.table.value + ex.headline.value + ex.caption.value + ex.status.value
    assert "&lt;b&gt;x&lt;/b&gt;" in ex.table.value and "&lt;i&gt;c&lt;/i&gt;" in ex.caption.value
    assert "<b>x</b>" not in shown and "<i>c</i>" not in shown
    assert bytes(ex.chart.value).startswith(PNG)


def test_plots_sample_large_inputs_but_the_check_uses_all_rows(frames, expected):
    a = drift_explorer(*frames, max_rows_plot=200)
    b = drift_explorer(*frames, max_rows_plot=200)
    assert a.result.to_dict() == expected.to_dict()
    assert a.result["income"].n_reference == len(frames[0])
    assert f"200 of {len(frames[0])} reference rows" in a.caption.value
    assert bytes(a.chart.value) == bytes(b.chart.value)  # seeded
    full = drift_explorer(*frames)
    assert bytes(a.chart.value) != bytes(full.chart.value)
    assert "sample" not in full.caption.value


def test_check_settings_are_kept_and_bad_arguments_raise(frames):
    check = DriftCheck(method={"num": "psi"}, columns=["income", "region", "age"])
    ex = drift_explorer(*frames, check=check)
    assert set(ex.column.options) == {"income", "region", "age"}
    assert ex.result["income"].test == "psi" and ex.result["region"].test == "chisquare"
    ex.drift_share.value = 0.3  # re-run keeps the check's columns and per-type methods
    assert set(ex.column.options) == {"income", "region", "age"}
    ex.custom_threshold.value = True
    ex.threshold.value = 0.2
    assert ex.result["income"].test == "psi" and ex.result["income"].threshold == 0.2
    with pytest.raises(InputError, match="check"):
        drift_explorer(*frames, check="auto")
    with pytest.raises(InputError, match="max_rows_plot"):
        drift_explorer(*frames, max_rows_plot=0)
    with pytest.raises(InputError, match="current"):
        drift_explorer(frames[0], [1, 2, 3])


def test_parquet_paths_are_read(frames, expected, tmp_path):
    ref_path, cur_path = tmp_path / "ref.parquet", tmp_path / "cur.parquet"
    frames[0].to_parquet(ref_path)
    frames[1].to_parquet(cur_path)
    ex = drift_explorer(ref_path, str(cur_path))
    pd.testing.assert_frame_equal(ex.result.to_frame(), expected.to_frame(), check_exact=True)
    assert bytes(ex.chart.value).startswith(PNG)


def test_backend_unchanged_in_this_process(frames):
    import matplotlib

    before = matplotlib.get_backend()
    ex = drift_explorer(*frames)
    ex.column.value = "region"
    ex.method.value = "psi"
    assert matplotlib.get_backend() == before


def test_backend_untouched_and_no_pyplot():
    code = (
        "import sys, matplotlib\n"
        "before = matplotlib.get_backend()\n"
        "import pandas as pd\n"
        "import mlops_kit.validation.drift as d\n"
        "assert not any(m.startswith(('ipywidgets', 'matplotlib.figure')) for m in sys.modules)\n"
        "ref = pd.DataFrame({'x': [1.0, 2.0, 3.0, 4.0] * 30, 'c': ['a', 'b', 'c'] * 40})\n"
        "ex = d.drift_explorer(ref, ref)\n"
        "ex.column.value = 'c'\n"
        "assert bytes(ex.chart.value).startswith(b'\\x89PNG')\n"
        "print(before, matplotlib.get_backend(), 'matplotlib.pyplot' in sys.modules)\n"
    )
    env = {**os.environ, "MPLBACKEND": "svg"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.split() == ["svg", "svg", "False"]
