"""Step 0: assess your team's MLOps maturity (plain API).

A question bank in YAML (``questions.yaml``: five dimensions, one per framework
step), scoring to a five-level model driven by the weakest dimension and capped
by gate items, ranked gaps with next steps, an evidence scan of an MLflow store
and a repo that proposes answers, a roadmap with a timeline, and progress
tracked in MLflow. Pure computation only: a widget is a thin layer on top.

Examples
--------
>>> from mlops_kit.maturity import assess, load_bank, roadmap
>>> answers = {item.id: 1 for item in load_bank().items}
>>> answers["mon_production_metrics"] = 0
>>> a = assess(answers, team_size=25)
>>> a.level, a.level_name
(2, 'Basic automation and tooling')
>>> a.gaps.iloc[0]["item"]
'mon_production_metrics'
>>> roadmap(a).target_level
3
"""

from __future__ import annotations

from mlops_kit._lazy import lazy_exports

#: public name -> submodule that defines it (imported on first use)
_EXPORTS: dict[str, str] = {
    "Assessment": "assessment",
    "assess": "assessment",
    "DEFAULT_BANK": "bank",
    "Dimension": "bank",
    "Item": "bank",
    "Level": "bank",
    "QuestionBank": "bank",
    "load_bank": "bank",
    "DEFAULT_EXPERIMENT": "progress",
    "ProgressResult": "progress",
    "log_assessment": "progress",
    "progress": "progress",
    "Roadmap": "roadmap",
    "roadmap": "roadmap",
    "EvidenceScan": "scan",
    "scan": "scan",
}


#: names imported on first use (the widget needs ipywidgets and matplotlib)
_LAZY = {
    "AssessmentWidget": "widget",
    "assessment_widget": "widget",
    "export_assessment": "answers_file",
    "read_answers": "answers_file",
}

__all__ = [
    "DEFAULT_BANK",
    "DEFAULT_EXPERIMENT",
    "Assessment",
    "AssessmentWidget",
    "Dimension",
    "EvidenceScan",
    "Item",
    "Level",
    "ProgressResult",
    "QuestionBank",
    "Roadmap",
    "assess",
    "assessment_widget",
    "export_assessment",
    "load_bank",
    "log_assessment",
    "progress",
    "read_answers",
    "roadmap",
    "scan",
]


__getattr__, __dir__ = lazy_exports(__name__, {**_EXPORTS, **_LAZY}, globals())
