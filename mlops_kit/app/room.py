"""A training room's submissions: a SQLite file in the room folder, safe for concurrent writers.

Each participant submits maturity answers and/or the ROI inputs they entered;
:meth:`Room.results` gathers the latest submission of every participant into a
:class:`~mlops_kit.app.results.RoomResult`.

Why SQLite and not JSON lines: one ``INSERT`` in a transaction is atomic across
processes (SQLite's own file lock, with a busy timeout), a crash half-way leaves
the previous rows intact, and "the latest answer counts, the earlier is kept in
history" is a query instead of a rewrite. The file (``room.db``) sits in the room
folder, beside the MLflow store when the room is the project folder; it needs no
server and ships with Python.

Examples
--------
>>> import tempfile
>>> room = Room(tempfile.mkdtemp())
>>> room.submit("ada", answers={"vt_code_in_git": 1}, roi={"projects_per_year": 4})
1
>>> room.results().n_participants
1
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

from mlops_kit._params import InstanceOf, Predicate, check_param
from mlops_kit.errors import InputError

__all__ = ["DEFAULT_ROOM", "ROOM_ENV", "Room", "anonymous_id"]

#: environment variable the app's notebooks read the room folder from
ROOM_ENV = "MLOPS_KIT_ROOM"
#: room folder when none is given
DEFAULT_ROOM = "mlops-kit-room"
_DB = "room.db"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    participant TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    answers TEXT,
    team_size INTEGER,
    roi TEXT
)
"""
_MAX_NAME = 64


def anonymous_id() -> str:
    """A fresh anonymous participant id such as ``'anon-1f3a9c2e'``.

    Examples
    --------
    >>> anonymous_id().startswith("anon-")
    True
    """
    return "anon-" + uuid.uuid4().hex[:8]


def _check_name(participant) -> str:
    check_param(
        "participant",
        participant,
        [
            Predicate(
                lambda s: isinstance(s, str) and 0 < len(s.strip()) <= _MAX_NAME,
                f"a non-blank name of at most {_MAX_NAME} characters",
            ),
            None,
        ],
    )
    return anonymous_id() if participant is None else participant.strip()


class Room:
    """The submissions of one training room, stored in ``<path>/room.db``.

    Parameters
    ----------
    path : str or Path
        The room folder (created when missing).

    Examples
    --------
    >>> import tempfile
    >>> room = Room(tempfile.mkdtemp())
    >>> room.results().n_participants
    0
    """

    def __init__(self, path=DEFAULT_ROOM):
        check_param("path", path, [InstanceOf(str, Path)])
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise InputError.invalid("path", str(path), "a folder for the room (this is a file)")
        self.path.mkdir(parents=True, exist_ok=True)
        self.db = self.path / _DB
        with self._connect() as con:
            con.execute(_SCHEMA)

    def _connect(self) -> _Closing:
        con = sqlite3.connect(self.db, timeout=60, isolation_level=None)
        con.execute("PRAGMA busy_timeout = 60000")
        return _Closing(con)

    def submit(self, participant=None, *, answers=None, roi=None, team_size=None) -> int:
        """Save one participant's answers and/or ROI inputs; returns the submission's id.

        The latest submission of a participant counts (per part: a later ROI-only
        submission keeps the earlier answers); every submission stays in :meth:`history`.

        Parameters
        ----------
        participant : str, optional
            The participant's name; None gives an anonymous id (``anon-...``).
        answers : dict, optional
            Maturity answers ``{item_id: 0 | 0.5 | 1 | "na"}`` (unanswered items allowed).
        roi : RoiInputs or dict, optional
            The ROI inputs the participant entered.
        team_size : int, optional
            The participant's team size.

        Returns
        -------
        int
            The submission id (increasing).

        Examples
        --------
        >>> import tempfile
        >>> Room(tempfile.mkdtemp()).submit(answers={"vt_code_in_git": 0.5})
        1
        """
        from mlops_kit.maturity.answers import check_answers, check_team_size
        from mlops_kit.maturity.bank import load_bank
        from mlops_kit.roi.inputs import RoiInputs

        name = _check_name(participant)
        if answers is None and roi is None:
            raise InputError.invalid("answers", None, "answers or roi (or both) to submit")
        stored_answers = None
        if answers is not None:
            check_param("answers", answers, [InstanceOf(dict)])
            given, _ = check_answers(load_bank(), answers, allow_missing=True)
            stored_answers = json.dumps({k: v for k, v in given.items() if v is not None})
        team_size = check_team_size(team_size)
        stored_roi = None
        if roi is not None:
            check_param("roi", roi, [InstanceOf(RoiInputs, dict)])
            inputs = roi if isinstance(roi, RoiInputs) else RoiInputs.from_dict(roi)
            stored_roi = json.dumps(inputs.to_dict())
        now = datetime.now(UTC).isoformat(timespec="microseconds")
        with self._connect() as con:
            cur = con.execute(
                "INSERT INTO submissions (participant, submitted_at, answers, team_size, roi) "
                "VALUES (?, ?, ?, ?, ?)",
                (name, now, stored_answers, team_size, stored_roi),
            )
            return int(cur.lastrowid)

    def history(self) -> list[dict]:
        """Every submission, oldest first, as dicts (answers and ROI inputs decoded).

        Examples
        --------
        >>> import tempfile
        >>> room = Room(tempfile.mkdtemp())
        >>> _ = room.submit("ada", roi={"projects_per_year": 4})
        >>> [r["participant"] for r in room.history()]
        ['ada']
        """
        with self._connect() as con:
            rows = con.execute(
                "SELECT id, participant, submitted_at, answers, team_size, roi "
                "FROM submissions ORDER BY id"
            ).fetchall()
        return [
            {
                "id": r[0],
                "participant": r[1],
                "submitted_at": r[2],
                "answers": None if r[3] is None else json.loads(r[3]),
                "team_size": r[4],
                "roi": None if r[5] is None else json.loads(r[5]),
            }
            for r in rows
        ]

    def latest(self) -> dict[str, dict]:
        """``{participant: {"answers", "team_size", "roi", "submissions"}}`` of the latest parts.

        Examples
        --------
        >>> import tempfile
        >>> room = Room(tempfile.mkdtemp())
        >>> _ = room.submit("ada", answers={"vt_code_in_git": 0})
        >>> _ = room.submit("ada", answers={"vt_code_in_git": 1})
        >>> room.latest()["ada"]["answers"], room.latest()["ada"]["submissions"]
        ({'vt_code_in_git': 1}, 2)
        """
        out: dict[str, dict] = {}
        for row in self.history():
            entry = out.setdefault(
                row["participant"],
                {"answers": None, "team_size": None, "roi": None, "submissions": 0},
            )
            entry["submissions"] += 1
            if row["answers"] is not None:
                entry["answers"] = row["answers"]
                entry["team_size"] = row["team_size"]
            if row["roi"] is not None:
                entry["roi"] = row["roi"]
        return out

    def results(self):
        """The room's results: levels, weakest dimensions and ROI figures (a RoomResult).

        An empty room gives a RoomResult with no participants.

        Examples
        --------
        >>> import tempfile
        >>> room = Room(tempfile.mkdtemp())
        >>> _ = room.submit("ada", answers={"vt_code_in_git": 1})
        >>> room.results().level_counts()[0]
        {'level': 1, 'name': 'No formal MLOps processes', 'participants': 1}
        """
        from mlops_kit.app.results import RoomResult

        return RoomResult.from_latest(self.latest(), room=str(self.path))

    def __repr__(self) -> str:
        return f"Room({str(self.path)!r})"


class _Closing:
    """A sqlite3 connection used as ``with``: commits (autocommit) and always closes."""

    def __init__(self, con):
        self.con = con

    def __enter__(self):
        return self.con

    def __exit__(self, *exc):
        self.con.close()
        return False
