"""Every widget fits a 1280x800 browser window: nothing clipped, scrolled or past the edge.

Each widget of the kit (tests/browser/_widget_pages.py) is opened in a real JupyterLab
at 1280x800 (file browser open, as a user has it), and the Voilà room pages in
Voilà. In the page, the widget's root and every element in it are measured: a named
part (question, tab title, table cell, button) whose text is wider than its box, any box
that clips or scrolls its content (overflow hidden/auto, text-overflow: ellipsis), and
any element whose right edge is past the output area or the window.

With ``MLOPS_KIT_SCREENSHOTS=<folder>`` each measured widget is also saved as
``<folder>/<name>.png`` (what ``scripts/screenshots.py`` runs).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _widget_pages import OVERFLOW_JS, PAGES, SETUPS

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WIDTH, HEIGHT = 1280, 800
#: page name -> the screenshot it gives docs/images (pages not listed are only measured)
SHOTS = {
    "assessment": "assessment",
    "roi": "roi",
    "experiment_browser": "experiment_browser",
    "drift_explorer": "drift_explorer",
    "canary_timeline": "canary_timeline",
    "monitoring_dashboard": "monitoring_dashboard",
    "voila_room": "voila_room",
}


def _shoot(page, selector: str, name: str) -> None:
    folder = os.environ.get("MLOPS_KIT_SCREENSHOTS")
    if not folder or name not in SHOTS:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    box = page.locator(selector).first
    # a window tall enough for the whole widget (same 1280 px width, so the same layout):
    # JupyterLab scrolls inside its panel, and a clip must not end at the status bar
    height = box.evaluate("(el) => el.getBoundingClientRect().height")
    page.set_viewport_size({"width": WIDTH, "height": int(height) + 400})
    box.scroll_into_view_if_needed()
    page.wait_for_function(
        """(sel) => {
            const r = document.querySelector(sel).getBoundingClientRect();
            return r.top >= 0 && r.bottom <= window.innerHeight - 40;
        }""",
        arg=selector,
    )
    box.screenshot(path=str(Path(folder) / f"{SHOTS[name]}.png"), animations="disabled")


def _assert_fits(page, root: str, parts) -> None:
    report = page.evaluate(OVERFLOW_JS, [root, list(parts)])
    assert report["measured"] > 5, report
    assert report["out"] == [], "\n".join(report["out"])


@pytest.mark.parametrize("name", list(PAGES))
def test_widget_fits_a_1280_px_window(name, lab, open_notebook):
    spec = PAGES[name]
    uri = SETUPS[spec.setup](lab[1] / f"store_{name}") if spec.setup else ""
    page = open_notebook(f"layout_{name}.ipynb", *spec.sources(uri), width=WIDTH, height=HEIGHT)
    page.wait_for_selector(spec.ready)
    for selector in spec.clicks:
        page.locator(selector).first.click()
    for part in spec.parts:  # every named part is on the page (a renamed class fails here)
        page.locator(f"{spec.root} {part}").first.wait_for(state="attached")
    _assert_fits(page, spec.root, spec.parts)
    _shoot(page, spec.root, name)


# --- the Voilà room app ---------------------------------------------------------------
@pytest.fixture(scope="module")
def room_server(tmp_path_factory, chromium_path):
    """A Voilà server on a room where two participants have submitted (through the API)."""
    from mlops_kit.app import Room
    from mlops_kit.app.serve import start
    from mlops_kit.maturity import load_bank
    from mlops_kit.roi import RoiInputs

    folder = tmp_path_factory.mktemp("layout-room")
    items = load_bank().items
    room = Room(folder)
    room.submit("ada", answers={i.id: 1 for i in items}, team_size=6)
    room.submit("bob", answers={i.id: [1, 0.5, 0][n % 3] for n, i in enumerate(items)})
    room.submit("bob", roi=RoiInputs.from_preset("gartner"))
    server = start(folder)
    try:
        yield server
    finally:
        server.stop()


VOILA = {
    "voila_assess": (".mlops-kit-app-assess", ".mlops-kit-app-level >> text=Level"),
    "voila_roi": (".mlops-kit-app-roi", ".mlops-kit-app-roi-summary >> text=ROI"),
    "voila_room": (".mlops-kit-app-room", ".mlops-kit-app-room-table >> text=participant"),
}


@pytest.mark.parametrize("name", list(VOILA))
def test_voila_page_fits_a_1280_px_window(name, browser, room_server):
    root, ready = VOILA[name]
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    try:
        page.set_default_timeout(120_000)
        page.goto(room_server.url(name.removeprefix("voila_")))
        page.wait_for_selector(ready)
        if name == "voila_room":
            page.wait_for_selector(".mlops-kit-app-room-chart")
            assert "Room: 2 participant(s)" in page.locator(root).inner_text()
        _assert_fits(page, root, ("button", "td", "th", ".widget-label"))
        _shoot(page, root, name)
    finally:
        page.close()
