"""A small standalone HTML report assembled from Results and text sections.

Used by ``mlops-kit tour``; the page opens with a summary table (one headline
per step) and links (the store, the command that opens it, side files), then
its parts (one per step, each an anchored ``<section>``) holding sections: a
heading, an optional paragraph and optionally a
:class:`~mlops_kit.results.Result` whose table and chart are embedded (PNG,
base64), so the page is one self-contained file. Tables come from the kit's one
table builder (:func:`mlops_kit._html.frame_html`); every user string is escaped.

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

from mlops_kit.errors import InputError

__all__ = ["HtmlReport"]

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{padding:2px 8px;"
    "border-bottom:1px solid #ddd;text-align:right}"
    "h2{margin-top:1.6em;border-bottom:2px solid #eee}h3{margin-top:1.2em}"
    "img{max-width:100%}.summary{background:#f6f8fa;padding:.6em 1em;border-radius:4px}"
    ".table-wrap{overflow-x:auto;font-size:small}code{background:#f6f8fa;padding:0 .2em}"
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

    With parts, a summary and links:

    >>> report = HtmlReport("Tour")
    >>> report.part("step-1", "Step 1: tracking", links=[("store", "mlruns.db")])
    >>> report.add("Runs", result=runs, chart=False, part="step-1")
    >>> report.headline("Step 1", "2 runs tracked")
    >>> page = report.to_html()
    >>> "<section id='step-1'><h2>Step 1: tracking</h2>" in page, "<h3>Runs</h3>" in page
    (True, True)
    >>> "<a href='mlruns.db'>store</a>" in page, "<td>2 runs tracked</td>" in page
    (True, True)
    """

    title: str
    sections: list[tuple[str, str, object, int, bool]] = field(default_factory=list)
    parts: dict[str, dict] = field(default_factory=dict)
    headlines: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)

    def part(self, anchor: str, heading: str, text: str = "", *, links=()) -> None:
        """Declare a part (an anchored ``<section>`` with an ``<h2>``); parts keep this order.

        ``links`` are ``(label, href)`` pairs shown under its heading.
        """
        if not isinstance(anchor, str) or not anchor.replace("-", "").isalnum():
            raise InputError.invalid("anchor", anchor, "letters, digits and '-'")
        self.parts[anchor] = {"heading": heading, "text": text, "links": list(links), "items": []}

    def headline(self, what: str, text: str) -> None:
        """Add one line to the summary table at the top of the page."""
        self.headlines.append((what, text))

    def link(self, label: str, href: str, note: str = "") -> None:
        """Add a link (a relative path or URL) to the list under the summary."""
        self.links.append((label, href, note))

    def add(
        self,
        heading: str,
        text: str = "",
        result=None,
        *,
        max_rows: int = 50,
        chart: bool = True,
        part: str | None = None,
    ) -> None:
        """Append a section: a heading, a paragraph and an optional Result.

        ``max_rows`` limits the Result's table; ``chart=False`` leaves out its chart;
        ``part`` puts it into a part declared with :meth:`part` (else after the parts).
        """
        entry = (heading, text, result, max_rows, chart)
        if part is None:
            self.sections.append(entry)
        elif part not in self.parts:
            raise InputError.invalid("part", part, f"a declared part ({list(self.parts)})")
        else:
            self.parts[part]["items"].append(entry)

    @staticmethod
    def _links_html(links) -> str:
        items = "".join(
            f"<li><a href='{html.escape(href, quote=True)}'>{html.escape(label)}</a>"
            + (f": {note}" if note else "")
            + "</li>"
            for label, href, note in links
        )
        return f"<ul class='links'>{items}</ul>"

    @staticmethod
    def _section_html(entry, level: int) -> list[str]:
        heading, text, result, max_rows, chart = entry
        parts = [f"<h{level}>{html.escape(heading)}</h{level}>"]
        if text:
            parts.append(f"<p>{html.escape(text)}</p>")
        if result is not None:
            parts.append(f"<p class='summary'>{html.escape(result.summary())}</p>")
            parts.append(f"<div class='table-wrap'>{result._table_html(max_rows)}</div>")
            png = result._plot_png_base64() if chart else None
            if png:
                alt = html.escape(heading, quote=True)
                parts.append(f"<img alt='{alt}' src='data:image/png;base64,{png}'>")
        return parts

    def _summary_html(self) -> str:
        import pandas as pd

        from mlops_kit._html import frame_html

        frame = pd.DataFrame(self.headlines, columns=["step", "headline"])
        table = frame_html(frame, max_rows=len(frame))
        return f"<section id='summary'><h2>Summary</h2>{table}</section>"

    def to_html(self) -> str:
        """Return the whole page as a string (user strings escaped)."""
        parts = [
            "<!doctype html><html><head><meta charset='utf-8'>",
            f"<title>{html.escape(self.title)}</title><style>{_STYLE}</style></head><body>",
            f"<h1>{html.escape(self.title)}</h1>",
        ]
        if self.headlines:
            parts.append(self._summary_html())
        if self.links:
            links = [(label, href, html.escape(note)) for label, href, note in self.links]
            parts.append(f"<section id='links'><h2>Links</h2>{self._links_html(links)}</section>")
        for anchor, part in self.parts.items():
            parts.append(f"<section id='{anchor}'><h2>{html.escape(part['heading'])}</h2>")
            if part["text"]:
                parts.append(f"<p>{html.escape(part['text'])}</p>")
            if part["links"]:
                parts.append(self._links_html([(a, b, "") for a, b in part["links"]]))
            for entry in part["items"]:
                parts.extend(self._section_html(entry, 3))
            parts.append("</section>")
        for entry in self.sections:
            parts.extend(self._section_html(entry, 2))
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
