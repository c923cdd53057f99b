"""Configuration files: one reader and one schema mechanism for every YAML file of the kit.

Every YAML file the kit reads (question bank, ROI presets, tool catalogue,
answers, quality specs, rollback policies, ...) goes through this module:

* :func:`read_yaml` reads a file with ``yaml.safe_load`` only. A file that
  cannot be read or parsed is a :class:`~mlops_kit.errors.ConfigError`
  naming the file.
* A schema is a subclass of :class:`ConfigModel` (a pydantic model, pydantic
  comes with MLflow): strict types (``true`` is not a number, ``"3"`` is not an
  integer), unknown keys forbidden, frozen. Declare fields with ordinary type
  hints, ``Literal[...]`` for choices, ``pydantic.Field(ge=..., le=...)`` for
  bounds (a bounded field's error states its whole range, "a number in (0, 1]";
  ``Field(description=...)`` replaces that text) and
  ``field_validator``/``model_validator`` for rules. Raise
  :func:`problem` (or ``ValueError``) inside a validator to report a rule in
  plain words.
* :func:`load_config` (read a file and validate it) and :func:`parse_config`
  (validate data already in memory) return the validated model or raise ONE
  ``ConfigError`` that lists EVERY problem, each with the file, the key path
  (``tools[MLflow].cost.kind``; a list element with an ``id`` or ``name`` is
  shown by it, otherwise by its index) and what was received and what is
  allowed.

Cross references (an item naming a dimension defined elsewhere in the file)
are checked where they are used, so they are reported together with every
other problem: validators receive the whole parsed file as
``info.context["document"]`` (use :func:`document` to get it).

Rules that need the whole, well-formed file (duplicate names, a category no
tool covers) go in a ``model_validator(mode="after")`` on the top model and
raise :class:`Problems` to report several at once; pydantic runs them only
when the structure is valid, so the user then sees them together once the
structural problems are fixed.

Examples
--------
>>> from typing import Literal
>>> from pydantic import Field
>>> class Tool(ConfigModel):
...     name: str
...     cost: float = Field(ge=0)
...     kind: Literal["open_source", "enterprise"]
>>> class Catalogue(ConfigModel):
...     version: Literal[1]
...     tools: list[Tool]
>>> doc = {"version": 1, "tools": [{"name": "MLflow", "cost": -1, "kind": "free", "x": 1}]}
>>> try:
...     parse_config(doc, Catalogue, "catalogue", source="cat.yaml")
... except ConfigError as exc:
...     print(exc)
Invalid catalogue cat.yaml: 3 problem(s)
  - tools[MLflow].cost: got -1; allowed: a number >= 0
  - tools[MLflow].kind: got 'free'; allowed: 'open_source' or 'enterprise'
  - tools[MLflow].x: unknown key; allowed keys: ['name', 'cost', 'kind']
>>> parse_config({"version": 1, "tools": []}, Catalogue, "catalogue").tools
[]
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"
>>> _ = path.write_text("a: 1")
>>> read_yaml(path, "settings file")
{'a': 1}
"""

import types
import typing
from pathlib import Path

import pydantic
from pydantic_core import PydanticCustomError

from mlops_kit.errors import ConfigError

__all__ = [
    "ConfigModel",
    "Problems",
    "document",
    "load_config",
    "parse_config",
    "problem",
    "read_yaml",
]


def read_yaml(path, what: str, *, mapping: bool = False):
    """Return the parsed content of ``path`` (``yaml.safe_load``); ``what`` names it in errors.

    Parameters
    ----------
    path : str or Path
        The file.
    what : str
        What the file holds, for messages ("question bank", "answers file").
    mapping : bool, default False
        Require the top level to be a mapping (a ``ConfigError`` otherwise).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"
    >>> _ = path.write_text("- 1")
    >>> read_yaml(path, "answers file", mapping=True)
    Traceback (most recent call last):
    ...
    mlops_kit.errors.ConfigError: ...x.yaml: the answers file must be a YAML mapping, got list
    """
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the {what} ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: cannot read the {what} (not UTF-8 text)") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        one_line = " ".join(str(exc).split())
        raise ConfigError(f"{path}: the {what} is not valid YAML ({one_line})") from None
    if mapping and not isinstance(data, dict):
        raise ConfigError(f"{path}: the {what} must be a YAML mapping, got {type(data).__name__}")
    return data


class Problems(Exception):
    """Several problems found by a whole-file rule: ``Problems([(path, message), ...])``.

    ``path`` is a tuple of keys and list indexes (as pydantic's ``loc``).

    Examples
    --------
    >>> Problems([(("tools",), "duplicate names ['DVC']")]).items
    [(('tools',), "duplicate names ['DVC']")]
    """

    def __init__(self, items):
        self.items = [(tuple(loc), str(msg)) for loc, msg in items]
        super().__init__("; ".join(msg for _, msg in self.items))


def problem(message: str):
    """The error to raise in a validator: reported as ``message`` without pydantic's prefix.

    Examples
    --------
    >>> str(problem("a gate item needs 'cap'"))
    "a gate item needs 'cap'"
    """
    return PydanticCustomError("config", message.replace("{", "{{").replace("}", "}}"))


def document(info) -> dict:
    """The whole parsed file, inside a validator (``info`` is pydantic's ValidationInfo).

    Examples
    --------
    >>> class Info:
    ...     context = {"document": {"a": 1}}
    >>> document(Info())
    {'a': 1}
    """
    context = getattr(info, "context", None) or {}
    doc = context.get("document")
    return doc if isinstance(doc, dict) else {}


class ConfigModel(pydantic.BaseModel):
    """Base of every config schema: strict types, unknown keys forbidden, frozen.

    Examples
    --------
    >>> class Limits(ConfigModel):
    ...     max_rows: int
    >>> Limits(max_rows=3).max_rows
    3
    """

    model_config = pydantic.ConfigDict(extra="forbid", strict=True, frozen=True)


def _label(node, key) -> str:
    """``[id]`` or ``[name]`` for a list element that has a unique one, else ``[index]``."""
    if isinstance(key, int):
        if isinstance(node, list) and 0 <= key < len(node) and isinstance(node[key], dict):
            for field in ("id", "name"):
                value = node[key].get(field)
                same = [x for x in node if isinstance(x, dict) and x.get(field) == value]
                if isinstance(value, (str, int)) and not isinstance(value, bool) and len(same) == 1:
                    return f"[{value}]"
        return f"[{key}]"
    return str(key)


def _path(loc, data) -> str:
    parts, node = [], data
    for key in loc:
        if isinstance(key, str) and "[" in key and not (isinstance(node, dict) and key in node):
            continue  # pydantic's name of a union member ("list[int]"), not a key of the file
        text = _label(node, key)
        parts.append(text if not parts or text.startswith("[") else "." + text)
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    return "".join(parts) or "top level"


def _strip_optional(annotation):
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return annotation


def _model_at(model, loc):
    """The schema class that owns the last key of ``loc`` (best effort, else None)."""
    annotation = model
    for key in loc[:-1]:
        annotation = _strip_optional(annotation)
        if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
            field = annotation.model_fields.get(key)
            if field is None:
                return None
            annotation = field.annotation
        elif typing.get_origin(annotation) in (list, dict, tuple, set):
            annotation = typing.get_args(annotation)[-1]
        else:
            return None
    annotation = _strip_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    return None


_BOUNDS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}


def _range_text(owner, name) -> str | None:
    """The whole allowed range of a bounded field ("a number in (0, 1]"), or None."""
    from mlops_kit._params import Interval

    field = owner.model_fields.get(name) if owner is not None else None
    if field is None:
        return None
    low = high = None
    closed_low = closed_high = True
    metadata = list(field.metadata)  # bounds of an optional field sit in the Annotated member
    for arg in typing.get_args(field.annotation):
        metadata += list(getattr(arg, "__metadata__", ()))
    for meta in metadata:
        for attr, is_low, closed in (("gt", 1, 0), ("ge", 1, 1), ("lt", 0, 0), ("le", 0, 1)):
            value = getattr(meta, attr, None)
            if value is None:
                continue
            if is_low:
                low, closed_low = value, bool(closed)
            else:
                high, closed_high = value, bool(closed)
    if low is None and high is None:
        return None
    kinds = (field.annotation, *typing.get_args(field.annotation))
    kind = int if int in kinds and float not in kinds else float
    closed = {(1, 1): "both", (1, 0): "left", (0, 1): "right", (0, 0): "neither"}
    return Interval(kind, low, high, closed[(int(closed_low), int(closed_high))]).text


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _message(error, model) -> str:
    kind, msg = error["type"], error["msg"]
    loc = error["loc"]
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        owner = _model_at(model, loc)
        allowed = list(owner.model_fields) if owner is not None else None
        return "unknown key" + (f"; allowed keys: {allowed}" if allowed else "")
    if kind == "config":
        return msg
    owner = _model_at(model, loc) if isinstance(loc[-1], str) else None
    field = owner.model_fields.get(loc[-1]) if owner is not None else None
    if field is not None and field.description:
        return f"got {_shown(error.get('input'))}; allowed: {field.description}"
    if kind in _BOUNDS and field is not None:
        text = _range_text(owner, loc[-1])
        if text:
            return f"got {_shown(error.get('input'))}; allowed: {text}"
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    elif msg.startswith("Assertion failed, "):
        msg = msg[len("Assertion failed, ") :]
    elif msg.startswith("Input should be "):
        msg = "allowed: " + msg[len("Input should be ") :]
    return f"got {_shown(error.get('input'))}; {msg}"


def parse_config(data, model, what: str, source="<memory>", context: dict | None = None):
    """Validate already-parsed data against ``model``; return the model instance.

    Parameters
    ----------
    data : object
        What ``yaml.safe_load`` returned.
    model : type of ConfigModel
        The schema.
    what : str
        What the file holds, for messages.
    source : str or Path
        Where the data comes from (the file), named in every message.
    context : dict, optional
        Extra values for validators (``info.context``); ``document`` is always set.

    Raises
    ------
    ConfigError
        One error listing every problem: ``Invalid <what> <source>: N problem(s)``
        then one line per problem, ``<key path>: <what is wrong and what is allowed>``.

    Examples
    --------
    >>> class Answer(ConfigModel):
    ...     team_size: int
    >>> parse_config({"team_size": 3}, Answer, "answers file").team_size
    3
    """
    if not isinstance(data, dict):
        raise ConfigError(
            f"Invalid {what} {source}: the {what} must be a YAML mapping, got {type(data).__name__}"
        )
    ctx = {**(context or {}), "document": data}
    try:
        return model.model_validate(data, context=ctx)
    except Problems as exc:
        lines = [f"{_path(loc, data)}: {msg}" for loc, msg in exc.items]
    except pydantic.ValidationError as exc:
        lines = list(
            dict.fromkeys(
                f"{_path(err['loc'], data)}: {_message(err, model)}"
                for err in exc.errors(include_url=False)
            )
        )
    listed = "\n".join(f"  - {line}" for line in lines)
    raise ConfigError(f"Invalid {what} {source}: {len(lines)} problem(s)\n{listed}")


def load_config(path, model, what: str, context: dict | None = None):
    """Read ``path`` with :func:`read_yaml` and validate it with :func:`parse_config`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> class Settings(ConfigModel):
    ...     level: int
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.yaml"
    >>> _ = path.write_text("level: high")
    >>> load_config(path, Settings, "settings file")
    Traceback (most recent call last):
    ...
    mlops_kit.errors.ConfigError: Invalid settings file ...s.yaml: 1 problem(s)
      - level: got 'high'; allowed: a valid integer
    """
    return parse_config(read_yaml(path, what), model, what, source=path, context=context)
