"""The login throttle: per user and address, per address across users (a spray), per user across
addresses; a refused login says when to retry; X-Forwarded-For counts only from trusted proxies."""

import os

import httpx
from fastapi.testclient import TestClient

from ioc57.core.settings import load_settings
from ioc57.web.app import create_app

from ..support.http import ADMIN_PASSWORD
from ..support.servers import running_server


def csrf_of(text: str) -> str:
    return text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def app_with(db_url, engine, **settings):
    return create_app(load_settings(database_url=db_url, secret_key="k", **settings), engine)


def attempt(client, username, password="wrong-password", forwarded=None):
    page = client.get("/login")
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    data = {"username": username, "password": password, "csrf_token": csrf_of(page.text)}
    return client.post("/login", data=data, headers=headers, follow_redirects=False)


def test_a_throttled_login_says_when_to_retry(client, settings):
    for _ in range(settings.login_max_failures):
        assert attempt(client, "admin").status_code == 401
    r = attempt(client, "admin", ADMIN_PASSWORD)
    assert r.status_code == 429
    wait = int(r.headers["Retry-After"])
    assert 0 < wait <= settings.login_window_s
    assert f"{-(-wait // 60)} phút" in r.text  # the page is in Vietnamese first


def test_a_spray_of_one_password_over_many_users_is_throttled(db_url, engine):
    app = app_with(db_url, engine, login_max_failures_address=4)
    with TestClient(app, base_url="http://testserver") as client:
        for n in range(4):
            assert attempt(client, f"user{n}").status_code == 401
        r = attempt(client, "admin", ADMIN_PASSWORD)
        assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0


def test_one_user_guessed_from_many_addresses_is_throttled(db_url, engine):
    app = app_with(db_url, engine, login_max_failures_user=3, trusted_proxies=("10.0.0.0/8",))
    with TestClient(app, base_url="http://testserver", client=("10.0.0.7", 4000)) as client:
        for n in range(3):
            assert attempt(client, "admin", forwarded=f"203.0.113.{n}").status_code == 401
        r = attempt(client, "admin", ADMIN_PASSWORD, forwarded="203.0.113.99")
        assert r.status_code == 429
        assert attempt(client, "someone", forwarded="203.0.113.99").status_code == 401


def test_a_trusted_proxys_forwarded_address_is_the_one_counted(db_url, engine):
    app = app_with(db_url, engine, trusted_proxies=("10.0.0.7",))
    with TestClient(app, base_url="http://testserver", client=("10.0.0.7", 4000)) as client:
        for _ in range(5):
            r = attempt(client, "admin", forwarded="198.51.100.1, 203.0.113.5")
            assert r.status_code == 401
        assert attempt(client, "admin", forwarded="203.0.113.5").status_code == 429
        # the right-most untrusted address is the client: another one is not throttled
        assert attempt(client, "admin", ADMIN_PASSWORD, forwarded="203.0.113.6").status_code == 303


def test_x_forwarded_for_from_an_untrusted_local_client_is_ignored(db_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
    env |= {"IOC57_DATABASE_URL": db_url, "IOC57_SECRET_KEY": "k"}
    with running_server(env, tmp_path / "serve.log") as base, httpx.Client(base_url=base) as web:
        statuses = []
        for n in range(6):
            page = web.get("/login")
            r = web.post(
                "/login",
                data={"username": "admin", "password": "nope", "csrf_token": csrf_of(page.text)},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            )
            statuses.append(r.status_code)
    assert statuses == [401] * 5 + [429]


def test_the_trusted_proxies_setting_takes_addresses_and_networks_only(monkeypatch):
    import pytest

    from ioc57.core.settings import SettingsError

    assert load_settings(secret_key="k").trusted_proxies == ()
    monkeypatch.setenv("IOC57_TRUSTED_PROXIES", "10.0.0.5, 10.1.0.0/16,::1")
    assert load_settings(secret_key="k").trusted_proxies == ("10.0.0.5", "10.1.0.0/16", "::1")
    monkeypatch.setenv("IOC57_TRUSTED_PROXIES", "proxy.local")
    with pytest.raises(SettingsError, match="IOC57_TRUSTED_PROXIES"):
        load_settings(secret_key="k")
