"""The pages of wall displays: a display enters its key at /wall/connect and gets a long-lived,
httponly cookie (a wrong key: the form again, throttled like logins); an admin issues keys at
/wall/devices (the key shown once, with the connect link) and revokes them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ..support.http import ADMIN_PASSWORD, auth, login

COOKIE = "ioc57_device"


def csrf_of(text: str) -> str:
    return text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def connect(client: TestClient, key: str):
    page = client.get("/wall/connect")
    assert page.status_code == 200
    data = {"key": key, "csrf_token": csrf_of(page.text)}
    return client.post("/wall/connect", data=data, follow_redirects=False)


def test_a_display_connects_with_its_key_and_goes_to_its_layout(app, client, api):
    admin = auth(api.token("admin"))
    key = client.post(
        "/api/v1/devices", json={"name": "Tường", "layout": "tinh"}, headers=admin
    ).json()["key"]
    display = TestClient(app, base_url="http://testserver")
    r = connect(display, f"  {key} ")
    assert r.status_code == 303 and r.headers["location"] == "/wall/tinh"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={key};")
    for attribute in ("HttpOnly", "Max-Age=34560000", "SameSite=lax", "Path=/"):
        assert attribute in cookie, cookie
    assert "Secure" not in cookie  # secure_cookies is off in the tests
    assert display.get("/api/v1/stations").status_code == 200  # it reads with the cookie
    again = display.get("/wall/connect").text  # it says so when asked again
    assert 'id="connected"' in again and 'href="/wall/tinh"' in again

    plain = client.post("/api/v1/devices", json={"name": "Tường 2"}, headers=admin).json()["key"]
    assert connect(TestClient(app, base_url="http://testserver"), plain).headers["location"] == (
        "/wall"
    )


def test_a_wrong_key_shows_the_form_again_and_is_throttled_like_logins(app, settings):
    display = TestClient(app, base_url="http://testserver")
    for _ in range(settings.login_max_failures):
        r = connect(display, "ioc57d_not-a-key")
        assert r.status_code == 401 and 'id="connect-error"' in r.text
        assert COOKIE not in r.headers.get("set-cookie", "")
    r = connect(display, "ioc57d_not-a-key")
    assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= settings.login_window_s
    assert connect(display, "").status_code == 422  # nothing typed: no guess, not counted
    r = display.post("/wall/connect", data={"key": "x", "csrf_token": "forged"})
    assert r.status_code == 403


def test_an_admin_issues_a_key_shown_once_and_revokes_it_on_the_page(app, client, api):
    login(client, "admin", ADMIN_PASSWORD)
    page = client.get("/wall/devices")
    assert page.status_code == 200 and 'id="issue-form"' in page.text
    form = {
        "name": "Phòng họp xã",
        "unit": "28261",
        "layout": "xa",
        "csrf_token": csrf_of(page.text),
    }
    issued = client.post("/wall/devices", data=form)
    assert issued.status_code == 200 and issued.headers["cache-control"] == "no-store"
    key = issued.text.split('id="issued-key">', 1)[1].split("<", 1)[0]
    assert key.startswith("ioc57d_") and "/wall/connect" in issued.text
    assert "Mỹ Tho" in issued.text  # the unit by its name
    again = client.get("/wall/devices").text
    assert key not in again and key[:12] in again

    bad = client.post("/wall/devices", data=form | {"unit": "99999"})
    assert bad.status_code == 422 and 'role="alert"' in bad.text

    device_id = again.split('data-device="', 1)[1].split('"', 1)[0]
    r = client.post(
        f"/wall/devices/{device_id}/revoke",
        data={"csrf_token": csrf_of(again)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    display = TestClient(app, base_url="http://testserver")
    display.cookies.set(COOKIE, key)
    assert display.get("/api/v1/stations").status_code == 401
    items = client.get("/api/v1/devices", headers=auth(api.token("admin"))).json()["items"]
    assert items[0]["revoked_at"] is not None


def test_only_an_admin_opens_the_devices_page(client, api):
    r = client.get("/wall/devices", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    api.user("lanhdao", "leader")
    login(client, "lanhdao", "password-57")
    assert client.get("/wall/devices").status_code == 403
