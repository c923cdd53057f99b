"""The canary timeline in a real JupyterLab: a real in-process rollout runs in the kernel
and the page shows each stage as it happens, then the final decision.

The rollout is the kit's own (``CanaryRollout`` over a real SQLite MLflow registry with
two real scikit-learn models, an in-process ``TrafficSplit``); nothing is mocked.
"""

from __future__ import annotations

import pytest
from _widget_pages import CANARY_MODEL, PAGES, canary_store

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Installed before JupyterLab loads: every change of the page appends the stage cards'
# states ("running,pending,pending,pending") when they differ from the last one seen.
RECORD_STATES = """
window.__canaryStates = [];
new MutationObserver(() => {
    const cards = [...document.querySelectorAll('.mlops-kit-canary-stage')];
    if (!cards.length) return;
    const state = cards.map((c) => c.dataset.decision).join(',');
    const log = window.__canaryStates;
    if (log[log.length - 1] !== state) log.push(state);
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


def test_a_canary_running_in_the_kernel_shows_its_stages_then_its_decision(lab, open_notebook):
    from mlops_kit.tracking import current

    uri = canary_store(lab[1])
    spec = PAGES["canary_timeline"]
    page = open_notebook("canary.ipynb", *spec.sources(uri), init_script=RECORD_STATES)
    # the final decision: a summary, four decided cards, the A/B table and the chart
    status = page.locator(".mlops-kit-canary-status")
    status.locator(f"text=PROMOTED {CANARY_MODEL} v2 to champion").wait_for()
    cards = page.locator(".mlops-kit-canary-stage")
    assert cards.count() == 4
    assert [cards.nth(i).get_attribute("data-decision") for i in range(4)] == [
        "advance",
        "advance",
        "advance",
        "promote",
    ]
    assert cards.nth(1).inner_text().startswith("Stage 2: 25%")
    table = page.locator(".mlops-kit-canary-table")
    assert table.locator("tbody tr").count() == 4
    assert "challenger acc." in table.inner_text()
    assert page.locator("img.mlops-kit-canary-chart").count() == 1
    # as it ran: the page showed stage 1 collecting rows, then stage 2, before the end
    states = page.evaluate("window.__canaryStates")
    assert states[0] == "pending,pending,pending,pending" or states[0].startswith("running")
    assert "running,pending,pending,pending" in states, states
    assert "advance,running,pending,pending" in states, states
    assert "advance,advance,running,pending" in states, states
    assert states[-1] == "advance,advance,advance,promote"
    order = [
        states.index(s)
        for s in (
            "running,pending,pending,pending",
            "advance,running,pending,pending",
            "advance,advance,advance,promote",
        )
    ]
    assert order == sorted(order)
    # the page showed what the registry now says
    assert current(CANARY_MODEL, tracking_uri=uri).version == 2
