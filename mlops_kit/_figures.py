"""Shared plumbing of the notebook widgets: ipywidgets on demand, charts as PNG bytes.

Widgets show charts as ``widgets.Image`` values: drawn on a standalone
Matplotlib ``Figure`` (no pyplot state, nothing left open, the notebook's
backend untouched), with mathtext off because labels are user text.

Examples
--------
>>> png = figure_png(lambda ax: ax.plot([0, 1], [1, 0]))
>>> png[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import io
from collections.abc import Callable

from mlops_kit.errors import DependencyError

__all__ = ["figure_png", "import_ipywidgets"]


def import_ipywidgets(feature: str):
    """Return the ``ipywidgets`` module, or a DependencyError naming ``feature``."""
    try:
        import ipywidgets
    except ImportError as exc:  # pragma: no cover - ipywidgets is a dependency
        raise DependencyError(f"{feature} needs ipywidgets: pip install ipywidgets") from exc
    return ipywidgets


def figure_png(
    draw: Callable, *, figsize=(6, 3.5), dpi: int = 80, projection: str | None = None
) -> bytes:
    """Call ``draw(ax)`` on a fresh standalone Figure and return the PNG bytes.

    Parameters
    ----------
    draw : callable
        Receives the Axes and draws on it.
    figsize : tuple, default (6, 3.5)
        Figure size in inches.
    dpi : int, default 80
        Resolution.
    projection : str, optional
        Axes projection, e.g. ``"polar"``.
    """
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"text.parse_math": False}):
        fig = Figure(figsize=figsize)
        draw(fig.add_subplot(projection=projection))
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()
