"""Named presets of the ROI model, loaded from ``presets.yaml`` with their sources.

A preset gives values for some inputs and the source of each; ``base`` names
a preset it starts from. The file is validated with the kit's one schema
mechanism (:mod:`mlops_kit._yaml`): unknown keys, inputs or sources, values
out of range (the bounds of :data:`~mlops_kit.roi.fields.FIELDS`), inputs
without a source and base cycles are reported together in one
:class:`~mlops_kit.errors.ConfigError` naming the file and the key path.

Examples
--------
>>> from mlops_kit.roi.presets import get_preset, list_presets
>>> list_presets()
['framework', 'gartner']
>>> p = get_preset("gartner")
>>> p.inputs["failure_rate"], p.sources["failure_rate"].key
(0.46, 'gartner_2022')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import pydantic
from pydantic import StringConstraints, field_validator, model_validator

from mlops_kit._yaml import ConfigModel, Problems, document, load_config, problem
from mlops_kit.errors import InputError
from mlops_kit.roi.fields import FIELDS

__all__ = ["PRESETS_FILE", "Preset", "Source", "get_preset", "list_presets", "load_presets"]

PRESETS_FILE = Path(__file__).with_name("presets.yaml")


@dataclass(frozen=True)
class Source:
    """Where a figure comes from.

    Examples
    --------
    >>> get_preset("framework").sources["failure_rate"].year
    2019
    """

    key: str
    title: str
    note: str = ""
    year: int | None = None


@dataclass(frozen=True)
class Preset:
    """A named set of inputs, each with its :class:`Source` (bases resolved).

    Examples
    --------
    >>> get_preset("gartner").base
    'framework'
    """

    name: str
    description: str
    inputs: dict[str, float] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    base: str | None = None


# --- the file's schema (mlops_kit._yaml) ------------------------------------------------

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _bounds(interval) -> dict:
    keys = {"both": ("ge", "le"), "left": ("ge", "lt"), "right": ("gt", "le")}
    low, high = keys.get(interval.closed, ("gt", "lt"))
    out = {}
    if interval.low is not None:
        out[low] = interval.low
    if interval.high is not None:
        out[high] = interval.high
    return out


#: one optional field per ROI input, with the bounds declared in FIELDS
_Inputs = pydantic.create_model(
    "_Inputs",
    __base__=ConfigModel,
    **{
        name: (
            float | None,
            pydantic.Field(default=None, description=f.allowed.text, **_bounds(f.allowed)),
        )
        for name, f in FIELDS.items()
    },
)


class _Source(ConfigModel):
    title: _Text
    note: str = ""
    year: int | None = None


class _Preset(ConfigModel):
    base: str | None = None
    description: str = ""
    inputs: _Inputs = _Inputs()
    sources: dict[str, str] = {}

    @field_validator("base")
    @classmethod
    def _known_base(cls, value, info):
        known = list(document(info).get("presets") or {})
        if value is not None and value not in known:
            raise problem(f"unknown preset {value!r}; allowed: {known}")
        return value

    @field_validator("sources")
    @classmethod
    def _known_sources(cls, value, info):
        known = list(document(info).get("sources") or {})
        inputs = [k for k in value if k not in FIELDS]
        refs = sorted({v for v in value.values() if v not in known})
        wrong = [f"unknown input(s) {inputs}; allowed: {list(FIELDS)}"] if inputs else []
        wrong += [f"unknown source(s) {refs}; allowed: {known}"] if refs else []
        if wrong:
            raise problem("; ".join(wrong))
        return value


class _PresetsFile(ConfigModel):
    version: Literal[1]
    sources: dict[str, _Source]
    presets: dict[str, _Preset] = pydantic.Field(min_length=1)

    @model_validator(mode="after")
    def _resolve_bases(self):
        problems = []
        for name in self.presets:
            chain, seen = name, [name]
            while self.presets[chain].base is not None:
                chain = self.presets[chain].base
                if chain in seen:
                    cycle = " -> ".join((*seen, chain))
                    problems.append((("presets", name, "base"), f"cycle {cycle}"))
                    break
                seen.append(chain)
            else:
                inputs, refs = _resolved(self, name)
                missing = sorted(set(inputs) - set(refs))
                if missing:
                    problems.append((("presets", name, "sources"), f"no source for {missing}"))
        if problems:
            raise Problems(problems)
        return self


def _resolved(raw: _PresetsFile, name: str) -> tuple[dict, dict]:
    body = raw.presets[name]
    inputs, refs = _resolved(raw, body.base) if body.base is not None else ({}, {})
    own = {k: v for k, v in body.inputs.model_dump().items() if v is not None}
    return {**inputs, **own}, {**refs, **body.sources}


def _build(raw: _PresetsFile) -> dict[str, Preset]:
    sources = {
        key: Source(key, src.title, " ".join(src.note.split()), src.year)
        for key, src in raw.sources.items()
    }
    presets = {}
    for name, body in raw.presets.items():
        inputs, refs = _resolved(raw, name)
        presets[name] = Preset(
            name=name,
            description=" ".join(body.description.split()),
            inputs={k: float(v) for k, v in inputs.items()},
            sources={k: sources[v] for k, v in refs.items()},
            base=body.base,
        )
    return presets


def load_presets(path=None) -> dict[str, Preset]:
    """Load and check a presets file (default: the one inside the package).

    Parameters
    ----------
    path : str or Path, optional
        A YAML file in the format of ``mlops_kit/roi/presets.yaml``.

    Raises
    ------
    ConfigError
        The file is missing, not YAML, or breaks a rule (the message names where).

    Examples
    --------
    >>> presets = load_presets()
    >>> presets["framework"].sources["failure_rate"].year
    2019
    """
    if path is None:
        return dict(_load_default())
    return _load(Path(path))


@functools.lru_cache(maxsize=1)
def _load_default() -> dict[str, Preset]:
    return _load(PRESETS_FILE)


def _load(path: Path) -> dict[str, Preset]:
    return _build(load_config(path, _PresetsFile, "presets file"))


def list_presets() -> list[str]:
    """Names of the presets shipped with the package.

    Examples
    --------
    >>> "framework" in list_presets()
    True
    """
    return sorted(_load_default())


def get_preset(name: str) -> Preset:
    """Return a shipped preset by name.

    Raises
    ------
    InputError
        The name is not a shipped preset.

    Examples
    --------
    >>> get_preset("framework").inputs["development_cost"]
    800000.0
    """
    presets = _load_default()
    if name not in presets:
        raise InputError.invalid("preset", name, "one of " + ", ".join(sorted(presets)))
    return presets[name]
