"""presets.yaml: sources recorded, the file checked on load."""

from __future__ import annotations

import pytest
import yaml

from mlops_kit.errors import ConfigError, InputError
from mlops_kit.roi import FIELDS, get_preset, list_presets, load_presets
from mlops_kit.roi.presets import PRESETS_FILE


def test_shipped_presets_have_a_source_for_every_input():
    presets = load_presets()
    assert set(presets) == set(list_presets()) >= {"framework", "gartner"}
    for preset in presets.values():
        assert set(preset.sources) >= set(preset.inputs)
        assert set(preset.inputs) == set(FIELDS)
        assert preset.description


def test_sources_of_the_headline_figures():
    framework = get_preset("framework")
    rate_source = framework.sources["failure_rate"]
    assert rate_source.key == "venturebeat_2019"
    assert rate_source.year == 2019
    assert "Transform 2019" in rate_source.title
    assert framework.sources["development_cost"].key == "framework"
    assert framework.sources["failure_reduction"].key == "assumption"
    gartner = get_preset("gartner")
    assert gartner.base == "framework"
    assert gartner.inputs["failure_rate"] == 0.46
    assert gartner.sources["failure_rate"].year == 2022
    assert "54%" in gartner.sources["failure_rate"].note


def test_unknown_preset_is_an_input_error():
    with pytest.raises(InputError, match="'nope'"):
        get_preset("nope")


def _write(tmp_path, mutate):
    data = yaml.safe_load(PRESETS_FILE.read_text())
    mutate(data)
    path = tmp_path / "presets.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_a_copy_of_the_shipped_file_loads(tmp_path):
    path = _write(tmp_path, lambda d: None)
    assert load_presets(path)["gartner"].inputs["failure_rate"] == 0.46


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (
            lambda d: d["presets"]["gartner"]["inputs"].update(bogus=1),
            "presets.gartner.inputs.bogus: unknown key; allowed keys: ['projects_per_year'",
        ),
        (
            lambda d: d["presets"]["gartner"]["sources"].update(failure_rate="x"),
            "presets.gartner.sources: unknown source(s) ['x']",
        ),
        (
            lambda d: d["presets"]["gartner"]["inputs"].update(failure_rate=1.5),
            "presets.gartner.inputs",
        ),
        (
            lambda d: d["presets"]["framework"]["inputs"].update(development_cost=-1),
            "presets.framework.inputs.development_cost: got -1; allowed: an amount in [0, 1e12]",
        ),
        (lambda d: d["presets"]["framework"]["sources"].pop("staff_fte"), "no source"),
        (lambda d: d["presets"]["framework"].update(base="gartner"), "cycle"),
        (lambda d: d["presets"]["gartner"].update(base="nope"), "unknown preset"),
        (lambda d: d.update(version=2), "version"),
        (lambda d: d.update(extra=1), "extra: unknown key; allowed keys: ['version'"),
        (lambda d: d["sources"]["framework"].pop("title"), "title"),
        (lambda d: d["sources"]["framework"].update(year="2019"), "year"),
        (lambda d: d.update(presets={}), "presets: got {}; Dictionary should have at least 1"),
        (lambda d: d["presets"]["gartner"].update(colour="red"), "gartner.colour: unknown key"),
    ],
)
def test_bad_presets_file_is_a_config_error(tmp_path, mutate, where):
    path = _write(tmp_path, mutate)
    with pytest.raises(ConfigError) as info:
        load_presets(path)
    assert where in str(info.value)
    assert str(path) in str(info.value)


def test_unreadable_or_invalid_yaml(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_presets(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("presets: [unclosed")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_presets(bad)
    listy = tmp_path / "list.yaml"
    listy.write_text("- 1\n- 2\n")
    with pytest.raises(ConfigError, match="mapping"):
        load_presets(listy)
