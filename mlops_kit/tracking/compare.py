"""Compare the runs of an experiment side by side: a table and a grouped bar chart.

Examples
--------
>>> records = [
...     {"run_id": "a1", "run_name": "lr", "status": "FINISHED", "accuracy": 0.84, "rmse": 0.41},
...     {"run_id": "b2", "run_name": "rf", "status": "FINISHED", "accuracy": 0.91, "rmse": 0.3},
... ]
>>> cmp = RunComparison("example", records, ["accuracy", "rmse"], [])
>>> for part in cmp.summary().split("; "):
...     print(part)
2 runs of experiment 'example'
best accuracy 0.91 (run 'rf')
best rmse 0.3 (run 'rf', lower is better)
"""

from __future__ import annotations

import contextlib

from mlops_kit._params import Interval, check_param
from mlops_kit.errors import InputError
from mlops_kit.metrics import lower_is_better
from mlops_kit.results import Result, get_ax, jsonable
from mlops_kit.tracking.store import get_client

# lower_is_better: the direction of a logged key, from the kit's metric registry
__all__ = ["RunComparison", "compare_runs", "lower_is_better"]

_BASE = ["run_id", "run_name", "status", "start_time"]


class RunComparison(Result):
    """The runs of one experiment with the chosen params and metrics.

    Parameters
    ----------
    experiment : str
        Experiment name.
    records : list of dict
        One dict per run: run_id, run_name, status, start_time, then one key
        per param and per metric (a param whose key is also a chosen metric
        is stored as ``param.<key>``).
    metrics, params : list of str
        The chosen metric and param keys (column names), in order.

    Examples
    --------
    >>> records = [{"run_id": "a1", "run_name": "lr", "status": "FINISHED", "accuracy": 0.8}]
    >>> RunComparison("demo", records, ["accuracy"], []).to_frame().shape
    (1, 5)
    """

    title = "Run comparison"

    def __init__(self, experiment: str, records: list[dict], metrics: list[str], params: list[str]):
        self.experiment = experiment
        self.records = list(records)
        self.metrics = list(metrics)
        self.params = list(params)

    def to_frame(self):
        """One row per run: run_id, run_name, status, start_time, params, metrics."""
        import pandas as pd

        frame = pd.DataFrame.from_records(self.records, columns=_BASE + self.params + self.metrics)
        frame["start_time"] = pd.to_datetime(frame["start_time"], utc=True, format="ISO8601")
        for col in self.metrics:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
        for col in self.params:
            with contextlib.suppress(ValueError, TypeError):
                frame[col] = pd.to_numeric(frame[col])
        return frame

    def to_dict(self) -> dict:
        return {
            "experiment": self.experiment,
            "metrics": list(self.metrics),
            "params": list(self.params),
            "runs": jsonable(self.records),
        }

    def best(self, metric: str):
        """Return ``(value, run_name)`` of the best run on ``metric`` (direction guessed).

        Examples
        --------
        >>> records = [{"run_id": "a1", "run_name": "lr", "rmse": 0.4},
        ...            {"run_id": "b2", "run_name": "rf", "rmse": 0.3}]
        >>> RunComparison("demo", records, ["rmse"], []).best("rmse")
        (0.3, 'rf')
        """
        if metric not in self.metrics:
            raise InputError.invalid("metric", metric, f"one of {self.metrics}")
        frame = self.to_frame().dropna(subset=[metric])
        if frame.empty:
            return None, None
        idx = frame[metric].idxmin() if lower_is_better(metric) else frame[metric].idxmax()
        return float(frame.at[idx, metric]), frame.at[idx, "run_name"]

    def summary(self) -> str:
        n = len(self.records)
        head = f"{n} run{'s' if n != 1 else ''} of experiment {self.experiment!r}"
        if n == 0:
            return head
        if not self.metrics:
            return head + "; no metrics chosen"
        parts = []
        for metric in self.metrics[:3]:
            value, run = self.best(metric)
            if value is None:
                continue
            note = ", lower is better" if lower_is_better(metric) else ""
            parts.append(f"best {metric} {value:.4g} (run {run!r}{note})")
        more = f"; {len(self.metrics) - 3} more metrics" if len(self.metrics) > 3 else ""
        return "; ".join([head, *parts]) + more

    def _labels(self, frame) -> list[str]:
        names = frame["run_name"].fillna("").astype(str).tolist()
        labels = []
        for name, run_id in zip(names, frame["run_id"].astype(str)):
            label = name or run_id[:8]
            if names.count(name) > 1 or not name:
                label = f"{name} ({run_id[:6]})" if name else label
            labels.append(label)
        return labels

    def plot(self, ax=None):
        """Grouped bar chart: one group per run, one bar per chosen metric."""
        import numpy as np

        ax = get_ax(ax, figsize=(max(6, 0.6 * len(self.records) + 3), 3.5))
        frame = self.to_frame()
        ax.set_title(f"Runs of {self.experiment}", parse_math=False)
        if frame.empty or not self.metrics:
            ax.text(0.5, 0.5, "no runs or metrics to compare", ha="center", va="center")
            return ax
        x = np.arange(len(frame))
        width = 0.8 / len(self.metrics)
        for i, metric in enumerate(self.metrics):
            offset = (i - (len(self.metrics) - 1) / 2) * width
            ax.bar(x + offset, frame[metric].to_numpy(dtype=float), width, label=metric)
        ax.set_xticks(x)
        ax.set_xticklabels(self._labels(frame), rotation=30, ha="right", parse_math=False)
        ax.set_ylabel("value")
        ax.legend(fontsize="small")
        return ax


def _find_experiment(client, experiment):
    if not isinstance(experiment, str) or not experiment.strip():
        raise InputError.invalid("experiment", experiment, "an experiment name")
    exp = client.get_experiment_by_name(experiment)
    if exp is None and experiment.isdigit():
        try:
            exp = client.get_experiment(experiment)
        except Exception:
            exp = None
    if exp is None or exp.lifecycle_stage != "active":
        names = sorted(e.name for e in client.search_experiments(max_results=1000))
        shown = ", ".join(repr(n) for n in names[:10]) or "none"
        more = f" and {len(names) - 10} more" if len(names) > 10 else ""
        raise InputError.invalid("experiment", experiment, f"one of {shown}{more}")
    return exp


def _choose(kind, chosen, available):
    if chosen is None:
        return sorted(available)
    chosen = [chosen] if isinstance(chosen, str) else list(chosen)
    for key in chosen:
        if not isinstance(key, str) or key not in available:
            keys = ", ".join(repr(k) for k in sorted(available)) or "none (no run logged any)"
            raise InputError.invalid(kind, key, f"a {kind[:-1]} key logged in the runs: {keys}")
    return list(dict.fromkeys(chosen))


def compare_runs(
    experiment: str,
    metrics=None,
    *,
    params=None,
    max_runs: int = 100,
    order_by: list[str] | None = None,
    tracking_uri: str | None = None,
) -> RunComparison:
    """Compare the runs of an experiment on the chosen metrics and params.

    Parameters
    ----------
    experiment : str
        Experiment name (or id).
    metrics, params : str or list of str, optional
        Keys to show; default: every key logged by the runs.
    max_runs : int, default 100
        At most this many runs (newest first unless ``order_by`` says otherwise).
    order_by : list of str, optional
        MLflow order clauses, e.g. ``["metrics.accuracy DESC"]``.
    tracking_uri : str, optional
        Store to use.

    Returns
    -------
    RunComparison

    Examples
    --------
    >>> cmp = compare_runs("iris", ["accuracy"])  # doctest: +SKIP
    >>> cmp.plot()  # doctest: +SKIP
    """
    check_param("max_runs", max_runs, [Interval(int, 1, None)])
    if order_by is not None:
        order_by = [order_by] if isinstance(order_by, str) else list(order_by)
        if not all(isinstance(o, str) for o in order_by):
            raise InputError.invalid("order_by", order_by, "a list of MLflow order clauses")
    client = get_client(tracking_uri, create=False)
    exp = _find_experiment(client, experiment)
    try:
        runs = client.search_runs(
            [exp.experiment_id],
            max_results=max_runs,
            order_by=order_by or ["attributes.start_time DESC"],
        )
    except Exception as exc:
        if getattr(exc, "error_code", "") != "INVALID_PARAMETER_VALUE":
            raise
        raise InputError.invalid(
            "order_by", order_by, "clauses like 'metrics.accuracy DESC'", str(exc)
        ) from None
    metric_keys = {k for r in runs for k in r.data.metrics}
    param_keys = {k for r in runs for k in r.data.params}
    metrics = _choose("metrics", metrics, metric_keys)
    params = _choose("params", params, param_keys)
    records = []
    for run in runs:
        row = {
            "run_id": run.info.run_id,
            "run_name": run.info.run_name,
            "status": run.info.status,
            "start_time": _iso(run.info.start_time),
        }
        for key in params:
            row[_param_col(key, metrics)] = run.data.params.get(key)
        for key in metrics:
            row[key] = run.data.metrics.get(key)
        records.append(row)
    return RunComparison(exp.name, records, metrics, [_param_col(p, metrics) for p in params])


def _param_col(key, metrics):
    return f"param.{key}" if key in metrics else key


def _iso(ms):
    from datetime import UTC, datetime

    return None if ms is None else datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat()
