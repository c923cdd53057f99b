"""A small standalone HTML report assembled from Results and text sections.

Used by ``mlops-kit tour``; each section is a heading, an optional paragraph
and optionally a :class:`~mlops_kit.results.Result` whose table and chart are
embedded (PNG, base64), so the page is one self-contained file.

Examples
--------
>>> import tempfile, pathlib
>>> from mlops_kit.results import TableResult
>>> report = HtmlReport("Demo")
>>> report.add("Scores", "Two models.", TableResult("Scores", [{"m": "a", "auc": 0.8}]))
>>> path = report.save(pathlib.Path(tempfile.mkdtemp()) / "report.html")
>>> "<h2>Scores</h2>" in path.read_text()
True
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["HtmlReport"]

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{padding:2px 8px;"
    "border-bottom:1px solid #ddd;text-align:right}"
    "h2{margin-top:1.6em;border-bottom:2px solid #eee}"
    "img{max-width:100%}.summary{background:#f6f8fa;padding:.6em 1em;border-radius:4px}"
    ".table-wrap{overflow-x:auto;font-size:small}"
)


@dataclass
class HtmlReport:
    """Sections of text and Results written as one standalone HTML page.

    Parameters
    ----------
    title : str
        The page title.

    Examples
    --------
    >>> from mlops_kit.results import TableResult
    >>> report = HtmlReport("Weekly check")
    >>> report.add("Notes", "All gates passed.")
    >>> runs = TableResult("Runs", [{"run": "a", "auc": 0.81}])
    >>> report.add("Runs", result=runs, chart=False)
    >>> page = report.to_html()
    >>> page.startswith("<!doctype html>"), "<h2>Runs</h2>" in page
    (True, True)
    """

    title: str
    sections: list[tuple[str, str, object, int, bool]] = field(default_factory=list)

    def add(
        self, heading: str, text: str = "", result=None, *, max_rows: int = 50, chart: bool = True
    ) -> None:
        """Append a section: a heading, a paragraph and an optional Result.

        ``max_rows`` limits the Result's table; ``chart=False`` leaves out its chart.
        """
        self.sections.append((heading, text, result, max_rows, chart))

    def to_html(self) -> str:
        """Return the whole page as a string (user strings escaped)."""
        parts = [
            "<!doctype html><html><head><meta charset='utf-8'>",
            f"<title>{html.escape(self.title)}</title><style>{_STYLE}</style></head><body>",
            f"<h1>{html.escape(self.title)}</h1>",
        ]
        for heading, text, result, max_rows, chart in self.sections:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
            if text:
                parts.append(f"<p>{html.escape(text)}</p>")
            if result is not None:
                parts.append(f"<p class='summary'>{html.escape(result.summary())}</p>")
                parts.append(f"<div class='table-wrap'>{result._table_html(max_rows)}</div>")
                png = result._plot_png_base64() if chart else None
                if png:
                    parts.append(
                        f"<img alt='{html.escape(heading)}' src='data:image/png;base64,{png}'>"
                    )
        parts.append("</body></html>")
        return "".join(parts)

    def save(self, path) -> Path:
        """Write the page atomically and return its path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(self.to_html(), encoding="utf-8")
        tmp.replace(path)
        return path
