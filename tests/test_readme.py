"""The README's Python examples run as written, on sample data and a real store."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_has_python_examples():
    assert len(_python_blocks()) >= 4


@pytest.mark.slow
def test_readme_python_examples_run(tracking_uri, tmp_path, monkeypatch):
    """Top to bottom in one namespace, as a user pastes them: nothing defined in between."""
    monkeypatch.chdir(tmp_path)
    ns: dict = {}
    text = README.read_text()
    for block in _python_blocks():
        line = text[: text.index(block)].count("\n") + 1  # tracebacks name README lines
        exec(compile("\n" * (line - 1) + block, "README.md", "exec"), ns)
    # the examples did what they say
    assert ns["tracking"].history("credit-risk", "champion")["action"].tolist() == [
        "promote",
        "promote",
        "rollback",
        "promote",
        "rollback",
    ]
    assert ns["tracking"].current("credit-risk").version == ns["v1"].version
    assert ns["a"].level >= 1
    assert ns["result"].roi > 0
    assert ns["drift"].to_dict()["columns"]
    assert ns["gate"].to_dict()["passed"] in (True, False)
    assert (tmp_path / "drift.html").is_file()
