"""Evidence scan: propose answers from what a team's MLflow store and repo show.

The items of the question bank name an evidence rule (``evidence:`` in
``questions.yaml``); :func:`scan` gathers facts from the store and/or the repo
folder, applies the rules and returns an :class:`EvidenceScan` with a proposed
answer (0, 0.5 or 1) and a human-readable evidence string per item. The team
confirms or overrides the proposals::

    proposed = scan(tracking_uri, repo=".").proposed_answers()
    assess({**proposed, **overrides}, allow_missing=True)

Examples
--------
>>> import tempfile
>>> from mlops_kit.tracking.store import get_client
>>> uri = f"sqlite:///{tempfile.mkdtemp()}/mlruns.db"
>>> _ = get_client(uri)  # a new, empty store (a scan never creates one)
>>> s = scan(uri, repo=tempfile.mkdtemp())
>>> s.proposed_answers()["vt_model_registry"]
0
"""

from __future__ import annotations

from mlops_kit.maturity.bank import load_bank
from mlops_kit.maturity.rules import RULES
from mlops_kit.results import Result, get_ax

__all__ = ["EvidenceScan", "scan"]

_COLUMNS = ["item", "dimension", "level", "rule", "source", "proposed", "evidence", "text"]


class EvidenceScan(Result):
    """Answers proposed from evidence found in an MLflow store and a repo.

    Parameters
    ----------
    records : list of dict
        One row per item with an evidence rule whose source was scanned: ``item``,
        ``dimension``, ``level``, ``rule``, ``source``, ``proposed``, ``evidence``, ``text``.
    sources : dict
        What was scanned: ``{"store": uri or None, "repo": path or None}``.
    facts : dict
        The raw facts per source (counts and file lists).

    Examples
    --------
    >>> rec = {"item": "vt_model_registry", "dimension": "versioning_tracking", "level": 3,
    ...        "rule": "model_registry", "source": "store", "proposed": 1,
    ...        "evidence": "1 registered model", "text": "Are models registered?"}
    >>> EvidenceScan([rec], {"store": "sqlite:///x.db", "repo": None}, {}).proposed_answers()
    {'vt_model_registry': 1}
    """

    title = "MLOps evidence scan"

    def __init__(self, records: list[dict], sources: dict, facts: dict):
        self.records = list(records)
        self.sources = dict(sources)
        self.facts = dict(facts)

    def proposed_answers(self) -> dict:
        """Return ``{item_id: 0 | 0.5 | 1}`` for every item the scan could evidence."""
        return {r["item"]: r["proposed"] for r in self.records}

    def evidence(self) -> dict:
        """Return ``{item_id: evidence string}``."""
        return {r["item"]: r["evidence"] for r in self.records}

    def to_dict(self) -> dict:
        return {"sources": self.sources, "records": self.records, "facts": self.facts}

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(self.records, columns=_COLUMNS)

    def summary(self) -> str:
        n = len(self.records)
        found = sum(1 for r in self.records if r["proposed"] > 0)
        where = " and ".join(k for k, v in self.sources.items() if v) or "nothing"
        return f"Scanned {where}: evidence for {found} of {n} items"

    def plot(self, ax=None):
        frame = self.to_frame()
        ax = get_ax(ax, figsize=(6, max(2.0, 0.3 * len(frame) + 1)))
        colors = {"store": "#4C72B0", "repo": "#55A868"}
        ax.barh(
            frame["item"], frame["proposed"], color=[colors.get(s, "grey") for s in frame["source"]]
        )
        ax.set_xlim(0, 1)
        ax.set_xticks([0, 0.5, 1])
        ax.invert_yaxis()
        ax.set_xlabel("proposed answer (0 none, 0.5 by hand, 1 automated)")
        ax.set_title(self.title)
        return ax


def scan(
    tracking_uri: str | None = None, repo=None, *, store: bool = True, bank=None
) -> EvidenceScan:
    """Look for evidence of MLOps practice in an MLflow store and a repo folder.

    Parameters
    ----------
    tracking_uri : str, optional
        The MLflow store to read (resolved as usual: argument, ``MLFLOW_TRACKING_URI``,
        default store). A local SQLite file that does not exist counts as an empty store
        (it is not created).
    repo : str or Path, optional
        A repository folder to look at; ``None`` skips the repo rules.
    store : bool, default True
        ``False`` skips the store rules.
    bank : QuestionBank or path, optional
        The question bank (the packaged one by default).

    Returns
    -------
    EvidenceScan

    Raises
    ------
    StoreUnreachableError
        The tracking store cannot be reached.
    InputError
        ``repo`` is not an existing folder.

    Examples
    --------
    >>> import tempfile
    >>> s = scan(store=False, repo=tempfile.mkdtemp())
    >>> s.evidence()["cicd_ci_pipeline"][:11]
    'no evidence'
    """
    bank = load_bank(bank)
    facts: dict[str, dict] = {}
    if repo is not None:  # check the cheap argument first
        from mlops_kit.maturity.scan_repo import repo_facts

        facts["repo"] = repo_facts(repo)
    if store:
        from mlops_kit.maturity.scan_store import store_facts

        facts["store"] = store_facts(tracking_uri)
    records = []
    for item in bank.items:
        rule = RULES.get(item.evidence) if item.evidence else None
        if rule is None or rule.source not in facts:
            continue
        proposed, evidence = rule.func(facts[rule.source])
        records.append(
            {
                "item": item.id,
                "dimension": item.dimension,
                "level": item.level,
                "rule": rule.name,
                "source": rule.source,
                "proposed": proposed,
                "evidence": evidence,
                "text": item.text,
            }
        )
    sources = {
        "store": facts["store"]["uri"] if "store" in facts else None,
        "repo": facts["repo"]["path"] if "repo" in facts else None,
    }
    return EvidenceScan(records, sources, facts)
