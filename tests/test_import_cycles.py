"""No import cycles between the modules of mlops_kit (ARCHITECTURE.md, convention 12).

The import graph is built by parsing the source of every module: module-level
imports AND imports inside functions (a cycle hidden by a function-level import
is still a cycle: the two modules cannot be understood, tested or split apart
one without the other). Imports under ``if TYPE_CHECKING:`` never run and are
left out. Both forms count: ``import mlops_kit.a.b``, ``from mlops_kit.a import
b`` (an edge to the module ``b`` when it is one, else to the package ``a``) and
relative imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import mlops_kit

PACKAGE_DIR = Path(mlops_kit.__file__).resolve().parent

# Cycles allowed between modules: none (the seven found in issue 8 are removed).
KNOWN_CYCLES: set[frozenset[str]] = set()


def module_files(package_dir: Path = PACKAGE_DIR, package: str = "mlops_kit") -> dict[str, Path]:
    """Return every module of the package: dotted name -> source file."""
    modules = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join([package, *parts])] = path
    return modules


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST):
    """Yield every Import/ImportFrom node, function bodies included, TYPE_CHECKING excluded."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                yield from _imports_in(child)
            continue
        yield from _imports_in(node)


def _imports_in(node: ast.AST):
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
    else:
        yield from _imports(node)


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Return module -> the package modules it imports (anywhere in its source)."""
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _imports(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = name.split(".") if is_package else name.split(".")[:-1]
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            for target in targets:
                # `import mlops_kit.a.b` names the deepest module that exists
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm (iterative); return the components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def without_known(graph: dict[str, set[str]], known=KNOWN_CYCLES) -> dict[str, set[str]]:
    """Drop the edges between the two modules of each allow-listed cycle."""
    return {
        src: {dst for dst in targets if frozenset({src, dst}) not in known}
        for src, targets in graph.items()
    }


GRAPH = import_graph(module_files())


def test_the_graph_sees_module_level_function_level_and_relative_imports(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from .c import C\n")
    (pkg / "a.py").write_text("def f():\n    from . import b\n    return b\n")
    (pkg / "b.py").write_text("import pkg.sub.c\n")
    (pkg / "sub" / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import f\n"
        "else:\n    from ..a import f\nclass C: ...\n"
    )
    graph = import_graph(module_files(pkg, "pkg"))
    assert graph == {
        "pkg": set(),
        "pkg.a": {"pkg.b"},  # function level, relative
        "pkg.b": {"pkg.sub.c"},  # module level, dotted
        "pkg.sub": {"pkg.sub.c"},
        "pkg.sub.c": {"pkg.a"},  # the else branch runs; the TYPE_CHECKING one does not
    }
    assert strongly_connected(graph) == [["pkg.a", "pkg.b", "pkg.sub.c"]]


def test_the_graph_of_mlops_kit_has_its_function_level_imports():
    # Result.save_html imports the report inside the method
    assert "mlops_kit.report" in GRAPH["mlops_kit.results"]
    assert "mlops_kit.errors" in GRAPH["mlops_kit._params"]


def test_the_allow_list_hides_only_its_own_pair():
    graph = {"a": {"b"}, "b": {"a", "c"}, "c": {"d"}, "d": {"c"}}
    assert sorted(strongly_connected(graph)) == [["a", "b"], ["c", "d"]]
    assert strongly_connected(without_known(graph, {frozenset({"a", "b"})})) == [["c", "d"]]


def test_no_import_cycles_between_modules():
    cycles = strongly_connected(without_known(GRAPH))
    details = [
        " <-> ".join(c)
        + "  (edges: "
        + ", ".join(f"{s}->{d}" for s in c for d in sorted(GRAPH[s]) if d in c)
        + ")"
        for c in cycles
    ]
    assert not cycles, "import cycles between modules of mlops_kit:\n" + "\n".join(details)
