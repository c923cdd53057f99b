"""Data drift: per-column verdicts matching Evidently 0.7, fast and for large data.

- :class:`DriftCheck` / :func:`detect_drift`: the check (native or Evidently engine);
- :class:`DriftResult` / :class:`ColumnDrift`: what it returns;
- :class:`LargeSampleWarning`: a p-value drift with a negligible effect size;
- :func:`drift_explorer` / :class:`DriftExplorer`: the notebook widget.

Modules: ``check`` (:class:`DriftCheck`), ``methods`` (the tests and
Evidently's automatic choice), ``families``/``columns`` (input checks and
column typing shared by both engines), ``reference`` (the fitted reference
summary and its file), ``stattests`` (the statistics), ``native`` (in-memory
engine), ``chunked``/``grid``/``sources``
(streamed current data), ``evidently_engine``, ``result`` and
``widget``/``widget_render`` (the explorer).

Examples
--------
>>> import pandas as pd
>>> from mlops_kit.validation.drift import detect_drift
>>> ref = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]})
>>> detect_drift(ref, ref).n_drifted
0
"""

from __future__ import annotations

from mlops_kit._lazy import lazy_exports

_EXPORTS = {
    "DriftCheck": "check",
    "detect_drift": "check",
    "DriftResult": "result",
    "ColumnDrift": "result",
    "LargeSampleWarning": "result",
    "DriftExplorer": "widget",
    "drift_explorer": "widget",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
