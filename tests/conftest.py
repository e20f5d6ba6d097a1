"""Fixtures: the app on a temporary database, on SQLite and on a real PostgreSQL server.

Every test that uses ``db_url`` (or ``engine``, ``app``, ``client``) runs once per backend in
``IOC57_TEST_BACKENDS`` (default ``sqlite,postgresql``). Each test gets its own database, copied
from a template that was migrated and loaded with the real units once per session.
"""

from __future__ import annotations

import itertools
import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=".*httpx2.*")

from fastapi.testclient import TestClient  # noqa: E402

from ioc57 import modules  # noqa: E402
from ioc57.bootstrap import init_database  # noqa: E402
from ioc57.core.db import make_engine  # noqa: E402
from ioc57.core.settings import load_settings  # noqa: E402
from ioc57.web.app import create_app  # noqa: E402

from . import pg  # noqa: E402

modules.load()  # the installed modules' record types, actions and hooks, as the app and CLI load them

ADMIN_PASSWORD = "admin-password-57"
BACKENDS = [b for b in os.environ.get("IOC57_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]
_counter = itertools.count()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "ioc57.db"
    engine = make_engine(f"sqlite:///{path}")
    init_database(engine, admin_password=ADMIN_PASSWORD)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
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


@pytest.fixture(scope="session")
def pg_template(pg_admin_url) -> str:
    name = f"ioc57_template_{os.getpid()}"
    pg.drop_database(pg_admin_url, name)
    url = pg.create_database(pg_admin_url, name)
    engine = make_engine(url)
    init_database(engine, admin_password=ADMIN_PASSWORD)
    engine.dispose()
    return name


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_url(backend, request, tmp_path) -> Iterator[str]:
    """A database with the schema, the real units and ``admin`` (password ``ADMIN_PASSWORD``)."""
    if backend == "sqlite":
        path = tmp_path / "ioc57.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    admin_url = request.getfixturevalue("pg_admin_url")
    template = request.getfixturevalue("pg_template")
    name = f"ioc57_t{os.getpid()}_{next(_counter)}"
    yield pg.create_database(admin_url, name, template=template)
    pg.drop_database(admin_url, name)


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
    return create_app(settings, engine)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as c:
        yield c


# -- helpers the tests share ---------------------------------------------------------------------


class Api:
    """Acts as users of the app through its ASGI client."""

    def __init__(self, app) -> None:
        self.app = app
        self.tokens: dict[str, str] = {}

    def client(self) -> TestClient:
        return TestClient(self.app, base_url="http://testserver")

    def user(
        self, username: str, role: str, unit: str | None = None, password: str = "password-57"
    ) -> str:
        """Create a user through the admin API and return a bearer token for them."""
        admin = self.token("admin")
        body = {"username": username, "role": role, "password": password}
        if unit:
            body["unit"] = unit
        r = self.client().post("/api/v1/users", json=body, headers=auth(admin))
        assert r.status_code == 201, r.text
        r = self.client().post("/api/v1/tokens", json={"username": username}, headers=auth(admin))
        assert r.status_code == 201, r.text
        self.tokens[username] = r.json()["token"]
        return self.tokens[username]

    def token(self, username: str) -> str:
        if username not in self.tokens:
            assert username == "admin"
            from ioc57.accounts.service import create_token

            with self.app.state.engine.begin() as conn:
                self.tokens["admin"] = create_token(conn, actor="test", username="admin")
        return self.tokens[username]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(client: TestClient, username: str, password: str) -> str:
    """Log in through the form; return the session's CSRF token."""
    page = client.get("/login")
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    r = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf, "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    # the session is renewed at login, and with it the CSRF token
    after = client.get("/")
    return after.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


@pytest.fixture
def api(app) -> Api:
    return Api(app)
