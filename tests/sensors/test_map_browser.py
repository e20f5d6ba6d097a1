"""An operator watches the salinity map in a real browser: a reading over the station's threshold
reaches the gate, the alert appears on the map and beside it without a reload, and the operator
acknowledges it with a note, which the alerts' API then tells.

The server is a real ``ioc57 serve`` process on a fresh database; the station and its rule go
through the API, the readings through the gate as a data source would send them; the browser is
Debian's headless Chromium.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Page, expect

from ioc57.core.db import make_engine

from ..support.browser import logged_in_tab
from ..support.http import ADMIN_PASSWORD, auth
from ..support.servers import fresh_server
from ..support.stream import Actors

pytestmark = pytest.mark.browser

STATION = {
    "code": "MAN-CK",
    "name": "Trạm Cầu Kè",
    "place": "Sông Hậu",
    "unit": "28261",
    "lat": 9.87,
    "lon": 106.06,
    "metrics": ["salinity"],
    "thresholds": {"salinity": 1.0},
}
RULE = {
    "name": "salinity-over-threshold",
    "title": "Độ mặn vượt ngưỡng",
    "figure": "sensors.reading",
    "params": {"metric": "salinity"},
    "op": ">",
    "threshold": None,  # the station's own
    "for": 0,
    "severity": "critical",
    "group_by": ["alertname"],
}


def reading(value: float, minutes_ago: int) -> dict:
    at = (datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat()
    return {
        "station": STATION["code"],
        "metric": "salinity",
        "value": value,
        "uom": "ppt",
        "observed_at": at,
        "updated_at": at,
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Actors, str]]:
    """``ioc57 serve`` with a station under its threshold and a rule on it; the actors and the
    readings' source token."""
    tmp = tmp_path_factory.mktemp("sensors")
    engine = make_engine(f"sqlite:///{tmp}/ioc57.db")
    with fresh_server(tmp, ADMIN_PASSWORD) as base:
        actors = Actors(engine, base)
        actors.post("/api/v1/stations", STATION, actors.admin)
        actors.post("/api/v1/alert-rules", RULE, actors.admin)
        source = actors.source({"name": "tram-man", "types": ["reading"], "units": ["82"]})
        actors.post("/api/v1/ingest/reading", [reading(0.6, 30), reading(0.7, 15)], source)
        yield base, actors, source
    engine.dispose()


@pytest.fixture
def page(browser, server) -> Iterator[Page]:
    yield from logged_in_tab(browser, server[0], viewport={"width": 1920, "height": 1080})


def test_an_alert_appears_live_on_the_map_and_is_acknowledged_with_a_note(
    page: Page, browser, server, artifacts
):
    base, actors, source = server
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Trạm quan trắc"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trạm quan trắc")
    row = page.locator('#station-list tr[data-station="MAN-CK"]')
    expect(row).to_contain_text("0,7 ‰")
    expect(row).to_have_class("level-ok")
    expect(page.locator("#map .station-marker")).to_have_count(1)
    expect(page.locator("#map .alert-ring-marker")).to_have_count(0)
    expect(page.locator("#sensors")).to_have_attribute("data-live", "1")
    page.wait_for_timeout(500)  # the stream subscribes as it sends its first line
    page.evaluate("window.notReloaded = true")

    actors.post("/api/v1/ingest/reading", [reading(1.6, 0)], source)
    expect(page.locator("#map .alert-ring-marker")).to_have_count(1)
    alert = page.locator("#alert-list li[data-alert]")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("Trạm Cầu Kè")
    expect(alert).to_contain_text("1,6 ‰ / ngưỡng 1 ‰")
    expect(row).to_have_class("level-over")
    assert page.evaluate("window.notReloaded") is True  # drawn in place, live
    page.screenshot(path=str(artifacts / "sensors-map-alert.png"))

    alert.get_by_text("Xác nhận…").click()
    alert.get_by_label("Ghi chú").fill("Đã báo HTX đóng cống")
    # a reading arriving while the note is typed redraws the list: the note stays
    actors.post("/api/v1/ingest/reading", [reading(1.7, 0)], source)
    expect(alert).to_contain_text("1,7 ‰")
    expect(alert.get_by_label("Ghi chú")).to_have_value("Đã báo HTX đóng cống")
    alert.get_by_label("Ghi chú").press("End")
    alert.get_by_label("Ghi chú").type(" lấy nước")
    alert.get_by_role("button", name="Xác nhận", exact=True).click()
    expect(alert).to_contain_text("Đã xác nhận: admin: Đã báo HTX đóng cống lấy nước")
    firing = httpx.get(
        f"{base}/api/v1/alerts", params={"state": "firing"}, headers=auth(actors.admin)
    ).json()["items"]
    assert [(a["acknowledged_by"], a["ack_note"]) for a in firing] == [
        ("admin", "Đã báo HTX đóng cống lấy nước")
    ]

    # the station's chart, and both pages on a phone (looked at, not asserted)
    page.locator("#station-list").get_by_role("link", name="Trạm Cầu Kè").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trạm Cầu Kè")
    expect(page.locator("#station-chart")).to_have_attribute("data-drawn", "4")
    expect(page.locator("#station-alerts li[data-alert]")).to_contain_text(
        "Đã xác nhận: admin: Đã báo HTX đóng cống lấy nước"
    )
    page.screenshot(path=str(artifacts / "sensors-station.png"), full_page=True)
    phone = browser.new_context(
        base_url=base,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        storage_state=page.context.storage_state(),
    ).new_page()
    for path, name in (
        ("/sensors", "sensors-map-phone.png"),
        ("/sensors/MAN-CK", "sensors-station-phone.png"),
    ):
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(artifacts / name), full_page=True)
    phone.context.close()
