"""A roadmap from the current maturity level to a target level, with a timeline.

Which practices
    Every item of a level up to the target that is not automated yet (answered 0,
    0.5 or unanswered; ``na`` left out) in a dimension whose level is below the
    target, plus missing gate items whose cap is below the target. The level
    itself only needs the weighted mean of a level's items to reach the pass mark,
    but the roadmap lists them all. Ordered by level, gates first, then by
    framework step.

Effort
    ``effort_weeks`` of the item (person-weeks, from ``questions.yaml``) times
    ``1 - answer`` (a practice done by hand needs half the work to automate).

Timeline (the rule in ``questions.yaml``, ``timeline:``)
    Each practice takes ``effort * factor`` calendar weeks, with
    ``factor = min(max_factor, max(1, team_size / reference_team_size) ** exponent)``:
    rolling a practice out takes longer in a bigger organisation. Levels run in
    sequence; inside a level each dimension is one track (its practices in
    sequence) and the tracks run in parallel on ``min(team_size, n_tracks)``
    people, longest track first onto the least loaded person. The packaged
    numbers are calibrated to reproduce the source's "3-6 months for a small
    team (basic practices), 9-12 months for larger organisations to fully
    mature": 2-5 people going from level 1 to 3 take 3.6-4.2 months, 8 people
    or more going from level 1 to 5 take 9.7-11.2 months
    (``docs/maturity_timeline.md``).

Examples
--------
>>> from mlops_kit.maturity import assess, load_bank
>>> a = assess({i.id: 0 for i in load_bank().items})
>>> r = roadmap(a, target_level=3, team_size=3)
>>> 13 <= r.total_weeks <= 26
True
"""

from __future__ import annotations

from mlops_kit._params import Interval, check_param
from mlops_kit.maturity.answers import check_team_size
from mlops_kit.results import Result, get_ax

__all__ = ["Roadmap", "roadmap"]

WEEKS_PER_MONTH = 52 / 12
_COLUMNS = [
    "order",
    "item",
    "dimension",
    "level",
    "gate",
    "answer",
    "practice",
    "next_step",
    "effort_weeks",
    "duration_weeks",
    "start_week",
    "end_week",
    "tutorial",
    "tools",
]


class Roadmap(Result):
    """Ordered practices from the current level to a target, with effort and a timeline.

    Examples
    --------
    >>> from mlops_kit.maturity import assess, load_bank
    >>> answers = {i.id: 1 for i in load_bank().items}
    >>> answers["cicd_rollback"] = 0
    >>> roadmap(assess(answers), target_level=3).to_frame()["item"].tolist()
    ['cicd_rollback']
    """

    title = "MLOps maturity roadmap"

    def __init__(self, records, current_level, target_level, team_size, team_size_assumed, factor):
        self.records = list(records)
        self.current_level = current_level
        self.target_level = target_level
        self.team_size = team_size
        self.team_size_assumed = team_size_assumed
        self.factor = factor

    @property
    def total_weeks(self) -> float:
        """Calendar weeks from the start to the end of the last practice."""
        return max((r["end_week"] for r in self.records), default=0.0)

    @property
    def total_effort(self) -> float:
        """Person-weeks of all practices."""
        return sum(r["effort_weeks"] for r in self.records)

    def to_dict(self) -> dict:
        return {
            "current_level": self.current_level,
            "target_level": self.target_level,
            "team_size": self.team_size,
            "team_size_assumed": self.team_size_assumed,
            "factor": self.factor,
            "total_weeks": self.total_weeks,
            "total_effort_weeks": self.total_effort,
            "practices": self.records,
        }

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(self.records, columns=_COLUMNS)

    def summary(self) -> str:
        if self.target_level <= self.current_level and not self.records:
            return (
                f"Already at level {self.current_level}: nothing to do for level "
                f"{self.target_level}"
            )
        who = f"{'an assumed ' if self.team_size_assumed else 'a '}team of {self.team_size}"
        n = len(self.records)
        plural = "s" if n != 1 else ""
        return (
            f"Level {self.current_level} -> {self.target_level}: {n} practice{plural}, "
            f"{self.total_effort:.1f} person-weeks, about {self.total_weeks / WEEKS_PER_MONTH:.1f} "
            f"months for {who}"
        )

    def plot(self, ax=None):
        """Gantt-like chart: one bar per practice from its start to its end week."""
        frame = self.to_frame()
        ax = get_ax(ax, figsize=(8, max(2.5, 0.32 * len(frame) + 1.2)))
        palette = ["#4C72B0", "#55A868", "#C44E52", "#8172B2", "#CCB974", "#64B5CD"]
        dims = list(dict.fromkeys(frame["dimension"]))
        for y, row in enumerate(frame.itertuples()):
            color = palette[dims.index(row.dimension) % len(palette)]
            ax.barh(
                y,
                row.duration_weeks,
                left=row.start_week,
                color=color,
                edgecolor="black" if row.gate else color,
            )
        ax.set_yticks(range(len(frame)))
        ax.set_yticklabels(
            [f"L{lv} {i}" for lv, i in zip(frame["level"], frame["item"])], fontsize=8
        )
        ax.invert_yaxis()
        ax.set_xlabel("weeks from start")
        if dims:
            from matplotlib.patches import Patch

            handles = [Patch(color=palette[k % len(palette)], label=d) for k, d in enumerate(dims)]
            ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
        ax.set_title(f"Roadmap: level {self.current_level} -> {self.target_level}", fontsize=10)
        return ax


def _schedule(practices: list[dict], team_size: int) -> None:
    start = 0.0
    for level in sorted({p["level"] for p in practices}):
        tracks: dict[str, list[dict]] = {}
        for p in practices:
            if p["level"] == level:
                tracks.setdefault(p["dimension"], []).append(p)
        ordered = sorted(tracks.values(), key=lambda t: -sum(p["duration_weeks"] for p in t))
        loads = [0.0] * max(1, min(team_size, len(ordered)))
        for track in ordered:
            worker = loads.index(min(loads))
            t = start + loads[worker]
            for p in track:
                p["start_week"], p["end_week"] = round(t, 2), round(t + p["duration_weeks"], 2)
                t += p["duration_weeks"]
            loads[worker] = t - start
        start += max(loads)


def roadmap(assessment, target_level: int | None = None, team_size: int | None = None) -> Roadmap:
    """Plan the practices that take ``assessment`` to ``target_level``.

    Parameters
    ----------
    assessment : Assessment
        From :func:`~mlops_kit.maturity.assess`.
    target_level : int, optional
        1-5; default the next level (the current one at level 5).
    team_size : int, optional
        Scales the timeline; default the assessment's team size, else the timeline's
        reference team size (2), flagged as assumed.

    Returns
    -------
    Roadmap

    Examples
    --------
    >>> from mlops_kit.maturity import assess, load_bank
    >>> a = assess({i.id: 0 for i in load_bank().items}, team_size=3)
    >>> r = roadmap(a)  # default target: the next level
    >>> r.current_level, r.target_level, r.team_size_assumed
    (1, 2, False)
    >>> r.total_weeks > 0
    True
    """
    bank = assessment._bank
    current = assessment.level
    if target_level is None:
        target_level = min(5, current + 1)
    check_param("target_level", target_level, [Interval(int, 1, 5)])
    size = check_team_size(team_size) or assessment.team_size
    tl = bank.timeline
    assumed = size is None
    size = size or int(tl["reference_team_size"])
    factor = min(tl["max_factor"], max(1.0, size / tl["reference_team_size"]) ** tl["exponent"])
    dim_level = {r["dimension"]: r["level"] for r in assessment.scores["dimensions"]}
    dim_order = bank.dimension_ids
    practices = []
    for order, item in enumerate(bank.items):
        answer = assessment.answers.get(item.id)
        if answer in (1, "na") or item.level > target_level:
            continue
        behind = (dim_level.get(item.dimension) or 5) < target_level
        blocking_gate = item.gate and answer in (0, None) and item.cap < target_level
        if not (behind or blocking_gate):
            continue
        effort = item.effort_weeks * (1 - (answer or 0))
        practices.append(
            {
                "item": item.id,
                "dimension": item.dimension,
                "level": item.level,
                "gate": item.gate,
                "answer": "unanswered" if answer is None else answer,
                "practice": item.text,
                "next_step": item.next_step,
                "effort_weeks": round(effort, 2),
                "duration_weeks": round(effort * factor, 2),
                "start_week": 0.0,
                "end_week": 0.0,
                "tutorial": item.tutorial,
                "tools": ", ".join(item.tools),
                "_key": (item.level, not item.gate, dim_order.index(item.dimension), order),
            }
        )
    practices.sort(key=lambda p: p["_key"])
    for n, p in enumerate(practices, start=1):
        del p["_key"]
        p["order"] = n
    _schedule(practices, size)
    return Roadmap(practices, current, target_level, size, assumed, round(factor, 3))
