"""Named presets of the ROI model, loaded from ``presets.yaml`` with their sources.

A preset gives values for some inputs and the source of each; ``base`` names
a preset it starts from. The file is checked when loaded: unknown keys,
inputs or sources, values out of range, inputs without a source and base
cycles raise :class:`~mlops_kit.errors.ConfigError`.

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

from mlops_kit.errors import ConfigError, InputError

__all__ = ["PRESETS_FILE", "Preset", "Source", "get_preset", "list_presets", "load_presets"]

PRESETS_FILE = Path(__file__).with_name("presets.yaml")


@dataclass(frozen=True)
class Source:
    """Where a figure comes from."""

    key: str
    title: str
    note: str = ""
    year: int | None = None


@dataclass(frozen=True)
class Preset:
    """A named set of inputs, each with its :class:`Source` (bases resolved)."""

    name: str
    description: str
    inputs: dict[str, float] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    base: str | None = None


def _fail(path, where: str, msg: str) -> ConfigError:
    return ConfigError(f"{path}: {where}: {msg}")


def _mapping(value, path, where: str) -> dict:
    if not isinstance(value, dict):
        raise _fail(path, where, f"expected a mapping, got {type(value).__name__}")
    return value


def _parse_sources(raw, path) -> dict[str, Source]:
    out = {}
    for key, body in _mapping(raw, path, "sources").items():
        body = _mapping(body, path, f"sources.{key}")
        extra = set(body) - {"title", "note", "year"}
        if extra:
            raise _fail(path, f"sources.{key}", f"unknown keys {sorted(extra)}")
        title = body.get("title")
        if not isinstance(title, str) or not title.strip():
            raise _fail(path, f"sources.{key}.title", "a non-empty string is required")
        year = body.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise _fail(path, f"sources.{key}.year", f"expected an integer, got {year!r}")
        out[str(key)] = Source(str(key), title.strip(), str(body.get("note", "")).strip(), year)
    return out


def _resolve(name, raw_presets, sources, path, seen=()) -> tuple[dict, dict]:
    from mlops_kit.roi.inputs import FIELDS

    if name in seen:
        raise _fail(path, f"presets.{name}.base", f"cycle {' -> '.join((*seen, name))}")
    if name not in raw_presets:
        raise _fail(path, f"presets.{seen[-1]}.base", f"unknown preset {name!r}")
    body = raw_presets[name]
    inputs, refs = {}, {}
    if body.get("base") is not None:
        inputs, refs = _resolve(body["base"], raw_presets, sources, path, (*seen, name))
    own_inputs = _mapping(body.get("inputs", {}), path, f"presets.{name}.inputs")
    own_refs = _mapping(body.get("sources", {}), path, f"presets.{name}.sources")
    for key in (*own_inputs, *own_refs):
        if key not in FIELDS:
            raise _fail(path, f"presets.{name}", f"unknown input {key!r}")
    for key, ref in own_refs.items():
        if ref not in sources:
            raise _fail(path, f"presets.{name}.sources.{key}", f"unknown source {ref!r}")
    inputs = {**inputs, **own_inputs}
    refs = {**refs, **own_refs}
    return inputs, refs


def _parse(data, path) -> dict[str, Preset]:
    from mlops_kit.roi.inputs import RoiInputs

    data = _mapping(data, path, "top level")
    extra = set(data) - {"version", "sources", "presets"}
    if extra:
        raise _fail(path, "top level", f"unknown keys {sorted(extra)}")
    if data.get("version") != 1:
        raise _fail(path, "version", f"expected 1, got {data.get('version')!r}")
    sources = _parse_sources(data.get("sources", {}), path)
    raw = _mapping(data.get("presets"), path, "presets")
    if not raw:
        raise _fail(path, "presets", "at least one preset is required")
    presets = {}
    for name, body in raw.items():
        body = _mapping(body, path, f"presets.{name}")
        extra = set(body) - {"base", "description", "inputs", "sources"}
        if extra:
            raise _fail(path, f"presets.{name}", f"unknown keys {sorted(extra)}")
        inputs, refs = _resolve(name, raw, sources, path)
        missing = sorted(set(inputs) - set(refs))
        if missing:
            raise _fail(path, f"presets.{name}.sources", f"no source for {missing}")
        try:
            checked = RoiInputs().replace(**inputs)
        except InputError as exc:
            raise _fail(path, f"presets.{name}.inputs", str(exc)) from None
        presets[str(name)] = Preset(
            name=str(name),
            description=str(body.get("description", "")).strip(),
            inputs={k: getattr(checked, k) for k in inputs},
            sources={k: sources[v] for k, v in refs.items()},
            base=body.get("base"),
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
    from mlops_kit._yaml import read_yaml

    return _parse(read_yaml(path, "presets file"), path)


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
