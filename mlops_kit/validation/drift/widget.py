"""The drift explorer: a notebook widget over :class:`DriftCheck`.

A thin layer over the check: the per-column table (largest effect first,
drifted columns highlighted) under a headline with the dataset verdict, a
column picker showing reference against current distributions, and controls
(method, threshold, drift share) that re-run the check on the same data. The
table, headline and chart come from :mod:`.widget_render`, the sampling from
:mod:`.widget_data`; ipywidgets and matplotlib are imported only when an
explorer is built, and charts are drawn without pyplot so the notebook's
Matplotlib backend is left alone.

Examples
--------
>>> from mlops_kit.data import inject_drift, make_credit, split_reference_current
>>> df = make_credit(n_rows=1_000, seed=0).drop(columns=["id"])
>>> ref, cur = split_reference_current(inject_drift(df, "covariate", columns=["income"]))
>>> ex = drift_explorer(ref, cur)
>>> ex.column.value
'income'
>>> ex.method.value = "psi"
>>> ex.result["income"].test
'psi'
"""

from __future__ import annotations

import dataclasses
import warnings

from mlops_kit._figures import import_ipywidgets
from mlops_kit._params import Interval, check_param
from mlops_kit.errors import InputError, MlopsKitError
from mlops_kit.validation.drift.widget_data import (
    column_values,
    load_frame,
    sample_index,
)

__all__ = ["DriftExplorer", "drift_explorer"]

_FROM_CHECK = "__check__"  # method Dropdown value: the check's own (per-column) methods
_SAMPLE_SEEDS = (0, 1)  # reference, current


class DriftExplorer:
    """Drift table, dataset verdict, distribution chart and controls that re-run the check.

    Build it with :func:`drift_explorer` and display it as the last expression
    of a cell. Attributes are public so that a test (or a notebook) can drive
    it by setting ``.value`` on the controls.

    Attributes
    ----------
    table, headline, status, caption : ipywidgets.HTML
        Per-column table; dataset verdict and warnings; the latest error (or
        the settings of the latest run); the picked column's verdict.
    column : ipywidgets.Dropdown
        The column to chart, ordered like the table.
    chart : ipywidgets.Image
        Reference against current distribution of ``column`` (PNG).
    method : ipywidgets.Dropdown
        ``"auto"`` or a method of :data:`~mlops_kit.validation.drift.methods.METHODS`.
    custom_threshold : ipywidgets.Checkbox
        Unchecked: the method's default threshold (or the check's per-column dict).
    threshold : ipywidgets.FloatText
        The threshold used when ``custom_threshold`` is checked.
    drift_share : ipywidgets.FloatSlider
        Share of drifted columns at which the dataset drifts.
    result : DriftResult
        The latest successful check.
    error : str or None
        Why the latest settings were not allowed (``result`` is then the last valid one).
    widget : ipywidgets.VBox
        The whole explorer.

    Examples
    --------
    >>> import pandas as pd
    >>> ref = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0] * 25, "c": ["a", "b"] * 50})
    >>> ex = DriftExplorer(ref, ref)
    >>> ex.result.dataset_drift, ex.column.options
    (False, ('x', 'c'))
    """

    def __init__(self, reference, current, check=None, max_rows_plot: int = 100_000):
        from mlops_kit.validation.drift.check import DriftCheck
        from mlops_kit.validation.drift.methods import METHODS

        w = import_ipywidgets("drift_explorer")
        check = DriftCheck() if check is None else check
        if not isinstance(check, DriftCheck):
            raise InputError.invalid("check", type(check).__name__, "a DriftCheck or None")
        check_param("max_rows_plot", max_rows_plot, [Interval(int, 1, None)])
        self._reference = load_frame(reference, "reference")
        self._current = load_frame(current, "current")
        self._check = check
        self._index = [
            sample_index(len(frame), max_rows_plot, seed)
            for frame, seed in zip((self._reference, self._current), _SAMPLE_SEEDS, strict=True)
        ]
        self._hold = False
        self.error: str | None = None
        self._settings = (check.method, check.threshold, check.drift_share)
        self.result = self._run(*self._settings)  # bad data or options raise here, clearly

        options = [(m, m) for m in ("auto", *METHODS)]
        if not (isinstance(check.method, str) and check.method in ("auto", *METHODS)):
            options.insert(0, ("check's per-column methods", _FROM_CHECK))
        method = check.method if options[0][1] != _FROM_CHECK else _FROM_CHECK
        self.method = w.Dropdown(options=options, value=method, description="method")
        custom = isinstance(check.threshold, (int, float))
        self.custom_threshold = w.Checkbox(
            value=custom, description="custom threshold", indent=False
        )
        self.threshold = w.FloatText(
            value=float(check.threshold) if custom else 0.05,
            step=0.01,
            disabled=not custom,
            layout=w.Layout(width="110px"),
        )
        self.drift_share = w.FloatSlider(
            value=float(check.drift_share),
            min=0.0,
            max=1.0,
            step=0.05,
            readout_format=".2f",
            continuous_update=False,
            description="drift_share",
        )
        self.status = w.HTML()
        self.headline = w.HTML()
        self.table = w.HTML()
        self.column = w.Dropdown(description="column", layout=w.Layout(width="420px"))
        self.chart = w.Image(format="png", layout=w.Layout(max_width="720px"))
        self.caption = w.HTML()
        for control in (self.method, self.custom_threshold, self.threshold, self.drift_share):
            control.observe(self._on_setting, names="value")
        self.column.observe(self._on_column, names="value")
        controls = w.HBox([self.method, self.custom_threshold, self.threshold, self.drift_share])
        table_box = w.Box([self.table], layout=w.Layout(max_height="320px", overflow="auto"))
        self.widget = w.VBox(
            [controls, self.status, self.headline, table_box, self.column, self.chart, self.caption]
        )
        # stable hooks for tests/browser and the screenshots (mlops-kit-<widget>[-<part>])
        self.widget.add_class("mlops-kit-drift-explorer")
        for part in ("method", "drift_share", "status", "headline", "table", "column", "chart"):
            getattr(self, part).add_class(f"mlops-kit-drift-explorer-{part.replace('_', '-')}")
        self.caption.add_class("mlops-kit-drift-explorer-caption")
        self._show(self.result, keep=None)
        self.status.value = self._status_ok()

    # --- the check --------------------------------------------------------------
    def settings(self) -> tuple:
        """``(method, threshold, drift_share)`` as the controls set them."""
        method = self.method.value
        if method == _FROM_CHECK:
            method = self._check.method
        if self.custom_threshold.value:
            threshold = float(self.threshold.value)
        else:
            own = self._check.threshold
            threshold = own if isinstance(own, dict) else None
        return method, threshold, self.drift_share.value

    def _run(self, method, threshold, drift_share):
        from mlops_kit.validation.drift.check import DriftCheck
        from mlops_kit.validation.drift.result import LargeSampleWarning

        params = self._check.get_params()
        params.update(method=method, threshold=threshold, drift_share=drift_share)
        check = DriftCheck(**params)
        with warnings.catch_warnings():  # shown in the headline instead
            warnings.simplefilter("ignore", LargeSampleWarning)
            return check.run(self._reference, self._current)

    def update(self) -> None:
        """Re-run the check with the controls' settings and redraw (never raises)."""
        from mlops_kit.validation.drift.check import DriftCheck

        settings = self.settings()
        try:
            if settings[:2] == self._settings[:2]:  # only the share moved: same verdicts
                from mlops_kit._params import check_param

                constraints = DriftCheck._parameter_constraints["drift_share"]
                share = float(check_param("drift_share", settings[2], constraints))
                result = dataclasses.replace(self.result, drift_share=share)
            else:
                result = self._run(*settings)
        except Exception as exc:  # shown, never raised into the notebook
            from mlops_kit.validation.drift.widget_render import message_html

            kind = "" if isinstance(exc, MlopsKitError) else f"{type(exc).__name__}: "
            self.error = f"{kind}{exc}"
            self.status.value = message_html(
                f"{self.error} (showing the last valid result)", "error"
            )
            return
        self.error = None
        self._settings = settings
        self._show(result, keep=self.column.value)
        self.status.value = self._status_ok()

    def _status_ok(self) -> str:
        from mlops_kit.validation.drift.widget_render import message_html

        method, threshold, share = self._settings
        thr = "method default" if threshold is None else threshold
        return message_html(f"checked with method={method}, threshold={thr}, drift_share={share}")

    # --- display ----------------------------------------------------------------
    def _show(self, result, keep) -> None:
        from mlops_kit.validation.drift.widget_render import headline_html, ordered, table_html

        self.result = result
        method = self._settings[0]
        self.headline.value = headline_html(result, method if isinstance(method, str) else "")
        self.table.value = table_html(result)
        cols = ordered(result)
        self._by_name = {str(c.column): c for c in cols}
        names = list(self._by_name)
        self._hold = True
        try:
            self.column.options = names
            self.column.value = keep if keep in self._by_name else (names[0] if names else None)
        finally:
            self._hold = False
        self._draw()

    def _draw(self) -> None:
        from mlops_kit.validation.drift.widget_render import (
            caption_text,
            chart_png,
            message_html,
            title_text,
        )

        name = self.column.value
        if name is None:
            self.chart.value = b""
            self.caption.value = message_html("No column could be tested.")
            return
        col = self._by_name[name]
        ref_idx, cur_idx = self._index
        sampled = [
            f"{len(idx)} of {len(frame)} {side} rows"
            for idx, frame, side in (
                (ref_idx, self._reference, "reference"),
                (cur_idx, self._current, "current"),
            )
            if idx is not None
        ]
        note = f"chart drawn on a seeded sample of {' and '.join(sampled)}" if sampled else ""
        try:
            ref = column_values(self._reference, col.column, ref_idx)
            cur = column_values(self._current, col.column, cur_idx)
            self.chart.value = chart_png(col, ref, cur, title_text(col))
        except Exception as exc:  # shown, never raised into the notebook
            self.chart.value = b""
            note = f"cannot draw the chart: {type(exc).__name__}: {exc}"
        self.caption.value = message_html(caption_text(col, note))

    def _on_setting(self, change) -> None:
        if change["owner"] is self.custom_threshold:
            self.threshold.disabled = not change["new"]
        self.update()

    def _on_column(self, _change) -> None:
        if not self._hold:
            self._draw()

    def _ipython_display_(self, **kwargs) -> None:
        from IPython.display import display

        display(self.widget)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def drift_explorer(reference, current, *, check=None, max_rows_plot: int = 100_000):
    """Build the drift explorer: table, verdict, distribution chart and controls.

    Parameters
    ----------
    reference, current : pandas.DataFrame or path
        The baseline and the data to check (Parquet/CSV paths are read whole).
    check : DriftCheck, optional
        The check to start from (default ``DriftCheck()``); its columns, column
        types, engine and ``negligible_effect`` are kept when the controls
        change method, threshold or drift share.
    max_rows_plot : int, default 100_000
        Charts are drawn on a seeded random sample of at most this many rows
        per side; the check itself always uses every row.

    Returns
    -------
    DriftExplorer
        Display it in a notebook; ``.result`` holds the latest DriftResult.

    Raises
    ------
    InputError, ColumnError
        When the data or the starting check are not allowed (later changes of
        the controls show their error in ``.status`` instead).

    Examples
    --------
    >>> import pandas as pd
    >>> ref = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0] * 25})
    >>> cur = pd.DataFrame({"x": [3.0, 4.0, 5.0, 6.0] * 25})
    >>> ex = drift_explorer(ref, cur)
    >>> ex.result.dataset_drift
    True
    >>> ex.drift_share.value = 0  # not allowed: shown, not raised
    >>> ex.error
    'Invalid drift_share: got 0.0; allowed: a number in (0, 1].'
    """
    return DriftExplorer(reference, current, check=check, max_rows_plot=max_rows_plot)
