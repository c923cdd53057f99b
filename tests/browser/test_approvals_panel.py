"""The approval trail in the experiment browser's Registry tab, in a real JupyterLab.

A decision recorded through the API appears in the panel; the panel's Approve
button records one through the same :func:`mlops_kit.governance.approve`.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_approvals_trail_shows_api_decisions_and_the_button_records_one(lab, open_notebook):
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    from mlops_kit.governance import GovernancePolicy, approvals, approve, set_policy
    from mlops_kit.governance.policy import AUTHOR_TAG
    from mlops_kit.tracking import register

    _, root, _ = lab
    uri = f"sqlite:///{root / 'approvals.db'}"
    X, y = make_classification(200, n_features=4, random_state=0)
    for c in (0.1, 1.0):
        model = LogisticRegression(C=c).fit(X, y)
        register(model, "approved-model", tags={AUTHOR_TAG: "ana"}, tracking_uri=uri)
    set_policy("approved-model", GovernancePolicy(), tracking_uri=uri)
    approve("approved-model", 1, by="bo", notes="gates pass on v1", tracking_uri=uri)

    page = open_notebook(
        "approvals.ipynb",
        "from mlops_kit.tracking import experiment_browser\n"
        f"experiment_browser({uri!r}, user='val')",
    )
    page.get_by_role("tab", name="Registry").click()
    trail = page.locator(".mlops-kit-approvals").first
    trail.locator("text=gates pass on v1").wait_for()
    assert "GovernancePolicy()" in trail.inner_text()
    # the chosen version is the latest (2): approve it with a note from the panel
    page.get_by_placeholder("evidence, conditions").fill("A/B test p=0.01")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_selector("text=Approved: version 2 of model 'approved-model' by 'val'")
    trail.locator("text=A/B test p=0.01").wait_for()
    records = approvals("approved-model", tracking_uri=uri).records
    assert [(r["version"], r["decision"], r["by"], r["notes"]) for r in records] == [
        (1, "approve", "bo", "gates pass on v1"),
        (2, "approve", "val", "A/B test p=0.01"),
    ]
