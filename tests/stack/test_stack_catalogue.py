"""The tool catalogue: contents, cost models, and validation on load."""

from __future__ import annotations

import copy

import pytest
import yaml

from mlops_kit.errors import ConfigError, InputError
from mlops_kit.stack import CATEGORIES, load_catalogue
from mlops_kit.stack.catalogue import CATALOGUE_FILE, COST_KINDS

NAMED_IN_THE_ISSUE = [
    "MLflow",
    "Kubeflow",
    "Databricks",
    "Azure Machine Learning",
    "Weights & Biases",
    "Amazon SageMaker",
    "Evidently",
    "Great Expectations",
    "Feast",
    "Tecton",
    "Seldon Core",
    "BentoML",
    "KServe",
    "Apache Airflow",
    "Prefect",
    "Dagster",
    "DVC",
    "GitHub Actions",
    "GitLab CI",
    "Jenkins",
    "Prometheus + Grafana",
    "WhyLabs (whylogs)",
    "Arize",
]


def test_catalogue_covers_the_categories_with_enough_tools():
    cat = load_catalogue()
    assert len(cat.tools) >= 20
    assert tuple(cat.categories) == CATEGORIES
    for category in CATEGORIES:
        assert len(cat.in_category(category)) >= 2, category
    for name in NAMED_IN_THE_ISSUE:
        assert cat.tool(name).note


def test_costs_are_marked_approximate_and_dated():
    cat = load_catalogue()
    assert cat.as_of == "2026"
    assert "pproximate" in cat.disclaimer
    for tool in cat.tools:
        assert tool.cost.kind in COST_KINDS
        assert tool.cost.basis in ("list", "estimate")
        if tool.cost.kind in ("usage", "quote", "per_experiment"):
            assert tool.cost.basis == "estimate", tool.name


def test_cost_models_evaluated_at_a_team_size():
    cat = load_catalogue()
    assert cat.tool("Databricks").monthly_cost(7) == 7 * 200
    assert cat.tool("Azure Machine Learning").monthly_cost(3) == 3 * 10 * 20
    assert cat.tool("MLflow").monthly_cost(1) == cat.tool("MLflow").monthly_cost(100)
    assert (
        cat.tool("Weights & Biases").monthly_cost(4)
        == 4 * cat.tool("Weights & Biases").cost.per_user_monthly
    )
    assert cat.tool("Evidently").monthly_cost(50) == 0
    assert cat.tool("Kubeflow").open_source and cat.tool("MLflow").licence == "Apache-2.0"


def test_fit_helpers():
    tool = load_catalogue().tool("KServe")
    assert tool.fits_team(10) and not tool.fits_team(3)
    assert tool.fits_complexity("high", "serving") and not tool.fits_complexity("low", "serving")
    mlflow = load_catalogue().tool("MLflow")
    assert mlflow.fits_complexity("high", "tracking")
    assert not mlflow.fits_complexity("high", "serving")  # per-category complexity


def test_unknown_tool_is_an_input_error():
    with pytest.raises(InputError, match="'Nope'"):
        load_catalogue().tool("Nope")


def _raw():
    return yaml.safe_load(CATALOGUE_FILE.read_text())


def _tool(data, name):
    return next(t for t in data["tools"] if t["name"] == name)


def _write(tmp_path, data):
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_a_copy_loads(tmp_path):
    cat = load_catalogue(_write(tmp_path, _raw()))
    assert len(cat.tools) == len(load_catalogue().tools)


def _set(name, key, value):
    def mutate(data):
        _tool(data, name)[key] = value

    return mutate


def _cost(name, key, value):
    def mutate(data):
        _tool(data, name)["cost"][key] = value

    return mutate


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (_set("MLflow", "categories", ["tracking", "magic"]), "tools[MLflow].categories"),
        (_set("DVC", "complexity", ["low", "extreme"]), "tools[DVC].complexity"),
        (_set("MLflow", "complexity", {"tracking": ["low"]}), "tools[MLflow].complexity"),
        (_cost("Feast", "base_monthly", -5), "tools[Feast].cost.base_monthly"),
        (_cost("Feast", "kind", "free-ish"), "tools[Feast].cost.kind"),
        (_cost("Amazon SageMaker", "basis", "list"), "can only be an estimate"),
        (_cost("Feast", "basis", "guess"), "tools[Feast].cost.basis"),
        (_set("Feast", "team_size", [10, 5]), "tools[Feast].team_size"),
        (_set("Feast", "team_size", [0, 5]), "tools[Feast].team_size"),
        (_set("Feast", "open_source", "yes"), "tools[Feast].open_source"),
        (_set("Feast", "cloud", "ibm"), "tools[Feast].cloud"),
        (_set("Feast", "note", ""), "tools[Feast].note"),
        (_set("Feast", "price", 3), "tools[Feast].price: unknown key; allowed keys: ['name'"),
        (_set("DVC", "versioning", "blockchain"), "tools[DVC].versioning"),
        (lambda d: _tool(d, "Feast").pop("licence"), "tools[Feast].licence: required key"),
        (lambda d: d["tools"].append(copy.deepcopy(_tool(d, "DVC"))), "duplicate names"),
        (
            lambda d: d.update(
                tools=[t for t in d["tools"] if "feature_store" not in t["categories"]]
            ),
            "no tool in categories ['feature_store']",
        ),
        (lambda d: d["categories"].pop("ci"), "categories.ci: required key is missing"),
        (lambda d: d["categories"]["ci"].update(needed_from="always"), "categories.ci.needed_from"),
        (lambda d: d["versioning"]["options"]["git"].update(pros=[]), "options.git.pros"),
        (lambda d: d["versioning"].pop("git_when"), "versioning"),
        (lambda d: d.update(version=3), "version"),
        (lambda d: d["assumptions"].update(experiments_per_user_month=-1), "assumptions"),
    ],
)
def test_bad_catalogue_is_a_config_error(tmp_path, mutate, where):
    data = _raw()
    mutate(data)
    path = _write(tmp_path, data)
    with pytest.raises(ConfigError) as info:
        load_catalogue(path)
    assert where in str(info.value)
    assert str(path) in str(info.value)


def test_missing_or_invalid_yaml(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_catalogue(tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("tools: [unclosed")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_catalogue(bad)


def test_every_problem_is_reported_at_once(tmp_path):
    data = _raw()
    _tool(data, "DVC")["complexity"] = ["low", "extreme"]
    _tool(data, "Feast")["cost"]["kind"] = "free-ish"
    _tool(data, "Feast")["team_size"] = [10, 5]
    _tool(data, "Feast")["open_source"] = "yes"
    path = _write(tmp_path, data)
    with pytest.raises(ConfigError) as info:
        load_catalogue(path)
    lines = str(info.value).splitlines()
    assert lines[0] == f"Invalid catalogue {path}: 4 problem(s)"
    assert lines[1:] == [
        "  - tools[DVC].complexity.tracking[1]: got 'extreme'; allowed: 'low', 'medium' or 'high'",
        "  - tools[Feast].open_source: got 'yes'; allowed: a valid boolean",
        "  - tools[Feast].cost.kind: got 'free-ish'; allowed: 'open_source', 'per_user', "
        "'per_experiment', 'usage', 'subscription' or 'quote'",
        "  - tools[Feast].team_size: got [10, 5]; "
        "allowed: [min, max] integers with 1 <= min <= max",
    ]
