"""The database backends the tests run on: ``IOC57_TEST_BACKENDS`` (default both)."""

from __future__ import annotations

import os

BACKENDS = [b for b in os.environ.get("IOC57_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]
