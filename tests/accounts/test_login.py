"""Logging in through the form: session cookie flags, CSRF, wrong passwords, throttling, logout."""

from ..support.http import ADMIN_PASSWORD, login


def csrf_of(page) -> str:
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_login_sets_an_httponly_lax_session_cookie_and_shows_the_user(client):
    login(client, "admin", ADMIN_PASSWORD)
    page = client.get("/")
    assert "admin" in page.text and 'action="/logout"' in page.text


def test_the_session_cookie_is_httponly_and_samesite_lax(client):
    page = client.get("/login")
    r = client.post(
        "/login",
        data={
            "username": "admin",
            "password": ADMIN_PASSWORD,
            "csrf_token": csrf_of(page),
            "next": "/",
        },
        follow_redirects=False,
    )
    header = [v for k, v in r.headers.multi_items() if k == "set-cookie" and "ioc57_session" in v][
        0
    ]
    assert "httponly" in header.lower() and "samesite=lax" in header.lower()


def test_a_form_post_without_the_csrf_token_is_refused(client):
    client.get("/login")
    r = client.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD})
    assert r.status_code == 403
    assert client.get("/api/v1/users").status_code == 401


def test_a_wrong_password_is_refused_and_throttled_after_five(client, settings):
    page = client.get("/login")
    csrf = csrf_of(page)
    for _ in range(settings.login_max_failures):
        r = client.post(
            "/login", data={"username": "admin", "password": "nope", "csrf_token": csrf}
        )
        assert r.status_code == 401
        assert "Sai tên đăng nhập hoặc mật khẩu" in r.text or "Wrong username" in r.text
    r = client.post(
        "/login", data={"username": "admin", "password": ADMIN_PASSWORD, "csrf_token": csrf}
    )
    assert r.status_code == 429
    # another user from the same address is not locked out by admin's failures
    r = client.post("/login", data={"username": "someone", "password": "x", "csrf_token": csrf})
    assert r.status_code == 401


def test_an_open_redirect_through_next_is_not_followed(client):
    page = client.get("/login")
    r = client.post(
        "/login",
        data={
            "username": "admin",
            "password": ADMIN_PASSWORD,
            "csrf_token": csrf_of(page),
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == "/"


def test_logout_ends_the_session(client):
    csrf = login(client, "admin", ADMIN_PASSWORD)
    assert client.get("/api/v1/users").status_code == 200
    r = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/api/v1/users").status_code == 401


def test_a_cookie_session_needs_the_csrf_header_to_write_through_the_api(client):
    csrf = login(client, "admin", ADMIN_PASSWORD)
    body = {"code": "SNV-82", "name": "Sở Nội vụ", "parent": "82", "type": "sở"}
    assert client.post("/api/v1/units", json=body).status_code == 403
    r = client.post("/api/v1/units", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201, r.text
