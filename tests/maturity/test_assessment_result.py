"""The Assessment result: frame, dict, summary, radar/bar plot, html view."""

from __future__ import annotations

import json

from mlops_kit.maturity import assess, load_bank

BANK = load_bank()


def _assessment():
    """Levels 1-2 automated, level 3 by hand, the rest not done; a team of 12."""
    answers = {i.id: (1 if i.level <= 2 else 0.5 if i.level == 3 else 0) for i in BANK.items}
    return assess(answers, team_size=12)


def test_frame_and_dict():
    a = _assessment()
    frame = a.to_frame()
    assert list(frame["dimension"]) == BANK.dimension_ids
    assert {"score", "level", "level_name", "n_unanswered"} <= set(frame.columns)
    data = json.loads(a.to_json())
    assert data["level"] == a.level == 3
    assert data["level_name"] == a.level_name
    assert len(data["answers"]) == len(BANK.items)
    assert data["gaps"][0]["rank"] == 1
    assert list(a.gaps.columns)[:3] == ["rank", "item", "dimension"]


def test_radar_on_polar_axes_bar_chart_otherwise():
    import matplotlib.pyplot as plt

    a = _assessment()
    ax = a.plot()
    assert ax.name == "polar"
    assert len(ax.get_xticklabels()) == 5
    _, flat = plt.subplots()
    out = a.plot(ax=flat)
    assert out is flat
    assert len(flat.patches) == 5
    _, polar = plt.subplots(subplot_kw={"projection": "polar"})
    assert a.plot(ax=polar) is polar


def test_html_view_is_compact_and_shows_top_gaps():
    answers = {i.id: 0 for i in BANK.items}
    html = assess(answers)._repr_html_()
    assert "Top gaps" in html and "vt_code_in_git" in html
    assert len(html) < 20_000


def test_summary_single_line():
    s = assess({i.id: 1 for i in BANK.items}, team_size=200).summary()
    assert "\n" not in s
    assert s.startswith("Level 5 (Full lifecycle automation); mean score 1.00.")
    assert "puts a team of 200 at level 5" in s
