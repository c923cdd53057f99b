"""``mlops-kit monitor``: exit codes 0 / 1 / 2 and one JSON object, on a real simulated log."""

from __future__ import annotations

import json

from click.testing import CliRunner

from mlops_kit.cli import cli


def _run(*args):
    return CliRunner().invoke(cli, ["monitor", *args])


def test_a_rule_firing_on_the_latest_window_exits_1(concept_log):
    log, _ = concept_log
    out = _run(str(log.path), "--window", "week", "--rule", "roc_auc < 0.7, k=2", "--json")
    assert out.exit_code == 1, out.output
    payload = json.loads(out.stdout)
    assert payload["firing"] and payload["firing"][0]["metric"] == "roc_auc"
    assert len(payload["windows"]["windows"]) == 27


def test_no_rule_firing_exits_0(concept_log):
    log, _ = concept_log
    out = _run(str(log.path), "--window", "week", "--rule", "roc_auc < 0.1")
    assert out.exit_code == 0, out.output
    assert "week windows" in out.stdout


def test_bad_input_exits_2_with_one_line(concept_log, tmp_path):
    log, _ = concept_log
    for args, text in [
        ([str(log.path), "--rule", "roc_auc ~ 0.7"], "Invalid --rule"),
        ([str(log.path), "--rule", "roc_auc < 0.7, k=two"], "Invalid --rule option k"),
        ([str(log.path), "--window", "month"], "Invalid --window"),
        ([str(log.path), "--metrics", "mae"], "Invalid --metrics"),
        ([str(log.path), "--rule", "nope < 1"], "Invalid metric"),
        ([str(tmp_path / "missing.db")], "does not exist"),
    ]:
        out = _run(*args)
        assert out.exit_code == 2, (args, out.output)
        assert text in out.output and "Traceback" not in out.output
        assert len(out.output.strip().splitlines()) <= 2  # click's usage line + the error


def _daily_log(path):
    """Ten days of a binary classifier's predictions, labelled but for ``r100`` (day 2)."""
    import numpy as np
    import pandas as pd

    from mlops_kit.monitoring.log import PredictionLog

    rng = np.random.default_rng(7)
    n = 600
    times = pd.Timestamp("2024-05-01", tz="UTC") + pd.to_timedelta(
        np.sort(rng.integers(0, 10 * 86_400_000, n)), unit="ms"
    )
    probability = rng.uniform(size=n).round(3)
    log = PredictionLog(path)
    log.append(
        pd.DataFrame(
            {
                "id": [f"r{i}" for i in range(n)],
                "time": times,
                "prediction": (probability > 0.5).astype(int),
                "probability": probability,
                "latency_ms": rng.lognormal(2, 0.3, n).round(2),
                "x": rng.normal(size=n),
            }
        )
    )
    labels = {f"r{i}": int(rng.uniform() < p) for i, p in enumerate(probability)}
    del labels["r100"]
    log.add_labels(labels)
    return log


def test_compact_flag_compacts_closed_days_once_and_keeps_the_windows(tmp_path):
    from mlops_kit.monitoring.partitions import partitions_dir

    log = _daily_log(tmp_path / "log.db")
    parts = partitions_dir(log)
    plain = _run(str(log.path), "--json")
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.stdout)["compacted"] is None and not parts.exists()

    first = _run(str(log.path), "--compact", "--json")
    assert first.exit_code == 0, first.output
    payload = json.loads(first.stdout)
    files = sorted(parts.glob("day=*.parquet"))
    # closed days: those ending before the newest prediction less max_delay (1 day)
    assert payload["compacted"] == len(files) == 8
    assert payload["windows"] == json.loads(plain.stdout)["windows"]  # same numbers

    again = _run(str(log.path), "--compact", "--json")
    assert json.loads(again.stdout)["compacted"] == 0  # idempotent: nothing new

    # a late label for a compacted day makes that day stale: the next run rewrites it alone
    log.append([{"id": "late", "time": log.span()[1], "prediction": 1}])
    log.close()
    text = _run(str(log.path), "--compact")
    assert text.exit_code == 0, text.output
    assert "Compacted 0 closed days" in text.stderr  # the new row is in an open day
    from mlops_kit.monitoring.log import PredictionLog

    PredictionLog(log.path).add_labels({"r100": 1})
    relabelled = _run(str(log.path), "--compact", "--json")
    assert json.loads(relabelled.stdout)["compacted"] == 1


def test_compact_flag_keeps_the_exit_codes(tmp_path):
    from mlops_kit.monitoring.partitions import partitions_dir

    log = _daily_log(tmp_path / "log.db")
    bad = _run(str(log.path), "--compact", "--window", "month")
    assert bad.exit_code == 2 and "Invalid --window" in bad.output
    bad = _run(str(log.path), "--compact", "--metrics", "mape")
    assert bad.exit_code == 2 and "Invalid --metrics" in bad.output
    assert not partitions_dir(log).exists()  # bad options: nothing compacted
    firing = _run(str(log.path), "--compact", "--rule", "accuracy < 0.99", "--json")
    assert firing.exit_code == 1, firing.output
    assert json.loads(firing.stdout)["compacted"] == 8
