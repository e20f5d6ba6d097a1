"""Sessions are kept on the server: logout, a new password and disabling end them at once."""

from datetime import timedelta

from sqlalchemy import select, update

from ioc57.accounts import tables
from ioc57.core import clock

from ..support.http import ADMIN_PASSWORD, auth, login


def test_a_cookie_kept_from_before_logout_is_refused_after_it(app, client):
    csrf = login(client, "admin", ADMIN_PASSWORD)
    kept = dict(client.cookies)
    assert client.get("/api/v1/users").status_code == 200
    client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)

    with api_client(app, kept) as thief:
        assert thief.get("/api/v1/users").status_code == 401
        page = thief.get("/sources", headers={"accept": "text/html"}, follow_redirects=False)
        assert page.status_code in (303, 401) and 'action="/logout"' not in page.text


def test_a_new_password_ends_the_users_sessions_and_tokens(app, client, api, engine):
    token = api.user("lanhdao", "leader")
    with api_client(app) as browser:
        login(browser, "lanhdao", "password-57")
        assert browser.get("/api/v1/users").status_code == 200
        r = client.patch(
            "/api/v1/users/lanhdao",
            json={"password": "a-new-password-57"},
            headers=auth(api.token("admin")),
        )
        assert r.status_code == 200, r.text
        assert browser.get("/api/v1/users").status_code == 401
    assert client.get("/api/v1/users", headers=auth(token)).status_code == 401
    with api_client(app) as again:
        login(again, "lanhdao", "a-new-password-57")
        assert again.get("/api/v1/users").status_code == 200
    with engine.connect() as conn:
        why = [
            r.ended_why
            for r in conn.execute(
                select(tables.sessions).where(tables.sessions.c.ended_at.is_not(None))
            )
        ]
    assert why == ["password changed"]


def test_changing_ones_own_password_keeps_the_session_that_does_it_only(app, client):
    csrf = login(client, "admin", ADMIN_PASSWORD)
    with api_client(app) as other:
        login(other, "admin", ADMIN_PASSWORD)
        r = client.patch(
            "/api/v1/users/admin",
            json={"password": "another-admin-password-57"},
            headers={"X-CSRF-Token": csrf},
        )
        assert r.status_code == 200, r.text
        assert client.get("/api/v1/users").status_code == 200  # the one that changed it
        assert other.get("/api/v1/users").status_code == 401  # every other one


def test_disabling_a_user_ends_their_sessions_for_good(app, client, api):
    api.user("lanhdao", "leader")
    admin = auth(api.token("admin"))
    with api_client(app) as browser:
        login(browser, "lanhdao", "password-57")
        kept = dict(browser.cookies)
    client.patch("/api/v1/users/lanhdao", json={"disabled": True}, headers=admin)
    with api_client(app, kept) as browser:
        assert browser.get("/api/v1/users").status_code == 401
    client.patch("/api/v1/users/lanhdao", json={"disabled": False}, headers=admin)
    with api_client(app, kept) as browser:
        assert browser.get("/api/v1/users").status_code == 401  # ended, not suspended


def test_an_expired_session_is_refused(client, engine):
    login(client, "admin", ADMIN_PASSWORD)
    assert client.get("/api/v1/users").status_code == 200
    with engine.begin() as conn:
        conn.execute(update(tables.sessions).values(expires_at=clock.now() - timedelta(seconds=1)))
    assert client.get("/api/v1/users").status_code == 401


def test_each_login_starts_a_new_session_and_cookie(app, client, engine):
    login(client, "admin", ADMIN_PASSWORD)
    first = client.cookies["ioc57_session"]
    login(client, "admin", ADMIN_PASSWORD)
    assert client.cookies["ioc57_session"] != first
    with engine.connect() as conn:
        rows = conn.execute(select(tables.sessions).order_by(tables.sessions.c.created_at)).all()
    assert [r.ended_why for r in rows] == ["replaced", None]


def api_client(app, cookies=None):
    from fastapi.testclient import TestClient

    return TestClient(app, base_url="http://testserver", cookies=cookies)
