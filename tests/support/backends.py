"""The database backends the tests run on: ``IOC57_TEST_BACKENDS``, a part of ``sqlite``,
``postgresql`` and ``partitioned`` (PostgreSQL with its fact tables partitioned by province, as a
national deployment has them; ``make test-partitioned``); by default the first two. The units each
backend's template holds, read once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI

from ioc57.ingest.unitcache import UnitCache

BACKEND_NAMES = ("sqlite", "postgresql", "partitioned")
BACKENDS = [b for b in os.environ.get("IOC57_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]

# only the tests that take a database of a backend (``make test-partitioned``: the others do not
# change with the database's layout, and ``make test`` runs them)
DATABASE_TESTS_ONLY = os.environ.get("IOC57_TEST_DATABASE_ONLY", "") == "1"
BACKEND_PARAMS = ("backend", "module_db_url")  # the fixtures that give a test its backend

# per backend, the units of its template, read once per session (``tests/conftest.py``)
TEMPLATE_UNITS: dict[str, UnitCache] = {}


def with_template_units(app: FastAPI) -> FastAPI:
    """``app`` on a copy of a template, its gate starting with the template's units instead of
    reading them again (the 14,000 units cost an app that takes a record 0.1-0.3 s). Units are
    only ever added, and the gate looks up a code it does not know: the same units as it would
    read itself."""
    template = TEMPLATE_UNITS.get(app.state.engine.dialect.name)
    if template is not None:
        app.state.gate.cache.adopt(template)
    return app


@contextmanager
def app_on(db_url: str) -> Iterator[FastAPI]:
    """The app on a test database (a module's, shared by its tests), with the template's units;
    its engine disposed of after."""
    from ioc57.core.db import make_engine
    from ioc57.core.settings import load_settings
    from ioc57.web.app import create_app

    engine = make_engine(db_url)
    settings = load_settings(database_url=db_url, secret_key="test-secret-key")
    try:
        yield with_template_units(create_app(settings, engine))
    finally:
        engine.dispose()
