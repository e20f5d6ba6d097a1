"""The wall in a real browser, on a real ``ioc57 serve``: it fills a 4K screen as well as a 1080p
one without scrolling, and turns its pages on their schedule; a report reaching the gate changes its figure and its map without a
reload; when the server stops the header says the figures are stale, and when the server comes
back on the same port and database the wall is live again.

The reports come through the gate as a hotline 1022 platform would send them; the browser is
Debian's headless Chromium.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from ioc57.core.clock import LOCAL_TZ
from ioc57.core.db import make_engine

from ..support.browser import logged_in_tab
from ..support.feedback import report
from ..support.http import auth
from ..support.servers import free_port, running_server
from ..support.stream import Actors

pytestmark = pytest.mark.browser

COMMUNE = "28261"  # phường Mỹ Tho


class Server:
    """``ioc57 serve`` on a copy of the tests' database, that a test may stop and start again on
    its port."""

    def __init__(self, template: Path, folder: Path) -> None:
        self.folder = folder
        shutil.copy(template, folder / "ioc57.db")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
        self.env["IOC57_DATABASE_URL"] = f"sqlite:///{folder}/ioc57.db"
        self.env["IOC57_SECRET_KEY"] = "test-secret-key"
        self.env["IOC57_PULL_SCHEDULER"] = "0"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.runs = 0
        self.stack: ExitStack | None = None

    def start(self) -> None:
        self.runs += 1
        self.stack = ExitStack()
        log = self.folder / f"serve-{self.runs}.log"
        self.stack.enter_context(running_server(self.env, log, port=self.port))

    def stop(self) -> None:
        if self.stack is not None:
            self.stack.close()
            self.stack = None


@pytest.fixture(scope="module")
def server(sqlite_template, tmp_path_factory) -> Iterator[Server]:
    served = Server(sqlite_template, tmp_path_factory.mktemp("wall"))
    served.start()
    yield served
    served.stop()


def tab(browser, server: Server, width: int, height: int) -> Iterator[Page]:
    yield from logged_in_tab(browser, server.base, viewport={"width": width, "height": height})


def no_scrolling(page: Page) -> bool:
    return page.evaluate(
        "() => { const d = document.documentElement;"
        " return d.scrollWidth <= innerWidth && d.scrollHeight <= innerHeight; }"
    )


def test_the_wall_fills_a_4k_screen_and_a_1080p_one_and_turns_its_pages(browser, server, artifacts):
    engine = make_engine(server.env["IOC57_DATABASE_URL"])
    admin = auth(Actors(engine, server.base).admin)
    engine.dispose()
    page = {"seconds": 5, "rows": 1, "panels": [{"kind": "concerns", "cols": 12}]}
    layout = {"title": "Turns", "pages": [page | {"title": "One"}, page | {"title": "Two"}]}
    r = httpx.put(f"{server.base}/api/v1/centre/layouts/turns", json=layout, headers=admin)
    assert r.status_code == 201, r.text
    for width, height in ((3840, 2160), (1920, 1080)):
        tabs = tab(browser, server, width, height)
        page = next(tabs)
        page.goto("/wall?page=1")
        expect(page.locator("body")).to_have_attribute("data-live", "live")
        right = page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('.wall-page:not([hidden]) .wall-panel')]"
            ".map(e => e.getBoundingClientRect().right))"
        )
        assert right > width - 60, right  # the panels reach the right edge: no 1,180 px column
        assert no_scrolling(page), (width, height)
        size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
        if width == 3840:
            assert right > 3000
            big = size
        else:
            assert size < big  # the 4K wall scales the type up
        page.screenshot(path=str(artifacts / f"wall-{width}.png"))
        if width == 1920:  # two pages of five seconds each: the second shows, its dot with it
            page.goto("/wall/turns")
            expect(page.locator("#wall-title")).to_have_text("One")
            expect(page.locator('.wall-dots li[data-page="1"]')).to_have_attribute(
                "aria-current", "page"
            )
            expect(page.locator("#wall-title")).to_have_text("Two", timeout=8_000)
            expect(page.locator('.wall-dots li[data-page="2"]')).to_have_attribute(
                "aria-current", "page"
            )
            expect(page.locator('.wall-page[data-page="1"]')).to_be_hidden()
        next(tabs, None)


def test_the_wall_updates_without_reload_when_a_report_arrives(browser, server, artifacts):
    engine = make_engine(server.env["IOC57_DATABASE_URL"])
    actors = Actors(engine, server.base)
    source = actors.source({"name": "tong-dai-wall", "types": ["feedback"], "units": ["82"]})
    actors.post("/api/v1/ingest/feedback", [report(COMMUNE, lat=10.36, lon=106.36)], source)
    tabs = tab(browser, server, 1920, 1080)
    page = next(tabs)
    page.goto("/wall?page=2")  # the page of public services and citizen reports
    tile = page.locator('.wall-page:not([hidden]) section.tile[data-tile="feedback.open"]')
    before = tile.locator(".tile-value").inner_text()
    expect(page.locator("body")).to_have_attribute("data-live", "live")
    page.wait_for_timeout(500)  # the stream subscribes as it sends its first line
    page.evaluate("window.notReloaded = true")

    more = [report(COMMUNE, lat=10.36 + n / 100, lon=106.36) for n in range(1, 3)]
    actors.post("/api/v1/ingest/feedback", more, source)
    expect(tile.locator(".tile-value")).not_to_have_text(before)
    assert tile.get_attribute("data-swapped-at")
    wall_map = page.locator(".wall-page:not([hidden]) .wall-map")
    page.wait_for_function(
        "() => document.querySelector('.wall-page:not([hidden]) .wall-map').dataset.swappedAt"
    )
    assert int(wall_map.get_attribute("data-markers") or 0) >= 3
    assert page.evaluate("window.notReloaded") is True  # drawn in place, live
    page.screenshot(path=str(artifacts / "wall-live.png"))
    next(tabs, None)
    engine.dispose()


def test_the_wall_says_it_is_stale_when_the_server_stops_and_recovers(browser, server, artifacts):
    tabs = tab(browser, server, 1920, 1080)
    page = next(tabs)
    page.goto("/wall")
    body = page.locator("body")
    expect(body).to_have_attribute("data-live", "live")
    stale = page.locator("#wall-stale")
    expect(stale).to_be_hidden()

    server.stop()
    expect(body).to_have_attribute("data-live", "stale", timeout=20_000)
    shown_at = datetime.fromisoformat(page.locator("#last-updated").get_attribute("datetime") or "")
    expect(stale).to_be_visible()
    # "figures as of HH:MM", in Việt Nam's time
    expect(stale).to_contain_text(shown_at.astimezone(LOCAL_TZ).strftime("%H:%M"))
    colour = page.evaluate("getComputedStyle(document.querySelector('.wall-head')).backgroundColor")
    assert colour == "rgb(245, 179, 1)"  # the header turns amber, plain across a room
    page.screenshot(path=str(artifacts / "wall-stale.png"))

    server.start()
    expect(body).to_have_attribute("data-live", "live", timeout=30_000)
    expect(stale).to_be_hidden()
    next(tabs, None)
