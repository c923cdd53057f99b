"""`import mlops_kit` stays light: no heavy dependency is imported."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("mlflow", "evidently", "sklearn", "matplotlib", "pandas")


def _loaded_after(statement: str) -> list[str]:
    code = f"{statement}; import sys; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_import_mlops_kit_loads_no_heavy_dependency():
    assert _loaded_after("import mlops_kit") == []


def test_tracking_core_modules_load_no_heavy_dependency():
    stmt = (
        "import mlops_kit.tracking.fluent, mlops_kit.tracking.run, mlops_kit.tracking.buffer,"
        " mlops_kit.tracking.environment, mlops_kit.tracking.fingerprint"
    )
    assert _loaded_after(stmt) == []
