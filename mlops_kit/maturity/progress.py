"""Saving assessments to MLflow and charting progress over time.

Each assessment is one run in an experiment (``mlops-kit-maturity`` by
default) with metrics ``level``, ``mean_score``, ``score.<dimension>`` and
``level.<dimension>``, parameter ``team_size``, tag
``mlops_kit.maturity.level_name`` and the answers and full result as JSON
artifacts under ``maturity/``. :func:`progress` reads them back in order.

Examples
--------
>>> import tempfile
>>> from mlops_kit.maturity import assess, load_bank
>>> uri = f"sqlite:///{tempfile.mkdtemp()}/mlruns.db"
>>> a = assess({i.id: 1 if i.level <= 3 else 0 for i in load_bank().items}, team_size=6)
>>> _ = a.log_to_mlflow(tracking_uri=uri)
>>> progress(tracking_uri=uri).to_frame()["level"].tolist()
[3]
"""

from __future__ import annotations

import contextlib
import json
import time

from mlops_kit.errors import InputError, TrackingError
from mlops_kit.maturity.patterns import MATURITY_TAG
from mlops_kit.results import Result, get_ax, jsonable

__all__ = ["DEFAULT_EXPERIMENT", "ProgressResult", "log_assessment", "progress"]

DEFAULT_EXPERIMENT = "mlops-kit-maturity"
_SEQ_TAG = "mlops_kit.maturity.seq"


def _check_experiment(experiment) -> None:
    if not isinstance(experiment, str) or not experiment.strip():
        raise InputError.invalid("experiment", experiment, "a non-empty experiment name")


def log_assessment(
    assessment, experiment: str = DEFAULT_EXPERIMENT, tracking_uri=None, run_id=None
) -> str:
    """Log ``assessment`` to run ``run_id``, or to a new run of ``experiment``; return the run id.

    With ``run_id`` the assessment is logged into that (existing) run, which is
    left as it is (not ended); :func:`progress` finds it if the run is in
    ``experiment``. Without it a new run of ``experiment`` is opened and ended.
    Nothing is left behind if logging to a new run fails: the half-written run is
    deleted and a :class:`~mlops_kit.errors.TrackingError` raised; an existing
    run that does not exist is an error before anything is written.

    Examples
    --------
    >>> import tempfile
    >>> from mlops_kit.maturity import assess, load_bank
    >>> from mlops_kit.tracking.store import get_client
    >>> uri = f"sqlite:///{tempfile.mkdtemp()}/mlruns.db"
    >>> a = assess({item.id: 1 for item in load_bank().items}, team_size=4)
    >>> run_id = log_assessment(a, tracking_uri=uri)
    >>> run = get_client(uri).get_run(run_id)
    >>> run.data.metrics["level"], run.data.params["team_size"]
    (5.0, '4')
    """
    from mlflow.entities import Metric, Param, RunTag

    from mlops_kit.tracking.store import ensure_experiment, get_client, resolve_tracking_uri

    _check_experiment(experiment)
    if run_id is not None and (not isinstance(run_id, str) or not run_id.strip()):
        raise InputError.invalid("run_id", run_id, "an MLflow run id string or None")
    uri = resolve_tracking_uri(tracking_uri)
    client = get_client(uri)
    now = int(time.time() * 1000)
    tags = {
        MATURITY_TAG: assessment.level_name,
        "mlops_kit.kind": "maturity_assessment",
        _SEQ_TAG: str(time.time_ns()),
    }
    own_run = run_id is None
    if own_run:
        exp_id = ensure_experiment(experiment, uri)
        run = client.create_run(
            exp_id, start_time=now, tags=tags, run_name=f"maturity-level-{assessment.level}"
        )
        run_id = run.info.run_id
    else:
        try:
            client.get_run(run_id)
        except Exception as exc:
            raise TrackingError(
                f"Cannot log the assessment to run {run_id!r} in store {uri!r}: {exc}"
            ) from None
    try:
        values = {"level": assessment.level, "n_unanswered": len(assessment.unanswered)}
        if assessment.mean_score is not None:
            values["mean_score"] = assessment.mean_score
        for row in assessment.scores["dimensions"]:
            if row["score"] is not None:
                values[f"score.{row['dimension']}"] = row["score"]
            if row["level"] is not None:
                values[f"level.{row['dimension']}"] = row["level"]
        params = [Param("team_size", str(assessment.team_size))] if assessment.team_size else []
        metrics = [Metric(k, float(v), now, 0) for k, v in values.items()]
        answers = json.dumps(jsonable(assessment.answers), indent=2, sort_keys=True)
        result = assessment.to_json(indent=2)  # computed before anything is written
        run_tags = [RunTag("mlops_kit.maturity.level", str(assessment.level))]
        if not own_run:
            run_tags += [RunTag(k, v) for k, v in tags.items()]
        client.log_batch(run_id, metrics=metrics, params=params, tags=run_tags)
        client.log_text(run_id, answers, "maturity/answers.json")
        client.log_text(run_id, result, "maturity/assessment.json")
        if own_run:
            client.set_terminated(run_id, "FINISHED")
    except Exception as exc:
        if own_run:
            with contextlib.suppress(Exception):  # best-effort clean-up
                client.delete_run(run_id)
        raise TrackingError(f"Could not log the assessment to run {run_id!r}: {exc}") from exc
    return run_id


class ProgressResult(Result):
    """Logged assessments in order: level and dimension scores over time.

    Parameters
    ----------
    records : list of dict
        One row per assessment (``assessed_at``, ``run_id``, ``level``, ``mean_score``,
        ``team_size`` and one ``score.<dimension>`` column per dimension).
    experiment : str
        The experiment read.
    dimensions : list of str
        Dimension ids, in framework order.

    Examples
    --------
    >>> rec = {"assessed_at": "2025-01-01T00:00:00", "run_id": "a", "level": 2,
    ...        "level_name": "Basic automation and tooling", "mean_score": 0.5, "team_size": 4}
    >>> ProgressResult([rec], "demo", []).to_frame()["level"].tolist()
    [2]
    """

    title = "MLOps maturity progress"

    def __init__(self, records: list[dict], experiment: str, dimensions: list[str]):
        self.records = list(records)
        self.experiment = experiment
        self.dimensions = list(dimensions)

    def _columns(self) -> list[str]:
        return [
            "assessed_at",
            "run_id",
            "level",
            "level_name",
            "mean_score",
            "team_size",
            *(f"score.{d}" for d in self.dimensions),
        ]

    def to_dict(self) -> dict:
        return {
            "experiment": self.experiment,
            "dimensions": self.dimensions,
            "records": jsonable(self.records),
        }

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(self.records, columns=self._columns())

    def summary(self) -> str:
        n = len(self.records)
        if not n:
            return f"No assessments logged in experiment {self.experiment!r} yet"
        first, last = self.records[0], self.records[-1]
        return (
            f"{n} assessment{'s' if n != 1 else ''} in {self.experiment!r}: level "
            f"{first['level']} -> {last['level']}"
        )

    def plot(self, ax=None):
        ax = get_ax(ax, figsize=(7, 3.5))
        frame = self.to_frame()
        xs = list(range(1, len(frame) + 1))
        ax.step(xs, frame["level"], where="mid", color="black", lw=2, label="level")
        ax.set_ylim(0.5, 5.5)
        ax.set_yticks([1, 2, 3, 4, 5])
        ax.set_ylabel("level")
        ax.set_xticks(xs)
        ax.set_xticklabels([str(t)[:10] for t in frame["assessed_at"]], rotation=20, fontsize=8)
        twin = ax.twinx()
        for d in self.dimensions:
            twin.plot(xs, frame[f"score.{d}"], marker="o", lw=1, label=d)
        twin.set_ylim(0, 1.05)
        twin.set_ylabel("dimension score")
        if self.dimensions and xs:
            twin.legend(fontsize=7, loc="lower right")
        ax.set_title(self.title)
        return ax


def progress(
    experiment: str = DEFAULT_EXPERIMENT, tracking_uri: str | None = None
) -> ProgressResult:
    """Read the assessments logged to ``experiment``, oldest first.

    Parameters
    ----------
    experiment : str, default "mlops-kit-maturity"
    tracking_uri : str, optional
        Resolved as usual (argument, ``MLFLOW_TRACKING_URI``, default store).

    Returns
    -------
    ProgressResult
        Empty (with a summary saying so) when nothing has been logged yet.

    Examples
    --------
    >>> import tempfile
    >>> from mlops_kit.maturity import assess, load_bank
    >>> uri = f"sqlite:///{tempfile.mkdtemp()}/mlruns.db"
    >>> progress(tracking_uri=uri).summary()
    "No assessments logged in experiment 'mlops-kit-maturity' yet"
    >>> items = load_bank().items
    >>> _ = log_assessment(assess({i.id: 0 for i in items}), tracking_uri=uri)
    >>> _ = log_assessment(assess({i.id: 1 for i in items}), tracking_uri=uri)
    >>> progress(tracking_uri=uri).to_frame()["level"].tolist()
    [1, 5]
    """
    import datetime as dt

    from mlops_kit.maturity.bank import load_bank
    from mlops_kit.tracking.store import get_client

    _check_experiment(experiment)
    client = get_client(tracking_uri)
    dims = load_bank().dimension_ids
    exp = client.get_experiment_by_name(experiment)
    if exp is None:
        return ProgressResult([], experiment, dims)
    runs = []
    token = None
    while True:
        page = client.search_runs([exp.experiment_id], max_results=1000, page_token=token)
        runs += [r for r in page if MATURITY_TAG in r.data.tags and r.info.status == "FINISHED"]
        token = page.token
        if not token:
            break
    runs.sort(key=lambda r: (r.info.start_time, int(r.data.tags.get(_SEQ_TAG, "0"))))
    records = []
    for r in runs:
        m = r.data.metrics
        size = r.data.params.get("team_size")
        rec = {
            "assessed_at": dt.datetime.fromtimestamp(r.info.start_time / 1000, tz=dt.UTC),
            "run_id": r.info.run_id,
            "level": int(m.get("level", 1)),
            "level_name": r.data.tags.get(MATURITY_TAG),
            "mean_score": m.get("mean_score"),
            "team_size": int(size) if size else None,
        }
        rec.update({f"score.{d}": m.get(f"score.{d}") for d in dims})
        records.append(rec)
    return ProgressResult(records, experiment, dims)
