"""The live monitoring dashboard in a real JupyterLab: a refresh shows rows the test appended."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _rows(start: int, n: int, day: str):
    return [
        {
            "id": f"r{i}",
            "time": f"{day}T{i % 24:02d}:00",
            "prediction": i % 2,
            "probability": 0.2 + 0.6 * (i % 2),
            "latency_ms": 4.0 + i % 5,
            "features": {"x": float(i % 7)},
        }
        for i in range(start, start + n)
    ]


_FITS_JS = """() => {
    const root = document.querySelector('.mlops-kit-dashboard');
    const area = root.closest('.jp-OutputArea-output');
    const out = [];
    for (const el of [root, ...root.querySelectorAll('*')]) {
        if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
            out.push(`${el.className}: ${el.scrollWidth} > ${el.clientWidth}`);
        }
    }
    for (const el of [root, root.querySelector('img')]) {
        if (el.getBoundingClientRect().right > area.getBoundingClientRect().right + 1) {
            out.push(`${el.tagName} is wider than the output area`);
        }
    }
    return out;
}"""


def test_refresh_shows_predictions_appended_to_the_log_and_fits_1280_px(lab, open_notebook):
    from mlops_kit.monitoring import PredictionLog

    _, root, _ = lab
    path = root / "live_predictions.db"
    log = PredictionLog(path)
    log.append(_rows(0, 40, "2024-03-01"))
    page = open_notebook(
        "dashboard.ipynb",
        "from mlops_kit.monitoring import AlertRule, dashboard_widget\n"
        f"live = dashboard_widget({str(path)!r}, rules=[AlertRule('accuracy', '<', 0.8)])\n"
        "live",
        width=1280,
    )
    status = page.locator(".mlops-kit-dashboard .mlops-kit-dashboard-status")
    status.filter(has_text="40 predictions, last window 2024-03-01").wait_for()
    assert page.locator(".mlops-kit-dashboard img").count() == 1
    assert page.evaluate(_FITS_JS) == []
    # the test appends to the log; nothing changes until Refresh is clicked
    log.append(_rows(40, 25, "2024-03-02"))
    assert "40 predictions" in status.inner_text()
    page.locator(".mlops-kit-dashboard").get_by_role("button", name="Refresh").click()
    status.filter(has_text="65 predictions, last window 2024-03-02 (25 predictions)").wait_for()
    assert page.evaluate(_FITS_JS) == []
