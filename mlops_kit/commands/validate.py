"""``mlops-kit validate``: data quality and model performance gates for CI.

``mlops-kit validate quality DATA`` checks a CSV or Parquet file against
expectations (a YAML file, or learned from a reference file);
``mlops-kit validate performance DATA --target y --model models:/name@alias``
evaluates a registered model against thresholds and, optionally, the champion.

Exit status: 0 the gate passed, 1 it failed, 2 bad input (a one-line message
naming the option). With ``--json`` stdout holds exactly one JSON object;
everything else goes to stderr.

Examples
--------
>>> from click.testing import CliRunner
>>> CliRunner().invoke(command, ["quality", "--help"]).exit_code
0
"""

from __future__ import annotations

from pathlib import Path

import click

from mlops_kit.commands._common import (
    BadInput,
    cli_message,
    emit,
    finish,
    json_option,
    quiet_stdout,
    read_data,
    save_html,
)
from mlops_kit.commands._validate_performance import check_inputs, print_report, run_gate
from mlops_kit.errors import ConfigError, MlopsKitError

__all__ = ["command"]

_HTML = click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the report as a standalone HTML page.",
)


@click.group(name="validate")
def command():
    """Data quality and model performance gates (exit 0 passed, 1 failed, 2 bad input)."""


# --- quality ------------------------------------------------------------------
def _load_expectations(expectations, reference):
    from mlops_kit.validation.quality import Expectations

    if (expectations is None) == (reference is None):
        raise BadInput(
            "Give exactly one of --expectations FILE.yaml (expectations to check) or "
            "--reference REF (a CSV or Parquet file to learn them from)."
        )
    if reference is not None:
        ref = read_data(reference, "--reference")
        try:
            return Expectations.learn(ref)
        except MlopsKitError as exc:
            raise BadInput(cli_message(exc, {"reference": "--reference"})) from None
    path = Path(expectations)
    if not path.is_file():
        raise BadInput(
            f"Invalid --expectations: got {expectations!r}; allowed: an existing YAML file "
            "(write one with --reference REF --save-expectations FILE.yaml)."
        )
    try:
        return Expectations.from_yaml(path)
    except MlopsKitError as exc:
        raise BadInput(f"Invalid --expectations {expectations!r}: {exc}") from None


def _print_quality(report) -> None:
    click.echo(report.summary())
    for line in report.failures:
        click.echo(f"  FAIL  {line}")
    for line in report.warnings:
        click.echo(f"  WARN  {line}")


@command.command(name="quality")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option(
    "--expectations",
    type=click.Path(dir_okay=False),
    default=None,
    help="YAML file of expectations (see Expectations.to_yaml).",
)
@click.option(
    "--reference",
    type=click.Path(dir_okay=False),
    default=None,
    help="CSV or Parquet file of good data to learn the expectations from.",
)
@click.option(
    "--save-expectations",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE.yaml",
    help="Write the expectations used (e.g. the learned ones) to this YAML file.",
)
@_HTML
@json_option
def quality(data, expectations, reference, save_expectations, html_path, as_json):
    """Check DATA (CSV or Parquet) against --expectations or ones learned from --reference."""
    from mlops_kit.validation.quality import QualityCheck

    exp = _load_expectations(expectations, reference)
    frame = read_data(data, "DATA")
    try:
        with quiet_stdout():
            report = QualityCheck(exp).check(frame)
    except ConfigError as exc:  # e.g. an unknown dtype name in the YAML file
        source = f"--expectations {expectations!r}" if expectations else "--reference"
        raise BadInput(f"Invalid {source}: {exc}") from None
    except MlopsKitError as exc:
        raise BadInput(cli_message(exc, {"data": "DATA"})) from None
    if save_expectations is not None:
        try:
            written = exp.to_yaml(save_expectations)
        except OSError as exc:
            raise BadInput(
                f"Invalid --save-expectations: got {save_expectations!r}; cannot write it ({exc})."
            ) from None
        click.echo(f"Expectations: {written}", err=True)
    save_html(report, html_path)
    if as_json:
        emit(
            {
                **report.to_dict(),
                "passed": report.passed,
                "failures": report.failures,
                "warnings": report.warnings,
            }
        )
    else:
        _print_quality(report)
    finish(report.passed)


# --- performance ----------------------------------------------------------------
@command.command(name="performance")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--target", required=True, help="Column of DATA with the true labels or values.")
@click.option(
    "--model",
    "model_uri",
    required=True,
    help="Model URI: models:/NAME/VERSION, models:/NAME@ALIAS or runs:/RUN_ID/PATH.",
)
@click.option(
    "--threshold",
    "thresholds",
    multiple=True,
    help="A bound such as 'roc_auc>=0.75', or a metric name (compared with the champion "
    "only). Repeatable. Default: the task's usual metrics.",
)
@click.option("--champion", default=None, help="Registered model to beat (its --alias version).")
@click.option("--alias", default="champion", show_default=True, help="Alias of the champion.")
@click.option(
    "--max-drop",
    default=None,
    help="Allowed drop against the champion: 0.01 (metric units) or '2%'. Default 0.",
)
@click.option(
    "--if-no-champion",
    type=click.Choice(["pass", "fail"]),
    default="pass",
    show_default=True,
    help="Verdict of the champion comparison when --champion has no --alias yet.",
)
@click.option(
    "--slice",
    "slices",
    multiple=True,
    help="Also check every value of this column of DATA. Repeatable.",
)
@click.option(
    "--min-slice-size",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Smaller slices are reported as skipped.",
)
@click.option(
    "--task",
    type=click.Choice(["classification", "regression"]),
    default=None,
    help="Default: inferred from the target.",
)
@click.option("--tracking-uri", default=None, help="MLflow tracking URI (default: the kit's).")
@_HTML
@json_option
def performance(
    data,
    target,
    model_uri,
    thresholds,
    champion,
    alias,
    max_drop,
    if_no_champion,
    slices,
    min_slice_size,
    task,
    tracking_uri,
    html_path,
    as_json,
):
    """Evaluate --model on DATA against thresholds and the champion."""
    from mlops_kit.validation.performance import PerformanceGate

    frame = read_data(data, "DATA")
    check_inputs(frame, target, model_uri, thresholds, max_drop, alias, slices)
    gate = PerformanceGate(
        list(thresholds) or None,
        champion=champion,
        alias=alias,
        max_drop=max_drop,
        slices=list(slices) or None,
        min_slice_size=min_slice_size,
        task=task,
        if_no_champion=if_no_champion,
        tracking_uri=tracking_uri,
    )
    report = run_gate(gate, model_uri, frame.drop(columns=[target]), frame[target])
    save_html(report, html_path)
    if as_json:
        emit({**report.to_dict(), "passed": report.passed})
    else:
        print_report(report)
    finish(report.passed)
