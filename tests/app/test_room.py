"""The room's store and results, without a browser: real SQLite, real processes."""

from __future__ import annotations

import json
import multiprocessing

import pytest

from mlops_kit.app import Room
from mlops_kit.errors import InputError


def _submit_many(path: str, who: str, n: int) -> None:
    room = Room(path)
    for i in range(n):
        room.submit(who, answers={"vt_code_in_git": i % 2}, roi={"projects_per_year": 1 + i})


def test_concurrent_participants_lose_nothing(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_submit_many, args=(str(tmp_path), f"p{k}", 25)) for k in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    history = Room(tmp_path).history()
    assert len(history) == 100
    assert len({r["id"] for r in history}) == 100
    latest = Room(tmp_path).latest()
    assert sorted(latest) == ["p0", "p1", "p2", "p3"]
    # each one's last write (i = 24) is the one that counts
    assert all(v["roi"]["projects_per_year"] == 25 for v in latest.values())
    assert all(v["submissions"] == 25 for v in latest.values())


def test_latest_answer_counts_and_history_keeps_the_earlier(tmp_path):
    room = Room(tmp_path)
    room.submit("ada", answers={"vt_code_in_git": 0}, team_size=3)
    room.submit("ada", roi={"projects_per_year": 4})
    room.submit("ada", answers={"vt_code_in_git": 1})
    room.submit("bob", answers={"vt_code_in_git": 0.5})
    latest = room.latest()
    assert latest["ada"]["answers"] == {"vt_code_in_git": 1}
    assert latest["ada"]["roi"]["projects_per_year"] == 4, "an answers-only submit keeps the ROI"
    assert [h["answers"] for h in room.history() if h["participant"] == "ada"] == [
        {"vt_code_in_git": 0},
        None,
        {"vt_code_in_git": 1},
    ]
    result = room.results()
    assert result.n_participants == 2
    assert result.to_frame()["submissions"].tolist() == [3, 1]


def test_results_show_levels_weakest_dimensions_and_roi(tmp_path):
    from mlops_kit.maturity import load_bank

    bank = load_bank()
    room = Room(tmp_path)
    full = {item.id: 1 for item in bank.items}
    weak_dim = bank.dimensions[-1].id
    for item in bank.items_of(weak_dim):
        full[item.id] = 0
    room.submit("ada", answers=full, roi={"projects_per_year": 4})
    room.submit("bob", answers=full, roi={"projects_per_year": 8})
    room.submit(None, roi={"projects_per_year": 6})  # anonymous, ROI only
    r = room.results()
    assert r.n_participants == 3
    assert any(p["participant"].startswith("anon-") for p in r.participants)
    assert r.weakest(1)[0]["dimension"] == weak_dim
    assert r.weakest(1)[0]["answered_by"] == 2
    counts = {c["level"]: c["participants"] for c in r.level_counts()}
    assert sum(counts.values()) == 2
    rois = sorted(p["roi"] for p in r.participants)
    assert rois[0] < rois[1] < rois[2], "more projects a year, higher ROI"
    assert r.median_roi() == rois[1]
    json.dumps(r.to_dict(), allow_nan=False)
    assert r.plot().get_title() == "3 participant(s)"


def test_empty_room_has_a_defined_result(tmp_path):
    r = Room(tmp_path / "new").results()
    assert r.n_participants == 0
    assert r.summary() == "Room: no submissions yet"
    assert r.median_roi() is None and r.weakest() == []
    assert all(c["participants"] == 0 for c in r.level_counts())
    assert r.to_frame().empty
    r.plot()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"participant": "  ", "answers": {"vt_code_in_git": 1}}, "participant"),
        ({"participant": "x" * 65, "answers": {"vt_code_in_git": 1}}, "participant"),
        ({"participant": "ada"}, "answers"),
        ({"participant": "ada", "answers": {"vt_code_in_git": 2}}, "vt_code_in_git"),
        ({"participant": "ada", "roi": {"projects_per_year": -1}}, "projects_per_year"),
        ({"participant": "ada", "answers": {}, "team_size": 0}, "team_size"),
    ],
)
def test_bad_submission_is_a_clear_error_and_stores_nothing(tmp_path, kwargs, name):
    room = Room(tmp_path)
    with pytest.raises(InputError, match=name):
        room.submit(**kwargs)
    assert room.history() == []


def test_room_path_that_is_a_file_is_refused(tmp_path):
    f = tmp_path / "room.txt"
    f.write_text("x")
    with pytest.raises(InputError, match="path"):
        Room(f)
