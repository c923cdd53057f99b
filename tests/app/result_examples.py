"""Contract-test example for the training room's Result."""

from __future__ import annotations

from mlops_kit.app.results import RoomResult


def room_result() -> RoomResult:
    # a participant name with markup: the contract test checks it is escaped
    latest = {
        "<b>ada</b>": {
            "answers": {"vt_code_in_git": 1, "cicd_ci_pipeline": 0},
            "team_size": 4,
            "roi": {"projects_per_year": 4},
            "submissions": 2,
        },
        "bob": {"answers": None, "team_size": None, "roi": {"staff_fte": 2}, "submissions": 1},
    }
    return RoomResult.from_latest(latest, room="room")


EXAMPLES = {RoomResult: room_result}
