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


# --- every subpackage exposes its public names lazily (issue 8: one style) -----------------
import ast  # noqa: E402
import importlib  # noqa: E402
from pathlib import Path  # noqa: E402

import mlops_kit  # noqa: E402

PACKAGE = Path(mlops_kit.__file__).resolve().parent
# the command modules are loaded by the CLI group, not through a name map
NOT_A_LIBRARY = {"mlops_kit.commands"}


def _subpackages():
    for init in sorted(PACKAGE.rglob("__init__.py")):
        parts = init.parent.relative_to(PACKAGE.parent).parts
        name = ".".join(parts)
        if name != "mlops_kit" and name not in NOT_A_LIBRARY:
            yield name, init


def _eager_imports(tree) -> list[str]:
    """Module-level imports of the package's own submodules (TYPE_CHECKING blocks excluded)."""
    found = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mlops_kit."):
            if node.module not in ("mlops_kit._lazy",):
                found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("mlops_kit.")]
    return found


def test_every_subpackage_init_uses_the_lazy_name_map():
    eager = {}
    for name, init in _subpackages():
        tree = ast.parse(init.read_text(encoding="utf-8"))
        if _eager_imports(tree) or "lazy_exports" not in init.read_text(encoding="utf-8"):
            eager[name] = _eager_imports(tree)
    assert not eager, f"subpackages importing their submodules eagerly: {eager}"


def test_every_lazy_name_resolves_and_is_listed():
    for name, _init in _subpackages():
        module = importlib.import_module(name)
        for public in module.__all__:
            assert getattr(module, public) is not None, (name, public)
        assert set(module.__all__) <= set(dir(module))


def test_a_public_name_keeps_its_meaning_after_its_same_named_submodule_loads():
    # `recommend` is a function in the submodule `recommend`: importing the submodule
    # first (as any other module may) must not turn `mlops_kit.stack.recommend` into it
    code = (
        "import importlib, types, mlops_kit\n"
        "bad = []\n"
        "for pkg in ('maturity', 'roi', 'stack', 'tracking'):\n"
        "    mod = importlib.import_module(f'mlops_kit.{pkg}')\n"
        "    same = [n for n in mod.__all__ if n in getattr(mod, '_EXPORTS', {})"
        " and mod._EXPORTS[n] == n]\n"
        "    for n in same:\n"
        "        importlib.import_module(f'mlops_kit.{pkg}.{n}')\n"
        "        if isinstance(getattr(mod, n), types.ModuleType): bad.append(f'{pkg}.{n}')\n"
        "    print(pkg, len(same))\n"
        "print('bad', bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "bad []" in out.stdout, out.stdout
    assert "stack 1" in out.stdout and "maturity 3" in out.stdout  # the check saw them


def test_mlops_kit_lists_exactly_the_subpackages_that_exist():
    listed = set(mlops_kit.__all__) - {"__version__"}
    missing = {
        n for n in listed if not (PACKAGE / n).is_dir() and not (PACKAGE / f"{n}.py").exists()
    }
    assert not missing, f"mlops_kit.__all__ names what does not exist: {missing}"
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")} - {"commands"}
    assert packages <= listed, f"subpackages missing from mlops_kit.__all__: {packages - listed}"
