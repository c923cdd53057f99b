"""recommend(): one pick per category within the budget, reasons, versioning choice."""

from __future__ import annotations

import itertools
import json
import math

import pytest

from mlops_kit.errors import InputError
from mlops_kit.roi import RoiInputs, RoiModel
from mlops_kit.stack import CATEGORIES, load_catalogue, recommend
from mlops_kit.stack.catalogue import CATALOGUE_FILE
from mlops_kit.stack.recommend import _Ctx, _score


def _distinct_cost(rec):
    cat = load_catalogue()
    names = {r["tool"] for r in rec.picks if r["tool"]}
    return sum(cat.tool(n).monthly_cost(rec.team_size) for n in names)


def test_one_pick_per_category_with_reason_and_cost():
    rec = recommend(team_size=5, monthly_budget=1000, complexity="medium")
    assert [r["category"] for r in rec.picks] == list(CATEGORIES)
    for row in rec.picks:
        assert row["reason"]
        assert row["monthly_cost"] >= 0
    assert rec.total_monthly_cost == pytest.approx(_distinct_cost(rec))
    assert rec.within_budget and rec.total_monthly_cost <= 1000
    assert "within the budget" in rec.budget_note


def test_a_tool_picked_twice_is_costed_once():
    rec = recommend(team_size=5, monthly_budget=1000, complexity="medium")
    tracking, registry = rec.pick("tracking"), rec.pick("registry")
    assert tracking["tool"] == registry["tool"] == "MLflow"
    assert registry["shared_with"] == "tracking"
    assert registry["monthly_cost"] == 0
    assert "already picked for tracking" in registry["reason"]
    assert tracking["monthly_cost"] == load_catalogue().tool("MLflow").monthly_cost(5)


@pytest.mark.parametrize("budget", [0, 50, 150, 400, 1000, 3000, 10_000])
@pytest.mark.parametrize("complexity", ["low", "medium", "high"])
def test_total_within_budget_whenever_it_says_so(budget, complexity):
    rec = recommend(team_size=12, monthly_budget=budget, complexity=complexity)
    assert rec.within_budget == (rec.total_monthly_cost <= budget)
    assert rec.total_monthly_cost == pytest.approx(_distinct_cost(rec))


def _brute_force(team_size, complexity, budget, **kw):
    """Every combination of candidates, scored as recommend() scores them."""
    cat = load_catalogue()
    rec = recommend(team_size, budget, complexity, **kw)
    ctx = _Ctx(
        team_size, complexity, kw.get("prefer_open_source", False), None, rec.versioning["choice"]
    )
    options = []
    for category in CATEGORIES:
        if rec.pick(category)["tool"] is None:
            options.append([None])
        else:
            options.append([t for t in cat.in_category(category) if t.cloud == "any"])
    best_fit, cheapest = None, None
    for combo in itertools.product(*options):
        names, score = set(), 0.0
        for category, tool in zip(CATEGORIES, combo):
            if tool is not None:
                score += _score(tool, category, ctx, names)
                names.add(tool.name)
        cost = sum(cat.tool(n).monthly_cost(team_size) for n in names)
        if cost <= budget and (best_fit is None or score > best_fit[0] + 1e-9):
            best_fit = (score, cost)
        if cheapest is None or cost < cheapest:
            cheapest = cost
    return rec, ctx, best_fit, cheapest


def _rec_score(rec, ctx):
    cat = load_catalogue()
    names, score = set(), 0.0
    for row in rec.picks:
        if row["tool"]:
            tool = cat.tool(row["tool"])
            score += _score(tool, row["category"], ctx, names)
            names.add(tool.name)
    return score


@pytest.mark.parametrize(("team", "budget"), [(5, 1000), (12, 250), (30, 8000)])
def test_best_scoring_stack_within_budget_matches_brute_force(team, budget):
    rec, ctx, best_fit, _ = _brute_force(team, "medium", budget)
    assert rec.within_budget
    assert _rec_score(rec, ctx) == pytest.approx(best_fit[0])


def test_when_nothing_fits_it_says_so_and_returns_the_cheapest():
    rec, _, best_fit, cheapest = _brute_force(10, "medium", 10)
    assert best_fit is None
    assert not rec.within_budget
    assert rec.total_monthly_cost == pytest.approx(cheapest)
    assert "Cannot fit the budget" in rec.budget_note
    assert "OVER budget" in rec.summary()


def test_cheaper_picks_are_explained():
    rich = recommend(team_size=15, monthly_budget=100_000, complexity="high")
    poor = recommend(team_size=15, monthly_budget=1500, complexity="high")
    assert poor.total_monthly_cost < rich.total_monthly_cost
    changed = [r for r in poor.picks if r["tool"] != rich.pick(r["category"])["tool"]]
    assert changed
    assert all("keep within the budget" in r["reason"] for r in changed)


def test_prefer_open_source():
    rec = recommend(team_size=15, monthly_budget=5000, complexity="high", prefer_open_source=True)
    assert all(r["open_source"] for r in rec.picks if r["tool"])
    assert all("open source" in r["reason"] for r in rec.picks if r["tool"])


def test_cloud_platforms_only_for_their_cloud():
    cat = load_catalogue()
    none = recommend(team_size=20, monthly_budget=50_000, complexity="high")
    assert all(cat.tool(r["tool"]).cloud == "any" for r in none.picks if r["tool"])
    aws = recommend(team_size=20, monthly_budget=50_000, complexity="high", cloud="aws")
    clouds = {cat.tool(r["tool"]).cloud for r in aws.picks if r["tool"]}
    assert clouds <= {"any", "aws"} and "aws" in clouds
    assert "Amazon SageMaker" in {r["tool"] for r in aws.picks}


def test_categories_not_needed_at_low_complexity():
    rec = recommend(team_size=3, monthly_budget=500, complexity="low")
    assert rec.pick("feature_store")["tool"] is None
    assert rec.pick("orchestration")["tool"] is None
    assert "not needed at 'low'" in rec.pick("feature_store")["reason"]
    high = recommend(team_size=15, monthly_budget=5000, complexity="high")
    assert high.pick("feature_store")["tool"] is not None


def test_versioning_choice_with_trade_offs():
    small = recommend(team_size=3, monthly_budget=500, complexity="low")
    assert small.versioning["choice"] == "git"
    assert "DVC" in small.versioning["tools"] and "Git LFS" in small.versioning["tools"]
    assert small.pick("tracking")["tool"] == "DVC"
    large = recommend(team_size=12, monthly_budget=2000, complexity="medium")
    assert large.versioning["choice"] == "database"
    assert "MLflow" in large.versioning["tools"] and "PostgreSQL" in large.versioning["tools"]
    for v in (small.versioning, large.versioning):
        assert v["pros"] and v["cons"] and v["reason"]
        assert v["alternative"]["choice"] != v["choice"]
        assert v["alternative"]["pros"] and v["alternative"]["cons"]


def test_categories_subset():
    rec = recommend(team_size=5, monthly_budget=500, categories=["ci", "tracking"])
    assert [r["category"] for r in rec.picks] == ["tracking", "ci"]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"team_size": 0}, "team_size"),
        ({"team_size": -3}, "team_size"),
        ({"team_size": 2.5}, "team_size"),
        ({"team_size": True}, "team_size"),
        ({"monthly_budget": -1}, "monthly_budget"),
        ({"monthly_budget": math.nan}, "monthly_budget"),
        ({"monthly_budget": "lots"}, "monthly_budget"),
        ({"complexity": "extreme"}, "complexity"),
        ({"cloud": "ibm"}, "cloud"),
        ({"categories": ["tracking", "magic"]}, "category"),
        ({"categories": "tracking"}, "categories"),
    ],
)
def test_bad_input_is_a_clear_input_error(kwargs, name):
    args = {"team_size": 5, "monthly_budget": 1000, **kwargs}
    with pytest.raises(InputError) as info:
        recommend(**args)
    assert f"Invalid {name}:" in str(info.value)
    assert "allowed" in str(info.value)


def test_unknown_category_in_result_lookup():
    with pytest.raises(InputError, match="category"):
        recommend(5, 1000).pick("magic")


def test_result_contract(tmp_path):
    rec = recommend(team_size=5, monthly_budget=1000, complexity="medium")
    data = json.loads(rec.to_json())
    assert data["as_of"] == "2026" and len(data["picks"]) == len(CATEGORIES)
    assert data["versioning"]["choice"] in ("git", "database")
    assert "approximate" in rec.summary()
    assert list(rec.to_frame().columns[:3]) == ["category", "tool", "monthly_cost"]
    ax = rec.plot()
    assert len(ax.patches) == len(CATEGORIES)
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == sorted(r["monthly_cost"] for r in rec.picks)
    assert "$" in ax.get_title()
    assert len(rec._repr_html_()) < 20_000
    assert rec.save_html(tmp_path / "stack.html").exists()


def test_feeds_the_roi_investment():
    rec = recommend(team_size=15, monthly_budget=5000, complexity="high")
    inputs = RoiInputs.from_stack(rec)
    result = RoiModel(inputs).run()
    expected = rec.total_monthly_cost * 12 + inputs.staff_fte * inputs.staff_cost_per_fte
    assert result.investment_per_year == pytest.approx(expected)


def test_custom_catalogue(tmp_path):
    text = CATALOGUE_FILE.read_text()
    path = tmp_path / "cat.yaml"
    path.write_text(text.replace("per_user_monthly: 4,", "per_user_monthly: 400,"))
    cat = load_catalogue(path)
    assert cat.tool("GitHub Actions").monthly_cost(10) == 4000
    assert recommend(10, 1000, "low").pick("ci")["tool"] == "GitHub Actions"
    rec = recommend(10, 1000, "low", catalogue=cat)
    assert rec.pick("ci")["tool"] != "GitHub Actions"
    assert rec.within_budget
