"""ABTestResult: which model version is better, by how much and how sure.

Examples
--------
>>> import numpy as np
>>> from mlops_kit.validation.abtest import ab_test
>>> y = np.array([0, 1, 1, 0, 1] * 400)
>>> pred_a = np.where(np.arange(2000) % 5 == 0, 1 - y, y)   # 80% right
>>> pred_b = np.where(np.arange(2000) % 10 == 0, 1 - y, y)  # 90% right
>>> r = ab_test(y, pred_a, y_pred_b=pred_b, n_boot=500)
>>> r.winner, r.significant
('B', True)
>>> r.summary()
'B is better: +10.0 pts accuracy (B - A), 95% CI [8.8, 11.3], p<0.001 (McNemar)'
"""

from __future__ import annotations

from mlops_kit.results import Result, get_ax, jsonable

__all__ = ["ABTestResult"]

FIELDS = (
    "metric",
    "greater_is_better",
    "in_points",
    "paired",
    "alpha",
    "power",
    "test",
    "statistic",
    "p_value",
    "significant",
    "winner",
    "n_a",
    "n_b",
    "value_a",
    "value_b",
    "ci_a",
    "ci_b",
    "difference",
    "ci_difference",
    "ci_method",
    "min_detectable_difference",
    "rows_needed",
    "n_boot",
    "seed",
    "table",
    "verdict",
)


class ABTestResult(Result):
    """The outcome of an A/B test of two model versions.

    Returned by :func:`~mlops_kit.validation.abtest.compare.ab_test`; every
    field is an attribute (``difference`` and ``ci_difference`` are B - A).

    Attributes
    ----------
    verdict : str
        E.g. ``"B is better: +3.1 pts accuracy (B - A), 95% CI [1.2, 5.0],
        p=0.002 (McNemar)"`` or ``"no significant difference ...; to detect
        2.0 pts you need ~N rows per arm, you have M"``.
    winner : {"A", "B", None}
        None when the difference is not significant at ``alpha``.
    significant : bool
        ``p_value < alpha``.
    rows_needed : dict or None
        Rows per arm (``{"A": .., "B": ..}``) to detect ``min_detectable_difference``
        with probability ``power``; only when not significant.
    table : list or None
        McNemar's 2x2 table ``[[both right, A only], [B only, both wrong]]``.

    Examples
    --------
    >>> from mlops_kit.validation.abtest import ab_test
    >>> ab_test([0, 1] * 50, [0, 1] * 50, y_pred_b=[1, 1] * 50).to_frame()["arm"].tolist()
    ['A', 'B', 'B - A']
    """

    title = "A/B test"

    def __init__(self, **fields):
        unknown = set(fields) - set(FIELDS)
        if unknown:
            raise TypeError(f"unknown ABTestResult fields: {sorted(unknown)}")
        for name in FIELDS:
            setattr(self, name, fields.get(name))

    def summary(self) -> str:
        return self.verdict

    def to_dict(self) -> dict:
        return jsonable({name: getattr(self, name) for name in FIELDS})

    def to_frame(self):
        import pandas as pd

        ci_a, ci_b, ci_d = (c or [None, None] for c in (self.ci_a, self.ci_b, self.ci_difference))
        rows = [
            ["A", self.value_a, ci_a[0], ci_a[1], self.n_a, None, None],
            ["B", self.value_b, ci_b[0], ci_b[1], self.n_b, None, None],
            ["B - A", self.difference, ci_d[0], ci_d[1], None, self.p_value, self.test],
        ]
        frame = pd.DataFrame(rows, columns=["arm", self.metric, "ci_low", "ci_high", "n",
                                            "p_value", "test"])  # fmt: skip
        frame["n"] = frame["n"].astype("Int64")
        return frame

    def plot(self, ax=None):
        """Metric of each arm with its confidence interval; the difference in the title."""
        import numpy as np

        ax = get_ax(ax)
        values = np.array([self.value_a, self.value_b], dtype=float)
        cis = [self.ci_a or [self.value_a] * 2, self.ci_b or [self.value_b] * 2]
        lo = np.array([c[0] if c[0] is not None else np.nan for c in cis], dtype=float)
        hi = np.array([c[1] if c[1] is not None else np.nan for c in cis], dtype=float)
        err = np.nan_to_num(np.vstack([values - lo, hi - values]), nan=0.0).clip(min=0)
        colors = ["#7f8c8d", "#7f8c8d"]
        if self.winner in ("A", "B"):
            colors["AB".index(self.winner)] = "#27ae60"
        for y, (v, e, c) in enumerate(zip(values, err.T, colors)):
            ax.errorbar(v, y, xerr=e[:, None], fmt="o", color=c, capsize=6, markersize=8)
        ax.set_yticks([0, 1], [f"A (n={self.n_a})", f"B (n={self.n_b})"])
        ax.set_ylim(-0.6, 1.6)
        ax.set_xlabel(f"{self.metric} ({round(100 * (1 - self.alpha))}% CI)")
        ci = self.ci_difference or [None, None]
        if None not in ci:
            ax.set_title(
                f"B - A: {self._fmt(self.difference)} [{self._fmt(ci[0], False)}, "
                f"{self._fmt(ci[1], False)}], p={self.p_value:.3g}",
                fontsize=10,
            )
        return ax

    def _fmt(self, value: float, sign: bool = True) -> str:
        if self.in_points:
            return f"{100 * value:+.1f} pts" if sign else f"{100 * value:.1f}"
        return f"{value:+.4g}" if sign else f"{value:.4g}"

    def log_to_mlflow(
        self, run_id: str | None = None, *, prefix: str = "ab", tracking_uri: str | None = None
    ) -> str:
        """Log values, difference and p-value as metrics and the result as JSON; return run id.

        Metrics ``<prefix>_value_a``, ``<prefix>_value_b``, ``<prefix>_difference``,
        ``<prefix>_p_value``, ``<prefix>_significant``; params ``<prefix>_metric``
        and ``<prefix>_test``; artifact ``<prefix>/result.json``. Logs to
        ``run_id`` or, when None, the active MLflow run.
        """
        from mlops_kit.validation.mlflow_log import log_result

        metrics = {
            f"{prefix}_value_a": self.value_a,
            f"{prefix}_value_b": self.value_b,
            f"{prefix}_difference": self.difference,
            f"{prefix}_p_value": self.p_value,
            f"{prefix}_significant": float(bool(self.significant)),
        }
        params = {f"{prefix}_metric": self.metric, f"{prefix}_test": self.test}
        return log_result(
            self,
            metrics,
            f"{prefix}/result.json",
            run_id=run_id,
            params=params,
            tracking_uri=tracking_uri,
        )
