"""What the drift explorer shows: the table, the headline, the caption and the chart.

Pure functions of a :class:`~mlops_kit.validation.drift.result.DriftResult` and
the data, no widgets: the HTML is compact with every user-supplied string
escaped, and the chart is drawn on a bare :class:`matplotlib.figure.Figure`
with the Agg canvas (never pyplot), so the notebook's backend is untouched.

Examples
--------
>>> from mlops_kit.validation.drift.result import ColumnDrift, DriftResult
>>> r = DriftResult([ColumnDrift("age", "num", "ks", 0.001, 0.001, 0.05, True, 0.31),
...                  ColumnDrift("<b>city</b>", "cat", "chisquare", 0.02, 0.02, 0.05, True, 0.04)])
>>> [c.column for c in ordered(r)]
['age', '<b>city</b>']
>>> "&lt;b&gt;city&lt;/b&gt;" in table_html(r)
True
"""

from __future__ import annotations

import html
import math

from mlops_kit._html import message_html

__all__ = [
    "caption_text",
    "chart_png",
    "headline_html",
    "message_html",
    "ordered",
    "table_html",
    "title_text",
]

#: table rows shown at most (the rest is in ``result.to_frame()``)
MAX_TABLE_ROWS = 100
#: categories drawn at most (the rest is summed as "other")
MAX_CATEGORIES = 20
_MAX_BINS = 60
_DRIFT_BG = "#fde0dc"
_REF, _CUR = "#1f77b4", "#ff7f0e"


def _num(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.3g}"


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def ordered(result) -> list:
    """The tested columns, largest effect size first (missing effect sizes last)."""

    def key(c):
        e = c.effect_size
        missing = e is None or (isinstance(e, float) and math.isnan(e))
        return (missing, 0.0 if missing else -e)

    return sorted(result.checked, key=key)


def verdict(column) -> str:
    return "drift" if column.drifted else "no drift"


def stat_name(test: str) -> str:
    """``"p-value"`` for the tests, else the distance's name."""
    from mlops_kit.validation.drift.methods import METHODS

    spec = METHODS.get(test)
    if spec is None:
        return "statistic"
    return "p-value" if spec.is_test else spec.display_name


def title_text(column) -> str:
    """Column, test, statistic vs threshold and verdict (the chart's title)."""
    return (
        f"{column.column} ({column.type}): {column.test} {stat_name(column.test)} "
        f"{_num(column.statistic)} vs threshold {_num(column.threshold)} -> {verdict(column)}"
    )


def caption_text(column, note: str = "") -> str:
    """The title plus effect size, row counts and ``note`` (shown under the chart)."""
    text = title_text(column)
    if column.effect_size is not None:
        text += f"; effect size {_num(column.effect_size)} ({column.effect_measure})"
    text += f"; {column.n_reference} reference / {column.n_current} current rows"
    return text + (f"; {note}" if note else "")


def headline_html(result, method_label: str = "") -> str:
    """Dataset verdict, drifted count and share, skipped columns and warnings."""
    yes = result.dataset_drift
    op = ">=" if yes else "<"
    color = "#b00020" if yes else "#1b7f3b"
    parts = [
        f"<b style='color:{color}'>Dataset drift: {'yes' if yes else 'no'}</b> — "
        f"{result.n_drifted} of {result.n_columns} columns drifted "
        f"(share {result.share_drifted:.2f} {op} drift_share {result.drift_share:g})"
    ]
    if method_label:
        parts.append(f"; method {_esc(method_label)}")
    out = "<div>" + "".join(parts) + "</div>"
    if result.skipped:
        names = ", ".join(f"{_esc(c.column)} ({_esc(c.note)})" for c in result.skipped[:10])
        more = f" and {len(result.skipped) - 10} more" if len(result.skipped) > 10 else ""
        out += f"<div style='color:#555'>Skipped: {names}{more}</div>"
    if result.warnings:
        items = "".join(f"<li>{_esc(w)}</li>" for w in result.warnings[:10])
        more = len(result.warnings) - 10
        if more > 0:
            items += f"<li>… {more} more (see .result.warnings)</li>"
        out += (
            f"<details><summary>⚠ {len(result.warnings)} large-sample warning"
            f"{'s' if len(result.warnings) > 1 else ''}</summary>"
            f"<ul style='margin:2px 0'>{items}</ul></details>"
        )
    return out


_HEAD = (
    "column",
    "type",
    "test",
    "statistic",
    "threshold",
    "verdict",
    "effect size",
    "measure",
    "rows ref / cur",
)


def table_html(result, max_rows: int = MAX_TABLE_ROWS) -> str:
    """The per-column table, sorted by effect size, drifted rows highlighted."""
    import pandas as pd

    from mlops_kit._html import frame_html

    cols = ordered(result)
    rows = [
        (
            c.column,
            c.type,
            c.test,
            _num(c.statistic),
            _num(c.threshold),
            verdict(c),
            _num(c.effect_size),
            c.effect_measure or "–",
            f"{c.n_reference} / {c.n_current}",
            "⚠" if c.note else "",
        )
        for c in cols
    ]
    return frame_html(
        pd.DataFrame(rows, columns=[*_HEAD, "note"]),
        max_rows,
        what="columns",
        hint=": use .result.to_frame()",
        row_styles=[f"background:{_DRIFT_BG}" if c.drifted else None for c in cols],
        row_titles=[c.note or None for c in cols],
    )


def _plain(text, width: int = 30) -> str:
    """A label matplotlib draws as typed (no mathtext), shortened to ``width``."""
    text = str(text)
    if len(text) > width:
        text = text[: width - 1] + "…"
    return text.replace("$", r"\$")


def _draw_numeric(ax, ref, cur) -> None:
    import numpy as np

    from mlops_kit.validation.drift.families import to_float

    ref, cur = to_float(ref), to_float(cur)
    ref, cur = ref[~np.isnan(ref)], cur[~np.isnan(cur)]
    both = np.concatenate([ref, cur])
    if both.size == 0:
        ax.text(0.5, 0.5, "no values", ha="center", va="center", transform=ax.transAxes)
        return
    lo, hi = float(both.min()), float(both.max())
    if lo == hi:
        edges = np.array([lo - 0.5, hi + 0.5])
    else:
        edges = np.histogram_bin_edges(both, bins="auto", range=(lo, hi))
        if edges.size - 1 > _MAX_BINS:
            edges = np.linspace(lo, hi, _MAX_BINS + 1)
    for values, color, label in ((ref, _REF, "reference"), (cur, _CUR, "current")):
        if values.size:
            ax.hist(
                values,
                bins=edges,
                density=True,
                alpha=0.45,
                color=color,
                label=label,
                histtype="stepfilled",
                edgecolor=color,
            )
    ax.set_ylabel("density")
    ax.legend(fontsize=8)


def _draw_categorical(ax, ref, cur) -> None:
    import numpy as np
    import pandas as pd

    from mlops_kit.validation.drift.native import CatStats

    rc, cc = CatStats.counts(ref), CatStats.counts(cur)
    keys = rc.index.union(cc.index)
    rs = rc.reindex(keys, fill_value=0) / max(int(rc.sum()), 1)
    cs = cc.reindex(keys, fill_value=0) / max(int(cc.sum()), 1)
    top = pd.concat([rs, cs], axis=1).max(axis=1).sort_values(ascending=False, kind="stable")
    shown = list(top.index[:MAX_CATEGORIES])
    labels = [_plain(k) for k in shown]
    r_vals, c_vals = list(rs.reindex(shown)), list(cs.reindex(shown))  # by label, bools too
    if len(keys) > MAX_CATEGORIES:
        kept = set(shown)
        rest = [k for k in keys if k not in kept]
        labels.append(f"other ({len(rest)})")
        r_vals.append(float(rs.reindex(rest).sum()))
        c_vals.append(float(cs.reindex(rest).sum()))
    x = np.arange(len(labels))
    ax.bar(x - 0.2, r_vals, width=0.4, color=_REF, label="reference")
    ax.bar(x + 0.2, c_vals, width=0.4, color=_CUR, label="current")
    rotate = 30 if len(labels) > 4 or max((len(s) for s in labels), default=0) > 8 else 0
    ax.set_xticks(x, labels, rotation=rotate, ha="right" if rotate else "center", fontsize=8)
    ax.set_ylabel("share of rows")
    ax.legend(fontsize=8)


def chart_png(column, ref, cur, title: str) -> bytes:
    """Reference vs current distribution of one column, as PNG bytes.

    Numeric columns: overlaid density histograms on the same bins; categorical
    ones: side-by-side bars of each category's share. Missing values are
    dropped, as in the check.
    """
    from mlops_kit._figures import figure_png

    def draw(ax):
        if column.type == "num":
            _draw_numeric(ax, ref, cur)
        else:
            _draw_categorical(ax, ref, cur)
        ax.set_xlabel(_plain(column.column, 60))
        color = "#b00020" if column.drifted else "black"
        ax.set_title(_plain(title, 110), fontsize=9, color=color)

    return figure_png(draw, figsize=(7, 3.4))
