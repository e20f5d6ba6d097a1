"""The shape of a module: a domain module is met only through the list of installed modules.

No file of ioc57 outside a domain module's folder imports it (at its top or inside a function) or
names one of its record types, but the list of installed modules (``ioc57/modules.py``) and the
migrations. The platform below (core, units, accounts, ingest) and the web app above reach the
modules through their manifests.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ioc57 import modules

SRC = Path(modules.__file__).resolve().parent
PLATFORM = {"core", "units", "accounts", "ingest", "web"}
DOMAIN = [m for m in modules.INSTALLED if m not in PLATFORM]
EXEMPT = {Path("modules.py")}


def _outside(module: str) -> list[Path]:
    """The files of ioc57 outside ``module``'s folder that must not know it."""
    out = []
    for path in sorted(SRC.rglob("*")):
        rel = path.relative_to(SRC)
        if not path.is_file() or rel in EXEMPT or "migrations" in rel.parts:
            continue
        if rel.parts[0] == module or "__pycache__" in rel.parts:
            continue
        if path.suffix in (".py", ".html", ".js"):
            out.append(path)
    return out


def _imports(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _strings(tree: ast.AST) -> list[str]:
    """The string constants of a module, but its docstrings (prose may speak of a dossier): a
    module's, a class's, a function's, and an attribute's (a string standing alone after a field,
    as the record contract's notes are)."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            for statement in node.body:
                if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                    docstrings.add(id(statement.value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


@pytest.mark.parametrize("module", DOMAIN)
def test_no_file_outside_a_domain_module_imports_it(module):
    wrong = []
    for path in _outside(module):
        if path.suffix != ".py":
            continue
        for name in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if name == f"ioc57.{module}" or name.startswith(f"ioc57.{module}."):
                wrong.append(f"{path.relative_to(SRC)} imports {name}")
    assert wrong == []


@pytest.mark.parametrize("module", DOMAIN)
def test_no_file_outside_a_domain_module_names_its_record_types(module):
    names = [t.name for t in modules.load()[modules.INSTALLED.index(module)].record_types]
    if not names:
        pytest.skip(f"{module} declares no record type")
    # a record type's name as a word: "dossier", "dossier.received", {"type": "dossier"}
    named = re.compile(rf"(?<![\w-])({'|'.join(map(re.escape, names))})(?![\w-])")
    wrong = []
    for path in _outside(module):
        text = path.read_text(encoding="utf-8")
        texts = _strings(ast.parse(text)) if path.suffix == ".py" else [text]
        for value in texts:
            found = named.search(value)
            if found:
                wrong.append(f"{path.relative_to(SRC)} names {found.group(1)!r}: {value[:80]!r}")
    assert wrong == []


def test_the_check_finds_what_it_looks_for(tmp_path):
    """The two checks, on a file that breaks both: an import of a module, a record type's name."""
    tree = ast.parse(
        'def f():\n    from ioc57.services.dossier import DOSSIER\n    return "dossier"\n'
    )
    assert "ioc57.services.dossier" in _imports(tree)
    assert "dossier" in _strings(tree)
    assert _strings(ast.parse('"""A dossier."""\nx = 1\n')) == []
    assert _strings(ast.parse('class R:\n    x: int = 0\n    """Of a dossier."""\n')) == []
    assert _strings(ast.parse('class R:\n    x: str = "dossier"\n')) == ["dossier"]
