"""The training-room app in a real Voilà server, driven through headless Chromium.

One server (started on a free 127.0.0.1 port, stopped by its PID) serves both tests.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def app_server(tmp_path_factory, chromium_path):
    from mlops_kit.app.serve import start

    server = start(tmp_path_factory.mktemp("room"))
    try:
        yield server
    finally:
        server.stop()
    assert not server.running


def _open(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(120_000)
    page.goto(url)
    return page


def _submit_assessment(browser, server, name, answer):
    page = _open(browser, server.url("assess"))
    try:
        page.wait_for_selector(".mlops-kit-app-level >> text=Level")
        first = page.locator(".mlops-maturity-answers").first
        first.get_by_role("button", name=answer).click()
        page.locator(".mlops-kit-app-name input").fill(name)
        page.locator(".mlops-kit-app-submit").click()
        status = page.locator(".mlops-kit-app-status")
        status.locator(f"text=Submitted as {name}").wait_for()
        return page.locator(".mlops-kit-app-level").inner_text(), status.inner_text()
    finally:
        page.close()


def test_a_participant_answers_in_the_page_and_sees_the_level(browser, app_server):
    from mlops_kit.app import Room

    level, status = _submit_assessment(browser, app_server, "ada", "automated")
    assert level.startswith("Level 1")
    assert "level 1" in status
    # no code on the page: Voilà hides it
    page = _open(browser, app_server.url("assess"))
    try:
        page.wait_for_selector(".mlops-kit-app-assess")
        assert "import" not in page.locator("body").inner_text()
    finally:
        page.close()
    latest = Room(app_server.room).latest()
    assert latest["ada"]["answers"] == {"vt_code_in_git": 1}


def test_two_participants_submit_and_the_room_view_shows_both(browser, app_server):
    _submit_assessment(browser, app_server, "bob", "not done")
    _submit_assessment(browser, app_server, "cleo", "automated")
    page = _open(browser, app_server.url("room"))
    try:
        table = page.locator(".mlops-kit-app-room-table")
        table.locator("th").first.wait_for()
        text = table.inner_text()
        assert "Room: 3 participant(s)" in text
        assert "bob" in text and "cleo" in text
        assert page.locator(".mlops-kit-app-room img").count() == 1
    finally:
        page.close()


def test_a_participant_submits_roi_inputs_from_the_voila_page(browser, app_server):
    from mlops_kit.app import Room

    page = _open(browser, app_server.url("roi"))
    try:
        summary = page.locator(".mlops-kit-app-roi-summary")
        summary.locator("text=ROI over the horizon").wait_for()
        page.locator(".mlops-kit-roi-preset select").select_option(label="gartner")
        page.wait_for_function(
            "() => !document.querySelector('.mlops-kit-roi-summary').innerText.includes('14.9x')"
        )
        page.locator(".mlops-kit-app-name input").fill("dora")
        page.locator(".mlops-kit-app-submit").click()
        page.locator(".mlops-kit-app-status >> text=Submitted as dora").wait_for()
    finally:
        page.close()
    from mlops_kit.roi import RoiInputs

    saved = Room(app_server.room).latest()["dora"]["roi"]
    assert saved["staff_fte"] == RoiInputs.from_preset("gartner").staff_fte
