"""No module of ioc57 imports, directly or through others, a module that imports it back: every
import counts, at the top of a file or inside a function (a worker process's lazy import too);
only those under ``if TYPE_CHECKING:`` are left out, as they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ioc57

ROOT = Path(ioc57.__file__).parent


def modules(root: Path) -> dict[str, tuple[Path, bool]]:
    """Every module of the package at ``root``: its dotted name, its file, whether a package."""
    found = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if package else parts)] = (path, package)
    return found


def _type_checking_only(tree: ast.Module) -> set[int]:
    """The nodes under ``if TYPE_CHECKING:``."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = getattr(test, "id", None) or getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                skipped.update(id(n) for sub in node.body for n in ast.walk(sub))
    return skipped


def import_graph(root: Path) -> dict[str, set[str]]:
    """Each module of the package at ``root`` and the package's modules it imports."""
    known = modules(root)
    graph: dict[str, set[str]] = {}
    for name, (path, package) in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _type_checking_only(tree)
        edges = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name in known)
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: from the package that holds this module
                    base = name.split(".")[: None if package else -1]
                    base = base[: len(base) - node.level + 1]
                    target = ".".join([*base, node.module] if node.module else base)
                else:
                    target = node.module or ""
                for alias in node.names:
                    submodule = f"{target}.{alias.name}"
                    if submodule in known:
                        edges.add(submodule)
                    elif target in known:
                        edges.add(target)
        edges.discard(name)
        graph[name] = edges
    return graph


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` (its modules in import order, the first one again at the end), or
    None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        path.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[name] = 2
        return None

    for name in sorted(graph):
        if name not in state:
            found = visit(name)
            if found:
                return found
    return None


def test_no_module_of_ioc57_imports_one_that_imports_it_back():
    graph = import_graph(ROOT)
    # the graph holds the imports inside functions: a worker process builds its validator
    assert "ioc57.ingest.unitcache" in graph["ioc57.ingest.chunks"]
    assert "ioc57.core.db" in graph["ioc57.ingest.chunks"]
    assert cycle(graph) is None, " -> ".join(cycle(graph) or [])


def test_a_lazy_import_back_is_a_cycle(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg.sub import b\n")
    (package / "sub" / "b.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from pkg import a\n"
        "def later():\n    from .c import f\n"
    )
    (package / "sub" / "c.py").write_text("def f():\n    from .. import a\n")
    assert cycle(import_graph(package)) == ["pkg.a", "pkg.sub.b", "pkg.sub.c", "pkg.a"]
    (package / "sub" / "c.py").write_text("def f():\n    pass\n")
    assert cycle(import_graph(package)) is None
