"""``simulate``: replay a failure scenario with and without the practice that prevents it.

Both arms play in the same world (same data, same original model, same
incident); they differ only in whether the practice is in place. The practice
is the kit's own component run on the simulated data (see
:mod:`~mlops_kit.scenarios.incidents_data` and
:mod:`~mlops_kit.scenarios.incidents_model`); without it, a problem is noticed
``months_unnoticed`` months after it starts (the source's case: about six).
Each period's cost is ``cost_per_month`` times the share of the original
model's lift over chance that was lost (:mod:`~mlops_kit.scenarios.world`).

Examples
--------
>>> result = simulate("silent_quality_break", params={"months": 6})
>>> result.caught_with, result.caught_without
(4, None)
>>> result.loss_with < result.loss_without
True
>>> simulate("silent_quality_break", practices="canary")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
mlops_kit.errors.InputError: Invalid practices: got 'canary'; allowed: practice ids among [...].
"""

from __future__ import annotations

from mlops_kit._params import InstanceOf, Interval, check_param
from mlops_kit.errors import ConfigError, InputError
from mlops_kit.scenarios.catalogue import ScenarioParams, load_catalogue
from mlops_kit.scenarios.result import ScenarioResult

__all__ = ["simulate"]


def _runner(kind: str):
    from mlops_kit.scenarios import incidents_data as data
    from mlops_kit.scenarios import incidents_model as model

    return {
        "drift": (data.run_drift, False),
        "skew": (data.run_skew, False),
        "quality": (data.run_quality, False),
        "release": (model.run_release, False),
        "rollback": (model.run_rollback, True),
        "approval": (model.run_approval, True),
        "reproduce": (model.run_reproduce, True),
    }[kind]


def _practices(practices, scenario, cat) -> list[str]:
    if practices is None:
        return [scenario.practice]
    if isinstance(practices, str):
        practices = [practices]
    check_param(
        "practices",
        practices,
        [InstanceOf(list, tuple, set, description="a practice id or a list of them")],
    )
    allowed = sorted(cat.practices)
    for name in practices:
        if name not in cat.practices:
            raise InputError.invalid("practices", name, f"practice ids among {allowed}")
    return sorted(practices)


def _params(scenario, overrides) -> ScenarioParams:
    from mlops_kit._yaml import parse_config

    if overrides is None:
        return scenario.params
    check_param("params", overrides, [InstanceOf(dict, description="a dict of parameters")])
    merged = {**scenario.params.model_dump(exclude_defaults=True), **overrides}
    try:
        return parse_config(merged, ScenarioParams, "scenario params", source=scenario.id)
    except ConfigError as exc:
        lines = str(exc).splitlines()[1:]
        raise InputError(
            f"Invalid params: {'; '.join(line.strip(' -') for line in lines)}."
        ) from None


def simulate(scenario, practices=None, *, seed=0, params=None, catalogue=None) -> ScenarioResult:
    """Replay ``scenario`` on the sample data with and without its practice.

    Parameters
    ----------
    scenario : str
        A scenario id of the catalogue (see :func:`~mlops_kit.scenarios.catalogue`).
    practices : str or list of str, optional
        The practices in place in the "with" arm. Default: the practice that
        prevents the scenario. A list without it shows the scenario unprevented
        (both arms then match).
    seed : int, default 0
        Seed of the sample data and the drift.
    params : dict, optional
        Overrides of the scenario's parameters (``months``, ``rows_per_month``,
        ``incident_period``, ``months_unnoticed``, ``cost_per_month``, ...; see
        :class:`~mlops_kit.scenarios.catalogue.ScenarioParams`).
    catalogue : str or Path, optional
        A scenario file instead of the one shipped with the kit.

    Returns
    -------
    ScenarioResult

    Raises
    ------
    InputError
        An unknown scenario, practice or parameter (the allowed ones listed).
    ConfigError
        The scenario file breaks its schema.
    """
    from mlops_kit.scenarios.incidents_model import TempStore
    from mlops_kit.scenarios.world import build_world, costs, lost_share

    cat = load_catalogue(catalogue)
    check_param("scenario", scenario, [InstanceOf(str, description="a scenario id")])
    spec = cat.scenario(scenario)
    in_place = _practices(practices, spec, cat)
    check_param("seed", seed, [Interval(int, 0, None)])
    p = _params(spec, params)
    case = cat.source_case
    unnoticed = p.months_unnoticed or case.months_unnoticed
    cost_per_month = p.cost_per_month
    if cost_per_month is None:
        cost_per_month = case.corrective_cost / case.months_unnoticed

    world = build_world(p, seed=seed)
    run, needs_store = _runner(spec.kind)
    store = TempStore()
    try:
        arms = {}
        for arm, active in (("without", False), ("with", spec.practice in in_place)):
            extra = {"store": store} if needs_store else {}
            arms[arm] = run(world, p, active, unnoticed, **extra)
    finally:
        store.close()

    source_figures = None
    if spec.source is not None or p.calibrate_to_source:
        source_figures = {
            "months_unnoticed": case.months_unnoticed,
            "corrective_cost": case.corrective_cost,
            "source": cat.sources[case.source].title,
        }
    if p.calibrate_to_source:
        share = lost_share(world, arms["without"])
        if share > 0:
            cost_per_month = case.corrective_cost / share
    cost = {arm: costs(world, arms[arm], cost_per_month) for arm in arms}
    reference = arms["without"].reference_of(world)
    timeline = [
        {
            "period": i + 1,
            "month": world.starts[i].strftime("%Y-%m"),
            "reference_quality": round(reference[i], 4),
            "quality_with": round(arms["with"].quality[i], 4),
            "quality_without": round(arms["without"].quality[i], 4),
            "cost_with": round(cost["with"][i], 2),
            "cost_without": round(cost["without"][i], 2),
        }
        for i in range(len(world.periods))
    ]
    practice = cat.practices[spec.practice]
    return ScenarioResult(
        {
            "id": spec.id,
            "title": spec.title,
            "description": spec.description,
            "step": spec.step,
            "practice": spec.practice,
            "practice_title": practice.title,
            "components": practice.components,
            "source": spec.source,
        },
        in_place,
        timeline,
        incident_period=p.incident_period,
        caught={arm: arms[arm].caught for arm in arms},
        recovered={arm: arms[arm].recovered for arm in arms},
        cost_per_month=cost_per_month,
        evidence={arm: arms[arm].evidence for arm in arms},
        source_figures=source_figures,
        params={**p.model_dump(), "months_unnoticed": unnoticed, "seed": seed},
    )
