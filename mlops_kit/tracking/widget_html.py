"""HTML pieces shared by the tracking widgets (no ipywidgets needed to build them).

``frame_html`` and ``message_html`` are the kit's own (:mod:`mlops_kit._html`).

Used by :mod:`mlops_kit.tracking.widget` and
:mod:`mlops_kit.tracking.widget_registry`; living here, neither widget module
imports the other's helpers (no import cycle).

Examples
--------
>>> message_html("saved", "success")
'<p class="mlops-kit-success" style="color:#176317">saved</p>'
"""

from __future__ import annotations

from mlops_kit._html import frame_html, message_html
from mlops_kit.errors import InputError  # noqa: F401 - the doctests use it

__all__ = ["MAX_ROWS", "describe_error", "frame_html", "message_html"]

MAX_ROWS = 20


def describe_error(exc: Exception) -> str:
    """Return the message of an mlops-kit error, or ``Type: message`` of any other.

    Examples
    --------
    >>> describe_error(InputError("bad")), describe_error(OSError("disk"))
    ('bad', 'OSError: disk')
    """
    from mlops_kit.errors import MlopsKitError

    return str(exc) if isinstance(exc, MlopsKitError) else f"{type(exc).__name__}: {exc}"
