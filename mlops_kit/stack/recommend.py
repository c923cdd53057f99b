"""Recommend one tool per category for a team size, budget and complexity.

Each candidate tool of a category is scored:

- the team size is within the tool's range: +3;
- the complexity suits the tool in that category: +2;
- open source when ``prefer_open_source``: +2; otherwise a managed (not
  open-source) service: +0.5, as it leaves less to operate;
- built for the chosen ``cloud``: +1.5 (other clouds' platforms are left out);
- already picked for an earlier category: +1 (fewer tools, one bill);
- for tracking, matching the versioning choice (Git-based or database-backed): +1.

Categories not needed at the complexity (orchestration below "medium", a
feature store below "high") are skipped. The stack with the highest total
score whose cost (each distinct tool counted once) fits the budget is chosen
by a beam search over the categories; ties go to the cheaper stack. When no
stack fits, the cheapest one found is returned and the result says so.

Examples
--------
>>> from mlops_kit.stack import recommend
>>> rec = recommend(team_size=5, monthly_budget=200, complexity="medium")
>>> rec.within_budget
True
>>> rec.pick("tracking")["tool"]
'MLflow'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mlops_kit._params import InstanceOf, Interval, Options, check_param
from mlops_kit.stack.catalogue import CATEGORIES, CLOUDS, COMPLEXITIES, Tool, load_catalogue
from mlops_kit.stack.results import StackRecommendation, versioning_choice

__all__ = ["recommend"]

_CLOUD_CHOICES = tuple(c for c in CLOUDS if c != "any")
_BEAM = 200


#: the inputs of recommend(), declared once (mlops_kit._params)
_CONSTRAINTS = {
    "team_size": [Interval(int, 1, 1_000_000)],
    "monthly_budget": [Interval(float, 0, 1e12)],
    "complexity": [Options(*COMPLEXITIES)],
    "prefer_open_source": ["boolean"],
    "cloud": [None, Options(*_CLOUD_CHOICES)],
    "categories": [
        None,
        InstanceOf(list, tuple, description="a list of category names"),
    ],
}


def _check(**values) -> list[str]:
    for name, value in values.items():
        check_param(name, value, _CONSTRAINTS[name])
    categories = values["categories"]
    if categories is None:
        return list(CATEGORIES)
    for cat in categories:
        check_param("category", cat, [Options(*CATEGORIES)])
    return [c for c in CATEGORIES if c in categories]


@dataclass(frozen=True)
class _Ctx:
    team_size: int
    complexity: str
    prefer_oss: bool
    cloud: str | None
    versioning: str


def _score(tool: Tool, category: str, ctx: _Ctx, picked) -> float:
    score = 3.0 if tool.fits_team(ctx.team_size) else 0.0
    score += 2.0 if tool.fits_complexity(ctx.complexity, category) else 0.0
    if ctx.prefer_oss:
        score += 2.0 if tool.open_source else 0.0
    else:
        score += 0.0 if tool.open_source else 0.5
    score += 1.5 if ctx.cloud is not None and tool.cloud == ctx.cloud else 0.0
    score += 1.0 if tool.name in picked else 0.0
    score += 1.0 if category == "tracking" and tool.versioning == ctx.versioning else 0.0
    return score


def recommend(
    team_size: int,
    monthly_budget: float,
    complexity: str = "medium",
    *,
    prefer_open_source: bool = False,
    cloud: str | None = None,
    categories: list[str] | tuple[str, ...] | None = None,
    catalogue=None,
):
    """Recommend a tool stack: one pick per category, costed at the team size.

    Parameters
    ----------
    team_size : int
        People on the ML team (>= 1).
    monthly_budget : float
        Budget for tools in US dollars a month (>= 0).
    complexity : {"low", "medium", "high"}
        How demanding the ML work is (number of models, real-time needs, regulation).
    prefer_open_source : bool
        Favour open-source tools.
    cloud : {None, "aws", "azure", "gcp"}
        Your cloud: its managed platform is considered and favoured; other clouds'
        platforms are left out. None leaves out every cloud-specific platform.
    categories : list of str, optional
        Only these categories (default: all eight).
    catalogue : Catalogue, optional
        Another catalogue (default: the one shipped in the package).

    Returns
    -------
    StackRecommendation
        Picks with reasons and approximate monthly costs, the total against the
        budget and the Git-based versus database-backed versioning choice.

    Raises
    ------
    InputError
        Team size < 1, negative budget, unknown complexity, cloud or category.

    Examples
    --------
    >>> rec = recommend(3, 0, "low", prefer_open_source=True)
    >>> rec.within_budget, rec.versioning["choice"]
    (False, 'git')
    """
    cats = _check(
        team_size=team_size,
        monthly_budget=monthly_budget,
        complexity=complexity,
        prefer_open_source=prefer_open_source,
        cloud=cloud,
        categories=categories,
    )
    cat = catalogue if catalogue is not None else load_catalogue()
    versioning = versioning_choice(cat, int(team_size), complexity)
    ctx = _Ctx(int(team_size), complexity, bool(prefer_open_source), cloud, versioning["choice"])
    level = COMPLEXITIES.index(complexity)
    options = {}
    for category in cats:
        needed = COMPLEXITIES.index(cat.categories[category]["needed_from"]) <= level
        found = [t for t in cat.in_category(category) if t.cloud in ("any", cloud)]
        options[category] = found if needed else []
    best = _search(options, ctx, math.inf)
    chosen = _search(options, ctx, float(monthly_budget))
    swapped = {c for c in cats if chosen[c] is not best[c]}
    return StackRecommendation.build(
        catalogue=cat,
        picks=chosen,
        swapped=swapped,
        team_size=int(team_size),
        monthly_budget=float(monthly_budget),
        complexity=complexity,
        prefer_open_source=bool(prefer_open_source),
        cloud=cloud,
        versioning=versioning,
    )


def _search(options: dict[str, list[Tool]], ctx: _Ctx, budget: float) -> dict[str, Tool | None]:
    """Beam search for the highest-scoring stack within ``budget`` (else the cheapest)."""
    # a state: (score, cost, picks, names of the distinct tools picked)
    states = [(0.0, 0.0, (), frozenset())]
    for category, tools in options.items():
        if not tools:
            states = [(s, c, (*p, None), n) for s, c, p, n in states]
            continue
        grown = []
        for score, cost, picks, names in states:
            for tool in tools:
                extra = 0.0 if tool.name in names else tool.monthly_cost(ctx.team_size)
                grown.append(
                    (
                        score + _score(tool, category, ctx, names),
                        cost + extra,
                        (*picks, tool),
                        names | {tool.name},
                    )
                )
        states = _prune(grown, budget)
    fits = [st for st in states if st[1] <= budget + 1e-9]
    final = min(fits, key=_by_score) if fits else min(states, key=_by_cost)
    return dict(zip(options, final[2], strict=True))


def _names(picks) -> tuple:
    return tuple(t.name if t is not None else "" for t in picks)


def _by_score(state):
    return (-round(state[0], 9), state[1], _names(state[2]))


def _by_cost(state):
    return (state[1], -round(state[0], 9), _names(state[2]))


def _prune(states, budget):
    fits = sorted((st for st in states if st[1] <= budget + 1e-9), key=_by_score)[:_BEAM]
    cheap = sorted(states, key=_by_cost)[:_BEAM]
    kept, seen = [], set()
    for st in (*fits, *cheap):
        key = _names(st[2])
        if key not in seen:
            seen.add(key)
            kept.append(st)
    return kept
