"""``mlops-kit monitor LOG``: windowed metrics of a prediction log and the alert rules on them.

Exit status: 0 no rule fires on the latest window, 1 a rule fires there (a
finding), 2 bad input. With ``--json`` stdout holds exactly one JSON object:
``{"windows": ..., "alerts": [...], "firing": [...], "compacted": N}``.

``--compact`` first copies the log's closed days to Parquet
(:meth:`~mlops_kit.monitoring.log.PredictionLog.compact`: idempotent,
crash-safe, only new or changed days are written), so this and every later
windowed read takes closed days from Parquet; ``compacted`` is how many days
were written (``null`` without the flag). Run it once a day, for example from
cron: ``mlops-kit monitor predictions.db --compact``. ``--window``, ``--task``,
``--metrics`` and the rules' syntax are checked before anything is compacted
(a rule's metric only once the windows exist; compaction is harmless either way).

Examples
--------
>>> parse_rule("roc_auc < 0.7, k=2, min_samples=100").describe()
'roc_auc < 0.7 in 2 of 2 windows (min 100 samples, cooldown 0)'
>>> from click.testing import CliRunner
>>> CliRunner().invoke(command, ["--help"]).exit_code
0
"""

from __future__ import annotations

import re

import click

from mlops_kit.commands._common import BadInput, cli_error, emit, finish, json_option, save_html
from mlops_kit.errors import MlopsKitError

__all__ = ["command", "parse_rule"]

_RULE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|<|>)\s*([-+0-9.eE]+)\s*(?:,(.*))?$")
_INTS = ("k", "n", "min_samples", "cooldown")


def parse_rule(text: str):
    """``"METRIC OP THRESHOLD[, k=2, n=3, min_samples=100, cooldown=1, severity=critical]"``."""
    from mlops_kit.monitoring.alerts import AlertRule

    match = _RULE.match(text)
    if match is None:
        raise BadInput(
            f"Invalid --rule: got {text!r}; allowed: 'METRIC OP THRESHOLD[, k=2, n=3, "
            "min_samples=100, cooldown=1, severity=critical]' with OP one of <, <=, >, >=."
        )
    metric, op, threshold, extra = match.groups()
    options = {}
    for part in filter(None, (p.strip() for p in (extra or "").split(","))):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or key not in (*_INTS, "severity", "name"):
            raise BadInput(
                f"Invalid --rule option: got {part!r}; allowed: k=, n=, min_samples=, "
                "cooldown=, severity=, name="
            )
        try:
            options[key] = int(value) if key in _INTS else value.strip()
        except ValueError:
            raise BadInput(
                f"Invalid --rule option {key}: got {value!r}; allowed: an integer"
            ) from None
    try:
        rule = AlertRule(metric, op, float(threshold), **options)
    except ValueError:
        raise BadInput(f"Invalid --rule threshold: got {threshold!r}; allowed: a number") from None
    return rule


def _window(text: str):
    if text in ("hour", "day", "week"):
        return text
    if text.isdigit() and int(text) > 0:
        return int(text)
    raise BadInput(
        f"Invalid --window: got {text!r}; allowed: hour, day, week or a number of predictions."
    )


@click.command(name="monitor")
@click.argument("log", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--window", default="day", show_default=True, help="hour, day, week or N predictions."
)
@click.option("--task", type=click.Choice(["classification", "regression"]), default=None)
@click.option("--metrics", default=None, help="Comma-separated model metrics (default per task).")
@click.option(
    "--rule",
    "rules",
    multiple=True,
    help="An alert rule, repeatable: 'roc_auc < 0.7, k=2, min_samples=100'.",
)
@click.option("--html", "html_path", type=click.Path(dir_okay=False), default=None)
@click.option(
    "--compact",
    is_flag=True,
    help="First copy the log's closed days to Parquet (fast windows); run it daily, e.g. cron.",
)
@json_option
def command(log, window, task, metrics, rules, html_path, compact, as_json):
    """Compute the windows of the prediction log LOG and check the alert rules on them."""
    from mlops_kit.metrics import get_metric
    from mlops_kit.monitoring.log import PredictionLog
    from mlops_kit.monitoring.windows import WindowedMetrics

    parsed = [parse_rule(r) for r in rules]
    size = _window(window)
    names = None if metrics is None else [m.strip() for m in metrics.split(",") if m.strip()]
    compacted = None
    try:
        windowed = WindowedMetrics(window=size, task=task, metrics=names)
        windowed._validate_params()  # bad options are refused before the log is touched
        for name in names or ():
            get_metric(name, where="metrics", task=task)
        prediction_log = PredictionLog(log)
        if compact:
            compacted = prediction_log.compact()
        result = windowed.run(prediction_log)
        alerts = [a for rule in parsed for a in rule.check(result)]
    except MlopsKitError as exc:
        raise cli_error(exc, command) from None
    latest = result.latest().get("window_start")
    firing = [a for a in alerts if a.window_start == latest]
    if as_json:
        emit(
            {
                "windows": result.to_dict(),
                "alerts": [a.to_dict() for a in alerts],
                "firing": [a.to_dict() for a in firing],
                "compacted": compacted,
            }
        )
    else:
        if compacted is not None:
            click.echo(f"Compacted {compacted} closed days of {log} to Parquet.", err=True)
        click.echo(result.summary())
        click.echo(result.to_frame().tail(10).to_string(index=False))
        for alert in alerts:
            click.echo(("FIRING " if alert in firing else "") + alert.message(), err=True)
    save_html(result, html_path)
    finish(passed=not firing)
