"""Fixtures: the app on a temporary database, on SQLite and on a real PostgreSQL server; a browser.

Every test that uses ``db_url`` (or ``engine``, ``app``, ``client``) runs once per backend in
``IOC57_TEST_BACKENDS`` (``tests/support/backends.py``). Each test gets its own database, copied
from a template that was migrated and loaded with the real units once per session (on PostgreSQL,
by a thread, while the test before it runs).
"""

from __future__ import annotations

import itertools
import os
import shutil
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher

warnings.filterwarnings("ignore", message=".*httpx2.*")

from fastapi.testclient import TestClient  # noqa: E402

from ioc57 import modules  # noqa: E402
from ioc57.bootstrap import init_database  # noqa: E402
from ioc57.core import security  # noqa: E402
from ioc57.core.db import make_engine  # noqa: E402
from ioc57.core.settings import load_settings  # noqa: E402
from ioc57.ingest.unitcache import UnitCache  # noqa: E402
from ioc57.web.app import create_app  # noqa: E402

from .support import pg  # noqa: E402
from .support.backends import (  # noqa: E402
    BACKEND_PARAMS,
    BACKENDS,
    DATABASE_TESTS_ONLY,
    TEMPLATE_UNITS,
    with_template_units,
)
from .support.http import ADMIN_PASSWORD, Api  # noqa: E402
from .support.scheduling import FileAndBackendScheduling, long_files_first  # noqa: E402

modules.load()  # the installed modules' record types, actions and hooks, as the app and CLI load them

# Passwords are hashed with Argon2id at its cheapest in this process: the tests prove who may log
# in, not what a guess costs, and the real parameters (64 MiB, 3 passes) cost each user the tests
# make or log in 0.15 s. Every hash still carries its parameters, so the ``ioc57`` processes the
# tests start, which keep the real ones, check these too (and this process theirs).
security._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

_counter = itertools.count()


def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` as ``tests/support/scheduling.py`` says."""
    if config.getoption("dist") == "loadfile":
        return FileAndBackendScheduling(config, log)
    return None


@pytest.hookimpl(trylast=True)  # after pytest has grouped the tests by their fixtures' scopes
def pytest_collection_modifyitems(config, items) -> None:
    """The long files first; with ``IOC57_TEST_DATABASE_ONLY=1``, only the tests given a
    backend's database run."""
    long_files_first(items)
    if not DATABASE_TESTS_ONLY:
        return
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        (keep if any(p in params for p in BACKEND_PARAMS) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _units_of(engine) -> UnitCache:
    """The template's units, read once: the apps on its copies start with them."""
    cache = UnitCache(engine)
    cache.reload()
    return cache


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "ioc57.db"
    engine = make_engine(f"sqlite:///{path}")
    init_database(engine, admin_password=ADMIN_PASSWORD)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    TEMPLATE_UNITS["sqlite"] = _units_of(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    given = os.environ.get("IOC57_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    server = pg.PostgresServer().start()
    try:
        yield server.url()
    finally:
        server.stop()


def _pg_template(admin_url: str, name: str, by_province: bool) -> str:
    pg.drop_database(admin_url, name)
    url = pg.create_database(admin_url, name)
    engine = make_engine(url)
    init_database(engine, admin_password=ADMIN_PASSWORD, by_province=by_province)
    TEMPLATE_UNITS["postgresql"] = _units_of(engine)
    engine.dispose()
    pg.settle(admin_url, name)
    return name


@pytest.fixture(scope="session")
def pg_template(pg_admin_url) -> str:
    return _pg_template(pg_admin_url, f"ioc57_template_{os.getpid()}", by_province=False)


@pytest.fixture(scope="session")
def pg_copies(pg_admin_url, pg_template) -> Iterator[pg.Copies]:
    copies = pg.Copies(pg_admin_url, pg_template, prefix=f"ioc57_t{os.getpid()}_")
    yield copies
    copies.close()


@pytest.fixture(scope="session")
def partitioned_copies(pg_admin_url) -> Iterator[pg.Copies]:
    """Copies of a template whose fact tables are partitioned by province (``partitioned``)."""
    name = _pg_template(pg_admin_url, f"ioc57_ptemplate_{os.getpid()}", by_province=True)
    copies = pg.Copies(pg_admin_url, name, prefix=f"ioc57_p{os.getpid()}_")
    yield copies
    copies.close()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@contextmanager
def _database(backend: str, request, folder: Path) -> Iterator[str]:
    """A copy of the template database of ``backend``; dropped after (PostgreSQL)."""
    if backend == "sqlite":
        path = folder / "ioc57.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    copies = request.getfixturevalue(
        "pg_copies" if backend == "postgresql" else "partitioned_copies"
    )
    url = copies.take()
    yield url
    copies.give_back(url)


@pytest.fixture
def db_url(backend, request, tmp_path) -> Iterator[str]:
    """A database with the schema, the real units and ``admin`` (password ``ADMIN_PASSWORD``)."""
    with _database(backend, request, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=BACKENDS)
def module_db_url(request, tmp_path_factory) -> Iterator[str]:
    """As ``db_url``, one for all the tests of a test module (on each backend): for tests that
    do not interfere, so that they share one app instead of making one each."""
    with _database(request.param, request, tmp_path_factory.mktemp("module")) as url:
        yield url


@pytest.fixture
def empty_db_url(backend, request, tmp_path) -> Iterator[str]:
    """A database with nothing in it."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin_url = request.getfixturevalue("pg_admin_url")
    name = f"ioc57_e{os.getpid()}_{next(_counter)}"
    yield pg.create_database(admin_url, name)
    pg.drop_database(admin_url, name)


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(db_url):
    return load_settings(database_url=db_url, secret_key="test-secret-key")


@pytest.fixture
def app(settings, engine):
    return with_template_units(create_app(settings, engine))


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as c:
        yield c


@pytest.fixture
def api(app) -> Api:
    return Api(app)


# -- a real browser: Debian's headless Chromium ---------------------------------------------------
# The system package (``/usr/bin/chromium``, installed by ``scripts/system-deps.sh``), driven by
# Playwright; ``playwright install`` is never needed. Each browser test starts its own server.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run 'bash scripts/system-deps.sh' (or 'make test')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (``test-artifacts/``, ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
