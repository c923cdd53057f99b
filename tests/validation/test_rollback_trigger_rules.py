"""Rollback rules and policies: window logic, declaration from dict/YAML, bad input."""

from __future__ import annotations

import pandas as pd
import pytest

from mlops_kit.errors import ColumnError, ConfigError, InputError
from mlops_kit.validation.rollback import RollbackPolicy, Rule, parse_rule


def frame(**columns):
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"timestamp": pd.date_range("2024-05-01", periods=n), **columns})


def policy(rules, **kwargs):
    return RollbackPolicy(rules, model_name="credit", **kwargs)


def test_rule_forms_are_equivalent():
    forms = [
        Rule.below("accuracy", 0.8),
        "accuracy < 0.8",
        {"metric": "accuracy", "below": 0.8},
    ]
    assert len({parse_rule(f) for f in forms}) == 1
    assert parse_rule("drift_share > 0.5") == Rule.above("drift_share", 0.5)
    drop = parse_rule("rmse drop > 10%")
    assert (drop.vs_previous, drop.relative, drop.op) == (True, True, ">")  # rmse: lower is better
    assert drop.bound_for(20.0) == pytest.approx(22.0)
    assert Rule.drop("roc_auc", 0.05).bound_for(0.8) == pytest.approx(0.75)
    assert parse_rule(Rule.drop("roc_auc", 0.05).to_dict()) == Rule.drop("roc_auc", 0.05)


def test_consecutive_needs_the_latest_windows():
    p = policy(["accuracy < 0.8"])
    assert not p.check(frame(accuracy=[0.9, 0.7, 0.9, 0.7])).fire  # never 2 in a row
    assert not p.check(frame(accuracy=[0.7, 0.7, 0.9])).fire  # recovered since
    assert p.check(frame(accuracy=[0.9, 0.7, 0.7])).fire
    assert not p.check(frame(accuracy=[0.9, 0.7, float("nan"), 0.7])).fire  # NaN breaks it
    assert (
        not policy(["accuracy < 0.8"], min_consecutive=3)
        .check(frame(accuracy=[0.9, 0.7, 0.7]))
        .fire
    )
    per_rule = policy([{"metric": "accuracy", "below": 0.8, "min_consecutive": 1}])
    assert per_rule.check(frame(accuracy=[0.9, 0.7])).fire


def test_windows_are_sorted_by_time():
    shuffled = frame(accuracy=[0.7, 0.7, 0.9]).iloc[[2, 0, 1]]
    decision = policy(["accuracy < 0.8"]).check(shuffled.iloc[::-1])
    assert not decision.fire
    assert decision.outcomes[0]["labels"] == ["2024-05-01", "2024-05-02", "2024-05-03"]


def test_mean_and_either_modes():
    noisy = frame(accuracy=[0.9, 0.7, 0.9, 0.7])  # mean 0.8, no two bad in a row
    assert not policy(["accuracy < 0.85"]).check(noisy).fire
    by_mean = policy(["accuracy < 0.85"], mode="mean").check(noisy)
    assert by_mean.fire and by_mean.reasons[0]["mode"] == "mean"
    assert by_mean.reasons[0]["observed"] == pytest.approx(0.8)
    assert "mean accuracy 0.8 over 4 windows" in by_mean.reasons[0]["text"]
    assert not policy(["accuracy < 0.75"], mode="mean").check(noisy).fire
    either = policy(["accuracy < 0.75"], mode="either").check(frame(accuracy=[0.9, 0.7, 0.7]))
    assert either.fire and either.reasons[0]["mode"] == "consecutive"


def test_drift_share_rule_and_reasons():
    decision = policy(["accuracy < 0.8", "drift_share > 0.5"]).check(
        frame(accuracy=[0.9, 0.9, 0.88], drift_share=[0.2, 0.6, 0.7])
    )
    assert decision.fire
    assert [r["rule"] for r in decision.reasons] == ["drift_share > 0.5"]
    reason = decision.reasons[0]
    assert reason["observed"] == [0.6, 0.7] and reason["bound"] == 0.5
    assert reason["windows"] == ["2024-05-02", "2024-05-03"]
    table = decision.to_frame().set_index("rule")
    assert table.loc["drift_share > 0.5", "streak"] == 2
    assert bool(table.loc["accuracy < 0.8", "fired"]) is False
    assert decision.action == {"status": "pending"}


def test_apply_without_fire_and_with_a_foreign_decision():
    p = policy(["accuracy < 0.8"])
    quiet = p.check(frame(accuracy=[0.9, 0.9]))
    assert p.rollback(quiet).action["status"] == "no_action"
    other = RollbackPolicy(["accuracy < 0.8"], model_name="other").check(frame(accuracy=[0.5]))
    with pytest.raises(InputError, match="decision"):
        p.rollback(other)
    with pytest.raises(InputError, match="RollbackDecision"):
        p.rollback({"fire": True})


def test_from_dict_and_yaml(tmp_path):
    config = {
        "model_name": "credit",
        "alias": "champion",
        "min_consecutive": 3,
        "mode": "either",
        "dry_run": True,
        "rules": [
            {"metric": "accuracy", "below": 0.8},
            "drift_share > 0.5",
            {"metric": "roc_auc", "max_drop": 0.05, "name": "auc drop"},
        ],
    }
    p = RollbackPolicy.from_dict(config)
    assert [r.label for r in p.parsed_rules()] == [
        "accuracy < 0.8",
        "drift_share > 0.5",
        "auc drop",
    ]
    assert RollbackPolicy.from_dict(p.to_dict()).to_dict() == p.to_dict()
    text = (
        "model_name: credit\nmin_consecutive: 3\nrules:\n"
        "  - metric: accuracy\n    below: 0.8\n  - drift_share > 0.5\n"
    )
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    for source in (path, str(path), text):
        loaded = RollbackPolicy.from_yaml(source)
        assert loaded.min_consecutive == 3 and len(loaded.parsed_rules()) == 2


@pytest.mark.parametrize(
    ("config", "match"),
    [
        ({"rules": ["accuracy < 0.8"]}, "model_name: required key is missing"),
        ({"model_name": "credit"}, "rules: required key is missing"),
        ({"model_name": "credit", "rules": ["a < 1"], "mod": 1}, "mod: unknown key"),
        ({"model_name": "credit", "rules": []}, "Invalid rules"),
        (
            {"model_name": "credit", "rules": [{"metric": "accuracy", "below": "x"}]},
            r"rules\[0\]\.below: got 'x'",
        ),
        ({"model_name": "credit", "rules": ["accuracy"]}, r"rules\[0\]: got 'accuracy'"),
        (
            {"model_name": "credit", "rules": [{"metric": "a", "below": 1, "above": 2}]},
            r"rules\[0\].*exactly one of",
        ),
        ({"model_name": "credit", "rules": [{"below": 1}]}, r"rules\[0\]\.metric"),
        (
            {"model_name": "credit", "rules": [{"metric": "a", "bellow": 1}]},
            r"rules\[0\] key: got 'bellow'",
        ),
        (
            {"model_name": "credit", "rules": [{"metric": "a", "max_drop": -1}]},
            r"rules\[0\]\.max_drop",
        ),
        (
            {"model_name": "credit", "rules": [{"metric": "a", "below": 1, "mode": "median"}]},
            r"rules\[0\]\.mode",
        ),
        ({"model_name": "credit", "rules": ["a < 1"], "min_consecutive": 0}, "min_consecutive"),
        ({"model_name": "credit", "rules": ["a < 1"], "mode": "max"}, "mode: got 'max'"),
        ({"model_name": "credit", "rules": ["a < 1"], "dry_run": "yes"}, "dry_run"),
        ({"model_name": "", "rules": ["a < 1"]}, "model_name: got ''"),
        ({"model_name": "credit", "rules": ["a < 1", "a < 1"]}, "distinct labels"),
        (["not", "a", "mapping"], "must be a YAML mapping"),
    ],
)
def test_bad_config_raises_config_error_naming_the_field(config, match):
    with pytest.raises(ConfigError, match=match):
        RollbackPolicy.from_dict(config)


def test_every_problem_of_a_policy_file_is_reported_at_once(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text("rules: [accuracy]\nmode: max\nmin_consecutive: 0\nextra: 1\n")
    with pytest.raises(ConfigError) as info:
        RollbackPolicy.from_yaml(path)
    text = str(info.value)
    assert text.startswith(f"Invalid rollback policy {path}: 5 problem(s)")
    for part in ("model_name: required", "rules: Invalid rules[0]: got 'accuracy'", "mode: got",
                 "min_consecutive: got 0", "extra: unknown key"):  # fmt: skip
        assert part in text, part


def test_bad_yaml(tmp_path):
    with pytest.raises(ConfigError, match=r"missing\.yaml: cannot read the rollback policy"):
        RollbackPolicy.from_yaml(tmp_path / "missing.yaml")
    with pytest.raises(ConfigError, match="not valid YAML"):
        RollbackPolicy.from_yaml("rules: [\n  - : :\n")


def test_bad_window_results():
    p = policy(["accuracy < 0.8"])
    with pytest.raises(InputError, match=r"window_results.*DataFrame"):
        p.check([{"accuracy": 0.5}])
    with pytest.raises(InputError, match="at least one window"):
        p.check(pd.DataFrame({"accuracy": []}))
    with pytest.raises(ColumnError, match=r"'accuracy' is missing\. Columns: 'timestamp', 'acc'"):
        p.check(frame(acc=[0.5]))
    with pytest.raises(ColumnError, match="'accuracy' has dtype object"):
        p.check(frame(accuracy=["low"]))
    with pytest.raises(InputError, match=r"previous\['accuracy'\]"):
        policy(["accuracy drop > 0.1"]).check(frame(accuracy=[0.5]), previous={"accuracy": "x"})


def test_plot_marks_violations_and_bounds(result_examples):
    import matplotlib.pyplot as plt

    decision = policy(["accuracy < 0.8", "drift_share > 0.5"]).check(
        frame(accuracy=[0.9, 0.7, 0.7], drift_share=[0.1, 0.2, 0.3])
    )
    _, ax = plt.subplots()
    assert decision.plot(ax=ax) is ax
    assert len(ax.lines) == 4  # 2 metric lines + 2 bound lines
    marks = [c for c in ax.collections if len(c.get_offsets())]
    assert len(marks) == 1 and len(marks[0].get_offsets()) == 2
    assert "FIRE" in ax.get_title()
    assert result_examples.rollback_decision().to_dict()["reasons"][0]["windows"] == [
        "2024-01-03",
        "2024-01-04",
    ]


def test_every_validation_result_logs_with_one_signature():
    import inspect

    from mlops_kit.validation.abtest import ABTestResult
    from mlops_kit.validation.performance import PerformanceReport
    from mlops_kit.validation.quality import QualityReport
    from mlops_kit.validation.rollback import RollbackDecision

    for cls in (ABTestResult, PerformanceReport, QualityReport, RollbackDecision):
        params = inspect.signature(cls.log_to_mlflow).parameters
        assert list(params) == ["self", "run_id", "prefix", "tracking_uri"], cls
        assert params["run_id"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, cls
        assert params["run_id"].default is None, cls
        assert params["prefix"].kind is inspect.Parameter.KEYWORD_ONLY, cls
        assert params["tracking_uri"].kind is inspect.Parameter.KEYWORD_ONLY, cls


def test_decision_logs_to_an_explicit_run(tracking_uri, result_examples):
    import mlflow

    with mlflow.start_run() as run:
        pass
    decision = result_examples.rollback_decision()
    assert decision.log_to_mlflow(run.info.run_id, prefix="rb") == run.info.run_id
    assert mlflow.get_run(run.info.run_id).data.metrics == {"rb_fire": 1.0, "rb_n_fired": 1.0}
