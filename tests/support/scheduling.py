"""How `make test` shares the tests between its workers (pytest-xdist's ``--dist loadfile``).

A file is one unit of work, so that its module-wide fixtures are built once, except that a
file's tests on each backend are a unit of their own: a module's fixtures on SQLite and on
PostgreSQL are two different ones anyway, and a file that takes minutes on each backend (the leak
fuzzer, the route matrix) no longer makes one worker run both while the other waits.

Units go out in the order the workers collected them, and the files marked ``long`` are collected
first: a unit of several minutes started last would be the run's tail.
"""

from __future__ import annotations

import pytest
from xdist.scheduler import LoadFileScheduling

from .backends import BACKEND_NAMES


class FileAndBackendScheduling(LoadFileScheduling):
    """``--dist loadfile`` with each backend's tests of a file as their own unit, in the order
    of collection (``--loadscope-reorder`` sorts by number of tests, not by time)."""

    def __init__(self, config: pytest.Config, log=None) -> None:
        super().__init__(config, log)
        config.option.loadscopereorder = False

    def _split_scope(self, nodeid: str) -> str:
        file = super()._split_scope(nodeid)
        params = nodeid.rpartition("[")[2].rstrip("]").split("-") if "[" in nodeid else ()
        backend = next((p for p in params if p in BACKEND_NAMES), None)
        return f"{file}[{backend}]" if backend else file


def long_files_first(items: list[pytest.Item]) -> None:
    """The tests of the modules marked ``long`` first, each module's tests in their order."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
