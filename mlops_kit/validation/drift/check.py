"""``DriftCheck``: fit a reference once, then compare current data with it, column by column.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> ref = pd.DataFrame({"x": rng.normal(size=500), "c": rng.choice(["a", "b", "c"], 500)})
>>> cur = pd.DataFrame({"x": rng.normal(1.0, 1, 500), "c": rng.choice(["a", "b", "c"], 500)})
>>> check = DriftCheck().fit(ref)
>>> result = check.run(cur)
>>> [(c.column, c.test, c.drifted) for c in result.columns]
[('x', 'ks', True), ('c', 'chisquare', False)]
>>> DriftCheck().run(ref, cur).dataset_drift  # one call: fit and run
True
"""

from __future__ import annotations

import copy
import os
import warnings

from mlops_kit._params import InstanceOf, Interval, Options, Params, Predicate, check_param
from mlops_kit.errors import InputError
from mlops_kit.validation.drift.methods import METHODS
from mlops_kit.validation.drift.result import DriftResult, LargeSampleWarning

#: a Spark fit sketches numeric reference columns with more distinct values than this
#: (8 MB a column kept whole; see docs/spark.md "What is exact, and the error bound")
DEFAULT_MAX_REFERENCE_VALUES = 1_000_000

__all__ = ["ENGINES", "DriftCheck", "detect_drift"]

ENGINES = ("native", "evidently")

_NAME = Predicate(lambda v: isinstance(v, (str, int)) and not isinstance(v, bool), "a column name")
_NAMES = InstanceOf(list, tuple, description="a list of column names")


class DriftCheck(Params):
    """Data drift between a reference and current data, per column and overall.

    Each column gets Evidently 0.7's ``DataDriftPreset`` verdict (same default
    test, threshold and decision; see :mod:`mlops_kit.validation.drift.methods`),
    plus an effect size; the dataset drifts when the share of drifted
    *feature* columns reaches ``drift_share``. Target and prediction columns
    are tested and reported apart (:attr:`DriftResult.target_drift`), as
    Evidently does with a data definition; identifier columns are skipped.

    Two ways to call it:

    - ``DriftCheck(...).fit(reference)`` summarises the reference once
      (sorted values, category counts, column roles) and ``.run(current)``
      compares any number of windows with it; ``.save(path)`` /
      :meth:`DriftCheck.load` keep the fitted summary in a file, so a serving
      process needs no reference frame;
    - ``DriftCheck(...).run(reference, current)``: the one-call form, same
      result; it fits a copy and leaves this check unfitted (or as fitted).

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
        Share of drifted feature columns (in (0, 1]) at which the dataset drifts.
    columns : list, optional
        Feature columns to check; default: every column of the reference
        (current data must then hold the same columns).
    column_types : dict, optional
        ``{column: "num" | "cat"}`` overriding the type inference.
    engine : {"native", "evidently"}
        ``"native"``: vectorised numpy, also for data larger than memory;
        ``"evidently"``: runs Evidently's preset and can save its HTML report
        (it keeps the reference frame, so its fit cannot be saved).
    negligible_effect : float, default 0.1
        Effect size below which a p-value drift is flagged as a large-sample
        artefact (:class:`~mlops_kit.validation.drift.result.LargeSampleWarning`).
    id_columns : list, optional
        Identifier columns, never tested. Integer columns whose reference
        values are all distinct (20 rows or more) and at least 95% distinct in
        current are recognised as identifiers without being named; string
        columns with more than half distinct values are skipped as text/IDs.
    target, prediction : column name, optional
        The target and the model's prediction: tested, reported apart, never
        counted in the dataset drift share.
    max_reference_values : int, default 1_000_000
        Fitting on a Spark DataFrame: a numeric column with at most this many
        distinct values keeps them all (exact, as a pandas fit); above it, the
        column is fitted as a bounded-size sketch (exact moments and exact counts
        on a quantile grid; see :mod:`mlops_kit.validation.drift.ref_sketch`),
        so the reference need not fit on the driver. At least 1000.

    Examples
    --------
    >>> DriftCheck(method={"num": "psi"}, threshold=0.2, target="default")
    DriftCheck(method={'num': 'psi'}, threshold=0.2, target='default')
    """

    _parameter_constraints = {
        "method": [Options("auto", *METHODS), InstanceOf(dict, description="a dict")],
        "threshold": [
            None,
            Interval(float, 0, None, closed="neither"),
            InstanceOf(dict, description="a dict"),
        ],
        "drift_share": [Interval(float, 0, 1, closed="right")],
        "columns": [None, _NAMES],
        "column_types": [None, InstanceOf(dict, description="a dict {column: 'num' | 'cat'}")],
        "engine": [Options(*ENGINES)],
        "negligible_effect": [Interval(float, 0, None)],
        "id_columns": [None, _NAMES],
        "target": [None, _NAME],
        "prediction": [None, _NAME],
        "max_reference_values": [Interval(int, 1000, None)],
    }

    def __init__(
        self,
        method="auto",
        threshold=None,
        drift_share=0.5,
        columns=None,
        column_types=None,
        engine="native",
        negligible_effect=0.1,
        id_columns=None,
        target=None,
        prediction=None,
        max_reference_values=DEFAULT_MAX_REFERENCE_VALUES,
    ):
        self.method = method
        self.threshold = threshold
        self.drift_share = drift_share
        self.columns = columns
        self.column_types = column_types
        self.engine = engine
        self.negligible_effect = negligible_effect
        self.id_columns = id_columns
        self.target = target
        self.prediction = prediction
        self.max_reference_values = max_reference_values

    # --- fit --------------------------------------------------------------------
    def _require_native_for_spark(self) -> None:
        if self.engine == "evidently":
            raise InputError.invalid(
                "engine",
                self.engine,
                "'native' for a Spark DataFrame",
                "Evidently holds all data in pandas; the native engine runs in Spark.",
            )

    def fit(self, reference) -> DriftCheck:
        """Summarise ``reference`` (a DataFrame or a Parquet/CSV path) and return ``self``.

        The summary (:attr:`reference_`) keeps per column the sorted values or
        the category counts and the column's role; the reference frame itself
        is not kept (except by ``engine="evidently"``, which needs it).

        Examples
        --------
        >>> import pandas as pd
        >>> check = DriftCheck(target="y").fit(pd.DataFrame({"x": [1.0, 2.0], "y": [0, 1]}))
        >>> check.reference_
        <ReferenceSummary: 2 columns (1 feature, 1 target)>
        """
        from mlops_kit.validation.drift.methods import check_method_options
        from mlops_kit.validation.drift.reference import ReferenceSummary
        from mlops_kit.validation.drift.sources import read_frame
        from mlops_kit.validation.drift.spark import is_spark_frame

        self._validate_params()
        if isinstance(reference, (str, os.PathLike)):
            reference = read_frame(reference, "reference")
        build, extra = ReferenceSummary.from_frame, {}
        if is_spark_frame(reference):  # counted in Spark (the [spark] extra)
            from mlops_kit.validation.drift.spark_fit import summary_from_spark as build

            extra = {"max_reference_values": self.max_reference_values}
            self._require_native_for_spark()
        summary = build(
            reference,
            columns=self.columns,
            column_types=self.column_types,
            target=self.target,
            prediction=self.prediction,
            id_columns=self.id_columns,
            params=self._saved_params(),
            **extra,
        )
        check_method_options(self.method, self.threshold, summary.names)
        self.reference_ = summary
        self.reference_frame_ = reference if self.engine == "evidently" else None
        return self

    def _saved_params(self) -> dict:
        params = self.get_params()
        for key in ("columns", "id_columns"):
            if params[key] is not None:
                params[key] = list(params[key])
        return params

    # --- run --------------------------------------------------------------------
    def run(self, *data, html_path=None, batch_size=65_536) -> DriftResult:
        """Compare current data with the fitted reference; return a new :class:`DriftResult`.

        ``run(current)`` after :meth:`fit`, or ``run(reference, current)`` in
        one call (fits a copy of this check; this one is left as it was).

        Parameters
        ----------
        *data : current, or reference and current
            ``reference``: a DataFrame or a Parquet/CSV path (read whole).
            ``current``: a DataFrame, a Parquet/CSV path or an iterable of
            DataFrame chunks; paths and iterables are streamed by the native
            engine with memory bounded by the chunk size (see
            :mod:`mlops_kit.validation.drift.chunked`).
        html_path : str or Path, optional
            Write an HTML report there: Evidently's full report for the
            Evidently engine (also logged to the active MLflow run, if any), the
            compact kit page (:meth:`DriftResult.save_html`) for the native one.
        batch_size : int
            Rows per batch when reading a Parquet/CSV ``current`` in chunks.

        Examples
        --------
        >>> import pandas as pd
        >>> ref = pd.DataFrame({"c": ["a", "b"] * 50})
        >>> DriftCheck().run(ref, ref).dataset_drift
        False
        """
        if len(data) == 2:
            return (
                copy.copy(self)
                .fit(data[0])
                .run(data[1], html_path=html_path, batch_size=batch_size)
            )
        if len(data) != 1:
            raise InputError.invalid(
                "run arguments",
                f"{len(data)} positional arguments",
                "run(current) after fit(reference), or run(reference, current)",
            )
        current = data[0]
        if getattr(self, "reference_", None) is None:
            raise InputError(
                "This DriftCheck is not fitted: call fit(reference) first, or "
                "run(reference, current) in one call."
            )
        self._validate_params()
        check_param("batch_size", batch_size, [Interval(int, 1, None)])
        return self._run(current, html_path, batch_size)

    def _run(self, current, html_path, batch_size) -> DriftResult:
        import pandas as pd

        from mlops_kit.validation.drift.reference import current_specs
        from mlops_kit.validation.drift.sources import read_frame

        summary = self.reference_
        options = {
            "method": self.method,
            "threshold": self.threshold,
            "negligible_effect": self.negligible_effect,
        }
        from mlops_kit.validation.drift.spark import is_spark_frame

        if is_spark_frame(current):  # statistics computed in Spark (the [spark] extra)
            self._require_native_for_spark()
            from mlops_kit.validation.drift.spark_run import run_spark

            result = self._result(run_spark(summary, current, self.column_types, **options), None)
            if html_path is not None:
                result.html_path = str(result.save_html(html_path))
            return result
        if self.engine == "evidently":
            from mlops_kit.validation.drift.evidently_engine import run_evidently

            if isinstance(current, (str, os.PathLike)):
                current = read_frame(current, "current")
            elif not isinstance(current, pd.DataFrame):
                raise InputError.invalid(
                    "current",
                    type(current).__name__,
                    "a DataFrame or a file path with engine='evidently' (Evidently holds all "
                    "data in memory); use engine='native' to stream chunks",
                )
            specs = current_specs(summary, current, self.column_types)
            columns, path = run_evidently(
                self, summary, self.reference_frame_, current, specs, html_path
            )
            return self._result(columns, path)
        sketched = any(c.sketch is not None for c in summary.columns)
        if isinstance(current, pd.DataFrame) and sketched:
            current = [current]  # a sketched reference: the streamed engine, in one chunk
        if isinstance(current, pd.DataFrame):
            from mlops_kit.validation.drift.native import run_frames

            specs = current_specs(summary, current, self.column_types)
            columns = run_frames(summary, current, specs, **options)
        else:
            from mlops_kit.validation.drift.chunked import run_stream

            columns = run_stream(
                summary, current, self.column_types, batch_size=batch_size, **options
            )
        result = self._result(columns, None)
        if html_path is not None:
            result.html_path = str(result.save_html(html_path))
        return result

    def _result(self, columns, html_path) -> DriftResult:
        notes = [c.note for c in columns if c.note and not c.skipped]
        for note in notes:
            warnings.warn(note, LargeSampleWarning, stacklevel=4)
        return DriftResult(
            columns=columns,
            drift_share=float(self.drift_share),
            engine=self.engine,
            warnings=notes,
            html_path=None if html_path is None else str(html_path),
        )

    # --- the fitted summary as a file ------------------------------------------------
    def save(self, path):
        """Write the fitted reference summary and this check's parameters to ``path`` (.npz).

        Returns the path. Not available for ``engine="evidently"`` (it needs
        the reference frame).

        Examples
        --------
        >>> import pandas as pd, pathlib, tempfile
        >>> ref = pd.DataFrame({"x": [1.0, 2.0, 3.0] * 10})
        >>> path = DriftCheck(drift_share=0.3).fit(ref).save(
        ...     pathlib.Path(tempfile.mkdtemp()) / "ref.npz")
        >>> loaded = DriftCheck.load(path)
        >>> loaded, loaded.run(ref).n_drifted
        (DriftCheck(drift_share=0.3), 0)
        """
        if getattr(self, "reference_", None) is None:
            raise InputError("This DriftCheck is not fitted: call fit(reference) before save.")
        if self.engine != "native":
            raise InputError.invalid(
                "engine",
                self.engine,
                "'native' to save a fitted check",
                "Evidently needs the reference frame itself.",
            )
        self.reference_.params = self._saved_params()
        return self.reference_.save(path)

    @classmethod
    def load(cls, path) -> DriftCheck:
        """Return the fitted check saved by :meth:`save` (no reference frame needed)."""
        from mlops_kit.validation.drift.reference import ReferenceSummary

        summary = ReferenceSummary.load(path)
        try:
            check = cls(**summary.params)
        except TypeError as exc:
            raise InputError.invalid(
                "path", str(path), "a file written by DriftCheck.save", str(exc)
            ) from None
        check._validate_params()
        check.reference_ = summary
        check.reference_frame_ = None
        return check


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
