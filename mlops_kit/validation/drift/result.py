"""The result of a drift check: per-column verdicts and the dataset verdict.

``statistic`` is always the number compared with ``threshold``, as in
Evidently's report: the p-value for the tests (``ks``, ``chisquare``, ``z``),
the distance for ``wasserstein`` (normed by the reference standard deviation),
``jensenshannon`` (natural log) and ``psi``.

``effect_size`` says how *large* the change is, whatever the test: for the
distance methods it is the statistic itself; for the tests it is the normed
Wasserstein distance (numeric columns, ``ks``) or the Jensen-Shannon distance
(``chisquare``/``z``), the measures Evidently itself uses on large samples.
A drift flagged by a p-value whose effect size is below ``negligible_effect``
(0.1 by default, Evidently's default distance threshold) is reported in
``warnings`` and raised as a :class:`LargeSampleWarning`: with many rows even
a harmless shift is "significant" (Evidently issues #50 and #171).

Examples
--------
>>> r = DriftResult([ColumnDrift("x", "num", "wasserstein", 0.3, None, 0.1, True, 0.3)])
>>> r.summary()
'Drift detected: 1 of 1 columns drifted (share 1.00 >= 0.5)'
>>> r.to_dict()["n_drifted"]
1
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass, field

from mlops_kit.results import Result, get_ax, jsonable

__all__ = ["ColumnDrift", "DriftResult", "LargeSampleWarning"]


class LargeSampleWarning(UserWarning):
    """A drift flagged by a p-value although its effect size is negligible."""


@dataclass(frozen=True)
class ColumnDrift:
    """The verdict for one column.

    ``error_bound`` is 0 for exact statistics; for streamed data it bounds the
    error of ``statistic`` (the p-value for ``ks``, the normed distance for
    ``wasserstein``). ``note`` holds the skip reason or the large-sample warning.

    Examples
    --------
    >>> c = ColumnDrift("age", "num", "wasserstein", 0.23, None, 0.1, True, 0.23, "wasserstein")
    >>> c.drifted, c.skipped
    (True, False)
    """

    column: str
    type: str  # "num" | "cat"
    test: str  # method name, or "skipped"
    statistic: float | None
    p_value: float | None
    threshold: float | None
    drifted: bool
    effect_size: float | None = None
    effect_measure: str | None = None
    n_reference: int = 0
    n_current: int = 0
    error_bound: float = 0.0  # > 0 only for approximated statistics on streamed data
    note: str = ""
    role: str = "feature"  # "feature", "target", "prediction" (or "id" when skipped)

    @property
    def skipped(self) -> bool:
        return self.test == "skipped"


_DICT_KEYS = ("column", "type", "test", "statistic", "p_value", "threshold", "drifted")
_EXTRA_KEYS = ("effect_size", "effect_measure", "n_reference", "n_current", "error_bound", "role")


@dataclass(repr=False, eq=False)
class DriftResult(Result):
    """Per-column drift verdicts and the dataset verdict.

    Parameters
    ----------
    columns : list of ColumnDrift
        One entry per column, skipped columns included (``test == "skipped"``).
    drift_share : float
        Share of drifted columns at which the dataset counts as drifted.
    engine : str
        ``"native"`` or ``"evidently"``.
    warnings : list of str
        Large-sample and other notes (also raised with :func:`warnings.warn`).
    html_path : str, optional
        Where Evidently's HTML report was saved (Evidently engine).

    Examples
    --------
    Returned by :meth:`DriftCheck.run <mlops_kit.validation.DriftCheck.run>`:

    >>> import numpy as np, pandas as pd
    >>> from mlops_kit.validation import DriftCheck
    >>> rng = np.random.default_rng(0)
    >>> ref = pd.DataFrame({"x": rng.normal(0, 1, 500), "y": rng.normal(0, 1, 500)})
    >>> cur = pd.DataFrame({"x": rng.normal(1, 1, 500), "y": rng.normal(0, 1, 500)})
    >>> r = DriftCheck().run(ref, cur)
    >>> r.dataset_drift, r.n_drifted, r.n_columns
    (True, 1, 2)
    >>> r["x"].drifted, r["y"].drifted
    (True, False)
    """

    columns: list = field(default_factory=list)
    drift_share: float = 0.5
    engine: str = "native"
    warnings: list = field(default_factory=list)
    html_path: str | None = None

    title = "Data drift"

    # --- numbers ----------------------------------------------------------
    @property
    def checked(self) -> list[ColumnDrift]:
        """The columns that were tested, target and prediction included (skipped ones left out)."""
        return [c for c in self.columns if not c.skipped]

    @property
    def features(self) -> list[ColumnDrift]:
        """The tested feature columns: the ones the dataset verdict counts."""
        return [c for c in self.checked if c.role == "feature"]

    def _role(self, role: str) -> ColumnDrift | None:
        return next((c for c in self.checked if c.role == role), None)

    @property
    def target_drift(self) -> ColumnDrift | None:
        """The target column's verdict (``DriftCheck(target=...)``), reported apart."""
        return self._role("target")

    @property
    def prediction_drift(self) -> ColumnDrift | None:
        """The prediction column's verdict (``DriftCheck(prediction=...)``), reported apart."""
        return self._role("prediction")

    @property
    def skipped(self) -> list[ColumnDrift]:
        """The columns that could not be tested, with the reason in ``note``."""
        return [c for c in self.columns if c.skipped]

    @property
    def n_columns(self) -> int:
        """Tested feature columns (target and prediction are reported apart)."""
        return len(self.features)

    @property
    def n_drifted(self) -> int:
        """Drifted feature columns."""
        return sum(1 for c in self.features if c.drifted)

    @property
    def share_drifted(self) -> float:
        """Drifted / tested feature columns (0.0 when no feature was tested)."""
        return self.n_drifted / self.n_columns if self.n_columns else 0.0

    @property
    def dataset_drift(self) -> bool:
        """True when ``share_drifted >= drift_share`` (Evidently's rule)."""
        return self.n_columns > 0 and self.share_drifted >= self.drift_share

    def __getitem__(self, column) -> ColumnDrift:
        for c in self.columns:
            if c.column == str(column):
                return c
        raise KeyError(column)

    # --- Result contract ----------------------------------------------------
    def to_dict(self) -> dict:
        """``{"dataset_drift", "drift_share", "n_drifted", "columns", ...}`` as strict JSON types.

        ``drift_share`` is the configured share; ``share_drifted`` the observed one.
        """
        cols = []
        for c in self.checked:
            item = {k: getattr(c, k) for k in _DICT_KEYS + _EXTRA_KEYS}
            cols.append(item)
        return jsonable(
            {
                "dataset_drift": bool(self.dataset_drift),
                "drift_share": float(self.drift_share),
                "n_drifted": int(self.n_drifted),
                "columns": cols,
                "n_columns": self.n_columns,
                "share_drifted": self.share_drifted,
                "engine": self.engine,
                "target_drift": _verdict(self.target_drift),
                "prediction_drift": _verdict(self.prediction_drift),
                "skipped": [{"column": c.column, "reason": c.note} for c in self.skipped],
                "warnings": list(self.warnings),
            }
        )

    def to_frame(self):
        """One row per column: column, type, test, statistic, p_value, threshold, drifted, ..."""
        import pandas as pd

        rows = [asdict(c) for c in self.columns]
        cols = [*_DICT_KEYS, *_EXTRA_KEYS, "note"]
        return pd.DataFrame.from_records(rows, columns=cols)

    def summary(self) -> str:
        if not self.checked:
            return f"Nothing compared: no column could be tested ({len(self.skipped)} skipped)"
        if not self.n_columns:
            text = "No feature column could be tested"
        else:
            head = "Drift detected" if self.dataset_drift else "No dataset drift"
            op = ">=" if self.dataset_drift else "<"
            text = (
                f"{head}: {self.n_drifted} of {self.n_columns} columns drifted "
                f"(share {self.share_drifted:.2f} {op} {self.drift_share:g})"
            )
        for role, col in (("target", self.target_drift), ("prediction", self.prediction_drift)):
            if col is not None:
                text += f"; {role} {col.column!r} {'drifted' if col.drifted else 'stable'}"
        if self.skipped:
            text += f"; {len(self.skipped)} skipped"
        if self.warnings:
            text += f"; {len(self.warnings)} warning{'s' if len(self.warnings) > 1 else ''}"
        return text

    def scores(self) -> list[tuple[str, float]]:
        """``(column, score)`` with score > 1 meaning drift, for every tested column.

        Distances: ``statistic / threshold``; p-values: ``log(p) / log(threshold)``.
        """
        import math

        out = []
        for c in self.checked:
            if c.p_value is not None:
                p = max(c.statistic, 1e-300)
                score = math.log(p) / math.log(c.threshold) if c.threshold < 1 else 0.0
            else:
                score = c.statistic / c.threshold if c.threshold else 0.0
            out.append((c.column, score))
        return out

    def plot(self, ax=None):
        """Horizontal bars of each column's statistic relative to its threshold.

        A bar past the dashed line at 1 is drift (red); see :meth:`scores`.
        """
        scores = self.scores()
        ax = get_ax(ax, figsize=(6, max(2.0, 0.35 * len(scores) + 1)))
        names = [s[0] for s in scores][::-1]
        values = [min(s[1], 50.0) for s in scores][::-1]
        drifted = [c.drifted for c in self.checked][::-1]
        colors = ["#d62728" if d else "#1f77b4" for d in drifted]
        ax.barh(range(len(values)), values, color=colors)
        ax.set_yticks(range(len(values)), names)
        ax.axvline(1.0, color="black", linestyle="--", linewidth=1)
        ax.set_xlabel("statistic relative to threshold (> 1 = drift)")
        ax.set_title(self.summary(), fontsize=9)
        return ax

    def _bars_html(self, max_columns: int = 30) -> str:
        """A small chart in plain HTML: one bar per column, statistic relative to threshold.

        The dashed line is the threshold (score 1); bars are capped at 3x.
        Pure HTML keeps the notebook view a few KB, with no image.
        """
        rows = []
        by_name = {c.column: c for c in self.checked}
        for name, score in self.scores()[:max_columns]:
            width = min(max(score, 0.0), 3.0) / 3.0 * 100
            color = "#d62728" if by_name[name].drifted else "#1f77b4"
            rows.append(
                "<div style='display:flex;align-items:center;height:14px'>"
                "<span style='width:11em;overflow:hidden;font-size:11px'>"
                f"{html.escape(name)}</span>"
                "<span style='position:relative;width:180px;height:9px;background:#f2f2f2'>"
                f"<span style='position:absolute;left:0;width:{width:.0f}%;height:9px;"
                f"background:{color}'></span><span style='position:absolute;left:33.3%;"
                "height:9px;border-left:1px dashed #000'></span></span></div>"
            )
        return f"<div style='margin:4px 0'>{''.join(rows)}</div>"

    def _repr_html_(self) -> str:
        out = super()._repr_html_()
        out = out[: -len("</div>")] + self._bars_html() + "</div>"
        if self.warnings:
            items = "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings[:10])
            out = out[: -len("</div>")] + f"<ul>{items}</ul></div>"
        return out

    # --- MLflow ---------------------------------------------------------------
    def log_to_mlflow(self, run_id: str | None = None, *, prefix: str = "drift", tracking_uri=None):
        """Log the share, the count and per-column statistics, plus the table as JSON.

        Metrics (one ``MlflowClient.log_batch`` call per 1000): ``{prefix}_share``,
        ``{prefix}_n_drifted``, ``{prefix}_n_columns``, ``{prefix}_dataset_drift``
        (0/1) and, per column, ``{prefix}.{column}.statistic`` and
        ``{prefix}.{column}.effect_size``. Artifact: ``{prefix}/drift_result.json``.

        Parameters
        ----------
        run_id : str, optional
            The run to log to; default: the active MLflow run.
        prefix : str
            Prefix of the metric names and artifact folder.
        tracking_uri : str, optional
            Store of ``run_id``; default: MLflow's current URI when a run is
            active, else the kit's store (see :func:`mlops_kit.tracking.get_client`).

        Returns
        -------
        str
            The run id logged to.
        """
        from mlops_kit.validation.mlflow_log import log_result

        values = {
            f"{prefix}_share": self.share_drifted,
            f"{prefix}_n_drifted": float(self.n_drifted),
            f"{prefix}_n_columns": float(self.n_columns),
            f"{prefix}_dataset_drift": float(self.dataset_drift),
        }
        for c in self.checked:
            key = _metric_key(c.column)
            values[f"{prefix}.{key}.statistic"] = c.statistic
            if c.effect_size is not None:
                values[f"{prefix}.{key}.effect_size"] = c.effect_size
        return log_result(
            self, values, f"{prefix}/drift_result.json", run_id=run_id, tracking_uri=tracking_uri
        )


def _verdict(col: ColumnDrift | None):
    return None if col is None else {"column": col.column, "drifted": bool(col.drifted)}


def _metric_key(name: str) -> str:
    """MLflow metric names allow letters, digits, ``_ - . /`` and spaces."""
    return re.sub(r"[^0-9A-Za-z_\-. /]", "_", str(name))[:200] or "_"
