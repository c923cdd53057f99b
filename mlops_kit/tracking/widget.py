"""A notebook browser over the tracking store: runs of an experiment and the registry.

:func:`experiment_browser` builds an :class:`ExperimentBrowser`: pick an
experiment and some metrics to see the runs table and a comparison chart
(:func:`~mlops_kit.tracking.compare.compare_runs`); the *Registry* tab shows
each registered model's versions and alias history and promotes or rolls
back an alias (:mod:`mlops_kit.tracking.widget_registry`).

The widget layer is thin: what to show for a given state is computed by the
plain functions here (:func:`experiment_names`, :func:`narrow`,
:func:`runs_table_html`, :func:`chart_png`, :func:`frame_html`,
:func:`message_html`), which need no ipywidgets. ipywidgets and matplotlib
are imported only when a browser is built or a chart drawn.

Examples
--------
>>> import tempfile
>>> b = experiment_browser(f"sqlite:///{tempfile.mkdtemp()}/mlruns.db")
>>> b.experiment.options
()
>>> "No experiments with runs" in b.runs_table.value
True
"""

from __future__ import annotations

from mlops_kit._figures import import_ipywidgets
from mlops_kit._params import Interval, check_param
from mlops_kit.errors import InputError
from mlops_kit.tracking.compare import _BASE, RunComparison, compare_runs
from mlops_kit.tracking.store import get_client, resolve_tracking_uri
from mlops_kit.tracking.widget_html import (
    MAX_ROWS,
    describe_error,
    frame_html,
    message_html,
)

__all__ = [
    "ExperimentBrowser",
    "chart_png",
    "default_metrics",
    "describe_error",
    "experiment_browser",
    "experiment_names",
    "frame_html",
    "message_html",
    "narrow",
    "runs_table_html",
]

EMPTY_STORE = (
    "No experiments with runs in this store yet. Log a run (mlflow.start_run() or "
    "mlops_kit.tracking.start_run()) and press Refresh."
)


def experiment_names(tracking_uri: str | None = None) -> list[str]:
    """Return the names of the active experiments, sorted; ``Default`` only if it has runs.

    Examples
    --------
    >>> import tempfile
    >>> experiment_names(f"sqlite:///{tempfile.mkdtemp()}/mlruns.db")
    []
    """
    from mlflow.entities import ViewType

    client = get_client(tracking_uri)
    found, token = [], None
    while True:
        page = client.search_experiments(
            view_type=ViewType.ACTIVE_ONLY, max_results=1000, page_token=token
        )
        found.extend(page)
        token = page.token
        if not token:
            break
    names = []
    for exp in found:
        if exp.name == "Default" and not client.search_runs([exp.experiment_id], max_results=1):
            continue
        names.append(exp.name)
    return sorted(names, key=lambda n: (n.lower(), n))


def default_metrics(keys, limit: int = 3) -> list[str]:
    """Return the metrics chosen when an experiment is opened: the first ``limit`` keys.

    Examples
    --------
    >>> default_metrics(["accuracy", "f1", "loss", "rmse"])
    ['accuracy', 'f1', 'loss']
    """
    return list(keys)[:limit]


def narrow(comparison: RunComparison, metrics) -> RunComparison:
    """Return a new comparison of the same runs restricted to ``metrics`` (no store read).

    Examples
    --------
    >>> records = [{"run_id": "a1b2c3d4", "run_name": "<b>gbm</b>", "status": "FINISHED",
    ...             "start_time": "2026-01-01T10:00:00+00:00", "max_depth": "3",
    ...             "accuracy": 0.88, "rmse": 0.3}]
    >>> cmp = RunComparison("demo", records, ["accuracy", "rmse"], ["max_depth"])
    >>> narrow(cmp, ["rmse"]).to_frame().columns.tolist()[-2:]
    ['max_depth', 'rmse']
    """
    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    for key in metrics:
        if key not in comparison.metrics:
            raise InputError.invalid("metrics", key, f"one of {comparison.metrics}")
    keep = _BASE + comparison.params + metrics
    records = [{k: r.get(k) for k in keep} for r in comparison.records]
    return RunComparison(comparison.experiment, records, metrics, comparison.params)


def runs_table_html(comparison: RunComparison, max_rows: int = MAX_ROWS) -> str:
    """Return the summary line and a compact runs table (newest first), all escaped.

    Examples
    --------
    >>> records = [{"run_id": "a1b2c3d4", "run_name": "<b>gbm</b>", "status": "FINISHED",
    ...             "start_time": "2026-01-01T10:00:00+00:00", "max_depth": "3",
    ...             "accuracy": 0.88, "rmse": 0.3}]
    >>> cmp = RunComparison("demo", records, ["accuracy", "rmse"], ["max_depth"])
    >>> page = runs_table_html(cmp)
    >>> "&lt;b&gt;gbm&lt;/b&gt;" in page and "<b>gbm</b>" not in page
    True
    """
    if not comparison.records:
        return message_html(
            f"Experiment {comparison.experiment!r} has no runs yet. Log runs to it and "
            "press Refresh."
        )
    frame = comparison.to_frame()
    frame["run_id"] = frame["run_id"].astype(str).str[:8]
    frame["start_time"] = frame["start_time"].dt.strftime("%Y-%m-%d %H:%M")
    frame = frame.rename(columns={"run_id": "run", "run_name": "name", "start_time": "started"})
    note = "" if comparison.metrics else " Choose metrics to compare them."
    head = message_html(comparison.summary() + "." + note)
    return head + frame_html(frame, max_rows, what="runs")


def chart_png(comparison: RunComparison, dpi: int = 80) -> bytes:
    """Return the comparison chart as PNG bytes, or ``b""`` when there is nothing to draw.

    Drawn on a standalone Matplotlib Figure (no pyplot state, nothing to close), with
    mathtext off so that a run named ``"$x_$"`` is shown as typed.

    Examples
    --------
    >>> records = [{"run_id": "a1b2c3d4", "run_name": "<b>gbm</b>", "status": "FINISHED",
    ...             "start_time": "2026-01-01T10:00:00+00:00", "max_depth": "3",
    ...             "accuracy": 0.88, "rmse": 0.3}]
    >>> cmp = RunComparison("demo", records, ["accuracy", "rmse"], ["max_depth"])
    >>> chart_png(cmp)[:4]
    b'\\x89PNG'
    """
    if not comparison.records or not comparison.metrics:
        return b""
    from mlops_kit._figures import figure_png

    width = max(6, 0.6 * len(comparison.records) + 3)
    return figure_png(lambda ax: comparison.plot(ax=ax), figsize=(width, 3.5), dpi=dpi)


class ExperimentBrowser:
    """Browse runs and registered models of a tracking store in a notebook.

    Build it with :func:`experiment_browser`; display it as the last
    expression of a cell. Every child widget is a public attribute so that a
    test (or a notebook) can drive it by setting ``.value`` or calling
    ``.click()``.

    Parameters
    ----------
    tracking_uri : str, optional
        Store to browse (default: :func:`~mlops_kit.tracking.store.resolve_tracking_uri`).
    max_runs : int, default 100
        At most this many runs per experiment (newest first).
    user : str, optional
        Recorded in the alias history as who promoted or rolled back (default: ``$USER``).

    Attributes
    ----------
    experiment : ipywidgets.Dropdown
        "Experiment": the experiments with runs.
    metrics : ipywidgets.SelectMultiple
        "Metrics": the metric keys logged in the chosen experiment.
    runs_table : ipywidgets.HTML
        Summary and runs table of :attr:`comparison`.
    chart : ipywidgets.Image
        The comparison chart as PNG (empty when there is nothing to draw).
    refresh_button : ipywidgets.Button
        "Refresh": re-read the store (experiments, runs, models).
    registry : RegistryPanel
        The *Registry* tab; its widgets are also attributes here: ``model``,
        ``versions_table``, ``version``, ``alias``, ``reason``,
        ``promote_button``, ``rollback_button``, ``status``, ``history_table``.
    comparison : RunComparison or None
        The runs of the chosen experiment on the chosen metrics.
    widget : ipywidgets.VBox
        The whole browser: the Refresh button over a Tab ("Runs", "Registry").

    Examples
    --------
    >>> import tempfile
    >>> b = ExperimentBrowser(f"sqlite:///{tempfile.mkdtemp()}/mlruns.db")
    >>> b.comparison is None, b.model.options
    (True, ())
    """

    def __init__(
        self, tracking_uri: str | None = None, *, max_runs: int = 100, user: str | None = None
    ):
        from mlops_kit.tracking.widget_registry import RegistryPanel

        check_param("max_runs", max_runs, [Interval(int, 1, None)])
        w = import_ipywidgets("experiment_browser")
        self.tracking_uri = resolve_tracking_uri(tracking_uri)
        self.max_runs = max_runs
        self.comparison: RunComparison | None = None
        self._all: RunComparison | None = None
        self._hold = False
        style = {"description_width": "initial"}
        self.experiment = w.Dropdown(options=[], value=None, description="Experiment", style=style)
        self.metrics = w.SelectMultiple(options=[], description="Metrics", rows=5, style=style)
        self.runs_table = w.HTML()
        self.chart = w.Image(format="png", layout=w.Layout(max_width="720px"))
        self.refresh_button = w.Button(
            description="Refresh", icon="refresh", tooltip="Re-read the tracking store"
        )
        self.registry = RegistryPanel(self.tracking_uri, user=user)
        for name in RegistryPanel.WIDGETS:
            setattr(self, name, getattr(self.registry, name))
        runs = w.VBox([w.HBox([self.experiment, self.metrics]), self.runs_table, self.chart])
        self.tab = w.Tab(children=[runs, self.registry.widget], titles=("Runs", "Registry"))
        self.widget = w.VBox([self.refresh_button, self.tab])
        # stable hooks for tests/browser and the screenshots (mlops-kit-<widget>[-<part>])
        self.widget.add_class("mlops-kit-experiment-browser")
        self.tab.add_class("mlops-kit-experiment-browser-tabs")
        self.experiment.add_class("mlops-kit-experiment-browser-experiment")
        self.metrics.add_class("mlops-kit-experiment-browser-metrics")
        self.runs_table.add_class("mlops-kit-experiment-browser-runs")
        self.chart.add_class("mlops-kit-experiment-browser-chart")
        self.refresh_button.add_class("mlops-kit-experiment-browser-refresh")
        self.experiment.observe(self._on_experiment, names="value")
        self.metrics.observe(self._on_metrics, names="value")
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.refresh()

    @property
    def history_frame(self):
        """The alias history (DataFrame) of the chosen model, or None."""
        return self.registry.history_frame

    @property
    def versions_frame(self):
        """The versions (DataFrame) of the chosen model, or None."""
        return self.registry.versions_frame

    def refresh(self) -> None:
        """Re-read the store: experiments, the chosen experiment's runs, the registry."""
        keep = self.experiment.value
        try:
            names = experiment_names(self.tracking_uri)
        except Exception as exc:  # shown, never raised into the notebook
            names, error = [], f"Cannot read the tracking store: {describe_error(exc)}"
        else:
            error = None
        self._hold = True
        try:
            self.experiment.options = names
            self.experiment.value = keep if keep in names else (names[0] if names else None)
        finally:
            self._hold = False
        self._load(keep_metrics=True)
        if error:
            self.runs_table.value = message_html(error, "error")
        self.registry.refresh()

    def _load(self, keep_metrics: bool) -> None:
        """Read the chosen experiment's runs, set the metric options and redraw."""
        name = self.experiment.value
        full, error = None, None
        if name is not None:
            try:
                full = compare_runs(name, max_runs=self.max_runs, tracking_uri=self.tracking_uri)
            except Exception as exc:  # the experiment was deleted meanwhile, store down...
                error = f"Cannot read the runs of {name!r}: {describe_error(exc)}"
        self._all = full
        options = full.metrics if full is not None else []
        kept = [m for m in self.metrics.value if m in options] if keep_metrics else []
        self._hold = True
        try:
            self.metrics.options = options
            self.metrics.value = tuple(kept or default_metrics(options))
        finally:
            self._hold = False
        self._show()
        if error:
            self.runs_table.value = message_html(error, "error")

    def _show(self) -> None:
        if self._all is None:
            self.comparison = None
            self.runs_table.value = message_html(EMPTY_STORE)
            self.chart.value = b""
            return
        self.comparison = narrow(self._all, self.metrics.value)
        self.runs_table.value = runs_table_html(self.comparison)
        try:
            self.chart.value = chart_png(self.comparison)
        except Exception as exc:  # shown, never raised into the notebook
            self.chart.value = b""
            note = f"Cannot draw the chart: {type(exc).__name__}: {exc}"
            self.runs_table.value += message_html(note, "error")

    def _on_experiment(self, _change) -> None:
        if not self._hold:
            self._load(keep_metrics=True)

    def _on_metrics(self, _change) -> None:
        if not self._hold:
            self._show()

    def _ipython_display_(self, **kwargs) -> None:
        from IPython.display import display

        display(self.widget)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def experiment_browser(
    tracking_uri: str | None = None, *, max_runs: int = 100, user: str | None = None
) -> ExperimentBrowser:
    """Build the experiment browser: runs, comparison chart, registry and aliases.

    Parameters
    ----------
    tracking_uri : str, optional
        Store to browse (default: :func:`~mlops_kit.tracking.store.resolve_tracking_uri`).
    max_runs : int, default 100
        At most this many runs per experiment (newest first).
    user : str, optional
        Recorded in the alias history as who promoted or rolled back (default: ``$USER``).

    Returns
    -------
    ExperimentBrowser
        Display it as the last expression of a cell.

    Examples
    --------
    >>> import tempfile
    >>> b = experiment_browser(f"sqlite:///{tempfile.mkdtemp()}/mlruns.db")
    >>> b.refresh_button.description, b.promote_button.description
    ('Refresh', 'Promote')
    """
    return ExperimentBrowser(tracking_uri, max_runs=max_runs, user=user)
