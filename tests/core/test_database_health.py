"""A locked or read-only database: /readyz says so, writes answer 503 and recover by themselves.

SQLite runs on a real file. A lock is another connection's ``BEGIN IMMEDIATE`` (what a long import
holds). A read-only file is simulated with ``chattr +i`` (the tests run as root, for whom a mode of
0444 changes nothing): the file cannot be opened for writing even by root, so SQLite opens it
read-only, exactly as for a file without write permission or on a read-only filesystem. The pool's
connections opened before are dropped (``engine.dispose()``) as a restart or a pool's turnover
would; the connections that matter are the ones opened during the spell. PostgreSQL is made
read-only for new sessions with ``ALTER DATABASE ... SET default_transaction_read_only``.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from ioc57.core.db import READ_ONLY_RECHECK_S, make_engine
from ioc57.core.problems import PROBLEM_JSON
from ioc57.core.settings import load_settings
from ioc57.web.app import create_app

BUSY_TIMEOUT_S = 1.0


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def web(db_url) -> Iterator[tuple[TestClient, object]]:
    """The app as ``ioc57 serve`` builds it: a web engine with a short busy timeout."""
    settings = load_settings(
        database_url=db_url, secret_key="test-secret-key", db_busy_timeout_s=BUSY_TIMEOUT_S
    )
    engine = make_engine(db_url, busy_timeout_s=settings.db_busy_timeout_s)
    app = create_app(settings, engine)
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
        yield client, app
    engine.dispose()


def admin_token(app) -> str:
    from ioc57.accounts.service import create_token

    with app.state.engine.begin() as conn:
        return create_token(conn, actor="test", username="admin")


def create_agency(client, token, code):
    body = {"code": code, "name": f"Sở thử {code}", "parent": "82"}
    start = time.monotonic()
    r = client.post("/api/v1/units", json=body, headers=auth(token))
    return r, time.monotonic() - start


def assert_unavailable(r, reason: str) -> None:
    assert r.status_code == 503, r.text
    assert r.headers["content-type"].startswith(PROBLEM_JSON)
    assert int(r.headers["retry-after"]) > 0
    assert r.json()["status"] == 503 and reason in r.json()["detail"]


def sqlite_path(db_url: str) -> Path:
    return Path(make_url(db_url).database)


@contextmanager
def write_lock(db_url: str) -> Iterator[None]:
    """Another process's connection holding SQLite's write lock (as a long import does)."""
    holder = sqlite3.connect(sqlite_path(db_url), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_locked_database_answers_503_within_the_busy_timeout_and_readyz_says_why(
    web, db_url, backend
):
    if backend != "sqlite":
        pytest.skip("SQLite's database-wide write lock; PostgreSQL locks rows (next test)")
    client, app = web
    token = admin_token(app)
    csrf_page = client.get("/login")
    csrf = csrf_page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert client.get("/readyz").status_code == 200

    with write_lock(db_url):
        r, seconds = create_agency(client, token, "so-khoa")
        assert_unavailable(r, "locked")
        assert BUSY_TIMEOUT_S * 0.8 <= seconds < BUSY_TIMEOUT_S + 3, seconds
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["database"] == "locked"
        # a page that writes (the login form records the attempt) gets the HTML error page
        page = client.post(
            "/login",
            data={"username": "admin", "password": "x" * 10, "csrf_token": csrf, "next": "/"},
            headers={"accept": "text/html"},
        )
        assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
        assert int(page.headers["retry-after"]) > 0
        assert "Cơ sở dữ liệu đang bận" in page.text  # in the reader's language
        assert client.get("/api/v1/units/82").status_code == 200  # reads go on meanwhile

    assert client.get("/readyz").status_code == 200
    r, _ = create_agency(client, token, "so-khoa")
    assert r.status_code == 201, r.text


def test_a_locked_table_on_postgresql_answers_503_within_the_lock_timeout(web, db_url, backend):
    if backend != "postgresql":
        pytest.skip("PostgreSQL's lock_timeout")
    client, app = web
    token = admin_token(app)
    holder = psycopg.connect(make_url(db_url).set(drivername="postgresql").render_as_string(False))
    holder.execute("LOCK TABLE units IN EXCLUSIVE MODE")
    try:
        r, seconds = create_agency(client, token, "so-khoa")
        assert_unavailable(r, "locked")
        assert seconds < BUSY_TIMEOUT_S + 3, seconds
    finally:
        holder.rollback()
        holder.close()
    r, _ = create_agency(client, token, "so-khoa")
    assert r.status_code == 201, r.text


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"chattr +i is not possible here: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_file_answers_503_then_writes_recover_without_a_restart(web, db_url, backend):
    if backend != "sqlite":
        pytest.skip("a file; PostgreSQL's read-only database is the next test")
    client, app = web
    token = admin_token(app)
    assert client.get("/readyz").status_code == 200

    with immutable(sqlite_path(db_url)):
        app.state.engine.dispose()  # the connections of the spell are opened during it
        assert client.get("/units/82").status_code == 200  # pages read on
        r, _ = create_agency(client, token, "so-doc")
        assert_unavailable(r, "read-only")
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["database"] == "read-only"
        assert client.get("/api/v1/units/82").status_code == 200  # a read-only connection pooled

    time.sleep(READ_ONLY_RECHECK_S + 0.2)
    assert client.get("/readyz").status_code == 200
    r, _ = create_agency(client, token, "so-doc")  # the first write after the spell goes through
    assert r.status_code == 201, r.text
    r, _ = create_agency(client, token, "so-doc-2")
    assert r.status_code == 201, r.text


def test_a_read_only_postgresql_database_fails_readyz_then_recovers(web, db_url, backend, request):
    if backend != "postgresql":
        pytest.skip("ALTER DATABASE ... SET default_transaction_read_only")
    client, app = web
    token = admin_token(app)
    name = make_url(db_url).database
    admin_url = make_url(request.getfixturevalue("pg_admin_url"))
    admin = psycopg.connect(
        admin_url.set(drivername="postgresql").render_as_string(False), autocommit=True
    )
    try:
        admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        app.state.engine.dispose()  # new sessions read the new default
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["database"] == "read-only"
        r, _ = create_agency(client, token, "so-doc")
        assert_unavailable(r, "read-only")
        assert client.get("/api/v1/units/82").status_code == 200  # a read-only session pooled
        admin.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
    finally:
        admin.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
        admin.close()

    time.sleep(READ_ONLY_RECHECK_S + 0.2)
    assert client.get("/readyz").status_code == 200
    r, _ = create_agency(client, token, "so-doc")
    assert r.status_code == 201, r.text
