"""The one reader and schema mechanism for the kit's YAML files (mlops_kit._yaml)."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import Field, field_validator, model_validator

from mlops_kit._yaml import ConfigModel, Problems, document, load_config, problem, read_yaml
from mlops_kit.errors import ConfigError


class Step(ConfigModel):
    id: str
    kind: Literal["train", "serve"]
    after: str | None = None
    weight: float = Field(default=1.0, gt=0)

    @field_validator("after")
    @classmethod
    def _known(cls, value, info):
        ids = [s.get("id") for s in document(info).get("steps", []) if isinstance(s, dict)]
        if value is not None and value not in ids:
            raise problem(f"unknown step {value!r}; allowed: {ids}")
        return value


class Pipeline(ConfigModel):
    version: Literal[1]
    steps: list[Step]

    @model_validator(mode="after")
    def _unique(self):
        ids = [s.id for s in self.steps]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise Problems([(("steps",), f"duplicate ids {dupes}"), (("version",), "second")])
        return self


def _write(tmp_path, text):
    path = tmp_path / "pipe.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_is_reported_at_once_with_file_and_key_path(tmp_path):
    path = _write(
        tmp_path,
        "version: 2\n"
        "steps:\n"
        "  - {id: a, kind: train, weight: 0}\n"
        "  - {id: b, kind: deploy, after: zz}\n"
        "  - {kind: serve, colour: red}\n"
        "  - {id: d, kind: serve, weight: true}\n",
    )
    with pytest.raises(ConfigError) as info:
        load_config(path, Pipeline, "pipeline file")
    msg = str(info.value)
    assert msg.splitlines()[0] == f"Invalid pipeline file {path}: 7 problem(s)"
    assert "  - version: got 2; allowed: 1" in msg
    assert "  - steps[a].weight: got 0; allowed: a number > 0" in msg
    assert "  - steps[b].kind: got 'deploy'; allowed: 'train' or 'serve'" in msg
    assert "  - steps[b].after: unknown step 'zz'; allowed: ['a', 'b', None, 'd']" in msg
    assert "  - steps[2].id: required key is missing" in msg
    allowed = "allowed keys: ['id', 'kind', 'after', 'weight']"
    assert f"  - steps[2].colour: unknown key; {allowed}" in msg
    # strict: a boolean is not a number
    assert "  - steps[d].weight: got True; allowed: a valid number" in msg


def test_whole_file_rules_report_several_problems(tmp_path):
    path = _write(tmp_path, "version: 1\nsteps: [{id: a, kind: train}, {id: a, kind: serve}]\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, Pipeline, "pipeline file")
    assert str(info.value).splitlines() == [
        f"Invalid pipeline file {path}: 2 problem(s)",
        "  - steps: duplicate ids ['a']",
        "  - version: second",
    ]


def test_a_valid_file_gives_a_frozen_model(tmp_path):
    text = "version: 1\nsteps: [{id: a, kind: train}, {id: b, kind: serve, after: a}]"
    path = _write(tmp_path, text)
    pipe = load_config(path, Pipeline, "pipeline file")
    assert [s.id for s in pipe.steps] == ["a", "b"]
    with pytest.raises(Exception, match="frozen"):
        pipe.steps[0].id = "z"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"steps: [unclosed", "is not valid YAML"),
        (b"!!python/object/apply:os.system ['echo hi']\n", "is not valid YAML"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"- 1\n- 2\n", "must be a YAML mapping, got list"),
    ],
)
def test_unreadable_files_are_one_line_config_errors(tmp_path, content, expected):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as info:
        load_config(path, Pipeline, "pipeline file")
    assert expected in str(info.value)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the answers file"):
        read_yaml(tmp_path / "nope.yaml", "answers file")
