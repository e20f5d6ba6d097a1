"""A leader's home in a real browser: on a phone (390 × 844) nothing scrolls sideways; on a
desk (1920 × 1080) a record pushed through the gate changes its key figure without a reload.

The server is a real ``ioc57 serve`` on a fresh database; the record goes through the gate as a
data source sends it; the browser is Debian's headless Chromium.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from ioc57.centre import registry
from ioc57.core.db import make_engine

from ..support.browser import logged_in_tab
from ..support.http import ADMIN_PASSWORD
from ..support.servers import fresh_server
from ..support.stream import DVC_82, Actors

pytestmark = pytest.mark.browser

# the key figures a dossier through the gate changes (PLAN17's names), the first offered is watched
LIVE_TILES = ("ingest.today", "services.received")


def dossier(n: int) -> dict:
    at = datetime.now(UTC) - timedelta(seconds=1)
    return {
        "id": f"HS-CENTRE-{n}",
        "procedure": "1.001234",
        "unit": "28261",
        "channel": "online",
        "received_at": at.isoformat(),
        "due_at": (at + timedelta(days=10)).isoformat(),
        "status": "received",
        "updated_at": at.isoformat(),
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Actors, str]]:
    """``ioc57 serve`` with a leader and a source of dossiers that sent one already."""
    tmp = tmp_path_factory.mktemp("centre")
    engine = make_engine(f"sqlite:///{tmp}/ioc57.db")
    with fresh_server(tmp, ADMIN_PASSWORD) as base:
        actors = Actors(engine, base)
        actors.user("leader1", "leader")
        source = actors.source(DVC_82)
        actors.push(source, [dossier(0)])
        yield base, actors, source
    engine.dispose()


def leader_tab(browser, base: str, width: int, height: int, **options) -> Iterator[Page]:
    yield from logged_in_tab(
        browser,
        base,
        "leader1",
        "password-57",
        viewport={"width": width, "height": height},
        **options,
    )


@pytest.fixture
def phone(browser, server) -> Iterator[Page]:
    yield from leader_tab(
        browser, server[0], 390, 844, is_mobile=True, has_touch=True, device_scale_factor=3
    )


@pytest.fixture
def desk(browser, server) -> Iterator[Page]:
    yield from leader_tab(browser, server[0], 1920, 1080)


def test_the_home_on_a_phone_does_not_scroll_sideways(phone: Page, artifacts):
    phone.goto("/")
    expect(phone.locator("ol.concerns")).to_be_visible()
    expect(phone.locator("body")).to_have_attribute("data-live", "live")
    wide = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    phone.screenshot(path=str(artifacts / "centre-home-phone.png"), full_page=True)
    assert wide <= 0, f"the page is {wide} px wider than the phone"


def test_a_key_figure_changes_live_when_a_record_arrives(desk: Page, server, artifacts):
    offered = [name for name in LIVE_TILES if registry.offered().tile(name) is not None]
    assert offered, f"no module offers {' or '.join(LIVE_TILES)}"
    _base, actors, source = server
    desk.goto("/")
    tile = desk.locator(f'section.tile[data-tile="{offered[0]}"]')
    expect(tile).to_have_count(1)
    expect(desk.locator("body")).to_have_attribute("data-live", "live")
    before = tile.locator(".tile-value").inner_text()
    desk.wait_for_timeout(300)  # the stream subscribes as it sends its first line
    desk.evaluate("window.notReloaded = true")

    actors.push(source, [dossier(1)])
    expect(tile).to_have_attribute("data-swapped-at", re.compile(r"\d+"))
    expect(tile.locator(".tile-value")).not_to_have_text(before)
    assert desk.evaluate("window.notReloaded") is True
    live = desk.evaluate("window.ioc57Live")
    assert live["events"] >= 1 and live["swaps"] >= 1 and live["state"] == "live"
    stamp = desk.locator("#last-updated").get_attribute("datetime")
    assert datetime.fromisoformat(stamp.replace("Z", "+00:00")) > datetime.now(UTC) - timedelta(
        minutes=1
    )
    desk.screenshot(path=str(artifacts / "centre-home-desk.png"))
