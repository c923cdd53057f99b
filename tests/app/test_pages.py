"""The app's pages driven as a user would, without a browser (real widgets, real room store)."""

from __future__ import annotations

from mlops_kit.app.pages import assess_page, roi_page, room_page


def test_two_participants_submit_and_the_room_page_shows_both(tmp_path):
    room = room_page(tmp_path)
    assert room.result.n_participants == 0
    ada = assess_page(tmp_path)
    ada.name_input.value = "ada <admin>"
    ada.widget.controls["vt_code_in_git"].value = 1
    ada.submit_button.click()
    assert "Submitted as ada &lt;admin&gt;: level 1" in ada.status.value
    anon = roi_page(tmp_path)
    anon.widget.sliders["projects_per_year"].value = 8
    anon.submit_button.click()
    assert f"Submitted as {anon.anonymous}: ROI" in anon.status.value
    anon.submit_button.click()  # twice: one participant, two submissions
    room.refresh_button.click()
    frame = room.result.to_frame().set_index("participant")
    assert list(frame.index) == sorted(["ada <admin>", anon.anonymous])
    assert frame.loc[anon.anonymous, "submissions"] == 2
    assert frame.loc["ada <admin>", "level"] == 1
    assert "ada &lt;admin&gt;" in room.table.value and anon.anonymous in room.table.value
    assert "Weakest dimensions" in room.weakest.value


def test_a_failed_submission_is_shown_not_raised(tmp_path):
    page = roi_page(tmp_path)
    page.name_input.value = "x" * 80
    page.submit_button.click()
    assert "Not submitted: Invalid participant" in page.status.value
    assert room_page(tmp_path).result.n_participants == 0


def test_room_pages_hide_the_widgets_file_actions(tmp_path):
    page = assess_page(tmp_path)
    assert page.widget.export_button.layout.display == "none"
    assert page.widget.save_button.layout.display == "none"
