"""The packaged question bank is valid, and broken banks are reported clearly."""

from __future__ import annotations

import pytest
import yaml

from mlops_kit.errors import ConfigError
from mlops_kit.maturity import load_bank
from mlops_kit.maturity.bank import DEFAULT_BANK
from mlops_kit.maturity.bank_parse import parse_bank
from mlops_kit.maturity.rules import RULES

STEPS = ["versioning_tracking", "testing_validation", "cicd", "monitoring", "team_governance"]


def test_packaged_bank_has_five_dimensions_one_per_step():
    bank = load_bank()
    assert bank.dimension_ids == STEPS
    assert [d.step for d in bank.dimensions] == [1, 2, 3, 4, 5]
    for dim in STEPS:
        items = bank.items_of(dim)
        assert 5 <= len(items) <= 8, (dim, len(items))
        assert {i.level for i in items} >= {2, 3, 4}, dim
    assert len(set(bank.item_ids)) == len(bank.item_ids)


def test_packaged_levels_names_and_team_sizes():
    levels = load_bank().levels
    assert [levels[k].name for k in range(1, 6)] == [
        "No formal processes",
        "Basic automation and tooling",
        "Automated CI/CD and monitoring",
        "Advanced experimentation and testing",
        "Full lifecycle automation",
    ]
    assert (levels[1].team_min, levels[1].team_max) == (1, 3)
    assert levels[5].team_max is None
    # contiguous team-size ranges
    for k in range(1, 5):
        assert levels[k + 1].team_min == levels[k].team_max + 1


def test_packaged_gates_cover_version_control_rollback_monitoring():
    bank = load_bank()
    gates = {i.id: i.cap for i in bank.items if i.gate}
    assert gates == {"vt_code_in_git": 1, "cicd_rollback": 2, "mon_production_metrics": 2}


def test_every_item_has_guidance_tutorial_tools_and_known_evidence_rule():
    bank = load_bank()
    for item in bank.items:
        assert item.tutorial.startswith("tutorials/0") and item.tutorial.endswith(".ipynb")
        assert item.tools and item.next_step and item.how and item.effort_weeks > 0
        assert item.evidence is None or item.evidence in RULES
    assert any(i.tutorial == "tutorials/00_assess_your_team.ipynb" for i in bank.items)
    # every evidence rule is used by at least one item
    assert {i.evidence for i in bank.items if i.evidence} == set(RULES)
    frame = bank.to_frame()
    assert list(frame["item"]) == bank.item_ids


def _raw():
    return yaml.safe_load(DEFAULT_BANK.read_text(encoding="utf-8"))


def test_broken_yaml_reports_every_problem(tmp_path):
    data = _raw()
    items = data["items"]
    del items[0]["text"]  # missing field
    items[2]["id"] = items[1]["id"]  # duplicate id
    items[3]["level"] = 7  # level out of range
    items[4]["dimension"] = "marketing"  # unknown dimension
    items[5]["gate"] = True  # gate without cap
    items[6]["evidence"] = "crystal_ball"  # unknown rule
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_bank(path)
    msg = str(info.value)
    assert "6 problem(s)" in msg
    assert f"item {items[0]['id']!r}: missing field 'text'" in msg
    assert f"duplicate item id {items[1]['id']!r}" in msg
    assert f"item {items[3]['id']!r}: level 7 out of range; allowed: an integer 1-5" in msg
    assert f"item {items[4]['id']!r}: unknown dimension 'marketing'" in msg
    assert "a gate item needs 'cap'" in msg
    assert "unknown evidence rule 'crystal_ball'" in msg


def test_broken_levels_and_top_level_keys():
    data = _raw()
    del data["levels"][4]
    del data["timeline"]
    data["scoring"]["pass_mark"] = 2
    with pytest.raises(ConfigError) as info:
        parse_bank(data, source="x.yaml")
    msg = str(info.value)
    assert "missing top-level key 'timeline'" in msg
    assert "missing level(s) [4]" in msg
    assert "pass_mark 2 must be a number in (0, 1]" in msg


def test_not_yaml_not_mapping_and_missing_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("items: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_bank(bad)
    listy = tmp_path / "list.yaml"
    listy.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a YAML mapping"):
        load_bank(listy)
    with pytest.raises(ConfigError, match="does not exist"):
        load_bank(tmp_path / "nope.yaml")


def test_safe_load_rejects_python_tags(tmp_path):
    evil = tmp_path / "evil.yaml"
    evil.write_text("!!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_bank(evil)
