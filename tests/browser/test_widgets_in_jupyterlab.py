"""The widgets work for a user in a real JupyterLab, driven through headless Chromium."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _store_with_two_champions(uri: str) -> None:
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    from mlops_kit.tracking import promote, register, start_run

    X, y = make_classification(200, n_features=4, random_state=0)
    for c in (0.1, 1.0):
        with start_run("browser-test", run_name=f"C={c}", params={"C": c}, tracking_uri=uri) as r:
            model = LogisticRegression(C=c).fit(X, y)
            r.log_metric("accuracy", model.score(X, y))
        info = register(model, "browser-model", run_id=r.run_id, tracking_uri=uri)
        promote("browser-model", info.version, reason=f"C={c}", tracking_uri=uri)


def test_experiment_browser_rolls_back_from_the_registry_tab(lab, open_notebook):
    from mlops_kit.tracking import current, history

    _, root, _ = lab
    uri = f"sqlite:///{root / 'mlruns.db'}"
    _store_with_two_champions(uri)
    assert current("browser-model", tracking_uri=uri).version == 2
    page = open_notebook(
        "browser.ipynb",
        f"from mlops_kit.tracking import experiment_browser\nexperiment_browser({uri!r})",
    )
    # the Runs tab renders the runs table and the chart image
    page.wait_for_selector("text=2 runs of experiment 'browser-test'")
    assert page.locator(".jp-OutputArea img").count() >= 1
    page.get_by_role("tab", name="Registry").click()
    page.get_by_role("button", name="Roll back").click()
    page.wait_for_selector("text=now points to version 1 (was 2)")
    # the click went through the same API: the registry moved and recorded why
    assert current("browser-model", tracking_uri=uri).version == 1
    assert list(history("browser-model", "champion", tracking_uri=uri)["action"]) == [
        "promote",
        "promote",
        "rollback",
    ]


def test_drift_explorer_redraws_when_a_column_is_picked(open_notebook):
    page = open_notebook(
        "drift.ipynb",
        "from mlops_kit.data import inject_drift, make_credit, split_reference_current\n"
        "from mlops_kit.validation import DriftCheck, drift_explorer\n"
        "df = make_credit(n_rows=3000, seed=0).drop(columns=['id'])\n"
        "ref, cur = split_reference_current(inject_drift(df, 'covariate', columns=['income'],"
        " severity=0.8))\n"
        "explorer = drift_explorer(ref, cur)\n"
        "explorer",
    )
    page.wait_for_selector(".jp-OutputArea img")
    image = page.locator(".jp-OutputArea img").first
    before = image.get_attribute("src")
    picker = page.locator(".widget-dropdown", has=page.locator("label", has_text="column"))
    picker = picker.locator("select")
    options = picker.locator("option").all_inner_texts()
    assert options[0] == "income", "the most drifted column is listed first"
    picker.select_option(label="region")
    page.wait_for_function(
        "([el, old]) => el.getAttribute('src') !== old", arg=[image.element_handle(), before]
    )
