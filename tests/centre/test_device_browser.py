"""A wall display in a real browser: it connects with its device key at /wall/connect (no person
logs in), reads with the cookie it gets, and its live session ends when an admin revokes the key.
A real ``ioc57 serve`` re-checking open streams every second."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import expect

from ioc57.accounts.service import create_token
from ioc57.core.db import make_engine

from ..support.http import auth
from ..support.servers import running_server

pytestmark = pytest.mark.browser

# the page's own event stream, opened as the wall's live script does; the test waits on its end
LISTEN = """
() => new Promise((resolve) => {
  window.__ended = null;
  const source = new EventSource("/api/v1/stream");
  source.addEventListener("stream.end", (e) => { window.__ended = JSON.parse(e.data).reason; source.close(); });
  source.onopen = () => resolve(true);
  source.onerror = () => resolve(false);
})
"""


@pytest.fixture(scope="module")
def server(sqlite_template, tmp_path_factory) -> Iterator[tuple[str, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("wall-devices")
    shutil.copy(sqlite_template, tmp / "ioc57.db")
    url = f"sqlite:///{tmp}/ioc57.db"
    engine = make_engine(url)
    with engine.begin() as conn:
        admin = auth(create_token(conn, actor="test", username="admin"))
    engine.dispose()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
    env |= {
        "IOC57_DATABASE_URL": url,
        "IOC57_SECRET_KEY": "test-secret-key",
        "IOC57_PULL_SCHEDULER": "0",
        "IOC57_STREAM_RECHECK_S": "1",
    }
    with running_server(env, tmp / "serve.log") as base:
        yield base, admin


def test_a_wall_display_connects_with_its_key_and_its_session_ends_when_revoked(browser, server):
    base, admin = server
    r = httpx.post(
        f"{base}/api/v1/devices", json={"name": "Tường IOC", "unit": "82"}, headers=admin
    )
    assert r.status_code == 201, r.text
    device = r.json()
    errors: list[str] = []
    context = browser.new_context(
        base_url=base, locale="vi-VN", viewport={"width": 1920, "height": 1080}
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.on("pageerror", lambda e: errors.append(str(e)))

    tab.goto("/wall/connect")
    tab.fill("input[name=key]", "ioc57d_wrong")
    tab.locator("main form button[type=submit]").click()
    expect(tab.locator("#connect-error")).to_be_visible()
    tab.fill("input[name=key]", device["key"])
    with tab.expect_response(
        lambda r: r.url == f"{base}/wall/connect" and r.request.method == "POST"
    ) as sent:
        tab.locator("main form button[type=submit]").click()
    assert sent.value.status == 303 and sent.value.headers["location"] == "/wall"
    cookie = next(c for c in context.cookies() if c["name"] == "ioc57_device")
    assert cookie["httpOnly"] and cookie["value"] == device["key"]

    # the display reads as a viewer of province 82 with its cookie, and holds a live stream
    assert tab.evaluate("fetch('/api/v1/stations?unit=82').then(r => r.status)") == 200
    assert tab.evaluate("fetch('/api/v1/stations?unit=01').then(r => r.status)") == 403
    assert tab.evaluate(LISTEN) is True
    wall = tab.goto("/wall")
    live_wall = wall is not None and wall.status == 200 and tab.locator("body[data-live]").count()
    if not live_wall:  # the wall's page is another part's: listen from the connect page instead
        tab.goto("/wall/connect")
        assert tab.evaluate(LISTEN) is True

    r = httpx.delete(f"{base}/api/v1/devices/{device['id']}", headers=admin)
    assert r.status_code == 200
    if live_wall:  # the wall's DOM contract: the live state ends
        expect(tab.locator("body")).to_have_attribute("data-live", "ended")
    else:
        tab.wait_for_function("() => window.__ended !== null", timeout=10_000)
        assert tab.evaluate("window.__ended") == "the device was revoked"
    assert tab.evaluate("fetch('/api/v1/stations').then(r => r.status)") == 401
    context.close()
    assert errors == [], errors
