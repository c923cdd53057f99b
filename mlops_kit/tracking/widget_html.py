"""HTML pieces shared by the tracking widgets (no ipywidgets needed to build them).

Used by :mod:`mlops_kit.tracking.widget` and
:mod:`mlops_kit.tracking.widget_registry`; living here, neither widget module
imports the other's helpers (no import cycle).

Examples
--------
>>> message_html("saved", "success")
'<p class="mlops-kit-success" style="color:#176317">saved</p>'
"""

from __future__ import annotations

import html
import re

from mlops_kit.errors import DependencyError, InputError

__all__ = ["MAX_ROWS", "describe_error", "frame_html", "message_html"]

MAX_ROWS = 20
_COLORS = {"info": "#555", "success": "#176317", "error": "#b00020"}


def _widgets():
    try:
        import ipywidgets
    except ImportError as exc:  # pragma: no cover - ipywidgets is a dependency
        raise DependencyError(
            "experiment_browser needs ipywidgets: pip install ipywidgets"
        ) from exc
    return ipywidgets


def message_html(text: str, kind: str = "info") -> str:
    """Return ``text`` HTML-escaped in a paragraph coloured by ``kind``.

    Examples
    --------
    >>> message_html("<b>x</b> failed", "error")
    '<p class="mlops-kit-error" style="color:#b00020">&lt;b&gt;x&lt;/b&gt; failed</p>'
    """
    if kind not in _COLORS:
        raise InputError.invalid("kind", kind, f"one of {sorted(_COLORS)}")
    return f'<p class="mlops-kit-{kind}" style="color:{_COLORS[kind]}">{html.escape(text)}</p>'


def frame_html(frame, max_rows: int = MAX_ROWS, what: str = "rows") -> str:
    """Return a compact, escaped HTML table of the first ``max_rows`` rows of ``frame``.

    Examples
    --------
    >>> import pandas as pd
    >>> page = frame_html(pd.DataFrame({"name": ["<i>a</i>"], "x": [0.123456]}))
    >>> "<td>&lt;i&gt;a&lt;/i&gt;</td><td>0.1235</td>" in page
    True
    """
    shown = frame.head(max_rows).copy()
    for col in shown.columns:  # None / <NA> in non-float columns show as empty cells
        if shown[col].dtype.kind != "f":
            shown[col] = shown[col].astype(object).where(shown[col].notna(), "")
    table = shown.to_html(
        escape=True, border=0, index=False, na_rep="", float_format=lambda x: f"{x:.4g}"
    )
    table = re.sub(r">\s+<", "><", table).strip()
    if len(frame) > max_rows:
        table += f"<p><em>{len(frame) - max_rows} more {what} not shown</em></p>"
    # JupyterLab styles tables (padding, stripes) inside this class; elsewhere it is inert
    return f"<div class='jp-RenderedHTMLCommon'>{table}</div>"


def describe_error(exc: Exception) -> str:
    """Return the message of an mlops-kit error, or ``Type: message`` of any other.

    Examples
    --------
    >>> describe_error(InputError("bad")), describe_error(OSError("disk"))
    ('bad', 'OSError: disk')
    """
    from mlops_kit.errors import MlopsKitError

    return str(exc) if isinstance(exc, MlopsKitError) else f"{type(exc).__name__}: {exc}"
