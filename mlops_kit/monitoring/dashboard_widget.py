"""The live monitoring dashboard: a notebook widget that refreshes from the prediction log.

A thin layer over a :class:`~mlops_kit.monitoring.dashboard.MonitoringDashboard`
built by :func:`~mlops_kit.monitoring.dashboard.dashboard`, which it recomputes: a status
line (``"N predictions, last window ..."``), the panel grid as an image and the
latest alerts, recomputed from the log when **Refresh** is clicked and, with
``interval``, every ``interval`` seconds by a background thread that stops when
the widget is closed. A refresh that fails shows its error in the status line
and keeps the last good view; it never raises into the notebook. Stable CSS
classes (``mlops-kit-dashboard``, ``mlops-kit-dashboard-status``) let browser
tests find the parts.

Examples
--------
>>> import tempfile, os
>>> from mlops_kit.monitoring import PredictionLog, dashboard
>>> log = PredictionLog(os.path.join(tempfile.mkdtemp(), "p.db"))
>>> live = DashboardWidget(dashboard(log))
>>> live.dashboard.n_predictions
0
>>> _ = log.append([{"id": "a", "time": "2024-01-01", "prediction": 1, "latency_ms": 3.0}])
>>> live.refresh_button.click()
>>> live.dashboard.n_predictions, "1 prediction, last window 2024-01-01" in live.status.value
(1, True)
>>> live.close()
"""

from __future__ import annotations

import html
import threading

from mlops_kit._figures import figure_png, import_ipywidgets
from mlops_kit._params import Interval, check_param
from mlops_kit.errors import MlopsKitError

__all__ = ["DashboardWidget"]

_FIGSIZE = (9, 7)
_DPI = 72  # 648 px wide: fits a 1280 px window beside JupyterLab's side bar
_SHOWN_ALERTS = 5


class DashboardWidget:
    """Status line, panel grid and latest alerts of a prediction log, refreshed on demand.

    Build it with :func:`~mlops_kit.monitoring.dashboard.dashboard_widget` (or
    ``MonitoringDashboard.widget()``) from a dashboard that knows its log
    and display it as the last expression of a cell.

    Attributes
    ----------
    dashboard : MonitoringDashboard
        The latest successful refresh.
    status : ipywidgets.HTML
        ``"N predictions, last window ..."``, or the error of the latest refresh.
    chart : ipywidgets.Image
        The panel grid (PNG).
    alerts : ipywidgets.HTML
        The latest alerts.
    refresh_button : ipywidgets.Button
        Recomputes the dashboard from the log.
    refreshes : int
        Successful refreshes so far (the first view counts).
    error : str or None
        Why the latest refresh failed.
    widget : ipywidgets.VBox
        The whole view (CSS class ``mlops-kit-dashboard``).

    Examples
    --------
    >>> import tempfile, os
    >>> from mlops_kit.monitoring import dashboard
    >>> live = DashboardWidget(dashboard(os.path.join(tempfile.mkdtemp(), "p.db")))
    >>> live.refreshes
    1
    >>> live.close()
    """

    def __init__(self, board, interval=None):
        w = import_ipywidgets("dashboard_widget")
        check_param("interval", interval, [None, Interval(float, 0, None, closed="neither")])
        board._require_source()  # a dashboard that knows its log
        self.dashboard = board
        self.interval = interval
        self.refreshes = 1
        self.error: str | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.refresh_button = w.Button(
            description="Refresh", icon="refresh", tooltip="Recompute from the prediction log"
        )
        self.refresh_button.on_click(lambda _button: self.refresh())
        every = f"refreshes every {interval:g} s" if interval else "refreshes on click"
        self.mode = w.HTML(f"<span>{html.escape(every)}</span>")
        self.status = w.HTML()
        self.status.add_class("mlops-kit-dashboard-status")
        self.chart = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto"))
        self.alerts = w.HTML()
        self.widget = w.VBox(
            [
                w.HBox([self.refresh_button, self.mode], layout=w.Layout(align_items="center")),
                self.status,
                self.chart,
                self.alerts,
            ],
            layout=w.Layout(max_width="100%", overflow="hidden"),
        )
        self.widget.add_class("mlops-kit-dashboard")
        self._show()
        self._thread = None
        if interval:
            self._thread = threading.Thread(
                target=self._loop, name="mlops-kit-dashboard", daemon=True
            )
            self._thread.start()

    # --- refreshing ------------------------------------------------------------------
    def refresh(self) -> bool:
        """Recompute the dashboard from the log and redraw; True on success (never raises)."""
        from mlops_kit.monitoring.log import PredictionLog

        with self._lock:
            given = self.dashboard._source[0]
            # a connection of its own: SQLite connections stay in the thread that opened them
            log = PredictionLog(given.path, max_delay=given.max_delay)
            try:
                board = self.dashboard.recompute(log)
            except Exception as exc:  # shown, never raised into the notebook
                kind = "" if isinstance(exc, MlopsKitError) else f"{type(exc).__name__}: "
                self.error = f"{kind}{exc}"
                self.status.value = (
                    f'<span style="color:#b00020">refresh failed: {html.escape(self.error)}'
                    " (showing the last good view)</span>"
                )
                return False
            finally:
                log.close()
            self.error = None
            self.dashboard = board
            self.refreshes += 1
            self._show()
            return True

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            if getattr(self.widget, "comm", None) is None:  # the widget was closed
                return
            self.refresh()

    @property
    def running(self) -> bool:
        """True while the interval thread is refreshing."""
        return self._thread is not None and self._thread.is_alive()

    def close(self) -> None:
        """Stop the interval refresh and close the widget (idempotent)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)
        self.widget.close()

    # --- display ---------------------------------------------------------------------
    def _show(self) -> None:
        board = self.dashboard
        self.status.value = f"<b>{html.escape(board.status())}</b>"
        self.chart.value = figure_png(lambda ax: board.plot(ax=ax), figsize=_FIGSIZE, dpi=_DPI)
        shown = board.alerts[-_SHOWN_ALERTS:]
        if not shown:
            self.alerts.value = "<span>no alerts</span>"
            return
        items = "".join(
            f'<li style="overflow-wrap:anywhere">{html.escape(a.message())}</li>' for a in shown
        )
        more = len(board.alerts) - len(shown)
        head = f"{len(board.alerts)} alerts" + (f" (latest {len(shown)})" if more else "")
        self.alerts.value = f"<span>{head}:</span><ul>{items}</ul>"

    def _ipython_display_(self, **kwargs) -> None:
        from IPython.display import display

        display(self.widget)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
