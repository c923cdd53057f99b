"""Pieces of the maturity widget that need no widget state: labels, HTML and the chart.

Every user- or scan-supplied string is HTML-escaped here. matplotlib is imported only
when a chart is drawn.

Examples
--------
>>> [value for _, value in answer_options((0, 0.5, 1, "na"))]
['unanswered', 0, 0.5, 1, 'na']
>>> answer_label(0.5)
'by hand, documented'
"""

from __future__ import annotations

import html

__all__ = [
    "ANSWER_LABELS",
    "HEADER",
    "UNANSWERED",
    "answer_label",
    "answer_options",
    "evidence_html",
    "gaps_html",
    "item_html",
    "level_html",
    "radar_png",
]

#: the control value of an item not answered yet
UNANSWERED = "unanswered"

#: answer -> label on its button
ANSWER_LABELS = {
    UNANSWERED: "unanswered",
    0: "not done",
    0.5: "by hand, documented",
    1: "automated",
    "na": "n/a",
}

#: the text above the tabs
HEADER = (
    "<h3>MLOps maturity self-assessment</h3><p style='white-space:normal'>Answer every "
    "question for your team: "
    "<i>not done</i> (0), <i>by hand, documented</i> (0.5), <i>automated</i> (1) or "
    "<i>n/a</i> where offered. Answers proposed by the evidence scan are pre-selected; "
    "check them. The level is the weakest dimension, capped by missing gates.</p>"
)

_COLORS = {"below": "#b00", "fits": "#2a7d2a", "above": "#2a5d9f", None: "#555"}


def answer_label(answer) -> str:
    """The label shown for an answer (``None`` reads as unanswered)."""
    return ANSWER_LABELS[UNANSWERED if answer is None else answer]


def answer_options(allowed) -> list[tuple[str, object]]:
    """``(label, value)`` options of an item's control: unanswered, then its allowed answers."""
    values = [UNANSWERED, 0, 0.5, 1] + (["na"] if "na" in allowed else [])
    return [(ANSWER_LABELS[v], v) for v in values]


def item_html(item) -> str:
    """The question, its level and gate flag, and how to answer it."""
    gate = (
        f" <span style='color:#b00'>gate: a 0 caps the level at {item.cap}</span>"
        if item.gate
        else ""
    )
    return (
        "<div style='margin-top:8px;white-space:normal;overflow-wrap:anywhere;line-height:1.4'>"
        f"<b>{html.escape(item.text)}</b>"
        f" <span style='color:#777;font-size:90%'>[{html.escape(item.id)}, level "
        f"{item.level}]</span>{gate}<br><span style='color:#555;font-size:90%'>"
        f"{html.escape(item.how)}</span></div>"
    )


def evidence_html(proposed, evidence: str | None) -> str:
    """The scan's proposal and its evidence, or a note that nothing was scanned."""
    if evidence is None:
        return (
            "<div style='color:#999;font-size:90%;white-space:normal'>"
            "no automatic evidence for this item</div>"
        )
    return (
        "<div style='color:#555;font-size:90%;white-space:normal;overflow-wrap:anywhere'>"
        f"scan proposes <b>{html.escape(answer_label(proposed))}</b>: "
        f"{html.escape(str(evidence))}</div>"
    )


def level_html(assessment, fit: str | None) -> str:
    """Level, level name, team fit and the number of unanswered items."""
    n = len(assessment.unanswered)
    missing = (
        f"<br><span style='color:#a60'>{n} item{'s' if n != 1 else ''} unanswered: the level "
        "is a lower bound until every item is answered.</span>"
        if n
        else ""
    )
    mean = assessment.mean_score
    mean_text = f" &middot; mean score {mean:.2f}" if mean is not None else ""
    return (
        "<div style='white-space:normal;overflow-wrap:anywhere'>"
        f"<span style='font-size:140%'><b>Level {assessment.level}</b>: "
        f"{html.escape(assessment.level_name)}</span>{mean_text}<br>"
        f"<span style='color:{_COLORS.get(fit, '#555')}'>{html.escape(assessment.team_fit)}"
        f"</span>{missing}</div>"
    )


def gaps_html(assessment, top: int = 3) -> str:
    """The first ``top`` gaps with their next step."""
    records = assessment.gap_records[:top]
    if not records:
        return "<p>No gaps: every applicable practice is automated.</p>"
    rows = "".join(
        f"<li><b>{html.escape(g['item'])}</b> ({html.escape(g['dimension'])}, level {g['level']}"
        f"{', gate' if g['gate'] else ''}): {html.escape(g['next_step'])}</li>"
        for g in records
    )
    return (
        "<div style='white-space:normal;overflow-wrap:anywhere'><b>Next steps</b>"
        f"<ol style='margin-top:2px'>{rows}</ol></div>"
    )


def radar_png(assessment, dpi: int = 80) -> bytes:
    """The assessment's radar chart as PNG bytes (no pyplot figure is left open)."""
    from mlops_kit._figures import figure_png

    return figure_png(
        lambda ax: assessment.plot(ax=ax), figsize=(5.5, 4.5), dpi=dpi, projection="polar"
    )
