"""Evidence rules: from facts found in a store or a repo to a proposed answer.

Each rule reads the facts gathered by :mod:`mlops_kit.maturity.scan_store`
or :mod:`mlops_kit.maturity.scan_repo` and returns ``(answer, evidence)``:
``answer`` is 0, 0.5 or 1 and ``evidence`` a human-readable sentence. Items
of the question bank name their rule with an ``evidence:`` key. Rules are
pure functions (no I/O), so they are tested on plain dicts.

Examples
--------
>>> RULES["model_registry"].source
'store'
>>> RULES["model_registry"].func({"n_models": 0})
(0, 'no evidence: no registered models in the tracking store')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RULES", "Rule"]


@dataclass(frozen=True)
class Rule:
    """An evidence rule: where its facts come from and how they become an answer."""

    name: str
    source: str  # "store" or "repo"
    func: Callable[[dict], tuple[float, str]]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _few(names, n: int = 3) -> str:
    names = list(names)
    shown = ", ".join(names[:n])
    return shown + (f" and {len(names) - n} more" if len(names) > n else "")


def tracked_runs(f: dict) -> tuple[float, str]:
    both, runs, exps = (
        f.get("n_runs_params_metrics", 0),
        f.get("n_runs", 0),
        f.get("n_experiments", 0),
    )
    if both:
        return 1, (
            f"{_plural(both, 'run')} with parameters and metrics in {_plural(exps, 'experiment')}"
        )
    if runs:
        return 0.5, f"{_plural(runs, 'run')} logged, but none with both parameters and metrics"
    return 0, "no evidence: no runs in the tracking store"


def dataset_inputs(f: dict) -> tuple[float, str]:
    n, runs = f.get("n_runs_dataset_inputs", 0), f.get("n_runs", 0)
    if n:
        return 1, f"dataset inputs recorded in {n} of {_plural(runs, 'run')}"
    return 0, "no evidence: no run records a dataset input (mlflow.log_input)"


def model_registry(f: dict) -> tuple[float, str]:
    n = f.get("n_models", 0)
    if n:
        return 1, f"{_plural(n, 'registered model')} ({_few(f.get('model_names', []))})"
    return 0, "no evidence: no registered models in the tracking store"


def aliases(f: dict) -> tuple[float, str]:
    with_alias = f.get("aliases", [])
    models = {a.split("@")[0] for a in with_alias}
    if with_alias:
        return 1, f"{_plural(len(models), 'registered model')} with aliases ({_few(with_alias)})"
    if f.get("n_models", 0):
        return 0, f"no evidence: {_plural(f['n_models'], 'registered model')}, none with an alias"
    return 0, "no evidence: no registered models with aliases"


def rollback(f: dict) -> tuple[float, str]:
    events = f.get("rollbacks", [])
    promotions = f.get("promotions", 0)
    if events:
        by_target: dict[str, int] = {}
        for target in events:
            by_target[target] = by_target.get(target, 0) + 1
        parts = [f"{_plural(n, 'rollback')} recorded for {t}" for t, n in by_target.items()]
        models = {a.split("@")[0] for a in f.get("aliases", [])}
        if models:
            parts.insert(0, f"{_plural(len(models), 'registered model')} with aliases")
        return 1, "; ".join(parts)
    if f.get("max_promotions_per_alias", 0) >= 2:
        return 0.5, (
            f"alias history records {_plural(promotions, 'promotion')}, so an earlier "
            "version is known, but no rollback has been recorded"
        )
    return 0, "no evidence: no rollback recorded in the alias history of registered models"


def validation_results(f: dict) -> tuple[float, str]:
    n = f.get("validation_runs", 0)
    if n:
        examples = _few(f.get("validation_examples", []))
        return 1, f"{_plural(n, 'run')} with validation results ({examples})"
    return 0, "no evidence: no run has validation tags, metrics or reports"


def drift_reports(f: dict) -> tuple[float, str]:
    n = f.get("drift_runs", 0)
    examples = _few(f.get("drift_examples", []))
    if n >= 2:
        return 1, f"{_plural(n, 'run')} with drift results ({examples}): checked repeatedly"
    if n == 1:
        return 0.5, f"1 run with drift results ({examples}): checked once"
    return 0, "no evidence: no drift metrics or drift reports logged"


def maturity_history(f: dict) -> tuple[float, str]:
    n = f.get("maturity_runs", 0)
    if n >= 2:
        return 1, f"{_plural(n, 'maturity assessment')} logged"
    if n == 1:
        return 0.5, "1 maturity assessment logged (repeat it to track progress)"
    return 0, "no evidence: no maturity assessment logged to the tracking store"


def git_repo(f: dict) -> tuple[float, str]:
    if f.get("git"):
        return 1, f"git repository found ({f['git']})"
    return 0, "no evidence: no .git folder in the repo or its parents"


def ci_config(f: dict) -> tuple[float, str]:
    files = f.get("ci_files", [])
    if files:
        return 1, f"CI config found: {_few(files)}"
    return 0, "no evidence: no CI config (.github/workflows, .gitlab-ci.yml, .ci/, Jenkinsfile)"


def tests(f: dict) -> tuple[float, str]:
    files = f.get("test_files", [])
    if not files:
        return 0, "no evidence: no tests/ folder or test_*.py files"
    if f.get("ci_files"):
        return 1, f"{_plural(len(files), 'test file')}, with CI config ({_few(f['ci_files'], 1)})"
    return 0.5, f"{_plural(len(files), 'test file')}, but no CI config runs them"


def pinned_environment(f: dict) -> tuple[float, str]:
    locks = f.get("lock_files", [])
    if locks:
        return 1, f"lock file found: {_few(locks)}"
    full = [r for r in f.get("requirements", []) if r["total"] and r["pinned"] == r["total"]]
    if full:
        r = full[0]
        return 1, f"{r['file']} pins {r['pinned']} of {_plural(r['total'], 'package')} with =="
    partial = [r for r in f.get("requirements", []) if r["pinned"]]
    if partial:
        r = partial[0]
        return 0.5, f"{r['file']} pins {r['pinned']} of {_plural(r['total'], 'package')} with =="
    envs = f.get("environment_files", [])
    if envs:
        return 0.5, f"dependency file without a lock file: {_few(envs)}"
    return 0, "no evidence: no lock file, pinned requirements, environment.yml or pyproject.toml"


def notebook_tests(f: dict) -> tuple[float, str]:
    automated = f.get("notebook_tools_automated", {})
    if automated:
        tool, files = next(iter(automated.items()))
        return 1, f"{tool} configured in {_few(files)}"
    listed = f.get("notebook_tools_listed", {})
    if listed:
        tool, files = next(iter(listed.items()))
        return 0.5, f"{tool} listed in {_few(files)}, but no test or CI config runs it"
    return 0, "no evidence: nbval, papermill or nbmake not mentioned in any config"


def monitoring_config(f: dict) -> tuple[float, str]:
    files = f.get("monitoring_files", [])
    if files:
        return 1, f"monitoring config found: {_few(files)}"
    return 0, "no evidence: no prometheus.yml, grafana dashboards or evidently configs"


def alert_rules(f: dict) -> tuple[float, str]:
    files = f.get("alert_files", [])
    if files:
        return 1, f"alert rules found: {_few(files)}"
    return 0, "no evidence: no alert rule files"


RULES: dict[str, Rule] = {
    r.name: r
    for r in (
        Rule("tracked_runs", "store", tracked_runs),
        Rule("dataset_inputs", "store", dataset_inputs),
        Rule("model_registry", "store", model_registry),
        Rule("aliases", "store", aliases),
        Rule("rollback", "store", rollback),
        Rule("validation_results", "store", validation_results),
        Rule("drift_reports", "store", drift_reports),
        Rule("maturity_history", "store", maturity_history),
        Rule("git_repo", "repo", git_repo),
        Rule("ci_config", "repo", ci_config),
        Rule("tests", "repo", tests),
        Rule("pinned_environment", "repo", pinned_environment),
        Rule("notebook_tests", "repo", notebook_tests),
        Rule("monitoring_config", "repo", monitoring_config),
        Rule("alert_rules", "repo", alert_rules),
    )
}
