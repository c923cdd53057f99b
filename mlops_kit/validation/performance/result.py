"""The result of a performance gate: one row per (slice, metric).

Examples
--------
>>> import pandas as pd
>>> from sklearn.dummy import DummyClassifier
>>> from mlops_kit.validation.performance import PerformanceGate
>>> X, y = pd.DataFrame({"x": range(100)}), [0, 1, 1, 1] * 25
>>> gate = PerformanceGate({"accuracy": ">= 0.8", "recall": ">= 0.9"})
>>> report = gate.check(DummyClassifier().fit(X, y), X, y)
>>> report.passed
False
>>> report.summary()
'FAILED: 1 of 2 checks; accuracy 0.75 < 0.8'
"""

from __future__ import annotations

from typing import ClassVar

from mlops_kit.errors import GateFailedError
from mlops_kit.results import Result, get_ax, jsonable

__all__ = ["COLUMNS", "SCHEMA", "PerformanceReport"]

SCHEMA = "mlops_kit.performance_report/1"
#: columns of :meth:`PerformanceReport.to_frame`, in order
COLUMNS = [
    "slice",
    "n",
    "metric",
    "value",
    "threshold",
    "champion_value",
    "delta",
    "relative_bound",
    "status",
    "passed",
    "reason",
]
_DICT_KEYS = [*COLUMNS, "bounds"]
_COLORS = {"passed": "tab:green", "failed": "tab:red", "skipped": "lightgray", "info": "tab:blue"}
_MAX_LISTED = 3
_MAX_BARS = 40


class PerformanceReport(Result):
    """What a :class:`~mlops_kit.validation.performance.PerformanceGate` found.

    Attributes
    ----------
    checks : list of dict
        One record per (slice, metric), with the keys in :data:`COLUMNS`.
        ``status`` is ``"passed"``, ``"failed"``, ``"skipped"`` (slice too
        small, metric undefined there) or ``"info"`` (no bound to check);
        ``passed`` is True/False for checked rows and None otherwise.
    task : str
        ``"classification"`` or ``"regression"``.
    champion : dict or None
        ``{"name", "alias", "version", "run_id"}`` of the champion compared
        against, or None.
    candidate : dict
        ``{"model_uri", "run_id"}`` when the candidate came from the registry.
    notes : list of str
        Remarks such as "no champion yet".

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.dummy import DummyClassifier
    >>> from mlops_kit.validation.performance import PerformanceGate
    >>> X, y = pd.DataFrame({"x": range(100)}), [0, 1, 1, 1] * 25
    >>> report = PerformanceGate({"accuracy": 0.7}).check(DummyClassifier().fit(X, y), X, y)
    >>> report.to_frame().loc[0, ["slice", "metric", "status"]].tolist()
    ['overall', 'accuracy', 'passed']
    """

    title: ClassVar[str] = "Performance gate"

    def __init__(
        self,
        checks,
        *,
        task: str,
        n_rows: int,
        min_slice_size: int,
        champion: dict | None = None,
        candidate: dict | None = None,
        notes=(),
    ):
        self.checks = [dict(row) for row in checks]
        self.task = task
        self.n_rows = int(n_rows)
        self.min_slice_size = int(min_slice_size)
        self.champion = dict(champion) if champion else None
        self.candidate = dict(candidate or {})
        self.notes = list(notes)

    # --- verdict --------------------------------------------------------
    def _count(self, status: str) -> int:
        return sum(1 for row in self.checks if row["status"] == status)

    @property
    def n_checks(self) -> int:
        """Rows that were checked (passed or failed)."""
        return self._count("passed") + self._count("failed")

    @property
    def n_failed(self) -> int:
        """Rows that failed."""
        return self._count("failed")

    @property
    def passed(self) -> bool:
        """True when no check failed."""
        return self.n_failed == 0

    @property
    def failures(self) -> list[str]:
        """One line per failed check, e.g. ``"roc_auc on region=north 0.71 < 0.75"``."""
        out = []
        for row in self.checks:
            if row["status"] == "failed":
                where = "" if row["slice"] == "overall" else f" on {row['slice']}"
                out.append(f"{row['metric']}{where} {row['reason']}")
        return out

    def summary(self) -> str:
        skipped = self._count("skipped")
        tail = f" ({skipped} skipped)" if skipped else ""
        if self.passed:
            return f"PASSED: {self.n_checks} of {self.n_checks} checks{tail}"
        listed = self.failures[:_MAX_LISTED]
        more = len(self.failures) - len(listed)
        text = "; ".join(listed) + (f"; and {more} more" if more else "")
        return f"FAILED: {self.n_failed} of {self.n_checks} checks; {text}{tail}"

    def raise_if_failed(self) -> PerformanceReport:
        """Raise :class:`~mlops_kit.errors.GateFailedError` listing the failures; else return self.

        Examples
        --------
        >>> import pandas as pd
        >>> from sklearn.dummy import DummyClassifier
        >>> from mlops_kit.validation.performance import PerformanceGate
        >>> X, y = pd.DataFrame({"x": range(100)}), [0, 1, 1, 1] * 25
        >>> report = PerformanceGate({"accuracy": 0.8}).check(DummyClassifier().fit(X, y), X, y)
        >>> try:
        ...     report.raise_if_failed()
        ... except GateFailedError as exc:
        ...     print(exc)
        Performance gate failed 1 of 1 checks:
        - accuracy 0.75 < 0.8
        """
        if not self.passed:
            lines = "\n".join(f"- {line}" for line in self.failures)
            raise GateFailedError(
                f"Performance gate failed {self.n_failed} of {self.n_checks} checks:\n{lines}"
            )
        return self

    # --- Result contract ---------------------------------------------------
    def to_dict(self) -> dict:
        """A stable, JSON-ready dict (``schema`` names its version); includes ``passed``."""
        return {
            "schema": SCHEMA,
            "title": self.title,
            "passed": self.passed,
            "summary": self.summary(),
            "task": self.task,
            "n_rows": self.n_rows,
            "n_checks": self.n_checks,
            "n_failed": self.n_failed,
            "n_skipped": self._count("skipped"),
            "min_slice_size": self.min_slice_size,
            "champion": jsonable(self.champion),
            "candidate": jsonable(self.candidate),
            "notes": list(self.notes),
            "failures": self.failures,
            "checks": jsonable([{c: row.get(c) for c in _DICT_KEYS} for row in self.checks]),
        }

    @classmethod
    def from_dict(cls, data: dict) -> PerformanceReport:
        """Rebuild a report from :meth:`to_dict` output (e.g. a CI artifact)."""
        return cls(
            data["checks"],
            task=data["task"],
            n_rows=data["n_rows"],
            min_slice_size=data["min_slice_size"],
            champion=data.get("champion"),
            candidate=data.get("candidate"),
            notes=data.get("notes", ()),
        )

    def to_frame(self):
        import pandas as pd

        frame = pd.DataFrame([{c: row.get(c) for c in COLUMNS} for row in self.checks])
        frame = frame.reindex(columns=COLUMNS)
        for col in ("value", "champion_value", "delta", "relative_bound"):
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
        frame["n"] = frame["n"].astype("int64")
        frame["passed"] = frame["passed"].astype(object)
        return frame

    def plot(self, ax=None):
        """Horizontal bars per (metric, slice), coloured by status, with the bounds marked.

        Thresholds are black ``|`` ticks, the champion's value a diamond.
        """
        rows = [r for r in self.checks if r.get("value") is not None][:_MAX_BARS]
        ax = get_ax(ax, figsize=(7, max(2.5, 0.32 * len(rows) + 1)))
        labels = [f"{r['metric']} · {r['slice']}" for r in rows]
        ys = list(range(len(rows)))[::-1]
        values = [float(r["value"]) for r in rows]
        ax.barh(ys, values, color=[_COLORS[r["status"]] for r in rows], height=0.6)
        for y, row in zip(ys, rows):
            for bound in row.get("bounds") or []:
                ax.scatter([bound], [y], marker="|", s=300, color="black", zorder=3)
            if row.get("relative_bound") is not None:
                ax.scatter([row["relative_bound"]], [y], marker="|", s=300, color="gray", zorder=3)
            if row.get("champion_value") is not None:
                ax.scatter([row["champion_value"]], [y], marker="D", s=18, color="black", zorder=4)
        ax.set_yticks(ys)
        ax.set_yticklabels(labels, fontsize=8)
        ax.set_xlabel("value (| = bound, ◆ = champion)")
        ax.set_title(f"{self.title}: {'PASSED' if self.passed else 'FAILED'}")
        return ax

    def log_to_mlflow(
        self, run_id: str | None = None, *, prefix: str = "perf", tracking_uri: str | None = None
    ) -> str:
        """Log the metrics, a ``passed`` tag and this report's JSON to the candidate's run.

        The run is ``run_id``, else the active MLflow run, else the run of the
        registered candidate. Metric names are slice-qualified and valid in
        MLflow: ``perf.roc_auc`` (overall), ``perf.region_north.roc_auc``, and
        ``perf.<...>.delta`` against the champion. Tags:
        ``mlops_kit.validation.performance.passed`` (``"true"``/``"false"``)
        and ``mlops_kit.validation.performance.failed_checks``. Artifact:
        ``mlops_kit/performance_report.json``. Returns the run id.
        """
        from mlops_kit.validation.performance.mlflow_log import log_report

        return log_report(self, run_id=run_id, prefix=prefix, tracking_uri=tracking_uri)
