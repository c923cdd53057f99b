"""The maturity assessment: :func:`assess` and its :class:`Assessment` result.

Examples
--------
>>> from mlops_kit.maturity import assess, load_bank
>>> answers = {i.id: 1 for i in load_bank().items}
>>> answers["cicd_rollback"] = 0
>>> a = assess(answers, team_size=25)
>>> a.level, a.level_name
(2, 'Basic automation and tooling')
>>> a.gaps.iloc[0]["item"]
'cicd_rollback'
"""

from __future__ import annotations

import html
import math

from mlops_kit.maturity.answers import check_answers, check_team_size
from mlops_kit.maturity.bank import load_bank
from mlops_kit.maturity.progress import DEFAULT_EXPERIMENT
from mlops_kit.maturity.score import compute, expected_level, find_gaps, team_fit
from mlops_kit.results import Result, get_ax

__all__ = ["Assessment", "assess"]

_DIM_COLUMNS = [
    "dimension",
    "name",
    "score",
    "level",
    "level_name",
    "n_items",
    "n_answered",
    "n_na",
    "n_unanswered",
    "tutorial",
]
_GAP_COLUMNS = [
    "rank",
    "item",
    "dimension",
    "level",
    "answer",
    "gate",
    "level_gain",
    "dimension_level_gain",
    "score_gain",
    "next_step",
    "tutorial",
    "tools",
    "text",
]


class Assessment(Result):
    """A maturity assessment: level, per-dimension scores, gaps and team-size fit.

    Built by :func:`assess`; the constructor only stores its arguments.

    Attributes
    ----------
    level : int
        Overall level 1-5 (the weakest dimension, capped by missing gates).
    level_name : str
        The level's name in the five-level model.
    mean_score : float or None
        Mean of the dimension scores (0-1), for tracking progress.
    gaps : pandas.DataFrame
        Items not yet automated, ranked by how much they would raise the level.

    Examples
    --------
    >>> a = assess({i.id: 1 for i in load_bank().items}, team_size=12)
    >>> a.to_frame().shape[0]
    5
    """

    title = "MLOps maturity assessment"

    def __init__(self, answers, scores, gaps, unanswered, team_size=None, bank=None):
        self.answers = answers
        self.scores = scores
        self.gap_records = gaps
        self.unanswered = unanswered
        self.team_size = team_size
        self.bank = bank

    # --- headline values -----------------------------------------------------------
    @property
    def _bank(self):
        return self.bank if self.bank is not None else load_bank()

    @property
    def level(self) -> int:
        return self.scores["level"]

    @property
    def level_name(self) -> str:
        return self._bank.levels[self.level].name

    @property
    def mean_score(self) -> float | None:
        return self.scores["mean_score"]

    @property
    def expected_level(self) -> int | None:
        """The level a team of ``team_size`` usually needs (None without a team size)."""
        return expected_level(self._bank, self.team_size)

    @property
    def team_fit(self) -> str:
        """A sentence comparing the level with the team size."""
        return team_fit(self._bank, self.level, self.team_size)[1]

    @property
    def gaps(self):
        """The gaps as a DataFrame (best first)."""
        import pandas as pd

        return pd.DataFrame(self.gap_records, columns=_GAP_COLUMNS)

    # --- Result contract -----------------------------------------------------------
    def to_dict(self) -> dict:
        bank = self._bank
        fit, fit_text = team_fit(bank, self.level, self.team_size)
        return {
            "level": self.level,
            "level_name": self.level_name,
            "mean_score": self.mean_score,
            "team_size": self.team_size,
            "expected_level": self.expected_level,
            "fit": fit,
            "fit_text": fit_text,
            "limiting": self.scores["limiting"],
            "capped_by": self.scores["capped_by"],
            "dimensions": self.to_frame().to_dict("records"),
            "unanswered": list(self.unanswered),
            "answers": dict(self.answers),
            "gaps": [{k: g[k] for k in _GAP_COLUMNS} for g in self.gap_records],
        }

    def to_frame(self):
        import pandas as pd

        levels = self._bank.levels
        rows = [
            {**r, "level_name": levels[r["level"]].name if r["level"] else None}
            for r in self.scores["dimensions"]
        ]
        return pd.DataFrame(rows, columns=_DIM_COLUMNS)

    def summary(self) -> str:
        text = f"Level {self.level} ({self.level_name})"
        if self.scores["capped_by"]:
            text += ", capped by missing " + ", ".join(c["item"] for c in self.scores["capped_by"])
        elif self.level < 5:
            text += ", limited by " + ", ".join(self.scores["limiting"])
        if self.mean_score is not None:
            text += f"; mean score {self.mean_score:.2f}"
        text += "."
        if self.team_size is not None:
            text += " " + self.team_fit
        if self.unanswered:
            n = len(self.unanswered)
            text += f" {n} item{'s' if n != 1 else ''} unanswered (level is a lower bound)."
        return text

    def _repr_html_(self) -> str:
        gaps = self.gaps.head(5)[["rank", "item", "dimension", "level_gain", "next_step"]]
        return (
            f'<div class="mlops-kit-result"><strong>{html.escape(self.title)}</strong>'
            f"<p>{html.escape(self.summary())}</p>{self._table_html()}"
            f"<p>Top gaps</p>{gaps.to_html(escape=True, border=0, index=False)}</div>"
        )

    def plot(self, ax=None):
        """Radar chart of the dimension scores (bar chart on a non-polar Axes)."""
        import matplotlib.pyplot as plt

        frame = self.to_frame()
        labels = [
            f"{n}\n(level {lv if lv else 'n/a'})" for n, lv in zip(frame["name"], frame["level"])
        ]
        values = [0.0 if s is None or s != s else float(s) for s in frame["score"]]
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 5), subplot_kw={"projection": "polar"})
        if getattr(ax, "name", "") == "polar":
            angles = [2 * math.pi * k / len(values) for k in range(len(values))]
            ax.plot([*angles, angles[0]], [*values, values[0]], color="#4C72B0", lw=2)
            ax.fill([*angles, angles[0]], [*values, values[0]], color="#4C72B0", alpha=0.25)
            ax.set_xticks(angles)
            ax.set_xticklabels(labels, fontsize=8)
            ax.set_ylim(0, 1)
            ax.set_yticks([0.25, 0.5, 0.75, 1.0])
        else:
            ax = get_ax(ax)
            ax.bar(range(len(values)), values, color="#4C72B0")
            ax.set_xticks(range(len(values)))
            ax.set_xticklabels(labels, fontsize=8, rotation=20)
            ax.set_ylim(0, 1)
            ax.set_ylabel("score (0-1)")
        ax.set_title(f"Maturity level {self.level}: {self.level_name}", fontsize=10)
        return ax

    # --- saving ----------------------------------------------------------------------
    def log_to_mlflow(
        self,
        run_id: str | None = None,
        *,
        tracking_uri: str | None = None,
        experiment: str = DEFAULT_EXPERIMENT,
    ) -> str:
        """Log this assessment (scores, level, answers, JSON) to an MLflow run; return its id.

        Like every Result: into ``run_id`` if given, else into the active MLflow run.
        Only when there is neither does it open (and end) a new run of ``experiment``
        (``mlops-kit-maturity``), which :func:`~mlops_kit.maturity.progress` charts.
        See :func:`mlops_kit.maturity.progress.log_assessment` for what is logged.

        Examples
        --------
        >>> import tempfile
        >>> from mlops_kit.tracking import start_run
        >>> a = assess({i.id: 1 for i in load_bank().items})
        >>> uri = f"sqlite:///{tempfile.mkdtemp()}/mlruns.db"
        >>> with start_run("my-experiment", tracking_uri=uri) as run:
        ...     a.log_to_mlflow() == run.run_id
        True
        """
        import mlflow

        from mlops_kit.maturity.progress import log_assessment

        if run_id is None and mlflow.active_run() is not None:
            run_id = mlflow.active_run().info.run_id
            tracking_uri = tracking_uri or mlflow.get_tracking_uri()
        return log_assessment(self, experiment=experiment, tracking_uri=tracking_uri, run_id=run_id)


def assess(answers, team_size=None, allow_missing: bool = False, bank=None) -> Assessment:
    """Score a team's answers to the maturity questions.

    Parameters
    ----------
    answers : dict
        ``{item_id: 0 | 0.5 | 1 | "na"}``: 0 not done, 0.5 done by hand and documented,
        1 automated, ``"na"`` not applicable (only where the item allows it).
    team_size : int, optional
        Number of people doing ML; the result says whether the level fits it.
    allow_missing : bool, default False
        Items without an answer raise :class:`~mlops_kit.errors.InputError` unless this is
        True; then they are reported as unanswered (excluded from scores, and a level is
        never claimed on them).
    bank : QuestionBank or path, optional
        The question bank (the packaged one by default).

    Returns
    -------
    Assessment

    Examples
    --------
    >>> a = assess({"vt_code_in_git": 1}, allow_missing=True)
    >>> a.level, len(a.unanswered) > 0
    (1, True)
    """
    bank = load_bank(bank)
    team_size = check_team_size(team_size)
    checked, missing = check_answers(bank, answers, allow_missing=allow_missing)
    scores = compute(bank, checked)
    gaps = find_gaps(bank, checked, scores)
    return Assessment(checked, scores, gaps, missing, team_size=team_size, bank=bank)
