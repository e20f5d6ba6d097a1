"""`make test` shares its tests between workers by file and backend, the long modules first
(``tests/support/scheduling.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from ..support.scheduling import FileAndBackendScheduling, long_files_first


def test_each_backends_tests_of_a_file_are_a_unit_of_their_own():
    # the scope depends on the test's id only: no configuration is needed to read it
    scope = object.__new__(FileAndBackendScheduling)._split_scope
    assert scope("tests/web/test_x.py::test_a[sqlite]") == "tests/web/test_x.py[sqlite]"
    assert scope("tests/web/test_x.py::test_a[postgresql-3]") == "tests/web/test_x.py[postgresql]"
    assert scope("tests/web/test_x.py::test_a[1-partitioned]") == "tests/web/test_x.py[partitioned]"
    assert scope("tests/web/test_x.py::test_b") == "tests/web/test_x.py"
    assert scope("tests/web/test_x.py::test_c[None-]") == "tests/web/test_x.py"
    assert scope("tests/web/test_x.py::Case::test_d[sqlite]") == "tests/web/test_x.py[sqlite]"


@dataclass
class Item:
    name: str
    long: bool

    def get_closest_marker(self, name: str):
        return object() if name == "long" and self.long else None


def test_the_long_modules_go_first_each_in_its_own_order():
    items = [Item("a1", False), Item("b1", True), Item("a2", False), Item("b2", True)]
    long_files_first(items)  # type: ignore[arg-type]
    assert [i.name for i in items] == ["b1", "b2", "a1", "a2"]
