"""Read the kit's declarative YAML files (question bank, presets, tool catalogue).

Always ``yaml.safe_load``; a file that cannot be read or parsed is a
:class:`~mlops_kit.errors.ConfigError` naming the file and what it holds.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"
>>> _ = path.write_text("a: 1")
>>> read_yaml(path, "settings file")
{'a': 1}
"""

from __future__ import annotations

from pathlib import Path

from mlops_kit.errors import ConfigError

__all__ = ["read_yaml"]


def read_yaml(path, what: str):
    """Return the parsed content of ``path``; ``what`` names the file in errors."""
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the {what} ({exc.strerror})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: the {what} is not valid YAML ({exc})") from None
