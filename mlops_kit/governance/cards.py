"""Model cards built with skops' ``card`` module from what the MLflow store knows.

:func:`model_card` reads one model version: the model itself (skops adds its
hyper-parameters and a diagram-free summary), the run's parameters and
metrics, the datasets logged as run inputs with their fingerprints (digests),
the approval trail (:mod:`mlops_kit.governance.approvals`) and the intended
use and limitations the team enters. It renders the card as Markdown (skops'
``Card.render``) and HTML (the Markdown converted with ``mistune``, which the
kit already has through JupyterLab's nbconvert), and logs both as artifacts
``model_card/model_card.md`` and ``.html`` of the version's run.

Examples
--------
>>> card = model_card("churn", 2, intended_use="Rank customers by churn risk")  # doctest: +SKIP
>>> card.markdown.splitlines()[0]  # doctest: +SKIP
'---'
"""

from __future__ import annotations

import html as _html

from mlops_kit._params import InstanceOf, check_param
from mlops_kit.results import Result, get_ax

__all__ = ["ARTIFACT_DIR", "ModelCard", "model_card"]

ARTIFACT_DIR = "model_card"


class ModelCard(Result):
    """A rendered model card: ``markdown``, ``html`` and the facts it was built from.

    Examples
    --------
    >>> card = ModelCard("churn", 2, "# Model card", "<h1>Model card</h1>",
    ...                  {"accuracy": 0.9}, {"C": "1.0"}, [], [])
    >>> card.summary()
    'Model card of churn version 2: 1 metric(s), 1 parameter(s), 0 dataset(s), 0 decision(s)'
    """

    title = "Model card"

    def __init__(self, model, version, markdown, html, metrics, params, datasets, approvals):
        self.model = model
        self.version = version
        self.markdown = markdown
        self.html = html
        self.metrics = metrics
        self.params = params
        self.datasets = datasets
        self.approvals = approvals

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "version": self.version,
            "metrics": self.metrics,
            "params": self.params,
            "datasets": self.datasets,
            "approvals": self.approvals,
            "markdown": self.markdown,
        }

    def to_frame(self):
        import pandas as pd

        rows = [("metric", k, v) for k, v in self.metrics.items()]
        rows += [("parameter", k, v) for k, v in self.params.items()]
        rows += [("dataset", d["name"], d["digest"]) for d in self.datasets]
        rows += [("approval", a["by"], a["decision"]) for a in self.approvals]
        return pd.DataFrame(rows, columns=["kind", "name", "value"])

    def summary(self) -> str:
        return (
            f"Model card of {self.model} version {self.version}: {len(self.metrics)} metric(s), "
            f"{len(self.params)} parameter(s), {len(self.datasets)} dataset(s), "
            f"{len(self.approvals)} decision(s)"
        )

    def plot(self, ax=None):
        """The version's metrics as horizontal bars."""
        ax = get_ax(ax)
        names = list(self.metrics)
        ax.barh(names, [self.metrics[n] for n in names])
        if not names:
            ax.text(0.5, 0.5, "no metrics logged", ha="center", transform=ax.transAxes)
        ax.set_title(f"{self.model} v{self.version}: metrics")
        return ax


def _table(records: list[dict], columns: list[str]) -> str:
    if not records:
        return "None recorded."
    head = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"
    body = "".join(
        "| " + " | ".join(str(r.get(c, "")).replace("|", "/") for c in columns) + " |\n"
        for r in records
    )
    return head + body


def model_card(
    model: str,
    version,
    *,
    intended_use: str | None = None,
    limitations: str | None = None,
    log: bool = True,
    tracking_uri: str | None = None,
) -> ModelCard:
    """Build the model card of a registered model version and (by default) log it with it.

    Parameters
    ----------
    model : str
        Registered model name.
    version : int or str
        The version (it must exist).
    intended_use, limitations : str, optional
        Entered by the team; shown as "not stated" when missing.
    log : bool, default True
        Log ``model_card/model_card.md`` and ``.html`` to the version's run.

    Examples
    --------
    >>> model_card("churn", 2, intended_use="Retention campaigns", log=False)  # doctest: +SKIP
    """
    import mistune
    import mlflow
    from skops.card import Card

    from mlops_kit.governance.policy import parse_approvals, version_author
    from mlops_kit.tracking._model_log import fluent_store
    from mlops_kit.tracking.registry import require_model, require_version
    from mlops_kit.tracking.store import get_client, resolve_tracking_uri

    for name, value in (("intended_use", intended_use), ("limitations", limitations)):
        check_param(name, value, [None, InstanceOf(str, description="a string")])
    check_param("log", log, ["boolean"])
    uri = resolve_tracking_uri(tracking_uri)
    client = get_client(uri)
    require_model(client, model)
    mv = require_version(client, model, version)
    run = client.get_run(mv.run_id) if mv.run_id else None
    metrics = dict(run.data.metrics) if run else {}
    params = dict(run.data.params) if run else {}
    datasets = []
    if run is not None and run.inputs is not None:
        for di in run.inputs.dataset_inputs or []:
            ds = di.dataset
            datasets.append({"name": ds.name, "digest": ds.digest, "source": ds.source_type})
    trail = parse_approvals(mv.tags)
    with fluent_store(uri):
        estimator = mlflow.sklearn.load_model(f"models:/{model}/{mv.version}")
    card = Card(estimator, model_diagram=False)
    card.add(
        **{
            "Model description": (
                f"Version {mv.version} of registered model `{model}`, registered by "
                f"{version_author(client, mv) or 'an unknown author'} from run `{mv.run_id}`."
            ),
            "Model description/Intended uses & limitations": (
                f"**Intended use:** {intended_use or 'not stated'}\n\n"
                f"**Limitations:** {limitations or 'not stated'}"
            ),
            "Model description/Training Procedure/Training data": _table(
                datasets, ["name", "digest", "source"]
            ),
            "Model description/Evaluation Results": _table(
                [{"metric": k, "value": f"{v:.4g}"} for k, v in sorted(metrics.items())],
                ["metric", "value"],
            ),
            "Approvals": _table(trail, ["seq", "decision", "by", "timestamp", "notes"]),
        }
    )
    markdown = card.render()
    body = mistune.html(markdown.split("---", 2)[-1] if markdown.startswith("---") else markdown)
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Model card: "
        f"{_html.escape(model)} v{mv.version}</title></head><body>{body}</body></html>"
    )
    if log and mv.run_id:
        client.log_text(mv.run_id, markdown, f"{ARTIFACT_DIR}/model_card.md")
        client.log_text(mv.run_id, page, f"{ARTIFACT_DIR}/model_card.html")
    return ModelCard(model, int(mv.version), markdown, page, metrics, params, datasets, trail)
