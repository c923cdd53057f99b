"""QualityReport: the outcome of a data quality check.

Examples
--------
>>> import pandas as pd
>>> from mlops_kit.validation.quality import Expectations, QualityCheck
>>> exp = Expectations().expect_column("income", max_missing=0.01)
>>> report = QualityCheck(exp).check(pd.DataFrame({"income": [1.0, None, 3.0, 4.0]}))
>>> report.passed
False
>>> report.failures
['income: 25.0% missing > allowed 1.0%']
"""

from __future__ import annotations

from mlops_kit.errors import GateFailedError
from mlops_kit.results import Result, get_ax, jsonable

__all__ = ["QualityReport"]

FIELDS = (
    "column",
    "expectation",
    "expected",
    "observed",
    "passed",
    "severity",
    "failing_rows",
    "message",
)


class QualityReport(Result):
    """One row per expectation: what was expected, what was observed, passed or not.

    Returned by :meth:`~mlops_kit.validation.quality.check.QualityCheck.check`.

    Parameters
    ----------
    rows : list of dict
        Keys ``column``, ``expectation``, ``expected``, ``observed``,
        ``passed``, ``severity`` (``"error"`` or ``"warning"``),
        ``failing_rows`` (offending rows, or None) and ``message``.
    n_rows : int
        Rows in the checked data.
    failure_cases : pandas.DataFrame, optional
        pandera's table of failing cells (column, check, failure_case, index)
        to find the offending rows; not part of :meth:`to_dict`.

    Attributes
    ----------
    passed : bool
        True when no expectation of severity ``"error"`` failed (failed
        warnings are reported but do not fail the check).

    Examples
    --------
    >>> import pandas as pd
    >>> from mlops_kit.validation.quality import Expectations, QualityCheck
    >>> exp = Expectations().expect_column("income", max_missing=0.01)
    >>> r = QualityCheck(exp).check(pd.DataFrame({"income": [1.0, None, 3.0, 4.0]}))
    >>> r.to_frame()[["column", "expectation", "observed"]].iloc[1].tolist()
    ['income', 'max_missing', 0.25]
    """

    title = "Data quality"

    def __init__(self, rows: list[dict], n_rows: int, failure_cases=None):
        self.rows = [dict(r) for r in rows]
        self.n_rows = int(n_rows)
        self.failure_cases = failure_cases

    # --- verdict ------------------------------------------------------------
    def _failed(self, severity: str | None = None) -> list[dict]:
        return [
            r
            for r in self.rows
            if not r["passed"] and (severity is None or r["severity"] == severity)
        ]

    @property
    def passed(self) -> bool:
        """True when no error-severity expectation failed."""
        return not self._failed("error")

    @property
    def failures(self) -> list[str]:
        """Messages of the failed error-severity expectations."""
        return [r["message"] for r in self._failed("error")]

    @property
    def warnings(self) -> list[str]:
        """Messages of the failed warning-severity expectations."""
        return [r["message"] for r in self._failed("warning")]

    def raise_if_failed(self, include_warnings: bool = False) -> QualityReport:
        """Raise :class:`~mlops_kit.errors.GateFailedError` listing the failures.

        Returns the report unchanged when it passed, so it can be chained.

        Examples
        --------
        >>> import pandas as pd
        >>> from mlops_kit.validation.quality import Expectations, QualityCheck
        >>> exp = Expectations().expect_column("income", max_missing=0.01)
        >>> report = QualityCheck(exp).check(pd.DataFrame({"income": [1.0, None, 3.0, 4.0]}))
        >>> report.raise_if_failed()
        Traceback (most recent call last):
        ...
        mlops_kit.errors.GateFailedError: Data quality check failed (1 of 2 expectations): \
income: 25.0% missing > allowed 1.0%
        """
        failed = self._failed() if include_warnings else self._failed("error")
        if failed:
            lines = "; ".join(r["message"] for r in failed)
            raise GateFailedError(
                f"Data quality check failed ({len(failed)} of {len(self.rows)} expectations): "
                f"{lines}"
            )
        return self

    # --- Result contract ----------------------------------------------------
    def summary(self) -> str:
        n = len(self.rows)
        errors, warnings = self._failed("error"), self._failed("warning")
        if not errors and not warnings:
            return f"Data quality passed: all {n} expectations met on {self.n_rows} rows"
        shown = [r["message"] for r in errors + warnings]
        listed = "; ".join(shown[:3]) + (f"; ... {len(shown) - 3} more" if len(shown) > 3 else "")
        n_warn = f"{len(warnings)} warning" + ("" if len(warnings) == 1 else "s")
        if not errors:
            return f"Data quality passed with {n_warn}: {listed}"
        return f"Data quality failed: {len(errors)} of {n} expectations ({n_warn}): {listed}"

    def to_frame(self):
        import pandas as pd

        frame = pd.DataFrame([[r.get(f) for f in FIELDS] for r in self.rows], columns=list(FIELDS))
        frame["failing_rows"] = frame["failing_rows"].astype("Int64")
        frame["passed"] = frame["passed"].astype(bool)
        return frame

    def to_dict(self) -> dict:
        return {
            "passed": self.passed,
            "n_rows": self.n_rows,
            "n_expectations": len(self.rows),
            "n_failed": len(self._failed()),
            "summary": self.summary(),
            "expectations": jsonable(self.rows),
        }

    def plot(self, ax=None):
        """Bar chart of failed expectations per column (errors and warnings stacked)."""
        ax = get_ax(ax)
        cols: dict = {}
        for r in self._failed():
            counts = cols.setdefault(str(r["column"]), {"error": 0, "warning": 0})
            counts[r["severity"]] += 1
        names = list(cols)
        errors = [cols[c]["error"] for c in names]
        warnings = [cols[c]["warning"] for c in names]
        if names:
            ax.bar(names, errors, color="#c0392b", label="error")
            ax.bar(names, warnings, bottom=errors, color="#e6a817", label="warning")
            ax.legend(frameon=False)
            ax.tick_params(axis="x", rotation=30)
        else:
            ax.text(
                0.5, 0.5, "all expectations met", ha="center", va="center", transform=ax.transAxes
            )
        ax.set_ylabel("failed expectations")
        ax.set_title(f"{self.title}: {len(self._failed())} of {len(self.rows)} failed")
        return ax

    def log_to_mlflow(
        self, run_id: str | None = None, *, prefix: str = "quality", tracking_uri: str | None = None
    ) -> str:
        """Log the verdict as metrics and the report as a JSON artifact; return the run id.

        Logs ``<prefix>_passed`` (1/0), ``<prefix>_n_failed`` and
        ``<prefix>_n_expectations`` plus ``<prefix>/report.json``, to run
        ``run_id`` or, when None, to the active MLflow run.

        Examples
        --------
        >>> import tempfile
        >>> from mlops_kit.tracking import start_run
        >>> with start_run("demo", tracking_uri=f"sqlite:///{tempfile.mkdtemp()}/mlruns.db") as run:
        ...     QualityReport([], n_rows=3).log_to_mlflow() == run.run_id
        True
        """
        from mlops_kit.validation.mlflow_log import log_result

        metrics = {
            f"{prefix}_passed": float(self.passed),
            f"{prefix}_n_failed": float(len(self._failed())),
            f"{prefix}_n_expectations": float(len(self.rows)),
        }
        return log_result(
            self, metrics, f"{prefix}/report.json", run_id=run_id, tracking_uri=tracking_uri
        )
