"""A leader follows the Decision 766 index in a real browser: the province's panel, down to a
commune through the ranking, and the commune's gauge moving when a dossier lands.

The server is a real ``ioc57 serve`` process on a fresh database, fed the hand-computed fixture of
``test_index.py`` through the gate's API; the browser is Debian's headless Chromium.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from ioc57.core.db import make_engine

from ..ingest.records import dossier
from ..support.http import ADMIN_PASSWORD
from ..support.servers import ioc57_command, running_server
from ..support.stream import Actors
from .test_index import DOSSIERS, NONE, PROCEDURES, REPORTS, SPEC

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Actors, str]]:
    """``ioc57 serve`` with the fixture's procedures, dossiers and reports; the actors and the
    source's token, to push more."""
    tmp = tmp_path_factory.mktemp("services")
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
    env["IOC57_DATABASE_URL"] = f"sqlite:///{tmp}/ioc57.db"
    env["IOC57_ADMIN_PASSWORD"] = ADMIN_PASSWORD
    subprocess.run(ioc57_command("init"), env=env, check=True, capture_output=True, timeout=300)
    engine = make_engine(env["IOC57_DATABASE_URL"])
    with running_server(env, tmp / "serve.log") as base:
        actors = Actors(engine, base)
        source = actors.source(SPEC)
        for record_type, items in (
            ("procedure", PROCEDURES),
            ("dossier", DOSSIERS),
            ("feedback", REPORTS),
        ):
            actors.post(f"/api/v1/ingest/{record_type}", items, source)
        yield base, actors, source
    engine.dispose()


def _tab(browser, base: str, **options) -> Iterator[Page]:
    context = browser.new_context(base_url=base, locale="vi-VN", **options)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto("/login")
    tab.get_by_label("Tên đăng nhập").fill("admin")
    tab.get_by_label("Mật khẩu").fill(ADMIN_PASSWORD)
    tab.get_by_role("button", name="Đăng nhập").click()
    yield tab
    context.close()
    assert errors == [], errors  # no script failed on any page


@pytest.fixture
def page(browser, server) -> Iterator[Page]:
    yield from _tab(browser, server[0], viewport={"width": 1920, "height": 1080})


@pytest.fixture
def phone(browser, server) -> Iterator[Page]:
    yield from _tab(
        browser, server[0], viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )


def test_from_the_province_to_a_commune_whose_gauge_moves_when_a_dossier_lands(
    page: Page, server, artifacts
):
    _, actors, source = server
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Chỉ số 766"
    ).click()
    # the first province whose dossiers came in; September 2025 from the period picker
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tỉnh Đồng Tháp")
    page.get_by_label("Kỳ").select_option("202509")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#province-rank")).to_contain_text("1/")
    expect(page.locator(".bars li")).to_have_count(6)
    expect(page.locator("#indicators766 tr[data-indicator]")).to_have_count(21)
    page.screenshot(path=str(artifacts / "index766-province.png"), full_page=True)

    page.get_by_role("link", name="Xếp hạng xã, phường").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xếp hạng xã, phường")
    first = page.locator("#ranking766 tbody tr").first
    expect(first).to_contain_text("46,42")
    page.screenshot(path=str(artifacts / "ranking766.png"), full_page=True)
    first.get_by_role("link").click()

    gauge = page.locator("#gauge-total")
    expect(gauge).to_have_text("46,42")
    expect(page.locator("#live766")).to_have_attribute("data-live", "1")
    page.wait_for_timeout(500)  # the stream subscribes as it sends its first line
    page.evaluate("window.notReloaded = true")
    finished = dossier(
        3,
        procedure="1.002",
        status="finished",
        finished_at="2025-09-08T10:00:00+07:00",
        updated_at="2025-09-08T10:00:00+07:00",
        **(NONE | {"synced_national": True, "data_reused": True, "population_data_used": True}),
    )
    actors.post("/api/v1/ingest/dossier", [finished], source)
    expect(gauge).not_to_have_text("46,42")
    two_one = page.locator('tr[data-indicator="2.1"]')
    expect(two_one.locator(".num")).to_have_text("3")
    expect(two_one.locator(".den")).to_have_text("5")
    assert page.evaluate("window.notReloaded") is True  # updated in place
    assert float(gauge.text_content().replace(",", ".")) > 46.42


def test_the_panel_and_the_ranking_fit_a_phone(phone: Page, artifacts):
    for path, name in (
        ("/services?unit=82&period=202509", "index766-province-phone.png"),
        ("/services/ranking?level=commune&parent=82&period=202509", "ranking766-phone.png"),
    ):
        phone.goto(path)
        # nothing wider than the screen but the tables, which scroll in their own box
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(artifacts / name), full_page=True)
        phone.screenshot(path=str(artifacts / name.replace(".png", "-top.png")))
        table = phone.locator("main .scroll").first
        table.screenshot(path=str(artifacts / name.replace(".png", "-table.png")))
