"""``DriftCheck``: compare a current dataset with a reference, column by column.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> ref = pd.DataFrame({"x": rng.normal(size=500), "c": rng.choice(["a", "b", "c"], 500)})
>>> cur = pd.DataFrame({"x": rng.normal(1.0, 1, 500), "c": rng.choice(["a", "b", "c"], 500)})
>>> result = DriftCheck().run(ref, cur)
>>> [(c.column, c.test, c.drifted) for c in result.columns]
[('x', 'ks', True), ('c', 'chisquare', False)]
>>> result.dataset_drift
True
"""

from __future__ import annotations

import math
import os
import warnings

from mlops_kit.errors import InputError
from mlops_kit.validation.drift.result import DriftResult, LargeSampleWarning

__all__ = ["ENGINES", "DriftCheck", "detect_drift"]

ENGINES = ("native", "evidently")


class DriftCheck:
    """Data drift between a reference and a current dataset, per column and overall.

    Each column gets Evidently 0.7's ``DataDriftPreset`` verdict (same default
    test, threshold and decision; see :mod:`mlops_kit.validation.drift.methods`),
    plus an effect size; the dataset drifts when the share of drifted columns
    reaches ``drift_share``.

    Parameters
    ----------
    method : str or dict, default "auto"
        ``"auto"`` (Evidently's choice per column), or one of ``"ks"``,
        ``"chisquare"``, ``"z"``, ``"wasserstein"``, ``"jensenshannon"``,
        ``"psi"`` for every column; or a dict keyed by column name or by type
        (``"num"``/``"cat"``), per-column entries winning.
    threshold : float or dict, optional
        Drift threshold (p-value for tests, distance otherwise); default: the
        method's own (0.05 for tests, 0.1 for distances). Dict as for ``method``.
    drift_share : float, default 0.5
        Share of drifted columns (in (0, 1]) at which the dataset drifts.
    columns : list, optional
        Columns to check; default: all columns (they must exist on both sides).
    column_types : dict, optional
        ``{column: "num" | "cat"}`` overriding the type inference.
    engine : {"native", "evidently"}
        ``"native"``: vectorised numpy, also for data larger than memory;
        ``"evidently"``: runs Evidently's preset and can save its HTML report.
    negligible_effect : float, default 0.1
        Effect size below which a p-value drift is flagged as a large-sample
        artefact (:class:`~mlops_kit.validation.drift.result.LargeSampleWarning`).

    Examples
    --------
    >>> check = DriftCheck(method={"num": "psi"}, threshold=0.2)
    >>> check.engine
    'native'
    """

    def __init__(
        self,
        method="auto",
        threshold=None,
        drift_share=0.5,
        columns=None,
        column_types=None,
        engine="native",
        negligible_effect=0.1,
    ):
        self.method = method
        self.threshold = threshold
        self.drift_share = drift_share
        self.columns = columns
        self.column_types = column_types
        self.engine = engine
        self.negligible_effect = negligible_effect

    def _check_options(self) -> None:
        if self.engine not in ENGINES:
            raise InputError.invalid("engine", self.engine, "'native' or 'evidently'")
        share = self.drift_share
        if (
            isinstance(share, bool)
            or not isinstance(share, (int, float))
            or not (math.isfinite(share) and 0 < share <= 1)
        ):
            raise InputError.invalid("drift_share", share, "a number in (0, 1]")
        neg = self.negligible_effect
        if isinstance(neg, bool) or not isinstance(neg, (int, float)) or neg < 0:
            raise InputError.invalid("negligible_effect", neg, "a number >= 0")

    def run(self, reference, current, *, html_path=None, batch_size=65_536) -> DriftResult:
        """Compare ``current`` with ``reference`` and return a :class:`DriftResult`.

        Parameters
        ----------
        reference : pandas.DataFrame or path
            The baseline (a Parquet/CSV path is read into memory).
        current : pandas.DataFrame, path or iterable of DataFrames
            The data to check. A Parquet/CSV path or an iterable of chunks is
            streamed by the native engine with memory bounded by the chunk size
            (see :mod:`mlops_kit.validation.drift.chunked`).
        html_path : str or Path, optional
            Write an HTML report there: Evidently's full report for the
            Evidently engine (also logged to the active MLflow run, if any), the
            compact kit page (:meth:`DriftResult.save_html`) for the native one.
        batch_size : int
            Rows per batch when reading a Parquet/CSV ``current`` in chunks.
        """
        import pandas as pd

        from mlops_kit.validation.drift.methods import check_method_options
        from mlops_kit.validation.drift.sources import read_frame

        self._check_options()
        if isinstance(reference, (str, os.PathLike)):
            reference = read_frame(reference, "reference")
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise InputError.invalid("batch_size", batch_size, "an integer >= 1")
        known = list(getattr(reference, "columns", []))
        if isinstance(current, pd.DataFrame):
            known += list(current.columns)
        check_method_options(self.method, self.threshold, known)
        if self.engine == "evidently":
            from mlops_kit.validation.drift.evidently_engine import run_evidently

            if not isinstance(current, pd.DataFrame):
                if isinstance(current, (str, os.PathLike)):
                    current = read_frame(current, "current")
                else:
                    raise InputError.invalid(
                        "current",
                        type(current).__name__,
                        "a DataFrame or a file path with engine='evidently' (Evidently holds all "
                        "data in memory); use engine='native' to stream chunks",
                    )
            columns, path = run_evidently(self, reference, current, html_path)
            return self._result(columns, path)
        options = {
            "method": self.method,
            "threshold": self.threshold,
            "negligible_effect": self.negligible_effect,
        }
        if isinstance(current, pd.DataFrame):
            from mlops_kit.validation.drift.native import run_frames
            from mlops_kit.validation.drift.validate import validate_frames

            specs = validate_frames(reference, current, self.columns, self.column_types)
            columns = run_frames(reference, current, specs, **options)
        else:
            from mlops_kit.validation.drift.chunked import run_stream

            columns = run_stream(
                reference,
                current,
                self.columns,
                self.column_types,
                batch_size=batch_size,
                **options,
            )
        result = self._result(columns, None)
        if html_path is not None:
            result.html_path = str(result.save_html(html_path))
        return result

    def _result(self, columns, html_path) -> DriftResult:
        notes = [c.note for c in columns if c.note and not c.skipped]
        for note in notes:
            warnings.warn(note, LargeSampleWarning, stacklevel=3)
        return DriftResult(
            columns=columns,
            drift_share=float(self.drift_share),
            engine=self.engine,
            warnings=notes,
            html_path=None if html_path is None else str(html_path),
        )


_RUN_KEYS = ("html_path", "batch_size")


def detect_drift(reference, current, **kwargs) -> DriftResult:
    """Run a :class:`DriftCheck` in one call; keyword arguments go to it or to ``run``.

    Examples
    --------
    >>> import pandas as pd
    >>> ref = pd.DataFrame({"c": ["a", "b"] * 50})
    >>> detect_drift(ref, ref, drift_share=0.5).dataset_drift
    False
    """
    run_kw = {k: kwargs.pop(k) for k in _RUN_KEYS if k in kwargs}
    try:
        check = DriftCheck(**kwargs)
    except TypeError as exc:
        raise InputError(f"detect_drift: {exc}") from None
    return check.run(reference, current, **run_kw)
