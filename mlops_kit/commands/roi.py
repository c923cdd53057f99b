"""``mlops-kit roi``: the cost of failed ML projects and the ROI of MLOps.

Inputs come from, in order (later wins): the ``framework`` preset or
``--preset``, a YAML ``--config`` file (a mapping of input names, optionally
with ``preset:``), and the ``--<input>`` options. ``--simulate N`` adds a
Monte Carlo over the default input ranges. Exit status 0, or 2 on bad input.

Examples
--------
>>> from click.testing import CliRunner
>>> out = CliRunner().invoke(command, ["--projects-per-year", "4", "--json"])
>>> out.exit_code
0
"""

from __future__ import annotations

import json

import click

from mlops_kit.commands._common import BadInput, cli_message, option_names
from mlops_kit.errors import ConfigError, InputError, MlopsKitError
from mlops_kit.results import jsonable
from mlops_kit.roi.fields import FIELDS

__all__ = ["BadInput", "command"]


def _input_options(func):
    for name, (_kind, label, unit) in reversed(list(FIELDS.items())):
        flag = "--" + name.replace("_", "-")
        func = click.option(flag, name, type=float, default=None, help=f"{label} ({unit}).")(func)
    return func


def _load_config(path) -> dict:
    from mlops_kit._yaml import read_yaml

    try:
        data = read_yaml(path, "ROI inputs file")
    except ConfigError as exc:
        raise InputError(f"Invalid --config: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError.invalid(
            "--config", str(path), "a YAML mapping of input names to values (and 'preset')"
        )
    return data


def _build_inputs(config, preset, values):
    from mlops_kit.roi import RoiInputs

    data = _load_config(config) if config else {}
    if preset is not None:
        data["preset"] = preset
    data.update({k: v for k, v in values.items() if v is not None})
    return RoiInputs.from_dict(data)


@click.command("roi")
@click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False),
    help="YAML file of inputs (a mapping; may name a preset).",
)
@click.option("--preset", default=None, help="Start from a named preset (framework, gartner).")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
@click.option(
    "--simulate",
    "n_draws",
    type=int,
    default=None,
    metavar="N",
    help="Also run a Monte Carlo simulation with N draws.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the simulation.")
@_input_options
def command(config, preset, as_json, n_draws, seed, **values):
    """Cost of failure, ROI, NPV and payback of MLOps (every input changeable)."""
    from mlops_kit.roi import RoiModel, simulate

    try:
        inputs = _build_inputs(config, preset, values)
        result = RoiModel(inputs).run()
        sim = simulate(inputs, n=n_draws, seed=seed) if n_draws is not None else None
    except MlopsKitError as exc:
        # name the option typed; an input read from --config keeps its key's name
        names = {k: v for k, v in option_names(click.get_current_context().command).items()}
        names = {k: v for k, v in names.items() if k not in FIELDS or values.get(k) is not None}
        names["n"] = "--simulate"
        raise BadInput(cli_message(exc, names)) from None
    if as_json:
        payload = {"roi": result.to_dict()}
        if sim is not None:
            payload["simulation"] = sim.to_dict()
        click.echo(json.dumps(jsonable(payload), allow_nan=False))
        return
    click.echo(result.summary())
    click.echo(result.to_frame().to_string(index=False, float_format=lambda x: f"{x:,.0f}"))
    if sim is not None:
        click.echo("")
        click.echo(sim.summary())
        click.echo(sim.to_frame().to_string(float_format=lambda x: f"{x:,.2f}"))
