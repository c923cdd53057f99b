"""``MonitoringResult``: the metrics of every window of a prediction log.

Examples
--------
>>> import pandas as pd
>>> starts = pd.date_range("2024-01-01", periods=2, freq="D", tz="UTC")
>>> r = MonitoringResult(pd.DataFrame({"window_start": starts, "volume": [100, 0],
...                                    "accuracy": [0.9, float("nan")]}), metrics=["accuracy"])
>>> r.summary()
'2 day windows, 2024-01-01 to 2024-01-02: accuracy 0.9 -> 0.9; 1 empty'
"""

from __future__ import annotations

import math

import pandas as pd

from mlops_kit.results import Result, get_ax, jsonable

__all__ = ["MonitoringResult"]


class MonitoringResult(Result):
    """Per-window monitoring metrics (one row a window), computed once.

    Attributes
    ----------
    windows : pandas.DataFrame
        ``window_start``, ``window_end``, ``volume``, ``n_labelled``,
        ``label_coverage``, one column per model metric, ``latency_pNN``,
        (after ``fit``) ``input_drift_share``, ``input_drift``,
        ``prediction_drift_score``, ``prediction_drift``, and ``notes`` (why a
        value is missing: an empty window, no labels yet, one class only).
    feature_drift : pandas.DataFrame
        Per window and feature, the drift score (> 1 is drift); empty when no
        reference was fitted.
    task, metrics, window
        The model's task, the model metrics computed and the window size.

    Examples
    --------
    >>> import pandas as pd
    >>> r = MonitoringResult(pd.DataFrame({"volume": [3]}), metrics=[], window=100)
    >>> r.to_frame().shape
    (1, 1)
    """

    title = "Monitoring"

    def __init__(
        self, windows, feature_drift=None, task="classification", metrics=(), window="day"
    ):
        windows = windows.drop(columns=["_key"], errors="ignore").reset_index(drop=True)
        first = [c for c in ("window_start", "window_end") if c in windows]
        self.windows = windows[first + [c for c in windows.columns if c not in first]]
        self.feature_drift = (
            pd.DataFrame() if feature_drift is None else feature_drift.reset_index(drop=True)
        )
        self.task = task
        self.metrics = list(metrics)
        self.window = window

    # --- contract -------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """The windows table (one row a window)."""
        return self.windows.copy()

    def to_dict(self) -> dict:
        """``task``, ``metrics``, ``window``, ``windows`` (records), ``feature_drift`` (records)."""
        return {
            "task": self.task,
            "metrics": self.metrics,
            "window": self.window,
            "windows": jsonable(self.windows.to_dict("records")),
            "feature_drift": jsonable(self.feature_drift.to_dict("records")),
        }

    @property
    def primary_metric(self) -> str | None:
        """The first model metric (what the headline and the chart show)."""
        return self.metrics[0] if self.metrics else None

    def latest(self) -> dict:
        """The last window that has predictions, as a dict (what an exporter serves).

        Examples
        --------
        >>> import pandas as pd
        >>> MonitoringResult(pd.DataFrame({"volume": [5, 7, 0]})).latest()
        {'volume': 7}
        """
        full = self.windows[self.windows["volume"] > 0]
        return {} if full.empty else jsonable(full.iloc[-1].to_dict())

    def summary(self) -> str:
        w = self.windows
        if w.empty:
            return "No predictions in the log"
        unit = f"{self.window}-prediction" if isinstance(self.window, int) else self.window
        first, last = w["window_start"].iloc[0], w["window_start"].iloc[-1]
        text = f"{len(w)} {unit} windows, {first:%Y-%m-%d} to {last:%Y-%m-%d}"
        name = self.primary_metric
        if name and name in w and w[name].notna().any():
            values = w[name].dropna()
            text += f": {name} {values.iloc[0]:.3g} -> {values.iloc[-1]:.3g}"
        if "input_drift" in w:
            n = int((w["input_drift"] == True).sum())  # noqa: E712 (None stays unknown)
            text += f"; input drift in {n} window{'s' if n != 1 else ''}"
        empty = int((w["volume"] == 0).sum())
        if empty:
            text += f"; {empty} empty"
        return text

    def plot(self, ax=None, metric=None):
        """The model metric per window, with drifted windows marked, and volume behind.

        Parameters
        ----------
        metric : str, optional
            A column of the windows table; default the primary metric.
        """
        ax = get_ax(ax, figsize=(7, 3.5))
        w = self.windows
        name = metric or self.primary_metric or "volume"
        if w.empty or name not in w:
            ax.set_title("no windows")
            return ax
        x = w["window_start"].dt.tz_localize(None)
        ax.plot(x, w[name].astype(float), marker="o", markersize=3, label=name)
        if "input_drift" in w:
            hit = w["input_drift"] == True  # noqa: E712
            if hit.any():
                ax.scatter(
                    x[hit],
                    w.loc[hit, name].astype(float),
                    color="#d62728",
                    zorder=3,
                    label="input drift",
                )
        ax.set_ylabel(name)
        ax.set_title(self.summary()[:90], fontsize=8)
        ax.legend(loc="lower left", fontsize=7)
        ax.figure.autofmt_xdate()
        return ax

    def log_to_mlflow(self, run_id=None, prefix="monitor", tracking_uri=None) -> str:
        """Log the latest window's numbers as ``{prefix}_<column>`` and the table as JSON.

        Returns the run id.
        """
        from mlops_kit.validation.mlflow_log import log_result

        latest = self.latest()
        metrics = {
            f"{prefix}_{k}": float(v)
            for k, v in latest.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
        }
        return log_result(
            self, metrics, f"{prefix}/windows.json", run_id=run_id, tracking_uri=tracking_uri
        )
