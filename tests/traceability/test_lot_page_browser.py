"""A buyer scans the QR code on a box of durian with a phone: the lot's GS1 Digital Link URL opens
its public page in a real browser, and the product, the farm on the map and the journey are there,
in Vietnamese, within the phone's width. The same page on a wide screen, for the record.

The server is a real ``ioc57 serve`` process on a copy of the tests' template database, fed
through the gate's API in-process first (no ``ioc57 init``: it costs seconds); the browser is
Debian's headless Chromium.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from ioc57.core.db import make_engine
from ioc57.core.settings import load_settings
from ioc57.web.app import create_app

from ..support.http import Api
from ..support.servers import running_server
from ..support.trace import GTIN_DURIAN, Tracer
from ..web.test_pages_safe_in_browser import WATCH
from .test_lot_page import send_journey

pytestmark = pytest.mark.browser
PAGE = f"/01/{GTIN_DURIAN}/10/L1"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
WIDE = {"viewport": {"width": 1920, "height": 1080}}


@pytest.fixture(scope="module")
def server(sqlite_template, tmp_path_factory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("lotpage")
    shutil.copy(sqlite_template, tmp / "ioc57.db")
    url = f"sqlite:///{tmp}/ioc57.db"
    engine = make_engine(url)
    app = create_app(load_settings(database_url=url, secret_key="test-secret-key"), engine)
    with TestClient(app, base_url="http://testserver") as client:
        tracer = Tracer(client, Api(app))
        tracer.master_data()
        send_journey(tracer)
    engine.dispose()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
    env["IOC57_DATABASE_URL"] = url
    env["IOC57_SECRET_KEY"] = "test-secret-key"
    env["IOC57_PULL_SCHEDULER"] = "0"
    with running_server(env, tmp / "serve.log") as base:
        yield base


def test_a_buyer_opens_the_lot_s_digital_link_on_a_phone(browser, server, artifacts):
    errors: list[str] = []  # scripts that failed, on either screen
    for name, options in (("phone", PHONE), ("wide", WIDE)):
        context = browser.new_context(base_url=server, locale="vi-VN", **options)
        context.set_default_timeout(15_000)
        context.add_init_script(WATCH)
        tab = context.new_page()
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.goto(PAGE)
        expect(tab.get_by_role("heading", level=1)).to_have_text("Sầu riêng Ri6")
        expect(tab.locator("#producer")).to_have_text("Hợp tác xã Sầu riêng Ngũ Hiệp")
        expect(tab.locator("#origin-name")).to_have_text("Vườn sầu riêng Ba Tâm")
        expect(tab.locator("#timeline > li")).to_have_count(5)
        expect(tab.locator("#timeline > li").first).to_contain_text("Thu hoạch hoặc sản xuất")
        expect(tab.locator("#timeline > li").first).to_contain_text("15/07/2025")
        expect(tab.locator("#lot-map")).to_have_attribute("data-ready", "1")  # Leaflet drew it
        assert tab.evaluate("document.documentElement.scrollWidth") <= options["viewport"]["width"]
        assert tab.evaluate("window.__violations") == []  # all within the page's CSP
        tab.screenshot(path=str(artifacts / f"lot-page-{name}.png"), full_page=True)
        context.close()
    assert errors == [], errors
