"""The approval trail in the experiment browser's Registry panel, driven through its traitlets.

Real SQLite MLflow store, real scikit-learn models; the buttons go through
:func:`mlops_kit.governance.approve` like code does. The same panel in a real
JupyterLab: ``tests/browser/test_approvals_panel.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mlops_kit.governance import GovernancePolicy, approvals, approve, set_policy
from mlops_kit.governance.policy import AUTHOR_TAG
from mlops_kit.tracking import register
from mlops_kit.tracking.widget import ExperimentBrowser
from mlops_kit.tracking.widget_registry import RegistryPanel


def _model(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 3))
    return LogisticRegression().fit(X, (X[:, 0] > 0).astype(int))


@pytest.fixture
def panel(tracking_uri):
    for seed in (0, 1):
        register(_model(seed), "churn", tags={AUTHOR_TAG: "ana"})
    panel = RegistryPanel(tracking_uri, user="val")
    panel.refresh()
    return panel


def test_trail_recorded_through_the_api_appears_per_version(panel, tracking_uri):
    html = panel.approvals_table.value
    assert 'class="mlops-kit-approvals"' in html and "No approval decisions" in html
    assert "No governance policy" in html
    approve("churn", 1, by="bo", notes="<script>x</script> gates pass")
    approve("churn", 2, "reject", by="lea", notes="bias on segment B")
    set_policy("churn", GovernancePolicy(min_approvals=2))
    panel.refresh()
    html = panel.approvals_table.value
    assert "GovernancePolicy(min_approvals=2)" in html
    assert "&lt;script&gt;x&lt;/script&gt; gates pass" in html and "<script>" not in html
    frame = panel.approvals_frame
    assert frame[["version", "decision", "by", "notes"]].values.tolist() == [
        [1, "approve", "bo", "<script>x</script> gates pass"],
        [2, "reject", "lea", "bias on segment B"],
    ]
    # newest version first in the table
    assert html.index("bias on segment B") < html.index("gates pass")


def test_approve_and_reject_buttons_record_decisions_by_the_panel_user(panel):
    panel.version.value = 2
    panel.notes.value = "A/B p=0.01"
    panel.approve_button.click()
    assert "Approved: version 2 of model &#x27;churn&#x27; by &#x27;val&#x27;" in panel.status.value
    assert panel.notes.value == ""
    panel.version.value = 1
    panel.reject_button.click()
    records = approvals("churn").records
    assert [(r["version"], r["decision"], r["by"], r["notes"]) for r in records] == [
        (1, "reject", "val", None),
        (2, "approve", "val", "A/B p=0.01"),
    ]
    assert "A/B p=0.01" in panel.approvals_table.value


def test_the_author_approving_their_own_model_is_shown_not_raised(tracking_uri):
    register(_model(0), "churn", tags={AUTHOR_TAG: "ana"})
    set_policy("churn", GovernancePolicy())
    browser = ExperimentBrowser(tracking_uri, user="ana")  # the browser's Registry tab
    browser.approve_button.click()
    assert "Could not approve: Invalid by: got &#x27;ana&#x27;" in browser.status.value
    assert approvals("churn").records == []
