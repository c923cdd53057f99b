"""The room's results together: distribution of levels, weakest dimensions, ROI entered.

Examples
--------
>>> r = RoomResult.from_latest({"ada": {"answers": {"vt_code_in_git": 1}, "team_size": None,
...                                     "roi": None, "submissions": 1}})
>>> r.n_participants, r.participants[0]["level"]
(1, 1)
"""

from __future__ import annotations

import html
import math

from mlops_kit.results import Result, get_ax

__all__ = ["RoomResult"]

_ROI_KEYS = ("roi", "npv", "payback_month", "benefit_per_year", "investment_per_year")


def _mean(values):
    values = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return sum(values) / len(values) if values else None


class RoomResult(Result):
    """What a training room answered: one row per participant (their latest submission).

    Parameters
    ----------
    participants : list of dict
        One per participant: ``participant``, ``submissions``, ``level``, ``level_name``,
        ``mean_score``, ``dimensions`` (``{dimension: score}``), ``roi``, ``npv``,
        ``payback_month`` (None where the part was not submitted).
    dimensions : list of dict
        Across the room, weakest first: ``dimension``, ``name``, ``mean_score``, ``answered_by``.
    levels : list of dict
        The bank's levels: ``level``, ``name``.
    room : str, optional
        The room folder (for the title).

    Examples
    --------
    >>> RoomResult.from_latest({}).summary()
    'Room: no submissions yet'
    """

    title = "Training room"

    def __init__(self, participants, dimensions, levels, room=None):
        self.participants = list(participants)
        self.dimensions = list(dimensions)
        self.levels = list(levels)
        self.room = room

    @classmethod
    def from_latest(cls, latest: dict, room=None) -> RoomResult:
        """Build from :meth:`Room.latest` (assessing answers and running the ROI model)."""
        from mlops_kit.maturity.assessment import assess
        from mlops_kit.maturity.bank import load_bank
        from mlops_kit.roi.inputs import RoiInputs
        from mlops_kit.roi.model import RoiModel

        bank = load_bank()
        rows = []
        for name in sorted(latest):
            entry = latest[name]
            row = {"participant": name, "submissions": entry["submissions"]}
            row.update(level=None, level_name=None, mean_score=None, dimensions={})
            if entry["answers"] is not None:
                a = assess(
                    entry["answers"], team_size=entry["team_size"], allow_missing=True, bank=bank
                )
                row.update(level=a.level, level_name=a.level_name, mean_score=a.mean_score)
                row["dimensions"] = {
                    d["dimension"]: (None if math.isnan(d["score"]) else float(d["score"]))
                    for d in a.to_frame().to_dict("records")
                }
            for key in _ROI_KEYS:
                row[key] = None
            if entry["roi"] is not None:
                metrics = RoiModel(RoiInputs.from_dict(entry["roi"])).run().metrics()
                row.update({k: metrics[k] for k in _ROI_KEYS})
            rows.append(row)
        dims = []
        for d in bank.dimensions:
            scores = [r["dimensions"].get(d.id) for r in rows]
            answered = [s for s in scores if s is not None]
            dims.append(
                {
                    "dimension": d.id,
                    "name": d.name,
                    "mean_score": _mean(answered),
                    "answered_by": len(answered),
                }
            )
        dims.sort(key=lambda d: (d["mean_score"] is None, d["mean_score"] or 0.0))
        levels = [{"level": int(k), "name": bank.levels[k].name} for k in sorted(bank.levels)]
        return cls(rows, dims, levels, room=room)

    # --- headline values -----------------------------------------------------------
    @property
    def n_participants(self) -> int:
        return len(self.participants)

    def level_counts(self) -> list[dict]:
        """How many participants are at each level (every level listed, zero included)."""
        counts = [r["level"] for r in self.participants if r["level"] is not None]
        return [
            {"level": lv["level"], "name": lv["name"], "participants": counts.count(lv["level"])}
            for lv in self.levels
            if lv["level"] > 0 or 0 in counts
        ]

    def weakest(self, n: int = 3) -> list[dict]:
        """The ``n`` dimensions with the lowest mean score across the room (answered ones)."""
        return [d for d in self.dimensions if d["mean_score"] is not None][:n]

    def median_roi(self) -> float | None:
        """The median ROI the participants entered (None when nobody entered one)."""
        values = sorted(r["roi"] for r in self.participants if r["roi"] is not None)
        if not values:
            return None
        mid = len(values) // 2
        return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2

    # --- Result contract -----------------------------------------------------------
    def to_dict(self) -> dict:
        from mlops_kit.results import jsonable

        return jsonable(
            {
                "room": self.room,
                "n_participants": self.n_participants,
                "levels": self.level_counts(),
                "weakest_dimensions": self.weakest(),
                "dimensions": self.dimensions,
                "median_roi": self.median_roi(),
                "participants": self.participants,
            }
        )

    def to_frame(self):
        import pandas as pd

        cols = ["participant", "submissions", "level", "level_name", "mean_score", *_ROI_KEYS]
        return pd.DataFrame([{c: r[c] for c in cols} for r in self.participants], columns=cols)

    def summary(self) -> str:
        if not self.participants:
            return "Room: no submissions yet"
        levels = ", ".join(
            f"level {c['level']}: {c['participants']}"
            for c in self.level_counts()
            if c["participants"]
        )
        weak = ", ".join(d["name"] for d in self.weakest())
        roi = self.median_roi()
        parts = [f"Room: {self.n_participants} participant(s)"]
        if levels:
            parts.append(levels)
        if weak:
            parts.append(f"weakest: {weak}")
        if roi is not None:
            parts.append(f"median ROI {roi:.1f}x")
        return "; ".join(parts)

    def _repr_html_(self) -> str:
        rows = "".join(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>".format(
                html.escape(r["participant"]),
                "" if r["level"] is None else f"{r['level']} {html.escape(r['level_name'])}",
                "" if r["roi"] is None else f"{r['roi']:.1f}x",
            )
            for r in self.participants[:20]
        )
        more = "" if self.n_participants <= 20 else f"<p>… {self.n_participants - 20} more</p>"
        return (
            f"<div class='mlops-kit-room-result'><b>{html.escape(self.summary())}</b>"
            "<table><tr><th>participant</th><th>level</th><th>ROI</th></tr>"
            f"{rows}</table>{more}</div>"
        )

    def plot(self, ax=None):
        """Bar chart of how many participants are at each level."""
        ax = get_ax(ax)
        counts = self.level_counts()
        ax.bar([str(c["level"]) for c in counts], [c["participants"] for c in counts])
        ax.set_xlabel("maturity level")
        ax.set_ylabel("participants")
        ax.set_title(f"{self.n_participants} participant(s)")
        return ax
