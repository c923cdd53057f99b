"""The one HTML table builder and message paragraph of the kit (Results, widgets, reports).

Every user-supplied string is HTML-escaped; tables are compact (no whitespace
between tags, floats to 4 significant digits, missing values as empty cells)
and say how many rows they leave out.

Examples
--------
>>> import pandas as pd
>>> page = frame_html(pd.DataFrame({"name": ["<i>a</i>"], "x": [0.123456]}))
>>> "<td>&lt;i&gt;a&lt;/i&gt;</td><td>0.1235</td>" in page
True
>>> message_html("<b>x</b> failed", "error")
'<p class="mlops-kit-error" style="color:#b00020">&lt;b&gt;x&lt;/b&gt; failed</p>'
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from mlops_kit.errors import InputError

__all__ = ["frame_html", "message_html"]

_COLORS = {"info": "#555", "success": "#176317", "error": "#b00020"}


def message_html(text: str, kind: str = "info") -> str:
    """Return ``text`` HTML-escaped in a paragraph coloured by ``kind``.

    Parameters
    ----------
    text : str
        The message (escaped).
    kind : {"info", "success", "error"}, default "info"
        Its colour.

    Examples
    --------
    >>> message_html("Saved", "success")
    '<p class="mlops-kit-success" style="color:#176317">Saved</p>'
    """
    if kind not in _COLORS:
        raise InputError.invalid("kind", kind, f"one of {sorted(_COLORS)}")
    return f'<p class="mlops-kit-{kind}" style="color:{_COLORS[kind]}">{html.escape(text)}</p>'


def frame_html(
    frame,
    max_rows: int = 20,
    what: str = "rows",
    *,
    hint: str = "",
    index: bool = False,
    row_styles: Sequence[str | None] | None = None,
    row_titles: Sequence[str | None] | None = None,
) -> str:
    """Return a compact, escaped HTML table of the first ``max_rows`` rows of ``frame``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    max_rows : int, default 20
        Rows shown; a note says how many more there are.
    what : str, default "rows"
        What a row is, in that note ("runs", "columns").
    hint : str, default ""
        Appended to the note (e.g. ``": use .to_frame()"``).
    index : bool, default False
        Show the frame's index as the first column.
    row_styles, row_titles : sequence of str or None, optional
        Per row (of ``frame``): a CSS ``style`` and a tooltip (escaped) for the ``<tr>``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"column": ["age", "city"], "drifted": [True, False]})
    >>> page = frame_html(frame, max_rows=1, what="columns", row_styles=["background:#fde0dc"])
    >>> "<tr style='background:#fde0dc'><td>age</td>" in page, "1 more columns" in page
    (True, True)
    """
    shown = frame.head(max_rows).copy()
    for col in shown.columns:  # None / <NA> in non-float columns show as empty cells
        if shown[col].dtype.kind != "f":
            shown[col] = shown[col].astype(object).where(shown[col].notna(), "")
    table = shown.to_html(
        escape=True, border=0, index=index, na_rep="", float_format=lambda x: f"{x:.4g}"
    )
    table = re.sub(r">\s+<", "><", table).strip()
    if row_styles is not None or row_titles is not None:
        head, sep, body = table.partition("<tbody>")
        rows = body.split("<tr>")
        for i in range(1, len(rows)):
            attrs = ""
            style = row_styles[i - 1] if row_styles is not None else None
            title = row_titles[i - 1] if row_titles is not None else None
            if style:
                attrs += f" style='{html.escape(style, quote=True)}'"
            if title:
                attrs += f" title='{html.escape(title, quote=True)}'"
            rows[i] = f"<tr{attrs}>" + rows[i]
        table = head + sep + rows[0] + "".join(rows[1:])
    if len(frame) > max_rows:
        more = f"{len(frame) - max_rows} more {what} not shown{hint}"
        table += f"<p><em>{html.escape(more)}</em></p>"
    # JupyterLab styles tables (padding, stripes) inside this class; elsewhere it is inert
    return f"<div class='jp-RenderedHTMLCommon'>{table}</div>"
