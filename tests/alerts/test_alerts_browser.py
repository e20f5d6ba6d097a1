"""An operator on the alerts page, in a real browser: a station's salinity passes its threshold,
the alert appears in the list and on the bell without a reload (the evaluator of a real ``ioc57
serve``, on the event stream); the operator acknowledges it with a note, and silences alerts like
it ahead of the station's repair. On a phone's width, for the night shift.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from ioc57.core.db import make_engine
from ioc57.core.settings import load_settings
from ioc57.web.app import create_app

from ..support.http import ADMIN_PASSWORD, Api
from ..support.sensors import Sensors, minutes_ago, reading
from ..support.servers import ioc57_env, running_server
from ..web.test_pages_safe_in_browser import WATCH

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
RULE = {
    "name": "salinity-high",
    "title": "Độ mặn vượt ngưỡng",
    "figure": "sensors.reading",
    "params": {"metric": "salinity"},
    "op": ">",
    "threshold": None,  # the station's own
    "severity": "critical",
}


@pytest.fixture(scope="module")
def server(sqlite_template, tmp_path_factory) -> Iterator[tuple[str, Sensors]]:
    tmp = tmp_path_factory.mktemp("alertspage")
    shutil.copy(sqlite_template, tmp / "ioc57.db")
    url = f"sqlite:///{tmp}/ioc57.db"
    engine = make_engine(url)
    app = create_app(load_settings(database_url=url, secret_key="test-secret-key"), engine)
    with TestClient(app, base_url="http://testserver") as client:
        sensors = Sensors(client, Api(app))
        sensors.station("MT-01", thresholds={"salinity": 1.0})
        r = client.post("/api/v1/alert-rules", json=RULE, headers=sensors.admin)
        assert r.status_code == 201, r.text
    engine.dispose()
    env = ioc57_env()
    env |= {
        "IOC57_DATABASE_URL": url,
        "IOC57_SECRET_KEY": "test-secret-key",
        "IOC57_PULL_SCHEDULER": "0",
    }
    with running_server(env, tmp / "serve.log") as base, httpx.Client(base_url=base) as http:
        sensors.client = http  # readings now reach the real server and its evaluator
        yield base, sensors


def test_an_alert_arrives_live_is_acknowledged_and_silenced(browser, server, artifacts):
    base, sensors = server
    errors: list[str] = []
    context = browser.new_context(base_url=base, locale="vi-VN", **PHONE)
    context.set_default_timeout(15_000)
    context.add_init_script(WATCH)
    tab = context.new_page()
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto("/login?next=/alerts")
    tab.fill("input[name=username]", "admin")
    tab.fill("input[name=password]", ADMIN_PASSWORD)
    tab.locator("main form button[type=submit]").click()
    expect(tab).to_have_url(f"{base}/alerts")
    expect(tab.locator("html")).to_have_attribute("data-badges-live", "1")  # the stream is open
    bell = tab.locator('[data-badge="/alerts"]')
    expect(bell).to_be_hidden()

    sensors.push([reading("MT-01", 2.4, minutes_ago(1))])  # over the station's 1 ‰
    row = tab.locator("#alerts tbody tr[data-state=firing]")
    expect(row).to_have_count(1)  # no reload: the list read itself again
    expect(row).to_contain_text("MT-01")
    expect(row).to_contain_text("2,4")
    expect(bell).to_have_text("Cảnh báo đang kích hoạt, chưa ai xác nhận: 1")

    row.locator("summary").click()
    row.locator("textarea[name=note]").fill("Đã báo trạm bơm đóng cống")
    row.get_by_role("button", name="Xác nhận", exact=True).click()
    expect(tab.locator(".notice")).to_have_text("Đã xác nhận cảnh báo.")
    expect(row).to_contain_text("Đã báo trạm bơm đóng cống")
    expect(bell).to_be_hidden()

    row.get_by_role("link", name="Tạm tắt tương tự").click()
    expect(tab.locator("input[name$=_value][value='MT-01']")).to_have_count(1)  # filled in
    tab.fill("textarea[name=comment]", "Sửa chữa trạm MT-01")
    tab.get_by_role("button", name="Lưu tạm tắt").click()
    expect(tab.locator(".notice")).to_have_text("Đã lưu tạm tắt.")
    expect(tab.locator("#silences tbody tr[data-silence]")).to_contain_text("MT-01")
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    assert tab.evaluate("window.__violations") == []  # all within the page's CSP
    tab.screenshot(path=str(artifacts / "alerts-silenced-phone.png"), full_page=True)
    context.close()
    assert errors == [], errors
