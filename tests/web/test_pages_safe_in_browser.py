"""Data reaches the page as text, and every page works under the Content Security Policy.

A real ``ioc57 serve`` on the demo data, driven by Debian's headless Chromium (fixtures from
``conftest.py``). A hostile agency name is created through the API as an officer would; the map's
tooltip must show it as text and run nothing. Then every page is opened as the admin while the
browser reports each CSP violation, console error and script error: there must be none.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from ..support.http import ADMIN_PASSWORD
from ..support.servers import demo_server

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(document.domain)>"
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """``ioc57 serve`` on the demo data, the admin's password known."""
    with demo_server(
        tmp_path_factory.mktemp("safe-pages"), IOC57_ADMIN_PASSWORD=ADMIN_PASSWORD
    ) as base:
        yield base


class Watched:
    """A browser tab that records dialogs, script errors, console errors and CSP violations."""

    def __init__(self, tab: Page) -> None:
        self.tab = tab
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        tab.on("dialog", self._dialog)
        tab.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        tab.on("console", self._console)

    def _console(self, message) -> None:
        # the app has no favicon: the browser's own request for one is not the page's error
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self.errors.append(f"console: {message.text} {message.location}")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def violations(self) -> list[str]:
        return self.tab.evaluate("window.__violations || []")


@pytest.fixture
def watched(browser, server) -> Iterator[Watched]:
    context = browser.new_context(
        base_url=server, viewport={"width": 1280, "height": 900}, locale="vi-VN"
    )
    context.set_default_timeout(15_000)
    context.add_init_script(WATCH)
    yield Watched(context.new_page())
    context.close()


def log_in_as_admin(tab: Page) -> str:
    """Log in through the form; return the session's CSRF token."""
    tab.goto("/login")
    tab.get_by_label("Tên đăng nhập").fill("admin")
    tab.get_by_label("Mật khẩu").fill(ADMIN_PASSWORD)
    tab.get_by_role("button", name="Đăng nhập").click()
    expect(tab.locator("header .who")).to_contain_text("admin")
    return tab.locator('input[name="csrf_token"]').first.get_attribute("value")


def officer_token(tab: Page, csrf: str, username: str, unit: str) -> str:
    """Create an officer through the admin API (the admin's session) and a bearer token for them."""
    headers = {"X-CSRF-Token": csrf}
    body = {"username": username, "role": "officer", "unit": unit, "password": "officer-pass-57"}
    r = tab.request.post("/api/v1/users", data=body, headers=headers)
    assert r.status == 201, r.text()
    r = tab.request.post("/api/v1/tokens", data={"username": username}, headers=headers)
    assert r.status == 201, r.text()
    return r.json()["token"]


def test_a_hostile_agency_name_is_shown_as_text_on_the_map(watched: Watched, server):
    tab = watched.tab
    token = officer_token(tab, log_in_as_admin(tab), "canbo.bando", "82")
    agency = {
        "code": "xss-agency",
        "name": HOSTILE,
        "parent": "28261",
        "lat": 10.37,  # apart from the commune committee's marker, so each can be hovered
        "lon": 106.40,
    }
    r = httpx.post(
        f"{server}/api/v1/units", json=agency, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 201, r.text

    tab.goto("/units/28261")
    row = tab.locator("tbody tr", has_text=HOSTILE)
    expect(row).to_have_count(1)  # the table shows the name as text (Jinja escapes it)
    markers = tab.locator("#map path.leaflet-interactive")
    expect(markers).to_have_count(tab.locator("tbody tr").count())
    shown, images = [], 0
    for i in range(markers.count()):  # hover each marker: one of them is the hostile agency
        markers.nth(i).hover(force=True)
        expect(tab.locator(".leaflet-tooltip").last).to_be_visible()
        tab.wait_for_timeout(300)  # an injected onerror would have fired by now
        shown += tab.locator(".leaflet-tooltip").all_inner_texts()
        images += tab.locator("#map img").count()
    assert watched.dialogs == [], f"a script in the agency's name ran: {watched.dialogs}"
    assert HOSTILE in shown, shown  # the name is shown, as text
    assert images == 0
    assert watched.errors == [], watched.errors


def test_a_unit_with_a_single_point_shows_it_on_the_map(watched: Watched, server):
    """One point has no extent to fit: with no tile layer the map had no maximum zoom, fitted the
    point at an infinite zoom and drew it nowhere (a commune with one agency showed an empty map)."""
    tab = watched.tab
    token = officer_token(tab, log_in_as_admin(tab), "canbo.motdiem", "82")
    communes = httpx.get(f"{server}/api/v1/units", params={"parent": "82", "limit": 20}).json()
    code = next(u["code"] for u in communes["items"] if u["code"] != "28261")
    agency = {"code": "motdiem", "name": "Một điểm", "parent": code, "lat": 10.4, "lon": 106.3}
    r = httpx.post(
        f"{server}/api/v1/units", json=agency, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 201, r.text

    tab.goto(f"/units/{code}")
    marker = tab.locator("#map path.leaflet-interactive")
    expect(marker).to_have_count(1)
    box, frame = marker.bounding_box(), tab.locator("#map").bounding_box()
    assert box is not None and frame is not None and box["width"] > 0, box
    assert frame["x"] <= box["x"] <= frame["x"] + frame["width"], (box, frame)
    assert frame["y"] <= box["y"] <= frame["y"] + frame["height"], (box, frame)
    marker.hover()  # a person can reach it: no force needed
    expect(tab.locator(".leaflet-tooltip").last).to_have_text("Một điểm")
    assert watched.errors == [], watched.errors


PAGES = [
    ("/", "overview"),
    ("/units", "units"),
    ("/units/82", "unit"),
    ("/scorecard?unit=82&year=2025", "scorecard"),
    ("/indicators", "indicators"),
    ("/indicators/online_payment_rate?unit=82&year=2025", "indicator"),
    ("/indicators/entry", "entry"),
    ("/indicators/review", "review"),
    ("/sources", "sources"),
    ("/sources/mo-phong", "source"),
    ("/ingest/import", "import"),
    ("/tasks", "tasks"),
    ("/tasks?province=82", "tasks of a province"),
    ("/tasks/list?province=82&status=overdue", "task list"),
    ("/tasks/import", "task import"),
    ("/traceability?province=82", "traceability"),
]


def test_every_page_works_under_the_content_security_policy(watched: Watched):
    tab = watched.tab
    response = tab.goto("/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert watched.violations() == [] and watched.errors == [], (watched.errors, "login")
    log_in_as_admin(tab)
    for path, name in PAGES:
        response = tab.goto(path)
        assert response is not None and response.status == 200, (name, response.status)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], name
        tab.wait_for_load_state("load")
        if name in ("unit", "indicator"):  # the map drew its markers: Leaflet ran under the CSP
            assert int(tab.locator("#map").get_attribute("data-markers") or 0) > 0, name
        if name in ("scorecard", "indicator"):  # and so did Chart.js
            assert tab.locator("canvas").first.evaluate("c => !!c.chart"), name
        tab.wait_for_timeout(100)  # violations are reported asynchronously
        assert watched.violations() == [], (name, watched.violations())
        assert watched.errors == [], (name, watched.errors)
        assert watched.dialogs == [], (name, watched.dialogs)
