"""Helpers of ``mlops-kit validate performance``: option checks, running the gate, output.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"x": [1, 2], "y": [0, 1]})
>>> check_inputs(frame, "y", "models:/credit/1", ["roc_auc>=0.7"], None, "champion", [])
"""

from __future__ import annotations

import click

from mlops_kit.commands._common import BadInput, cli_message, quiet_stdout
from mlops_kit.errors import MlopsKitError

__all__ = ["check_inputs", "print_report", "run_gate"]

_GATE_NAMES = {
    "model": "--model",
    "alias": "--alias",
    "champion": "--champion",
    "thresholds": "--threshold",
    "max_drop": "--max-drop",
    "slices": "--slice",
    "X": "DATA",
    "y": "--target",
}


def check_inputs(frame, target, model_uri, thresholds, max_drop, alias, slices):
    """Check every option that can be checked before the model is loaded."""
    from mlops_kit.metrics import METRICS
    from mlops_kit.tracking.registry import check_alias
    from mlops_kit.validation.performance import parse_thresholds
    from mlops_kit.validation.performance.thresholds import parse_max_drop

    columns = [str(c) for c in frame.columns]
    shown = ", ".join(repr(c) for c in columns[:20]) + (" ..." if len(columns) > 20 else "")
    if target not in frame.columns:
        raise BadInput(f"Invalid --target: got {target!r}; allowed: a column of DATA ({shown}).")
    for text in thresholds:
        try:
            parse_thresholds([text])
        except MlopsKitError:
            raise BadInput(
                f"Invalid --threshold: got {text!r}; allowed: METRIC OP NUMBER such as "
                f"'roc_auc>=0.75' (OP one of >=, >, <=, <) or a bare metric name, with "
                f"METRIC one of {sorted(METRICS)}."
            ) from None
    try:
        parse_thresholds(list(thresholds))  # e.g. a metric given twice
        parse_max_drop(max_drop, "--max-drop")
        check_alias(alias)
    except MlopsKitError as exc:
        raise BadInput(cli_message(exc, _GATE_NAMES)) from None
    for name in slices:
        if name not in frame.columns or name == target:
            raise BadInput(
                f"Invalid --slice: got {name!r}; allowed: a column of DATA other than "
                f"--target ({shown})."
            )
    if not model_uri.startswith(("models:/", "runs:/")):
        raise BadInput(
            f"Invalid --model: got {model_uri!r}; allowed: a model URI such as "
            "'models:/credit/3', 'models:/credit@champion' or 'runs:/<run_id>/model'."
        )


def run_gate(gate, model_uri, X, y):
    """Run ``gate`` on the model at ``model_uri``; turn every input problem into BadInput."""
    from mlflow.exceptions import MlflowException

    try:
        with quiet_stdout():
            return gate.check(model_uri, X, y)
    except MlopsKitError as exc:
        text = cli_message(exc, _GATE_NAMES).replace("Pass task=...", "Pass --task")
        if text.startswith("Invalid --model:") and "Loading failed:" in text:
            detail = text.split("Loading failed:", 1)[1].strip()
            text = f"Invalid --model: got {model_uri!r}; cannot load it: {detail}"
        raise BadInput(text) from None
    except MlflowException as exc:
        raise BadInput(f"Invalid --model: got {model_uri!r}; cannot load it: {exc}") from None
    except (ValueError, KeyError, TypeError) as exc:  # the model cannot run on DATA
        raise BadInput(
            f"Invalid DATA for --model {model_uri!r}: the model cannot predict on it "
            f"({type(exc).__name__}: {exc})."
        ) from None


def print_report(report) -> None:
    """Print the verdict and one row per (slice, metric); notes go to stderr."""
    click.echo(report.summary())
    shown = ["slice", "n", "metric", "value", "threshold", "champion_value", "delta", "status"]
    frame = report.to_frame()[shown]
    frame["threshold"] = frame["threshold"].fillna("-")
    click.echo(frame.to_string(index=False, na_rep="-", float_format=lambda x: f"{x:.4g}"))
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
