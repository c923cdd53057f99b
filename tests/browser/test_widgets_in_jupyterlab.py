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


def test_maturity_widget_level_follows_an_answer_clicked_in_the_page(open_notebook):
    page = open_notebook(
        "maturity.ipynb",
        "from mlops_kit.maturity import assessment_widget, load_bank\n"
        "answers = {item.id: 1 for item in load_bank().items}\n"
        "answers['vt_code_in_git'] = 0  # a gate: no version control caps the level at 1\n"
        "assessment_widget(answers=answers, team_size=30)",
    )
    page.wait_for_selector("text=Level 1")
    first_question = page.locator(".widget-toggle-buttons").first
    first_question.get_by_role("button", name="automated").click()
    page.wait_for_selector("text=Level 5")


def test_roi_widget_redraws_for_another_preset_and_a_moved_slider(open_notebook):
    from mlops_kit.roi import RoiInputs, RoiModel

    gartner = RoiModel(RoiInputs.from_preset("gartner")).run()
    page = open_notebook("roi.ipynb", "from mlops_kit.roi import roi_widget\nroi_widget()")
    page.wait_for_selector("text=14.9x")
    preset = page.locator(".widget-dropdown", has=page.locator("label", has_text="preset"))
    preset.locator("select").select_option(label="gartner")
    page.wait_for_selector(f"text={gartner.roi:.1f}x")
    handle = page.locator(".widget-slider .noUi-handle").first
    handle.focus()
    for _ in range(5):
        handle.press("ArrowRight")
    page.wait_for_function(
        "(old) => !document.body.innerText.includes(old)", arg=f"{gartner.roi:.1f}x"
    )


# Elements of the maturity widget whose content must fit (stable classes set in widget.py).
_MATURITY_PARTS = [
    ".mlops-maturity",
    ".mlops-maturity-question",
    ".mlops-maturity-question .widget-html-content",
    ".mlops-maturity-answers",
    ".mlops-maturity-answers button",
    ".mlops-maturity-evidence",
    ".mlops-maturity-evidence .widget-html-content",
    ".mlops-maturity-sections .jupyter-widget-Collapse-header",
    ".mlops-maturity-sections .jupyter-widget-Collapse-header span",
]

_OVERFLOW_JS = """(selectors) => {
    const out = [];
    let measured = 0;
    for (const sel of selectors) {
        for (const el of document.querySelectorAll(sel)) {
            if (el.clientWidth === 0) continue;  // a closed section: measured when opened
            measured += 1;
            if (el.scrollWidth > el.clientWidth + 1) {
                const text = el.innerText.slice(0, 60);
                out.push(`${sel}: ${el.scrollWidth} > ${el.clientWidth}: ${text}`);
            }
        }
    }
    const root = document.querySelector('.mlops-maturity');
    const area = root.closest('.jp-OutputArea-output');
    if (root.getBoundingClientRect().right > area.getBoundingClientRect().right + 1) {
        out.push('the widget is wider than the output area');
    }
    return {measured, out};
}"""


def test_maturity_widget_questions_answers_and_titles_fit_a_1280_px_window(open_notebook):
    from mlops_kit.maturity import load_bank

    bank = load_bank()
    page = open_notebook(
        "maturity_layout.ipynb",
        "from mlops_kit.maturity import assessment_widget\nassessment_widget(team_size=6)",
        width=1280,
    )
    page.wait_for_selector(".mlops-maturity-question")
    titles = page.locator(".mlops-maturity-sections .jupyter-widget-Collapse-header")
    assert titles.count() == len(bank.dimensions)
    seen_questions = 0
    for n, dim in enumerate(bank.dimensions):
        if n:  # open the next section (one is open at a time)
            titles.nth(n).click()
        page.wait_for_function(
            "(text) => [...document.querySelectorAll('.mlops-maturity-question')]"
            ".some((el) => el.clientWidth > 0 && el.innerText.includes(text))",
            arg=bank.items_of(dim.id)[0].text,
        )
        report = page.evaluate(_OVERFLOW_JS, _MATURITY_PARTS)
        assert report["measured"] > 0
        assert report["out"] == [], report["out"]
        # every title reads in full, and every question of the open section is shown whole
        assert titles.nth(n).inner_text().startswith(f"Step {dim.step}: {dim.name} (")
        shown = page.locator(".mlops-maturity-question:visible")
        texts = [shown.nth(i).inner_text() for i in range(shown.count())]
        for item in bank.items_of(dim.id):
            assert any(item.text in t for t in texts), item.id
        seen_questions += len(bank.items_of(dim.id))
    assert seen_questions == len(bank.items)


def test_registry_panel_promotes_the_version_picked_with_a_reason(lab, open_notebook):
    from _widget_pages import experiment_store

    from mlops_kit.tracking import current, history

    uri = experiment_store(lab[1] / "promote")
    assert current("credit-scoring", tracking_uri=uri).version == 2
    page = open_notebook(
        "promote.ipynb",
        f"from mlops_kit.tracking import experiment_browser\nexperiment_browser({uri!r})",
    )
    page.wait_for_selector(".mlops-kit-experiment-browser-runs >> text=3 runs")
    page.locator(".mlops-kit-experiment-browser-tabs").get_by_role("tab", name="Registry").click()
    versions = page.locator(".mlops-kit-registry-versions")
    assert versions.locator("tbody tr").count() == 2
    page.locator(".mlops-kit-registry-version select").select_option(label="1")
    page.locator(".mlops-kit-registry-reason input").fill("back to <b>C=0.1</b>")
    page.locator(".mlops-kit-registry-promote").click()
    page.locator(".mlops-kit-registry-status >> text=now points to version 1").wait_for()
    # the history table shows the reason escaped, newest first
    first = page.locator(".mlops-kit-registry-history tbody tr").first
    assert "back to <b>C=0.1</b>" in first.inner_text()
    assert current("credit-scoring", tracking_uri=uri).version == 1
    assert history("credit-scoring", "champion", tracking_uri=uri)["reason"].iloc[-1] == (
        "back to <b>C=0.1</b>"
    )
