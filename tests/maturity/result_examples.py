"""Contract-test examples of the maturity Results (collected by tests/test_results_contract.py).

Test scaffolding lives here, not in the package (issue 8).
"""

from __future__ import annotations

from mlops_kit.maturity import Assessment, EvidenceScan, ProgressResult, Roadmap, assess, load_bank


def assessment() -> Assessment:
    """Levels 1-2 automated, level 3 by hand, the rest not done; a team of 12."""
    bank = load_bank()
    answers = {i.id: (1 if i.level <= 2 else 0.5 if i.level == 3 else 0) for i in bank.items}
    return assess(answers, team_size=12)


def roadmap() -> Roadmap:
    rec = {
        "order": 1,
        "item": "cicd_rollback",
        "dimension": "cicd",
        "level": 3,
        "gate": True,
        "answer": 0,
        "practice": "Can you roll back <fast>?",
        "next_step": "Keep history",
        "effort_weeks": 2.0,
        "duration_weeks": 2.0,
        "start_week": 0.0,
        "end_week": 2.0,
        "tutorial": None,
        "tools": "MLflow",
    }
    return Roadmap([rec], 2, 3, 3, True, 1.0)


def evidence_scan() -> EvidenceScan:
    rec = {
        "item": "vt_model_registry",
        "dimension": "versioning_tracking",
        "level": 3,
        "rule": "model_registry",
        "source": "store",
        "proposed": 1,
        "evidence": "1 registered model (<credit-model>)",
        "text": "Are trained models registered with versions in a model registry?",
    }
    return EvidenceScan([rec], {"store": "sqlite:///example.db", "repo": None}, {})


def progress_result() -> ProgressResult:
    dims = ["versioning_tracking", "cicd"]
    recs = [
        {
            "assessed_at": "2025-01-01T00:00:00",
            "run_id": "a",
            "level": 1,
            "level_name": "x",
            "mean_score": 0.2,
            "team_size": 5,
            "score.versioning_tracking": 0.3,
            "score.cicd": 0.1,
        },
        {
            "assessed_at": "2025-04-01T00:00:00",
            "run_id": "b",
            "level": 2,
            "level_name": "<y>",
            "mean_score": 0.5,
            "team_size": 5,
            "score.versioning_tracking": 0.6,
            "score.cicd": 0.4,
        },
    ]
    return ProgressResult(recs, "example", dims)


EXAMPLES = {
    Assessment: assessment,
    Roadmap: roadmap,
    EvidenceScan: evidence_scan,
    ProgressResult: progress_result,
}
