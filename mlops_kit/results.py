"""The Result contract shared by every analysis in mlops-kit.

An analysis object (a drift check, a gate, a comparison) never holds its
results: its ``run``/``check`` method returns a new :class:`Result`. Every
Result offers the same surface:

``to_frame()``
    the numbers as a :class:`pandas.DataFrame`;
``to_dict()``
    a JSON-serialisable ``dict`` (``to_json()`` dumps it);
``save_html(path)``
    a standalone HTML page with the summary, the table and the chart;
``plot(ax=None)``
    draws on ``ax`` (or a new Axes) and returns the Axes;
``_repr_html_()``
    a compact notebook view (a few KB at most) with every user-supplied string
    HTML-escaped;
``repr()``
    a plain-text summary.

Subclasses implement :meth:`to_dict`, :meth:`to_frame`, :meth:`plot` and
:meth:`summary`. One contract test (``tests/test_results_contract.py``) runs over
every Result class in the package, on the small instances that the
``tests/**/*result_examples.py`` modules build.

Examples
--------
>>> from mlops_kit.results import TableResult
>>> r = TableResult("Scores", [{"model": "a", "accuracy": 0.9}])
>>> r.summary()
'Scores: 1 row'
>>> r.to_frame().shape
(1, 2)
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
from pathlib import Path
from typing import Any, ClassVar

__all__ = ["Result", "TableResult", "get_ax", "jsonable"]

_MAX_HTML_ROWS = 20
_MAX_TEXT_ROWS = 10


def jsonable(value: Any) -> Any:
    """Convert numpy/pandas scalars and containers into plain JSON types.

    Non-finite floats become ``None`` so that the output is strict JSON.

    Examples
    --------
    >>> import numpy as np
    >>> jsonable({"a": np.float64(1.5), "b": [np.int64(2), float("nan")]})
    {'a': 1.5, 'b': [2, None]}
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "tolist"):
        return jsonable(value.tolist())
    return str(value)


def get_ax(ax=None, figsize=(6, 3.5)):
    """Return ``ax`` or a new Matplotlib Axes (matplotlib is imported lazily).

    Examples
    --------
    >>> ax = get_ax()
    >>> type(ax).__name__
    'Axes'
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


class Result:
    """Base class of every result returned by an mlops-kit analysis.

    Examples
    --------
    A subclass implements the five methods of the contract and inherits the rest
    (``to_json``, ``save_html``, ``repr`` and the notebook view):

    >>> class Scores(Result):
    ...     title = "Scores"
    ...     def __init__(self, scores):
    ...         self.scores = dict(scores)
    ...     def to_dict(self):
    ...         return {"scores": self.scores}
    ...     def to_frame(self):
    ...         import pandas as pd
    ...         return pd.DataFrame({"model": list(self.scores), "auc": list(self.scores.values())})
    ...     def plot(self, ax=None):
    ...         ax = get_ax(ax)
    ...         ax.bar(list(self.scores), list(self.scores.values()))
    ...         return ax
    ...     def summary(self):
    ...         return f"Best model: {max(self.scores, key=self.scores.get)}"
    >>> r = Scores({"a": 0.8, "b": 0.85})
    >>> r.summary()
    'Best model: b'
    >>> r.to_json()
    '{"scores": {"a": 0.8, "b": 0.85}}'
    >>> r.to_frame().shape
    (2, 2)
    """

    title: ClassVar[str] = "Result"

    # --- to be implemented by subclasses ---------------------------------
    def to_dict(self) -> dict:
        """Return the result as a JSON-serialisable dict."""
        raise NotImplementedError

    def to_frame(self):
        """Return the result's table as a pandas DataFrame."""
        raise NotImplementedError

    def plot(self, ax=None):
        """Draw the result on ``ax`` (or a new Axes) and return the Axes."""
        raise NotImplementedError

    def summary(self) -> str:
        """Return a one-line plain-text headline."""
        raise NotImplementedError

    # --- shared behaviour -------------------------------------------------
    def to_json(self, **kwargs: Any) -> str:
        """Return :meth:`to_dict` as a strict JSON string."""
        return json.dumps(jsonable(self.to_dict()), allow_nan=False, **kwargs)

    def _table_html(self, max_rows: int = _MAX_HTML_ROWS) -> str:
        import pandas as pd

        from mlops_kit._html import frame_html

        frame = self.to_frame()
        index = not isinstance(frame.index, pd.RangeIndex)  # a meaningful index is shown
        return frame_html(frame, max_rows, hint=": use .to_frame()", index=index)

    def _repr_html_(self) -> str:
        title = html.escape(self.title)
        headline = html.escape(self.summary())
        return (
            f'<div class="mlops-kit-result"><strong>{title}</strong>'
            f"<p>{headline}</p>{self._table_html()}</div>"
        )

    def __repr__(self) -> str:
        frame = self.to_frame()
        text = frame.head(_MAX_TEXT_ROWS).to_string(max_colwidth=40)
        more = (
            f"\n... {len(frame) - _MAX_TEXT_ROWS} more rows" if len(frame) > _MAX_TEXT_ROWS else ""
        )
        return f"{type(self).__name__}: {self.summary()}\n{text}{more}"

    def _plot_png_base64(self) -> str | None:
        # never switch the backend: in a notebook that would silence every later chart
        import matplotlib.pyplot as plt

        ax = self.plot()
        fig = ax.figure
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
        plt.close(fig)
        return base64.b64encode(buf.getvalue()).decode("ascii")

    def save_html(self, path) -> Path:
        """Write a standalone HTML page (summary, table, chart) and return its path.

        Parameters
        ----------
        path : str or os.PathLike
            Where to write the page; parent folders are created.
        """
        from mlops_kit.report import HtmlReport

        report = HtmlReport(self.title)
        report.add("Summary", "", self, max_rows=10_000)
        return report.save(path)


class TableResult(Result):
    """A generic tabular result: a title, a table of records and a bar chart.

    Parameters
    ----------
    title : str
        Shown as the heading.
    records : list of dict
        The rows.

    Examples
    --------
    >>> r = TableResult("Runs", [{"run": "a", "rmse": 1.2}, {"run": "b", "rmse": 0.9}])
    >>> r.to_dict()["records"][1]["rmse"]
    0.9
    """

    def __init__(self, title: str, records: list[dict]):
        self.title = title
        self.records = list(records)

    def to_dict(self) -> dict:
        return {"title": self.title, "records": jsonable(self.records)}

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame.from_records(self.records)

    def summary(self) -> str:
        n = len(self.records)
        return f"{self.title}: {n} row{'s' if n != 1 else ''}"

    def plot(self, ax=None):
        ax = get_ax(ax)
        frame = self.to_frame()
        numeric = frame.select_dtypes("number")
        if not numeric.empty:
            numeric.plot.bar(ax=ax)
        ax.set_title(self.title)
        return ax
