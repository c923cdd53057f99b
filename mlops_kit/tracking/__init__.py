"""Step 1: versioning and experiment tracking on MLflow.

Public names are imported lazily, so ``import mlops_kit.tracking`` does not
import mlflow until a function needs it.

- the store: :func:`resolve_tracking_uri`, :func:`get_client`,
  :func:`ensure_experiment`, :func:`use_store` (SQLite ``mlruns.db`` in
  ``MLOPS_KIT_HOME`` or the current folder; ``MLFLOW_TRACKING_URI`` wins);
- notebook-safe runs with buffered metric logging: :func:`start_run` and the
  fluent :func:`log_metric`, :func:`log_metrics`, :func:`log_params`,
  :func:`set_tags`, :func:`flush`, :func:`end_run`, :func:`current_run`;
- what every run records: :func:`fingerprint`, :func:`environment_tags`;
- the registry: :func:`register`, :func:`promote`, :func:`rollback`,
  :func:`history`, :func:`current`, :func:`versions`, :func:`list_models`;
- comparison and browsing: :func:`compare_runs`, :func:`experiment_browser`.

Examples
--------
>>> import tempfile
>>> from mlops_kit import tracking
>>> uri = f"sqlite:///{tempfile.mkdtemp()}/mlruns.db"
>>> with tracking.start_run("demo", params={"lr": 0.1}, tracking_uri=uri) as run:
...     tracking.log_metric("loss", 0.25)
>>> run.status
'FINISHED'
"""

from __future__ import annotations

from mlops_kit._lazy import lazy_exports

#: public name -> submodule that defines it
_EXPORTS: dict[str, str] = {
    "artifact_root": "store",
    "ensure_experiment": "store",
    "get_client": "store",
    "resolve_tracking_uri": "store",
    "use_store": "store",
    "Run": "run",
    "start_run": "fluent",
    "current_run": "fluent",
    "end_run": "fluent",
    "flush": "fluent",
    "log_metric": "fluent",
    "log_metrics": "fluent",
    "log_param": "fluent",
    "log_params": "fluent",
    "set_tag": "fluent",
    "set_tags": "fluent",
    "MetricBuffer": "buffer",
    "fingerprint": "fingerprint",
    "environment_tags": "environment",
    "ModelVersionInfo": "registry",
    "register": "registry",
    "current": "registry",
    "versions": "registry",
    "list_models": "registry",
    "promote": "alias_history",
    "rollback": "alias_history",
    "history": "alias_history",
    "rollback_target": "alias_history",
    "compare_runs": "compare",
    "RunComparison": "compare",
    "experiment_browser": "widget",
    "ExperimentBrowser": "widget",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
