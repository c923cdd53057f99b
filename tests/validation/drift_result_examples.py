"""Contract-test example of the drift Result (collected by the contract test as ``EXAMPLES``)."""

from __future__ import annotations

from mlops_kit.validation.drift.result import ColumnDrift, DriftResult


def drift_result() -> DriftResult:
    """Two drifted features of three, a target reported apart, one skipped, HTML in a name."""
    cols = [
        ColumnDrift("age", "num", "ks", 0.001, 0.001, 0.05, True, 0.31, "wasserstein", 500, 500),
        ColumnDrift(
            "<b>city</b>",
            "cat",
            "chisquare",
            0.02,
            0.02,
            0.05,
            True,
            0.04,
            "jensenshannon",
            500,
            500,
        ),
        ColumnDrift(
            "income",
            "num",
            "wasserstein",
            0.03,
            None,
            0.1,
            False,
            0.03,
            "wasserstein",
            5000,
            5000,
        ),
        ColumnDrift(
            "default",
            "cat",
            "z",
            0.4,
            0.4,
            0.05,
            False,
            0.01,
            "jensenshannon",
            500,
            500,
            role="target",
        ),
        ColumnDrift("id", "-", "skipped", None, None, None, False, note="identifier", role="id"),
    ]
    return DriftResult(
        columns=cols,
        drift_share=0.5,
        engine="native",
        warnings=["column '<b>city</b>': example warning"],
    )


EXAMPLES = {DriftResult: drift_result}
