"""``mlops-kit pipeline``: run the default pipeline (validate, train, evaluate, gate, register,
deploy, monitor) on the credit sample data, recorded in one MLflow run.

Exit status: 0 every stage passed, 1 a gate or stage failed, 2 bad input.

Examples
--------
>>> from click.testing import CliRunner
>>> CliRunner().invoke(command, ["run", "--help"]).exit_code
0
"""

from __future__ import annotations

import click

from mlops_kit.commands._common import BadInput, emit, finish, json_option, quiet_stdout
from mlops_kit.commands.gate import thresholds_from_options
from mlops_kit.errors import MlopsKitError

__all__ = ["command"]


@click.group(name="pipeline")
def command():
    """The gated ML pipeline (exit 0 passed, 1 a gate failed, 2 bad input)."""


@command.command(name="run")
@click.option("--model-name", default="credit-risk", show_default=True, help="Registered model.")
@click.option("--alias", default="champion", show_default=True, help="Alias the deploy moves.")
@click.option("--rows", type=int, default=5_000, show_default=True, help="Sample rows.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the sample data.")
@click.option(
    "--min", "mins", multiple=True, help="METRIC=VALUE gate bound (default roc_auc=0.75)."
)
@click.option("--max-drop", "drops", multiple=True, help="METRIC=VALUE allowed drop vs the alias.")
@click.option("--experiment", default="mlops-kit-pipeline", show_default=True)
@click.option("--tracking-uri", default=None, help="MLflow tracking URI (default: the kit's).")
@json_option
def run(model_name, alias, rows, seed, mins, drops, experiment, tracking_uri, as_json):
    """Run the default pipeline on sample data and print one line per stage."""
    from mlops_kit.deploy import Pipeline, default_stages

    thresholds = thresholds_from_options(mins, (), drops) or None
    names = {"n_rows": "--rows", "seed": "--seed", "model_name": "--model-name"}
    try:
        stages = default_stages(
            model_name, thresholds=thresholds, max_drop=0.01, alias=alias, n_rows=rows, seed=seed
        )
        with quiet_stdout():
            result = Pipeline(stages, experiment=experiment, tracking_uri=tracking_uri).run()
    except MlopsKitError as exc:
        text = " ".join(str(exc).split())
        for api, option in names.items():
            text = text.replace(f"Invalid {api}:", f"Invalid {option}:")
        raise BadInput(text) from None
    if as_json:
        emit(result.to_dict())
    else:
        click.echo(result.summary())
        for s in result.stages:
            click.echo(f"  {s['step']}. {s['stage']:<14} {s['status']:<8} {s['message'][:100]}")
        click.echo(f"run: {result.run_link}")
    finish(result.passed)
