"""A leader follows the Decision 766 index in a real browser: the province's panel, down to a
commune through the ranking, and the commune's gauge moving when a dossier lands.

The server is a real ``ioc57 serve`` process on a fresh database, fed the hand-computed fixture of
``test_index.py`` through the gate's API; the browser is Debian's headless Chromium.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from ioc57.core.db import make_engine

from ..ingest.records import dossier
from ..support.browser import logged_in_tab
from ..support.http import ADMIN_PASSWORD
from ..support.index766 import DOSSIERS, NONE, PROCEDURES, REPORTS, SPEC
from ..support.servers import fresh_server
from ..support.stream import Actors

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Actors, str]]:
    """``ioc57 serve`` with the fixture's procedures, dossiers and reports; the actors and the
    source's token, to push more."""
    tmp = tmp_path_factory.mktemp("services")
    engine = make_engine(f"sqlite:///{tmp}/ioc57.db")
    with fresh_server(tmp, ADMIN_PASSWORD) as base:
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


@pytest.fixture
def page(browser, server) -> Iterator[Page]:
    yield from logged_in_tab(browser, server[0], viewport={"width": 1920, "height": 1080})


@pytest.fixture
def phone(browser, server) -> Iterator[Page]:
    yield from logged_in_tab(
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


def test_from_the_province_to_a_dossier_that_lands_in_the_work_list(page: Page, server, artifacts):
    _, actors, source = server
    page.goto("/services?unit=82&period=202509")
    page.get_by_role("link", name="Xếp hạng xã, phường").click()
    page.locator("#ranking766 tbody tr").first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("28261")
    page.get_by_role("link", name="Hồ sơ cần xử lý").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hồ sơ cần xử lý")
    live = page.locator("#worklist766")
    expect(live).to_have_attribute("data-live", "1")
    page.wait_for_timeout(500)  # the stream subscribes as it sends its first line
    page.evaluate("window.notReloaded = true")
    arriving = dossier(
        30,
        procedure="1.001",
        received_at="2025-10-01T08:00:00+07:00",
        due_at="2025-10-20T17:00:00+07:00",
        updated_at="2025-10-01T08:00:00+07:00",
    )
    actors.post("/api/v1/ingest/dossier", [arriving], source)
    added = page.locator('#worklist tr[data-record="HS-30"]')
    expect(added).to_be_visible()
    assert page.evaluate("window.notReloaded") is True  # the table was replaced in place
    page.screenshot(path=str(artifacts / "worklist766.png"), full_page=True)

    added.get_by_role("link", name="HS-30").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ HS-30")
    expect(page.locator("#channel")).to_have_text("Trực tuyến")
    expect(page.locator("#effective-due")).to_have_text("20/10/2025 17:00")
    page.screenshot(path=str(artifacts / "dossier766.png"), full_page=True)
    page.locator("#procedure").get_by_role("link").click()
    expect(page.locator('#catalogue766 tr[data-procedure="1.001"]')).to_be_visible()
    page.screenshot(path=str(artifacts / "catalogue766.png"), full_page=True)


def test_the_panel_and_the_ranking_fit_a_phone(phone: Page, server, artifacts):
    _, actors, source = server
    open_one = dossier(
        31,
        procedure="1.002",
        received_at="2025-10-02T08:00:00+07:00",
        due_at="2025-10-09T17:00:00+07:00",
        updated_at="2025-10-02T08:00:00+07:00",
    )
    actors.post("/api/v1/ingest/dossier", [open_one], source)
    for path, name in (
        ("/services?unit=82&period=202509", "index766-province-phone.png"),
        ("/services/ranking?level=commune&parent=82&period=202509", "ranking766-phone.png"),
        ("/services/dossiers?unit=82", "worklist766-phone.png"),
        ("/services/procedures?unit=82&period=2025", "catalogue766-phone.png"),
    ):
        phone.goto(path)
        # nothing wider than the screen but the tables, which scroll in their own box
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(artifacts / name), full_page=True)
        phone.screenshot(path=str(artifacts / name.replace(".png", "-top.png")))
        table = phone.locator("main .scroll").first
        table.screenshot(path=str(artifacts / name.replace(".png", "-table.png")))
    phone.goto("/services/dossiers?unit=28261")
    phone.get_by_role("link", name="HS-31").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hồ sơ HS-31")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(artifacts / "dossier766-phone.png"), full_page=True)
