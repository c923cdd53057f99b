"""``mlops-kit tour``: the framework end to end on sample data."""

from __future__ import annotations

import click


@click.command("tour")
@click.option(
    "--out",
    "out_dir",
    default="mlops-kit-tour",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Output folder for the MLflow store and the HTML report.",
)
@click.option(
    "--rows", "n_rows", default=8000, show_default=True, type=int, help="Rows of sample data."
)
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed.")
@click.option(
    "--tracking-uri", default=None, help="Write to this MLflow store instead of <out>/mlruns.db."
)
def command(out_dir, n_rows, seed, tracking_uri):
    """Run the five steps of the framework on sample data; write a store and a report."""
    import os
    import warnings

    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "WARNING")
    warnings.filterwarnings("ignore", module="mlflow")
    from mlops_kit.tour import run_tour

    click.echo(f"mlops-kit tour: writing to {out_dir}")
    run_tour(out_dir, n_rows=n_rows, seed=seed, tracking_uri=tracking_uri, echo=click.echo)
