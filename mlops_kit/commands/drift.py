"""``mlops-kit drift REFERENCE CURRENT``: data drift between two CSV or Parquet files.

Exit status: 0 no dataset drift, 1 dataset drift, 2 bad input (a file that
cannot be read, bad options) or nothing compared (every column skipped), 3 an
unexpected error (never 1, which means drift to a CI system). With ``--json``
stdout holds exactly one JSON object (:meth:`DriftResult.to_dict`, strict
JSON); messages and warnings go to stderr.

Examples
--------
>>> from click.testing import CliRunner
>>> CliRunner().invoke(command, ["--help"]).exit_code
0
"""

from __future__ import annotations

import click

from mlops_kit.commands._common import (
    BadInput,
    cli_error,
    finish,
    json_option,
    quiet_stdout,
    read_data,
)

__all__ = ["command"]


def _parse_mapping(text: str | None, option: str, convert):
    """``"x"`` -> convert(x); ``"a=x,b=y"`` -> {a: convert(x), b: convert(y)}."""
    if text is None:
        return None
    try:
        if "=" not in text:
            return convert(text.strip())
        out = {}
        for part in text.split(","):
            key, sep, value = part.partition("=")
            if not sep or not key.strip():
                raise ValueError(f"{part!r} is not KEY=VALUE")
            out[key.strip()] = convert(value.strip())
        return out
    except ValueError as exc:
        raise BadInput(f"Invalid {option} {text!r}: {exc}") from None


def _columns(text: str | None, option: str = "--columns"):
    if text is None:
        return None
    names = [c.strip() for c in text.split(",") if c.strip()]
    if not names:
        raise BadInput(f"Invalid {option} {text!r}: give comma-separated column names.")
    return names


@click.command(name="drift")
@click.argument("reference", type=click.Path(exists=True, dir_okay=False))
@click.argument("current", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--engine",
    type=click.Choice(["native", "evidently"]),
    default="native",
    show_default=True,
    help="native: fast numpy engine; evidently: Evidently's preset.",
)
@click.option(
    "--method",
    default="auto",
    show_default=True,
    help="auto, ks, chisquare, z, wasserstein, jensenshannon or psi; or per column/"
    "type: 'num=ks,cat=psi,age=wasserstein'.",
)
@click.option(
    "--threshold",
    default=None,
    help="Drift threshold (p-value or distance); or 'num=0.2,age=0.05'.",
)
@click.option(
    "--drift-share",
    type=float,
    default=0.5,
    show_default=True,
    help="Share of drifted columns at which the dataset drifts.",
)
@click.option("--columns", default=None, help="Comma-separated columns to check (default: all).")
@click.option("--column-types", default=None, help="Override types: 'zip=cat,score=num'.")
@click.option(
    "--target", default=None, help="Target column: tested and reported apart from the features."
)
@click.option(
    "--prediction",
    default=None,
    help="Prediction column: tested and reported apart from the features.",
)
@click.option(
    "--id-columns",
    default=None,
    help="Comma-separated identifier columns, never tested (integer columns all distinct in "
    "REFERENCE and 95%+ distinct in CURRENT are recognised anyway).",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write an HTML report (Evidently's full report with --engine evidently).",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1),
    default=None,
    help="Stream CURRENT in chunks of this many rows (native engine, bounded memory).",
)
@json_option
def command(
    reference,
    current,
    engine,
    method,
    threshold,
    drift_share,
    columns,
    column_types,
    target,
    prediction,
    id_columns,
    html_path,
    chunk_size,
    as_json,
):
    """Compare CURRENT with REFERENCE (CSV or Parquet files) column by column."""
    from mlops_kit.validation.drift.check import DriftCheck

    check = DriftCheck(
        method=_parse_mapping(method, "--method", str),
        threshold=_parse_mapping(threshold, "--threshold", float),
        drift_share=drift_share,
        columns=_columns(columns),
        column_types=_parse_mapping(column_types, "--column-types", str),
        engine=engine,
        target=target,
        prediction=prediction,
        id_columns=_columns(id_columns, "--id-columns"),
    )
    try:
        with quiet_stdout():  # keep stdout for the result only
            ref = read_data(reference, "REFERENCE")
            cur = current if (chunk_size and engine == "native") else read_data(current, "CURRENT")
            kwargs = {"batch_size": chunk_size} if chunk_size else {}
            result = check.run(ref, cur, html_path=html_path, **kwargs)
    except Exception as exc:  # options named as typed (--drift-share); a crash exits 3, never 1
        raise cli_error(exc, command) from None
    if not result.checked:
        reasons = "; ".join(f"{c.column!r}: {c.note}" for c in result.skipped[:5])
        raise BadInput(f"Nothing compared: every column was skipped ({reasons}).")
    if as_json:
        click.echo(result.to_json())
    else:
        click.echo(result.summary())
        frame = result.to_frame()
        click.echo(frame.drop(columns=["note"]).to_string(index=False))
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        for col in result.skipped:
            click.echo(f"skipped {col.column!r}: {col.note}", err=True)
        if result.html_path:
            click.echo(f"HTML report: {result.html_path}", err=True)
    finish(passed=not result.dataset_drift)
