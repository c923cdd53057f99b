"""The live dashboard widget, driven through its traitlets on a real prediction log."""

from __future__ import annotations

import time

import pandas as pd

from mlops_kit.monitoring import PredictionLog, WindowedMetrics, dashboard, dashboard_widget


def _rows(start: int, n: int, day: str = "2024-01-01", features=None):
    return [
        {
            "id": f"r{i}",
            "time": f"{day}T{i % 24:02d}:00",
            "prediction": i % 2,
            "probability": 0.2 + 0.6 * (i % 2),
            "latency_ms": 5.0,
            "features": features if features is not None else {"x": float(i % 7)},
        }
        for i in range(start, start + n)
    ]


def _wait_for(condition, timeout=60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_refresh_button_shows_the_rows_appended_since(tmp_path):
    log = PredictionLog(tmp_path / "p.db")
    log.append(_rows(0, 10))
    live = dashboard_widget(log)
    assert live.status.value.startswith("<b>10 predictions, last window 2024-01-01")
    before = live.chart.value
    assert before[:4] == b"\x89PNG"
    log.append(_rows(10, 15, day="2024-01-02"))
    assert live.dashboard.n_predictions == 10  # nothing moves until a refresh
    live.refresh_button.click()
    assert live.dashboard.n_predictions == 25 and live.refreshes == 2
    assert "25 predictions, last window 2024-01-02 (15 predictions)" in live.status.value
    assert live.chart.value != before
    assert "mlops-kit-dashboard" in live.widget._dom_classes
    assert "mlops-kit-dashboard-status" in live.status._dom_classes
    live.close()


def test_interval_thread_refreshes_and_stops_when_the_widget_is_closed(tmp_path):
    log = PredictionLog(tmp_path / "p.db")
    log.append(_rows(0, 5))
    live = dashboard_widget(log, interval=0.2)
    assert live.running
    log.append(_rows(5, 7))
    assert _wait_for(lambda: live.dashboard.n_predictions == 12), live.status.value
    assert "12 predictions" in live.status.value and live.error is None
    live.widget.close()  # closed from the notebook side: the thread notices and ends
    assert _wait_for(lambda: not live.running)
    refreshes = live.refreshes
    time.sleep(0.5)
    assert live.refreshes == refreshes


def test_a_failed_refresh_is_shown_and_keeps_the_last_view(tmp_path):
    log = PredictionLog(tmp_path / "p.db")
    monitor = WindowedMetrics(min_drift_rows=5).fit(pd.DataFrame({"x": [0.0, 1.0, 2.0] * 20}))
    log.append(_rows(0, 10))
    live = dashboard_widget(log, monitor=monitor)
    good = live.dashboard
    # rows without the reference's feature: the drift check cannot run on this window
    log.append(_rows(10, 10, day="2024-01-02", features={"y": 1.0}))
    assert live.refresh() is False
    assert "refresh failed: Invalid log: got &quot;predictions without feature" in (
        live.status.value
    )
    assert live.dashboard is good and "feature 'x'" in live.error
    live.close()


def test_a_dashboard_built_from_a_path_opens_its_own_widget(tmp_path):
    path = tmp_path / "p.db"
    PredictionLog(path).append(_rows(0, 3))
    board = dashboard(path)
    live = board.widget()
    assert live.dashboard is board and live.refreshes == 1
    PredictionLog(path).append(_rows(3, 2))
    assert live.refresh() and live.dashboard.n_predictions == 5
    live.close()
