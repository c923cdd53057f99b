"""Step 5 of the tour: roles and RACI, an approval gate before promotion, a model card.

On the tour's store: the RACI matrix of the kit's roles; a candidate retrained
on every row is registered by its author (a data scientist); a
:class:`~mlops_kit.governance.GovernancePolicy` on the model requires one
approval by someone other than the author before the ``champion`` alias moves,
so ``promote`` is refused, the author's own approval is refused, a validator's
approval (with the evidence) is recorded in the registry, and ``promote`` then
succeeds; the version's model card (skops) is logged with it and written beside
the report.

Examples
--------
>>> from mlops_kit._tour_govern import AUTHOR, VALIDATOR
>>> AUTHOR != VALIDATOR
True
"""

from __future__ import annotations

from mlops_kit._tour_models import TARGET, _candidate, _features, _scores

MODEL_NAME = "credit-risk"
PART = "step-5"
AUTHOR = "ana.data-scientist"
VALIDATOR = "val.model-validator"


def step_govern(out, uri, n_rows, seed, report, say) -> dict:
    """Run Step 5 on the tour's store (model card into ``out``); return its facts."""
    from mlops_kit import governance, tracking
    from mlops_kit.data import make_credit
    from mlops_kit.errors import GateFailedError, InputError

    matrix = governance.raci()
    report.add(
        "Roles and RACI",
        "Who is Responsible, Accountable, Consulted and Informed at each lifecycle stage "
        "(the source's three roles and two the kit adds).",
        matrix,
        part=PART,
    )

    df = make_credit(n_rows=n_rows, seed=seed)
    holdout = make_credit(n_rows=max(1000, n_rows // 2), seed=seed + 3)
    X, numeric, categorical = _features(df)
    Xh, _, _ = _features(holdout)
    model = _candidate(numeric, categorical).fit(X, df[TARGET])
    scores = _scores(model, Xh, holdout[TARGET])
    info = tracking.register(
        model,
        MODEL_NAME,
        tracking_uri=uri,
        tags={"mlops_kit.author": AUTHOR},
        description="tour: the candidate retrained on every row",
    )
    version = int(info.version)
    governance.set_policy(
        MODEL_NAME,
        governance.GovernancePolicy(min_approvals=1, separate_author=True),
        tracking_uri=uri,
    )
    reason = f"retrained on {len(df):,} rows"
    try:
        tracking.promote(MODEL_NAME, version, reason=reason, tracking_uri=uri)
        refused = None
    except GateFailedError as exc:
        refused = str(exc)
    try:
        governance.approve(MODEL_NAME, version, by=AUTHOR, tracking_uri=uri)
        self_refused = None
    except InputError as exc:
        self_refused = str(exc)
    governance.approve(
        MODEL_NAME,
        version,
        by=VALIDATOR,
        notes="holdout metrics reviewed; gates of steps 2 and 3 passed",
        evidence={k: round(v, 4) for k, v in scores.items()},
        tracking_uri=uri,
    )
    tracking.promote(MODEL_NAME, version, reason=f"{reason}; approved", tracking_uri=uri)
    champion = tracking.current(MODEL_NAME, "champion", tracking_uri=uri).version
    trail = governance.approvals(MODEL_NAME, tracking_uri=uri)
    report.add(
        "Approval gate before promotion",
        f"Version {version}, registered by {AUTHOR}: promote without an approval was refused "
        f"({refused or 'NOT refused'}); the author's own approval was refused; "
        f"{VALIDATOR} approved with the holdout metrics as evidence, then promote succeeded.",
        trail,
        part=PART,
    )
    card = governance.model_card(
        MODEL_NAME,
        version,
        intended_use="Pre-screen consumer loan applications; a person reviews every decline.",
        limitations="Trained on synthetic sample data; not for real lending decisions.",
        tracking_uri=uri,
    )
    card_path = out / "model_card.html"
    card_path.write_text(card.html, encoding="utf-8")
    report.add(
        "Model card",
        "Built with skops from what the store knows (parameters, metrics, datasets, approvals); "
        "logged with the version as model_card/model_card.md and .html, and written beside "
        "this report (model_card.html).",
        card,
        chart=False,
        max_rows=12,
        part=PART,
    )
    say(
        f"Step 5  RACI over {len(matrix.to_frame())} stages; v{version} by {AUTHOR}: promotion "
        f"{'refused' if refused else 'NOT refused'} without approval, approved by {VALIDATOR}, "
        f"promoted to champion; model card logged"
    )
    report.headline(
        "Step 5: team and governance",
        f"promotion of v{version} refused until {VALIDATOR} (not the author) approved; "
        "model card logged with the version",
    )
    return {
        "raci_stages": len(matrix.to_frame()),
        "version": version,
        "author": AUTHOR,
        "approved_by": VALIDATOR,
        "refused_without_approval": refused is not None,
        "self_approval_refused": self_refused is not None,
        "approvals": len(trail.to_frame()),
        "champion_after": int(champion),
        "model_card": card_path.name,
    }
