"""Every widget of the kit as a notebook page: the cells, the root element, what shows it ready.

One place for the browser tests (test_layout_1280.py, test_canary_timeline.py) and
the screenshot script (scripts/screenshots.py runs the layout test with
``MLOPS_KIT_SCREENSHOTS`` set), so a picture in the docs is exactly the page a test
measured. Stores are built with the kit's own API on real models, in the lab's folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CANARY_MODEL = "credit-risk"


@dataclass(frozen=True)
class WidgetPage:
    """A widget shown in a notebook: ``cells`` may use ``{uri}`` (the store set up)."""

    name: str
    cells: tuple[str, ...]
    root: str
    ready: str
    #: CSS selectors of parts whose text must read in full (checked for clipping)
    parts: tuple[str, ...] = ()
    setup: str | None = None  # name of a function below: (folder) -> tracking URI
    #: clicks before measuring (selectors), e.g. to open a tab
    clicks: tuple[str, ...] = field(default_factory=tuple)

    def sources(self, uri: str = "") -> list[str]:
        return [c.replace("{uri}", repr(uri)) for c in self.cells]


def experiment_store(folder: Path) -> str:
    """Three runs of one experiment and a model with two champions (one rollback away)."""
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    from mlops_kit.tracking import promote, register, start_run

    folder.mkdir(parents=True, exist_ok=True)
    uri = f"sqlite:///{folder / 'experiments.db'}"
    X, y = make_classification(400, n_features=6, random_state=0)
    for c in (0.01, 0.1, 1.0):
        with start_run(
            "credit-scoring", run_name=f"logreg C={c}", params={"C": c}, tracking_uri=uri
        ) as r:
            model = LogisticRegression(C=c).fit(X[:300], y[:300])
            r.log_metrics(
                {
                    "accuracy": model.score(X[300:], y[300:]),
                    "train_accuracy": model.score(X[:300], y[:300]),
                }
            )
        if c >= 0.1:
            info = register(model, "credit-scoring", run_id=r.run_id, tracking_uri=uri)
            promote("credit-scoring", info.version, reason=f"C={c} scored best", tracking_uri=uri)
    return uri


def canary_store(folder: Path) -> str:
    """A baseline (v1, champion) and a better candidate (v2) on the credit sample."""
    from mlops_kit import tracking
    from mlops_kit._tour_models import TARGET, _baseline, _candidate, _features
    from mlops_kit.data import make_credit

    folder.mkdir(parents=True, exist_ok=True)
    uri = f"sqlite:///{folder / 'canary.db'}"
    df = make_credit(n_rows=3_000, seed=0)
    X, numeric, categorical = _features(df)
    for model in (_baseline(), _candidate(numeric, categorical)):
        tracking.register(model.fit(X, df[TARGET]), CANARY_MODEL, tracking_uri=uri)
    tracking.promote(CANARY_MODEL, 1, "champion", reason="first model", tracking_uri=uri)
    return uri


SETUPS = {
    "experiment_store": experiment_store,
    "canary_store": canary_store,
}

CANARY_CELLS = (
    "from mlops_kit.data import make_credit\n"
    "from mlops_kit.deploy import CanaryRollout, canary_timeline\n"
    "traffic = make_credit(n_rows=40_000, seed=11).drop(columns=['id', 'application_date'])\n"
    f"timeline = canary_timeline(CanaryRollout({CANARY_MODEL!r}, 2, tracking_uri={{uri}}))\n"
    "timeline",
    "result = timeline.run(traffic, 'default')\nresult.status",
)

PAGES = {
    "assessment": WidgetPage(
        "assessment",
        (
            "from mlops_kit.maturity import assessment_widget, load_bank\n"
            "items = load_bank().items\n"
            "answers = {item.id: [1, 0.5, 0][i % 3] for i, item in enumerate(items)}\n"
            "assessment_widget(answers=answers, team_size=6)",
        ),
        root=".mlops-kit-assessment",
        ready=".mlops-kit-assessment-level >> text=Level",
        parts=(
            ".mlops-kit-assessment-level",
            ".mlops-kit-assessment-gaps",
            ".mlops-maturity-question",
            ".mlops-maturity-answers button",
            ".mlops-maturity-sections .jupyter-widget-Collapse-header",
        ),
    ),
    "roi": WidgetPage(
        "roi",
        ("from mlops_kit.roi import roi_widget\nroi_widget()",),
        root=".mlops-kit-roi",
        ready=".mlops-kit-roi-summary >> text=ROI over the horizon",
        parts=(".mlops-kit-roi-slider", ".mlops-kit-roi-summary td", ".mlops-kit-roi-preset"),
    ),
    "experiment_browser": WidgetPage(
        "experiment_browser",
        ("from mlops_kit.tracking import experiment_browser\nexperiment_browser({uri})",),
        root=".mlops-kit-experiment-browser",
        ready=".mlops-kit-experiment-browser-runs >> text=3 runs",
        parts=(
            ".mlops-kit-experiment-browser-tabs .lm-TabBar-tabLabel",
            ".mlops-kit-experiment-browser-runs td",
            ".mlops-kit-experiment-browser-runs th",
            ".mlops-kit-experiment-browser-experiment",
        ),
        setup="experiment_store",
    ),
    "registry": WidgetPage(
        "registry",
        ("from mlops_kit.tracking import experiment_browser\nexperiment_browser({uri})",),
        root=".mlops-kit-experiment-browser",
        ready=".mlops-kit-experiment-browser-runs >> text=3 runs",
        parts=(
            ".mlops-kit-registry-versions td",
            ".mlops-kit-registry-history td",
            ".mlops-kit-registry-promote",
            ".mlops-kit-registry-rollback",
        ),
        setup="experiment_store",
        clicks=(".mlops-kit-experiment-browser-tabs >> role=tab[name='Registry']",),
    ),
    "drift_explorer": WidgetPage(
        "drift_explorer",
        (
            "from mlops_kit.data import inject_drift, make_credit, split_reference_current\n"
            "from mlops_kit.validation import drift_explorer\n"
            "df = make_credit(n_rows=3000, seed=0).drop(columns=['id'])\n"
            "drifted = inject_drift(df, 'covariate', columns=['income'], severity=0.8)\n"
            "reference, current = split_reference_current(drifted)\n"
            "drift_explorer(reference, current)",
        ),
        root=".mlops-kit-drift-explorer",
        ready=".mlops-kit-drift-explorer-chart img, img.mlops-kit-drift-explorer-chart",
        parts=(
            ".mlops-kit-drift-explorer-headline",
            ".mlops-kit-drift-explorer-table td",
            ".mlops-kit-drift-explorer-table th",
            ".mlops-kit-drift-explorer-column",
            ".mlops-kit-drift-explorer-method",
        ),
    ),
    "canary_timeline": WidgetPage(
        "canary_timeline",
        CANARY_CELLS,
        root=".mlops-kit-canary-timeline",
        ready=".mlops-kit-canary-status >> text=PROMOTED",
        parts=(
            ".mlops-kit-canary-stage",
            ".mlops-kit-canary-table td",
            ".mlops-kit-canary-table th",
            ".mlops-kit-canary-status",
        ),
        setup="canary_store",
    ),
    "monitoring_dashboard": WidgetPage(
        "monitoring_dashboard",
        (
            "import tempfile\n"
            "from pathlib import Path\n"
            "from mlops_kit.monitoring import (AlertRule, PredictionLog, WindowedMetrics,\n"
            "                                  dashboard_widget, simulate_production)\n"
            "log = PredictionLog(Path(tempfile.mkdtemp()) / 'predictions.db')\n"
            "sim = simulate_production(log, n_rows=4_000, months=4, drift='covariate',\n"
            "                          drift_month=2, seed=0)\n"
            "monitor = WindowedMetrics(window='week').fit(\n"
            "    sim.reference, sim.reference_predictions, sim.reference_labels)\n"
            "rules = [AlertRule('accuracy', '<', 0.85, k=2, min_samples=100)]\n"
            "dashboard_widget(log, monitor, rules=rules)",
        ),
        root=".mlops-kit-dashboard",
        ready=".mlops-kit-dashboard-status >> text=predictions, last window",
        parts=(".mlops-kit-dashboard-status",),
    ),
}

# Elements measured in every page: the widget root and everything in it.
OVERFLOW_JS = """([root, parts]) => {
    const box = document.querySelector(root);
    const out = [];
    const area = box.closest('.jp-OutputArea-output') || document.body;
    const right = Math.min(area.getBoundingClientRect().right, window.innerWidth);
    let measured = 0;
    const seen = new Set();
    const check = (el, label, strict) => {
        if (seen.has(el) || el.clientWidth === 0) return;  // hidden: a closed tab or section
        seen.add(el);
        measured += 1;
        const style = getComputedStyle(el);
        const text = (el.innerText || '').trim().slice(0, 60);
        const scrolls = el.scrollWidth > el.clientWidth + 1;
        // a part's text reads in full; any box that clips or scrolls (overflow hidden, auto,
        // ellipsis) must not need to at 1280 px
        const clips = style.overflowX !== 'visible' || style.textOverflow === 'ellipsis';
        if (scrolls && (strict || clips)) {
            out.push(`${label}: content ${el.scrollWidth}px in ${el.clientWidth}px: ${text}`);
        }
        const rect = el.getBoundingClientRect();
        if (rect.width > 0 && rect.right > right + 1) {
            out.push(`${label}: right edge ${Math.round(rect.right)} > ${Math.round(right)}`);
        }
    };
    for (const sel of parts) {
        for (const el of box.querySelectorAll(sel)) check(el, sel, true);
    }
    check(box, root, true);
    for (const el of box.querySelectorAll('*')) {
        if (el.closest('svg') || el.tagName === 'OPTION') continue;
        check(el, el.className && typeof el.className === 'string'
            ? el.tagName.toLowerCase() + '.' + el.className.trim().split(/\\s+/).slice(0, 3)
                .join('.')
            : el.tagName.toLowerCase(), false);
    }
    return {measured, out};
}"""
