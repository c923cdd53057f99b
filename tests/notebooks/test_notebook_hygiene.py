"""Stored notebooks follow the project's rules.

- ``tutorials/``: stored with outputs (nbval compares them), compact, no volatile paths;
- ``notebooks/``: templates stored without outputs, with a papermill ``parameters`` cell.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
TUTORIALS = sorted((ROOT / "tutorials").glob("*.ipynb"))
TEMPLATES = sorted((ROOT / "notebooks").glob("*.ipynb"))
VOLATILE = re.compile(r"(/tmp/|/root/|/home/|/private/var/|/var/folders/|/work/)")
MAX_TUTORIAL_BYTES = 500_000  # summaries and small figures; no multi-MB HTML
EXECUTE = (
    "jupyter nbconvert --to notebook --execute --inplace "
    "--ExecutePreprocessor.store_widget_state=False tutorials/X.ipynb"
)


def test_there_is_at_least_one_tutorial():
    assert TUTORIALS, "tutorials/ must hold the guided walkthrough"


@pytest.mark.parametrize("path", TUTORIALS, ids=lambda p: p.name)
def test_tutorial_is_stored_with_compact_deterministic_outputs(path):
    assert path.stat().st_size < MAX_TUTORIAL_BYTES, f"{path.name} is too large for a tutorial"
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, f"{path.name} has no code"
    missing = [i for i, c in enumerate(code) if c.source.strip() and c.execution_count is None]
    assert not missing, f"{path.name}: code cells {missing} were never executed; re-run and save"
    for cell in code:
        for out in cell.get("outputs", []):
            text = str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", ""))
            assert not VOLATILE.search(text), f"{path.name}: volatile path in output: {text[:200]}"
            assert out.get("output_type") != "error", f"{path.name}: stored an error output"
            html = str(out.get("data", {}).get("text/html", ""))
            assert "<iframe" not in html.lower(), f"{path.name}: inline iframe in output"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", TUTORIALS, ids=lambda p: p.name)
def test_tutorial_stores_no_widget_state(path):
    # saved widget state renders nowhere a reader opens the file (GitHub, nbviewer, a
    # fresh JupyterLab without the kernel): store only what renders
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata, (
        f"{path.name} stores widget state ({len(str(nb.metadata['widgets']))} bytes): "
        f"execute it with `{EXECUTE}` and drop metadata.widgets"
    )


@pytest.mark.parametrize("path", TUTORIALS, ids=lambda p: p.name)
def test_tutorial_hides_only_named_warnings_and_shows_its_charts(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell in code:
        # a blanket filter would hide a new warning from the kit; name the category
        assert not re.search(r"filterwarnings\(\s*[\"']ignore[\"']\s*\)", cell.source), (
            f"{path.name}: filter named warnings only: {cell.source[:120]!r}"
        )
        assert not re.search(r"simplefilter\(\s*[\"']ignore[\"']\s*\)", cell.source), (
            f"{path.name}: filter named warnings only: {cell.source[:120]!r}"
        )
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            plain = str(data.get("text/plain", ""))
            if re.match(r"<Figure size .* with \d+ Axes>", plain):
                assert "image/png" in data, f"{path.name}: a chart stored without its image"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_template_is_stored_without_outputs_and_has_parameters(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.execution_count is None for c in code), (
        f"{path.name}: clear the outputs before committing a template"
    )
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: needs exactly one cell tagged 'parameters'"
