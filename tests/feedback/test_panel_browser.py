"""A leader watches the IOC panel of citizen reports in a real browser: the figures, the chart and
the clustered map of open reports; a report reaching the gate updates the figures and the map
without a reload; on a phone, without leaflet.markercluster, the map still draws every report.

The server is a real ``ioc57 serve`` process on a fresh database; the reports come through the
gate as a hotline 1022 platform would send them; the browser is Debian's headless Chromium.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from ioc57.core.clock import now
from ioc57.core.db import make_engine

from ..support.browser import logged_in_tab
from ..support.feedback import report
from ..support.http import ADMIN_PASSWORD
from ..support.servers import fresh_server
from ..support.stream import Actors

pytestmark = pytest.mark.browser

COMMUNE = "28261"  # phường Mỹ Tho
LAT, LON = 10.36, 106.36


def placed(n: int, **fields) -> dict:
    return report(COMMUNE, lat=LAT + n / 1000, lon=LON + n / 1000, **fields)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Actors, str]]:
    """``ioc57 serve`` with three open reports (one past its deadline); the source's token."""
    tmp = tmp_path_factory.mktemp("feedback-panel")
    engine = make_engine(f"sqlite:///{tmp}/ioc57.db")
    with fresh_server(tmp, ADMIN_PASSWORD) as base:
        actors = Actors(engine, base)
        source = actors.source({"name": "tong-dai-1022", "types": ["feedback"], "units": ["82"]})
        old = now() - timedelta(days=20)
        actors.post("/api/v1/ingest/feedback", [placed(1, at=old), placed(2), placed(3)], source)
        yield base, actors, source
    engine.dispose()


@pytest.fixture
def page(browser, server) -> Iterator[Page]:
    yield from logged_in_tab(browser, server[0], viewport={"width": 1920, "height": 1080})


def test_the_panel_updates_live_and_draws_the_map_without_the_cluster_library(
    page: Page, browser, server, artifacts
):
    base, actors, source = server
    page.goto("/feedback/panel")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phản ánh, kiến nghị")
    expect(page.locator("#fb-received")).to_have_text("3")
    expect(page.locator("#fb-late")).to_have_text("1")
    expect(page.locator("#fb-map")).to_have_attribute("data-clustered", "1")
    expect(page.locator("#fb-map")).to_have_attribute("data-markers", "3")
    expect(page.locator("#fb-panel")).to_have_attribute("data-live", "1")
    page.wait_for_timeout(500)  # the stream subscribes as it sends its first line
    page.evaluate("window.notReloaded = true")

    actors.post("/api/v1/ingest/feedback", [placed(4), placed(5)], source)
    expect(page.locator("#fb-received")).to_have_text("5")
    expect(page.locator("#fb-map")).to_have_attribute("data-markers", "5")
    expect(page.locator("#fb-updated")).to_contain_text("Cập nhật lúc")
    assert page.evaluate("window.notReloaded") is True  # drawn in place, live
    page.screenshot(path=str(artifacts / "feedback-panel.png"), full_page=True)

    # a phone, and a server without leaflet.markercluster: one dot a report
    tabs = logged_in_tab(
        browser, base, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    phone = next(tabs)
    phone.route("**/static/vendor/markercluster/**", lambda route: route.abort())
    phone.goto("/feedback/panel")
    expect(phone.locator("#fb-map")).to_have_attribute("data-clustered", "")
    expect(phone.locator("#fb-map")).to_have_attribute("data-markers", "5")
    expect(phone.locator("#fb-map .fb-pin")).to_have_count(5)
    phone.screenshot(path=str(artifacts / "feedback-panel-phone.png"), full_page=True)
    next(tabs, None)  # closes the context, failing on a script error
