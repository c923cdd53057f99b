"""A small, explicit pipeline of ML stages that records each outcome on an MLflow run.

A :class:`Pipeline` runs its :class:`Stage` objects in order inside one
tracked run (:func:`mlops_kit.tracking.start_run`). Each stage is a callable
``func(context) -> outcome``; ``context`` is a plain dict the stages share
(data, model, version, ...) plus ``context["run"]``, the tracked run. The
outcome is ``None`` (passed), a bool, or a dict with any of ``passed``,
``message`` and ``metrics``. A stage marked ``gate=True`` that does not pass
stops the pipeline: the remaining stages are recorded as ``skipped`` and the
result says which gate failed and why. A stage that raises stops it too
(status ``error``, the exception's one-line message recorded); nothing is lost.

Recorded on the run, per stage ``<i>_<name>`` (``i`` from 1): tags
``mlops_kit.pipeline.<i>_<name>.status`` and ``.message``, metrics
``pipeline.<i>_<name>.seconds`` and each stage metric as ``<name>.<metric>``;
at the end the tag ``mlops_kit.pipeline.status`` and the artifact
``pipeline/result.json`` (the :class:`~mlops_kit.deploy.pipeline_result.PipelineResult`).

The default stages (validate data, train, evaluate, gate, register, deploy,
monitor) are in :mod:`mlops_kit.deploy.pipeline_stages`.

Examples
--------
>>> import tempfile
>>> uri = f"sqlite:///{tempfile.mkdtemp()}/mlruns.db"
>>> def load(ctx):
...     ctx["rows"] = 120
...     return {"metrics": {"rows": 120}}
>>> def enough_rows(ctx):
...     return {"passed": ctx["rows"] >= 1000, "message": f"{ctx['rows']} rows (need 1000)"}
>>> pipe = Pipeline([Stage("load", load), Stage("enough_rows", enough_rows, gate=True),
...                  Stage("train", lambda ctx: None)], tracking_uri=uri)
>>> result = pipe.run()
>>> result.status, [s["status"] for s in result.stages]
('failed', ['passed', 'failed', 'skipped'])
>>> result.summary()
'Pipeline FAILED at gate enough_rows: 120 rows (need 1000)'
"""

from __future__ import annotations

import re
import time

from mlops_kit._params import InstanceOf, Params, Predicate
from mlops_kit.errors import InputError

__all__ = ["STATUSES", "Pipeline", "Stage"]

#: the statuses a stage can end in
STATUSES = ("passed", "failed", "error", "skipped")
_NAME_RE = re.compile(r"^[A-Za-z][\w\-]*$")
_MESSAGE_LIMIT = 5000


class Stage:
    """One named step of a :class:`Pipeline`.

    Parameters
    ----------
    name : str
        Letters, digits, ``_`` and ``-``, starting with a letter; unique in a pipeline.
    func : callable
        ``func(context) -> None | bool | dict`` (see the module docstring).
    gate : bool, default False
        When True, a stage that does not pass stops the pipeline.

    Examples
    --------
    >>> Stage("train", lambda ctx: None)
    Stage('train')
    >>> Stage("gate", lambda ctx: False, gate=True)
    Stage('gate', gate=True)
    """

    def __init__(self, name: str, func, *, gate: bool = False):
        self.name = name
        self.func = func
        self.gate = gate

    def __repr__(self) -> str:
        return f"Stage({self.name!r}{', gate=True' if self.gate else ''})"


def _outcome(value, name: str) -> tuple[bool, str, dict]:
    """Normalise a stage's return value into ``(passed, message, metrics)``."""
    import math

    if value is None:
        return True, "", {}
    if isinstance(value, bool):
        return value, "", {}
    if not isinstance(value, dict):
        raise InputError.invalid(
            f"outcome of stage {name!r}",
            type(value).__name__,
            "None, True/False or a dict with 'passed', 'message' and 'metrics'",
        )
    unknown = set(value) - {"passed", "message", "metrics"}
    if unknown:
        raise InputError.invalid(
            f"outcome of stage {name!r}", sorted(unknown), "keys 'passed', 'message', 'metrics'"
        )
    metrics = {}
    for key, number in (value.get("metrics") or {}).items():
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise InputError.invalid(f"metrics[{key!r}] of stage {name!r}", number, "a number")
        if math.isfinite(number):
            metrics[str(key)] = float(number)
    return bool(value.get("passed", True)), str(value.get("message") or ""), metrics


def _check_stages(stages) -> list[Stage]:
    out = []
    for i, item in enumerate(stages):
        if isinstance(item, tuple) and len(item) == 2:
            item = Stage(*item)
        if not isinstance(item, Stage):
            raise InputError.invalid(f"stages[{i}]", type(item).__name__, "a Stage or (name, func)")
        if not isinstance(item.name, str) or not _NAME_RE.match(item.name):
            raise InputError.invalid(
                f"stages[{i}].name", item.name, "letters, digits, '_' and '-', starting a letter"
            )
        if not callable(item.func):
            raise InputError.invalid(f"stages[{i}].func", item.func, "a callable")
        if not isinstance(item.gate, bool):
            raise InputError.invalid(f"stages[{i}].gate", item.gate, "True or False")
        out.append(item)
    names = [s.name for s in out]
    if len(set(names)) != len(names):
        raise InputError.invalid("stages", names, "unique stage names")
    return out


class Pipeline(Params):
    """Run stages in order inside one tracked MLflow run; stop at the first failing gate.

    Parameters
    ----------
    stages : list of Stage or (name, callable)
        Default stages: :func:`~mlops_kit.deploy.pipeline_stages.default_stages`.
    experiment : str, default "mlops-kit-pipeline"
        MLflow experiment of the run.
    run_name : str, optional
        Name of the run.
    tracking_uri : str, optional
        Store to use (default: the kit's).

    Examples
    --------
    >>> Pipeline([Stage("a", lambda ctx: None)], experiment="ci")
    Pipeline(stages=[Stage('a')], experiment='ci')
    """

    _parameter_constraints = {
        "stages": [
            Predicate(lambda v: isinstance(v, list | tuple) and len(v) > 0, "a non-empty list")
        ],
        "experiment": [Predicate(lambda v: isinstance(v, str) and v.strip(), "a non-empty str")],
        "run_name": [None, InstanceOf(str)],
        "tracking_uri": [None, InstanceOf(str)],
    }

    def __init__(
        self,
        stages,
        *,
        experiment: str = "mlops-kit-pipeline",
        run_name: str | None = None,
        tracking_uri: str | None = None,
    ):
        self.stages = stages
        self.experiment = experiment
        self.run_name = run_name
        self.tracking_uri = tracking_uri

    def run(self, context: dict | None = None):
        """Run the stages; return a :class:`~mlops_kit.deploy.pipeline_result.PipelineResult`.

        Parameters
        ----------
        context : dict, optional
            Initial shared state (for example ``{"data": frame}``); it is copied,
            and the stages' additions are in ``result.context``.
        """
        from mlops_kit.deploy.pipeline_result import PipelineResult
        from mlops_kit.tracking import start_run

        self._validate_params()
        stages = _check_stages(self.stages)
        if context is not None and not isinstance(context, dict):
            raise InputError.invalid("context", type(context).__name__, "a dict or None")
        ctx = dict(context or {})
        records: list[dict] = []
        started = time.perf_counter()
        with start_run(self.experiment, self.run_name, tracking_uri=self.tracking_uri) as run:
            ctx["run"] = run
            stopped = None
            for i, stage in enumerate(stages, start=1):
                if stopped is not None:
                    record = _record(i, stage, "skipped", 0.0, f"not run: {stopped}", {})
                else:
                    record = _run_stage(i, stage, ctx)
                    failed = stage.gate and record["status"] == "failed"
                    if record["status"] == "error" or failed:
                        stopped = f"{record['status']} at {stage.name}"
                records.append(record)
                _log_stage(run, record)  # as it happens: a crash later keeps what was recorded
            result = PipelineResult(
                records,
                seconds=time.perf_counter() - started,
                run_id=run.run_id,
                experiment_id=run.experiment_id,
                tracking_uri=run.tracking_uri,
                context=ctx,
            )
            run.set_tags({"mlops_kit.pipeline.status": result.status})
            run.log_metrics({"pipeline.seconds": result.seconds})
            run.flush()
            run.client.log_text(run.run_id, result.to_json(indent=1), "pipeline/result.json")
        return result


def _record(i, stage, status, seconds, message, metrics) -> dict:
    return {
        "step": i,
        "stage": stage.name,
        "gate": stage.gate,
        "status": status,
        "seconds": seconds,
        "message": message[:_MESSAGE_LIMIT],
        "metrics": metrics,
    }


def _run_stage(i: int, stage: Stage, ctx: dict) -> dict:
    t0 = time.perf_counter()
    try:
        passed, message, metrics = _outcome(stage.func(ctx), stage.name)
    except Exception as exc:  # recorded, the pipeline stops; the run keeps what was logged
        text = " ".join(str(exc).split()) or "no message"
        return _record(
            i, stage, "error", time.perf_counter() - t0, f"{type(exc).__name__}: {text}", {}
        )
    status = "passed" if passed else "failed"
    return _record(i, stage, status, time.perf_counter() - t0, message, metrics)


def _log_stage(run, record: dict) -> None:
    key = f"{record['step']}_{record['stage']}"
    tags = {f"mlops_kit.pipeline.{key}.status": record["status"]}
    if record["message"]:
        tags[f"mlops_kit.pipeline.{key}.message"] = record["message"]
    run.set_tags(tags)
    metrics = {f"pipeline.{key}.seconds": record["seconds"]}
    metrics.update({f"{record['stage']}.{k}": v for k, v in record["metrics"].items()})
    run.log_metrics(metrics)
