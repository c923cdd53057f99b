"""The result of :func:`mlops_kit.stack.recommend`: :class:`StackRecommendation`.

Examples
--------
>>> from mlops_kit.stack import recommend
>>> rec = recommend(team_size=8, monthly_budget=3000, complexity="high")
>>> rec.to_frame().columns[:3].tolist()
['category', 'tool', 'monthly_cost']
>>> ax = rec.plot()
"""

from __future__ import annotations

from mlops_kit.errors import InputError
from mlops_kit.results import Result, get_ax

__all__ = ["StackRecommendation", "approx", "versioning_choice"]

_COLUMNS = [
    "category",
    "tool",
    "monthly_cost",
    "cost_kind",
    "cost_basis",
    "licence",
    "open_source",
    "shared_with",
    "fits_team",
    "fits_complexity",
    "reason",
]


def approx(amount: float) -> str:
    """Format an approximate monthly cost, rounded to 2 significant figures.

    Examples
    --------
    >>> approx(203), approx(1000), approx(0), approx(4.0)
    ('~$200', '~$1,000', '$0', '~$4')
    """
    if amount <= 0:
        return "$0"
    rounded = float(f"{amount:.2g}")
    return f"~${rounded:,.0f}"


def _reason(tool, category, rec, shared_with, swapped) -> str:
    lo, hi = tool.team_size
    parts = []
    if tool.fits_team(rec["team_size"]):
        parts.append(f"fits a team of {rec['team_size']} (range {lo}-{hi})")
    else:
        parts.append(f"team of {rec['team_size']} is outside its range {lo}-{hi}")
    suits = tool.complexity.get(category, ())
    if rec["complexity"] in suits:
        parts.append(f"suits {rec['complexity']!r} complexity")
    else:
        parts.append(f"made for {'/'.join(suits)} complexity, not {rec['complexity']!r}")
    if tool.open_source:
        parts.append(f"open source ({tool.licence})")
    else:
        parts.append("managed service, less to operate")
    if category == "tracking" and tool.versioning == rec["versioning"]["choice"]:
        kind = "Git-based" if tool.versioning == "git" else "database-backed"
        parts.append(f"matches the {kind} versioning choice")
    if rec["cloud"] is not None and tool.cloud == rec["cloud"]:
        parts.append(f"managed on your cloud ({rec['cloud']})")
    if shared_with:
        parts.append(f"already picked for {shared_with}, cost counted there")
    else:
        cost = tool.monthly_cost(rec["team_size"])
        basis = "list price" if tool.cost.basis == "list" else "estimate"
        parts.append(f"{approx(cost)}/month ({tool.cost.kind.replace('_', ' ')}, {basis})")
    if swapped:
        parts.append("cheaper choice to keep within the budget")
    return "; ".join(parts)


def versioning_choice(catalogue, team_size: int, complexity: str) -> dict:
    """Git-based or database-backed versioning for a team, with trade-offs."""
    rule = catalogue.versioning["git_when"]
    options = catalogue.versioning["options"]
    git = team_size <= rule["max_team_size"] and complexity in rule["complexity"]
    choice, other = ("git", "database") if git else ("database", "git")
    if git:
        reason = (
            f"A team of {team_size} at {complexity!r} complexity can keep data and model "
            "versions in Git: nothing to host, and every version sits beside its code."
        )
    else:
        reason = (
            f"A team of {team_size} at {complexity!r} complexity needs a shared, searchable "
            "store with a registry and concurrent writers: a database-backed tracking server."
        )
    picked, alt = options[choice], options[other]
    return {
        "choice": choice,
        "label": picked["label"],
        "tools": list(picked["tools"]),
        "reason": reason,
        "pros": list(picked["pros"]),
        "cons": list(picked["cons"]),
        "alternative": {
            "choice": other,
            "label": alt["label"],
            "pros": list(alt["pros"]),
            "cons": list(alt["cons"]),
        },
    }


class StackRecommendation(Result):
    """A recommended tool stack: one pick per category, costs and versioning choice.

    Attributes
    ----------
    team_size, monthly_budget, complexity, prefer_open_source, cloud
        The request.
    picks : list of dict
        Per category: tool (None when not needed), approximate monthly cost (a tool
        picked for several categories is counted once, in its first), cost kind and
        basis, licence, reason and the catalogue's note.
    total_monthly_cost : float
        Sum over distinct tools (approximate).
    within_budget : bool
        Whether the total fits the budget.
    budget_note : str
        The total against the budget, or why it cannot fit.
    versioning : dict
        Git-based (DVC, Git LFS) or database-backed (MLflow + PostgreSQL): the
        choice, the reason, pros and cons, and the alternative's.
    as_of, disclaimer : str
        Date and caveat of the catalogue's prices.

    Examples
    --------
    >>> from mlops_kit.stack import recommend
    >>> rec = recommend(team_size=5, monthly_budget=1000)
    >>> rec.versioning["choice"] in ("git", "database")
    True
    """

    title = "Recommended MLOps stack"

    def __init__(self, **fields):
        self.team_size = fields["team_size"]
        self.monthly_budget = fields["monthly_budget"]
        self.complexity = fields["complexity"]
        self.prefer_open_source = fields["prefer_open_source"]
        self.cloud = fields["cloud"]
        self.picks = list(fields["picks"])
        self.total_monthly_cost = float(fields["total_monthly_cost"])
        self.within_budget = bool(fields["within_budget"])
        self.budget_note = fields["budget_note"]
        self.versioning = fields["versioning"]
        self.as_of = fields["as_of"]
        self.disclaimer = fields["disclaimer"]

    @classmethod
    def build(cls, *, catalogue, picks, swapped, **request) -> StackRecommendation:
        """Compute rows, totals and the versioning choice from the chosen tools."""
        rows, seen = [], {}
        for category, tool in picks.items():
            if tool is None:
                needed = catalogue.categories[category]["needed_from"]
                rows.append(_empty_row(category, request, needed))
                continue
            shared_with = seen.get(tool.name)
            seen.setdefault(tool.name, category)
            rows.append(
                {
                    "category": category,
                    "tool": tool.name,
                    "monthly_cost": 0.0 if shared_with else tool.monthly_cost(request["team_size"]),
                    "cost_kind": tool.cost.kind,
                    "cost_basis": tool.cost.basis,
                    "licence": tool.licence,
                    "open_source": tool.open_source,
                    "shared_with": shared_with,
                    "fits_team": tool.fits_team(request["team_size"]),
                    "fits_complexity": tool.fits_complexity(request["complexity"], category),
                    "reason": _reason(tool, category, request, shared_with, category in swapped),
                    "note": tool.note,
                }
            )
        total = sum(r["monthly_cost"] for r in rows)
        budget = request["monthly_budget"]
        within = total <= budget
        if within:
            note = f"Total {approx(total)}/month is within the budget of ${budget:,.0f}/month."
        else:
            note = (
                f"Cannot fit the budget of ${budget:,.0f}/month: the cheapest suitable stack "
                f"found costs {approx(total)}/month. Raise the budget, drop categories or "
                "self-host more of the stack."
            )
        return cls(
            picks=rows,
            total_monthly_cost=total,
            within_budget=within,
            budget_note=note,
            as_of=catalogue.as_of,
            disclaimer=catalogue.disclaimer,
            **request,
        )

    def pick(self, category: str) -> dict:
        """The row of one category (InputError if not in the recommendation)."""
        for row in self.picks:
            if row["category"] == category:
                return dict(row)
        allowed = ", ".join(r["category"] for r in self.picks)
        raise InputError.invalid("category", category, "one of " + allowed)

    def to_dict(self) -> dict:
        return {
            "team_size": self.team_size,
            "monthly_budget": self.monthly_budget,
            "complexity": self.complexity,
            "prefer_open_source": self.prefer_open_source,
            "cloud": self.cloud,
            "picks": [dict(r) for r in self.picks],
            "total_monthly_cost": self.total_monthly_cost,
            "within_budget": self.within_budget,
            "budget_note": self.budget_note,
            "versioning": self.versioning,
            "as_of": self.as_of,
            "disclaimer": self.disclaimer,
        }

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame.from_records(self.picks, columns=_COLUMNS)

    def summary(self) -> str:
        tools = sorted({r["tool"] for r in self.picks if r["tool"]})
        status = "within budget" if self.within_budget else "OVER budget"
        return (
            f"{len(tools)} tools for a team of {self.team_size} ({self.complexity}): "
            f"{approx(self.total_monthly_cost)}/month, {status} "
            f"(${self.monthly_budget:,.0f}); versioning: {self.versioning['choice']}"
            f" (prices approximate, as of {self.as_of})"
        )

    def plot(self, ax=None):
        """Draw the approximate monthly cost per category and return the Axes."""
        ax = get_ax(ax, figsize=(7, 3.5))
        rows = self.picks[::-1]
        labels = [f"{r['category']}: {r['tool'] or '(not needed)'}" for r in rows]
        colours = ["#2ca02c" if r["open_source"] else "#1f77b4" for r in rows]
        ax.barh(range(len(rows)), [r["monthly_cost"] for r in rows], color=colours)
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels(labels, fontsize=8)
        ax.set_xlabel(f"USD a month (approximate, as of {self.as_of})")
        status = "within" if self.within_budget else "over"
        title = (
            f"Total {approx(self.total_monthly_cost)}/month, {status} budget "
            f"${self.monthly_budget:,.0f}"
        )
        ax.set_title(title.replace("$", r"\$"), fontsize=10)  # no mathtext
        return ax


def _empty_row(category: str, request: dict, needed: str) -> dict:
    from mlops_kit.stack.catalogue import COMPLEXITIES

    if COMPLEXITIES.index(needed) > COMPLEXITIES.index(request["complexity"]):
        reason = f"not needed at {request['complexity']!r} complexity (from {needed!r})"
    else:
        reason = f"no catalogued tool fits cloud {request['cloud']!r}"
    return {
        "category": category,
        "tool": None,
        "monthly_cost": 0.0,
        "cost_kind": None,
        "cost_basis": None,
        "licence": None,
        "open_source": False,
        "shared_with": None,
        "fits_team": None,
        "fits_complexity": None,
        "reason": reason,
        "note": "",
    }
