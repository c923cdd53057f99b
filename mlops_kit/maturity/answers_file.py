"""Maturity answers files (JSON or YAML): read them, and export an assessment to one.

An answers file is either a plain mapping ``{item_id: 0 | 0.5 | 1 | "na"}`` or the
file written by :func:`export_assessment` (and by the widget's Export button, and
``mlops-kit assess --json``), whose ``answers`` key holds that mapping. Every read
goes through the kit's one YAML reader (:func:`mlops_kit._yaml.read_yaml`; JSON
is YAML). Used by the widget, the ``assess`` command and notebooks; nothing here
imports ipywidgets.

Examples
--------
>>> import tempfile, pathlib
>>> from mlops_kit.maturity import assess
>>> a = assess({"vt_code_in_git": 1, "cicd_rollback": 0.5}, allow_missing=True)
>>> path = export_assessment(a, pathlib.Path(tempfile.mkdtemp()) / "a.yaml")
>>> read_answers(path)
{'vt_code_in_git': 1, 'cicd_rollback': 0.5}
"""

from __future__ import annotations

import json
from pathlib import Path

from mlops_kit.errors import InputError

__all__ = ["FORMATS", "export_assessment", "read_answers"]

#: file suffix -> format written by :func:`export_assessment`
FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


def _format_of(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError.invalid(
            "path", str(path), "a file name ending in .json, .yaml or .yml", "Change the suffix."
        )
    return fmt


def export_assessment(assessment, path, evidence: dict | None = None) -> Path:
    """Write the answers and the result of ``assessment`` to ``path`` (JSON or YAML).

    The format follows the suffix (``.json``, ``.yaml``, ``.yml``). Parent folders are
    created; the file is written to a temporary name first and then moved into place,
    so a failure never leaves half a file.

    Parameters
    ----------
    assessment : Assessment
        From :func:`~mlops_kit.maturity.assess`.
    path : str or Path
        Where to write.
    evidence : dict, optional
        ``{item_id: evidence text}`` from a scan, stored alongside.

    Returns
    -------
    Path
        The path written. :func:`read_answers` reads the answers back.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from mlops_kit.maturity import assess
    >>> a = assess({"vt_code_in_git": 1}, allow_missing=True)
    >>> p = export_assessment(a, pathlib.Path(tempfile.mkdtemp()) / "a.json")
    >>> p.suffix
    '.json'
    """
    from mlops_kit.results import jsonable

    if not isinstance(path, (str, Path)) or not str(path).strip():
        raise InputError.invalid("path", path, "a file path ending in .json, .yaml or .yml")
    path = Path(path).expanduser()
    if path.is_dir():
        raise InputError.invalid("path", str(path), "a file path, not an existing folder")
    fmt = _format_of(path)
    result = assessment.to_dict()
    data = {
        "answers": {k: v for k, v in assessment.answers.items() if v is not None},
        "team_size": assessment.team_size,
        "level": assessment.level,
        "level_name": assessment.level_name,
        "result": result,
    }
    if evidence:
        data["evidence"] = dict(evidence)
    data = jsonable(data)
    if fmt == "json":
        text = json.dumps(data, indent=2, allow_nan=False)
    else:
        import yaml

        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def read_answers(path, bank=None, name: str = "answers_path") -> dict:
    """Read answers from a YAML or JSON file and check them against the question bank.

    Parameters
    ----------
    path : str or Path
        A mapping ``{item_id: answer}`` or a file with an ``answers`` key (as written by
        :func:`export_assessment`). JSON is read as YAML (it is a subset).
    bank : QuestionBank or path, optional
        The question bank (the packaged one by default).
    name : str, default "answers_path"
        How errors name the file's parameter (a command passes its option, ``--answers``).

    Returns
    -------
    dict
        ``{item_id: 0 | 0.5 | 1 | "na"}`` for the answered items, in bank order.

    Raises
    ------
    InputError
        The file is missing, not YAML/JSON, not a mapping, or holds an unknown item
        id or an answer that is not allowed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "answers.yaml"
    >>> _ = p.write_text("vt_code_in_git: 1\\ntv_notebook_tests: na\\n")
    >>> read_answers(p)
    {'vt_code_in_git': 1, 'tv_notebook_tests': 'na'}
    """
    from mlops_kit._yaml import read_yaml
    from mlops_kit.errors import ConfigError
    from mlops_kit.maturity.answers import check_answers
    from mlops_kit.maturity.bank import load_bank

    bank = load_bank(bank)
    p = Path(path).expanduser() if isinstance(path, (str, Path)) else None
    if p is None or not p.is_file():
        raise InputError.invalid(name, str(path), "an existing YAML or JSON file")
    try:
        data = read_yaml(p, "answers file")
    except ConfigError as exc:
        raise InputError(f"Invalid {name}: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("answers"), dict):
        data = data["answers"]
    if not isinstance(data, dict):
        raise InputError.invalid(
            name, type(data).__name__, "a mapping of item id -> 0, 0.5, 1 or 'na'"
        )
    checked, _missing = check_answers(bank, data, allow_missing=True)
    return {k: v for k, v in checked.items() if v is not None}
