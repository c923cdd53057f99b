"""The packaged question bank is valid, and broken banks are reported clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mlops_kit.errors import ConfigError
from mlops_kit.maturity import load_bank
from mlops_kit.maturity.bank import DEFAULT_BANK, parse_bank
from mlops_kit.maturity.rules import RULES
from mlops_kit.maturity.score import expected_level, team_fit

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
    # the source framework's maturity table, verbatim
    assert [levels[k].name for k in range(1, 6)] == [
        "No formal MLOps processes",
        "Basic automation and tooling",
        "Automated CI/CD and monitoring",
        "Advanced experimentation and testing",
        "Full lifecycle automation",
    ]
    sizes = [(levels[k].team_min, levels[k].team_max) for k in range(1, 6)]
    assert sizes == [(1, 3), (3, 5), (5, 8), (8, 12), (12, None)]
    assert [levels[k].team_label for k in range(1, 6)] == [
        "1-3 people",
        "3-5 people",
        "5-8 people",
        "8-12 people",
        "12+ people",
    ]


def test_a_shared_end_of_two_ranges_gets_the_higher_level():
    bank = load_bank()
    got = {n: expected_level(bank, n) for n in (1, 2, 3, 4, 5, 6, 8, 11, 12, 13, 500)}
    assert got == {1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 8: 4, 11: 4, 12: 5, 13: 5, 500: 5}


def test_a_team_of_12_is_told_what_the_source_says():
    fit, text = team_fit(load_bank(), 2, 12)
    assert fit == "below"
    assert "puts a team of 12 at level 5 (Full lifecycle automation, 12+ people" in text
    assert "12 also ends level 4's 8-12 people" in text
    assert "shared end counts for the higher level" in text
    assert "shared end" not in team_fit(load_bank(), 3, 6)[1]


def test_only_existing_tutorials_are_linked():
    bank = load_bank()
    root = Path(__file__).resolve().parents[2]
    linked = {i.tutorial for i in bank.items} | {d.tutorial for d in bank.dimensions}
    linked.discard(None)
    assert linked, "some tutorials exist"
    for path in linked:
        assert (root / path).is_file(), path
    # the planned tutorials keep their text in the file, ready for when they land
    raw = yaml.safe_load(DEFAULT_BANK.read_text(encoding="utf-8"))
    planned = {i["tutorial"] for i in raw["items"]} - set(raw["tutorials_available"])
    # tutorial 05 lands with issue 11; once it does, the waiting list is empty
    assert planned <= {"tutorials/05_team_and_governance.ipynb"}
    waiting = [i["id"] for i in raw["items"] if i["tutorial"] in planned]
    assert bool(waiting) == bool(planned)
    assert all(bank.item(i).tutorial is None for i in waiting)


def test_packaged_gates_cover_version_control_rollback_monitoring():
    bank = load_bank()
    gates = {i.id: i.cap for i in bank.items if i.gate}
    assert gates == {"vt_code_in_git": 1, "cicd_rollback": 2, "mon_production_metrics": 2}


def test_every_item_has_guidance_tutorial_tools_and_known_evidence_rule():
    bank = load_bank()
    for item in bank.items:
        assert item.tutorial is None or item.tutorial.startswith("tutorials/0")
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
    ids = [i["id"] for i in items]
    assert msg.splitlines() == [
        f"Invalid question bank {path}: 7 problem(s)",
        f"  - items[{ids[0]}].text: required key is missing",
        f"  - items[1].id: duplicate item id {ids[1]!r}",
        f"  - items[2].id: duplicate item id {ids[1]!r}",
        f"  - items[{ids[3]}].level: got 7; allowed: an integer in [1, 5]",
        f"  - items[{ids[4]}].dimension: unknown dimension 'marketing'; allowed: {STEPS}",
        f"  - items[{ids[5]}]: a gate item needs 'cap', the highest level without it (1-4)",
        f"  - items[{ids[6]}].evidence: unknown evidence rule 'crystal_ball'; "
        f"allowed: {sorted(RULES)}",
    ]


def test_broken_levels_and_top_level_keys():
    data = _raw()
    del data["levels"][4]
    del data["timeline"]
    data["scoring"]["pass_mark"] = 2
    data["items"][0]["weight"] = True
    with pytest.raises(ConfigError) as info:
        parse_bank(data, source="x.yaml")
    assert str(info.value).splitlines() == [
        "Invalid question bank x.yaml: 4 problem(s)",
        "  - scoring.pass_mark: got 2; allowed: a number in (0, 1]",
        "  - levels: missing level(s) [4]; allowed: exactly the levels 1-5",
        "  - timeline: required key is missing",
        "  - items[vt_code_in_git].weight: got True; allowed: a valid number",
    ]


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
