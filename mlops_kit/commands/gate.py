"""``mlops-kit gate``: may this candidate replace the champion? (the CI step of a pipeline)

Runs Step 2's :class:`~mlops_kit.validation.PerformanceGate` (no second
implementation) on a candidate model and the champion, on the rows of one
data file::

    mlops-kit gate --candidate models:/credit/4 --champion champion \\
        --data holdout.parquet --target default --min roc_auc=0.75 --max-drop roc_auc=0.01

``--champion`` is a model URI (``models:/credit/3``, ``models:/credit@champion``)
or a bare alias of the candidate's registered model (``champion``).
``--min``/``--max`` set absolute bounds, ``--max-drop`` the allowed drop against the
champion (metric units, or ``2%``); each is ``METRIC=VALUE`` and repeatable.

Exit status: 0 the gate passed, 1 it failed, 2 bad input (a one-line message
naming the option, never a traceback). With ``--json`` stdout holds exactly
one JSON object.

Examples
--------
>>> parse_pairs(("roc_auc=0.75", "AUC=0.8"), "--min")
[('roc_auc', '0.75'), ('roc_auc', '0.8')]
>>> try:
...     parse_pairs(("auc",), "--min")
... except BadInput as exc:
...     print(exc.message)
Invalid --min: got 'auc'; allowed: METRIC=VALUE such as 'roc_auc=0.75'.
"""

from __future__ import annotations

import re

import click

from mlops_kit.commands._common import (
    BadInput,
    cli_message,
    emit,
    finish,
    json_option,
    one_line,
    quiet_stdout,
    read_data,
)
from mlops_kit.errors import MlopsKitError

__all__ = ["command", "parse_pairs", "resolve_champion_option", "thresholds_from_options"]

_VERSION_URI = re.compile(r"^models:/(?P<name>[^/@]+)/(?P<version>\d+)$")
_ALIAS_URI = re.compile(r"^models:/(?P<name>[^/@]+)@(?P<alias>[\w\-]+)$")
_URI_FORMS = "a registered model URI such as 'models:/credit/3' or 'models:/credit@champion'"


def parse_pairs(values, option: str) -> list[tuple[str, str]]:
    """Split each ``METRIC=VALUE`` of ``option``; the metric name is made canonical."""
    from mlops_kit.metrics import METRICS, get_metric

    pairs = []
    for text in values:
        metric, sep, value = text.partition("=")
        if not sep or not metric.strip() or not value.strip():
            raise BadInput(
                f"Invalid {option}: got {text!r}; allowed: METRIC=VALUE such as 'roc_auc=0.75'."
            )
        try:
            name = get_metric(metric, where=option).name
        except MlopsKitError:
            raise BadInput(
                f"Invalid {option}: unknown metric {metric.strip()!r} in {text!r}; "
                f"allowed: one of {sorted(METRICS)}."
            ) from None
        pairs.append((name, value.strip()))
    return pairs


def thresholds_from_options(mins, maxs, drops) -> dict:
    """Build PerformanceGate thresholds ``{metric: {"min", "max", "max_drop"}}`` from options."""
    from mlops_kit.validation.performance.thresholds import parse_thresholds

    thresholds: dict[str, dict] = {}
    for option, key, values in (("--min", "min", mins), ("--max", "max", maxs)):
        for metric, value in parse_pairs(values, option):
            try:
                number = float(value)
            except ValueError:
                raise BadInput(
                    f"Invalid {option}: got {metric}={value!r}; allowed: a number such as 0.75."
                ) from None
            fields = thresholds.setdefault(metric, {})
            if key in fields:
                raise BadInput(f"Invalid {option}: {metric} given twice; allowed: once each.")
            fields[key] = number
    for metric, value in parse_pairs(drops, "--max-drop"):
        fields = thresholds.setdefault(metric, {})
        if "max_drop" in fields:
            raise BadInput(f"Invalid --max-drop: {metric} given twice; allowed: once each.")
        fields["max_drop"] = value
    try:
        parse_thresholds(thresholds)
    except MlopsKitError as exc:
        option = "--max-drop" if "max_drop" in str(exc) else "--min/--max"
        raise BadInput(f"Invalid {option}: {one_line(exc).removeprefix('Invalid ')}") from None
    return thresholds


def _registry_check(uri: str, option: str, tracking_uri):
    """Raise BadInput naming ``option`` if the registered model, version or alias is missing."""
    from mlops_kit.tracking.registry import current, require_version
    from mlops_kit.tracking.store import get_client

    try:
        if match := _VERSION_URI.match(uri):
            require_version(get_client(tracking_uri), match["name"], match["version"])
        elif match := _ALIAS_URI.match(uri):
            current(match["name"], match["alias"], tracking_uri=tracking_uri)
        elif not uri.startswith("runs:/"):
            raise BadInput(f"Invalid {option}: got {uri!r}; allowed: {_URI_FORMS}.")
    except MlopsKitError as exc:
        raise BadInput(f"Invalid {option} {uri!r}: {one_line(exc)}") from None


def resolve_champion_option(champion, candidate: str, tracking_uri=None) -> dict:
    """Turn ``--champion`` into PerformanceGate arguments (``champion`` and ``alias``).

    A bare alias names the candidate's registered model; ``models:/NAME@ALIAS``
    is looked up in the registry by the gate (so the report names its version);
    any other model URI is loaded and compared as a fitted model.
    """
    from mlops_kit.tracking.registry import check_alias
    from mlops_kit.validation.performance.models import load_model

    if champion is None:
        return {"champion": None}
    if not champion.startswith(("models:/", "runs:/")):
        try:
            check_alias(champion)
        except MlopsKitError:
            raise BadInput(
                f"Invalid --champion: got {champion!r}; allowed: {_URI_FORMS}, or an alias "
                "of the candidate's registered model such as 'champion'."
            ) from None
        match = _VERSION_URI.match(candidate) or _ALIAS_URI.match(candidate)
        if match is None:
            raise BadInput(
                f"Invalid --champion: got alias {champion!r} but --candidate {candidate!r} is "
                "not a registered model; allowed: a model URI such as 'models:/credit@champion'."
            )
        champion = f"models:/{match['name']}@{champion}"
    _registry_check(champion, "--champion", tracking_uri)
    if match := _ALIAS_URI.match(champion):
        return {"champion": match["name"], "alias": match["alias"]}
    with quiet_stdout():
        try:
            return {"champion": load_model(champion, tracking_uri)}
        except MlopsKitError as exc:
            raise BadInput(f"Invalid --champion {champion!r}: {one_line(exc)}") from None


@click.command(name="gate")
@click.option("--candidate", required=True, help="Model URI of the candidate (models:/NAME/V).")
@click.option(
    "--champion",
    default=None,
    help="Model URI of the champion, or an alias of the candidate's model (e.g. champion).",
)
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(dir_okay=False),
    help="CSV or Parquet file with the rows to evaluate on.",
)
@click.option("--target", required=True, help="Column of --data with the true labels or values.")
@click.option("--min", "mins", multiple=True, help="METRIC=VALUE lower bound. Repeatable.")
@click.option("--max", "maxs", multiple=True, help="METRIC=VALUE upper bound. Repeatable.")
@click.option(
    "--max-drop",
    "drops",
    multiple=True,
    help="METRIC=VALUE allowed drop against --champion (0.01 or 2%). Repeatable.",
)
@click.option("--tracking-uri", default=None, help="MLflow tracking URI (default: the kit's).")
@json_option
def command(candidate, champion, data, target, mins, maxs, drops, tracking_uri, as_json):
    """Gate --candidate against bounds and --champion (exit 0 pass, 1 fail, 2 bad input)."""
    from mlops_kit.validation.performance import PerformanceGate

    thresholds = thresholds_from_options(mins, maxs, drops)
    if not thresholds:
        raise BadInput(
            "Invalid --min/--max/--max-drop: got none; allowed: at least one METRIC=VALUE."
        )
    if champion is None and any(set(f) == {"max_drop"} for f in thresholds.values()):
        raise BadInput("Invalid --max-drop: got no --champion; allowed: with --champion only.")
    frame = read_data(data, "--data")
    if target not in frame.columns:
        shown = ", ".join(repr(str(c)) for c in list(frame.columns)[:20])
        raise BadInput(f"Invalid --target: got {target!r}; allowed: a column of --data ({shown}).")
    _registry_check(candidate, "--candidate", tracking_uri)
    gate = PerformanceGate(
        thresholds,
        **resolve_champion_option(champion, candidate, tracking_uri),
        if_no_champion="raise",
        tracking_uri=tracking_uri,
    )
    names = {"model": "--candidate", "champion": "--champion", "thresholds": "--min/--max"}
    try:
        with quiet_stdout():
            report = gate.check(candidate, frame.drop(columns=[target]), frame[target])
    except MlopsKitError as exc:
        text = cli_message(exc, names).replace(
            " Pass task=... if the task was inferred wrongly.", ""
        )
        raise BadInput(text) from None
    except (ValueError, KeyError, TypeError) as exc:  # the model cannot run on --data
        raise BadInput(
            f"Invalid --data for --candidate {candidate!r}: the model cannot predict on it "
            f"({type(exc).__name__}: {one_line(exc)})."
        ) from None
    if as_json:
        emit({**report.to_dict(), "passed": report.passed})
    else:
        from mlops_kit.commands._validate_performance import print_report

        print_report(report)
    finish(report.passed)
