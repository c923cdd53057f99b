"""The one HTML table builder and message paragraph (mlops_kit._html)."""

from __future__ import annotations

import pandas as pd
import pytest

from mlops_kit._html import frame_html, message_html
from mlops_kit.errors import InputError


def test_frame_html_escapes_cells_headers_styles_and_titles():
    frame = pd.DataFrame({"<th>": ["<b>x</b>", "y"], "n": pd.array([1, None], dtype="Int64")})
    page = frame_html(frame, row_styles=["color:red", None], row_titles=["a 'quoted' <note>", None])
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert "&lt;th&gt;" in page
    assert "<tr style='color:red' title='a &#x27;quoted&#x27; &lt;note&gt;'><td>" in page
    assert "<tr><td>y</td><td></td></tr>" in page  # <NA> is an empty cell
    assert "\n" not in page


def test_frame_html_says_how_many_rows_it_leaves_out():
    frame = pd.DataFrame({"x": range(25)})
    page = frame_html(frame, max_rows=20, what="runs", hint=": use .to_frame()")
    assert page.count("<td>") == 20
    assert "5 more runs not shown: use .to_frame()" in page
    assert "more" not in frame_html(frame, max_rows=25)


def test_frame_html_shows_the_index_only_when_asked():
    frame = pd.DataFrame({"x": [1.23456]}, index=pd.Index(["<a>"], name="model"))
    assert "&lt;a&gt;" in frame_html(frame, index=True)
    assert "&lt;a&gt;" not in frame_html(frame)
    assert "<td>1.235</td>" in frame_html(frame)


def test_message_html_escapes_and_checks_kind():
    assert message_html("<i>x</i>", "error") == (
        '<p class="mlops-kit-error" style="color:#b00020">&lt;i&gt;x&lt;/i&gt;</p>'
    )
    with pytest.raises(InputError, match="Invalid kind: got 'loud'"):
        message_html("x", "loud")
