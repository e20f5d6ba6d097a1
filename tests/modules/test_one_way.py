"""One way for each cross-cutting need: the time from the clock, roles read only by the access
policy, test helpers from ``tests/support`` (never from a conftest), an action or a record type
declared by one module only."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ioc57 import modules
from ioc57.core import access
from ioc57.ingest.types import RECORD_TYPES, register_type

SRC = Path(modules.__file__).resolve().parent
TESTS = Path(__file__).resolve().parents[1]


def _python(root: Path) -> list[Path]:
    return [p for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts]


def reads_the_time(tree: ast.AST) -> bool:
    """``datetime.now(...)`` or a function named ``now``: a clock of its own."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "now":
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "now"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "datetime"
        ):
            return True
    return False


def compares_a_role(tree: ast.AST) -> bool:
    """``x.role == ...``, ``x.role in ...``: a permission decided outside the policy."""
    return any(
        isinstance(node, ast.Compare)
        and any(
            isinstance(side, ast.Attribute) and side.attr == "role"
            for side in (node.left, *node.comparators)
        )
        for node in ast.walk(tree)
    )


def test_only_the_clock_reads_the_time():
    clock = SRC / "core" / "clock.py"
    found = [p for p in _python(SRC) if p != clock and reads_the_time(ast.parse(p.read_text()))]
    assert found == []


def test_only_the_access_policy_reads_a_role():
    policy = SRC / "core" / "access.py"
    found = [p for p in _python(SRC) if p != policy and compares_a_role(ast.parse(p.read_text()))]
    templates = [
        p for p in sorted(SRC.rglob("*.html")) if re.search(r"\.role\s*(==|!=|in\b)", p.read_text())
    ]
    assert found == [] and templates == []


def test_no_test_imports_a_conftest():
    found = [
        p
        for p in _python(TESTS)
        if re.search(r"^\s*from \S*conftest import", p.read_text(), re.MULTILINE)
    ]
    assert found == []


def test_the_checks_find_what_they_look_for():
    assert reads_the_time(ast.parse("x = datetime.now(UTC)"))
    assert reads_the_time(ast.parse("def now():\n    return 1"))
    assert compares_a_role(ast.parse('ok = user.role in ("leader", "admin")'))
    assert not compares_a_role(ast.parse("ok = may(user, 'x')"))


def test_an_action_or_a_record_type_is_declared_by_one_module():
    with pytest.raises(ValueError, match="defined twice"):
        access.define({"audit.read": ("admin", "leader")})
    with pytest.raises(ValueError, match="no role"):
        access.define({"test.nobody": ("chief",)})
    dossier = RECORD_TYPES["dossier"]
    with pytest.raises(ValueError, match="two modules"):
        register_type(type(dossier)(**{**vars(dossier), "unit_required": False}))
    assert RECORD_TYPES["dossier"] is dossier
