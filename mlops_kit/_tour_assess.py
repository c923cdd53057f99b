"""Step 0 of the tour, run last so it sees the others: the evidence scan and the ROI.

Examples
--------
>>> from mlops_kit._tour_assess import step_assess, step_roi
>>> callable(step_assess) and callable(step_roi)
True
"""

from __future__ import annotations


def step_assess(uri, report, say) -> dict:
    from mlops_kit.maturity import assess, scan

    evidence = scan(tracking_uri=uri, repo=None)
    assessment = assess(evidence.proposed_answers(), allow_missing=True)
    say(
        f"Step 0  evidence scan of the tour's store: {len(evidence.proposed_answers())} "
        f"answers proposed; level {assessment.level} ({assessment.level_name}) until the team "
        "answers the rest (mlops-kit assess --scan --tracking-uri URI --repo PATH)"
    )
    report.add(
        "Step 0: evidence scan of this store",
        "Answers proposed from what the MLflow store shows; a team confirms or overrides "
        "them and answers the rest (tutorial 00).",
        evidence,
        part="step-0",
    )
    report.add(
        "Step 0: maturity from the evidence", assessment.team_fit or "", assessment, part="step-0"
    )
    return {"level": assessment.level, "proposed": len(evidence.proposed_answers())}


def step_roi(report, say) -> dict:
    from mlops_kit.roi import RoiModel, sensitivity

    result = RoiModel().run()
    say(
        f"Step 0  ROI of MLOps with the framework defaults: {result.roi:.1f}x over the horizon, "
        f"payback in month {result.payback_month}"
    )
    report.add(
        "Step 0: cost of failure and ROI",
        "A failed project costs $2.6M (development, opportunity, corrective, reputational); "
        "every input can be changed (mlops-kit roi --help).",
        result,
        part="step-0",
    )
    report.add("Step 0: what the ROI is most sensitive to", "", sensitivity(), part="step-0")
    return {"roi": result.roi, "npv": result.npv, "payback_month": result.payback_month}


#: the report's parts, one per step, in the order a reader meets them
