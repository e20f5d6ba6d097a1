"""A person uses ioc57 in a real browser: logs in, finds a merged province, sees it on a map.

Pages are Vietnamese by default; the header switches to English. The server is a real
``ioc57 serve`` process (see ``conftest.py``) and the browser is Debian's headless Chromium.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ..support.http import ADMIN_PASSWORD

pytestmark = pytest.mark.browser


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_admin_finds_tien_giang_and_sees_the_communes_of_dong_thap_on_the_map(
    page: Page, server, artifacts
):
    page.goto("/")
    expect(page.locator("header")).to_contain_text("Trung tâm giám sát, điều hành thông minh")
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()

    # log in through the form
    page.get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(f"{server}/")
    expect(page.locator("header .who")).to_have_text("admin · Quản trị viên")
    expect(page.get_by_role("heading", name="Người dùng và nguồn dữ liệu")).to_be_visible()

    # Tiền Giang was merged into Đồng Tháp on 1 July 2025: today it is not in the list ...
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.get_by_role("link", name="Đơn vị hành chính").click()
    page.get_by_label("Tìm theo tên").fill("tiền giang")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.locator("#total")).to_be_visible()
    expect(page.locator("tbody")).not_to_contain_text("Tỉnh Tiền Giang")

    # ... so the person searches on a day before the merger
    page.get_by_label("Tại ngày").fill("2025-06-30")
    page.get_by_role("button", name="Tìm kiếm").click()
    row = page.locator("tbody tr", has_text="Tỉnh Tiền Giang")
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text("82")
    expect(row).to_contain_text("Cấp tỉnh")
    expect(row).to_contain_text("→ 30/06/2025")  # as a page writes a day

    # the legacy province says where it went; the person follows the link to today's province
    row.get_by_role("link", name="Tỉnh Tiền Giang").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tỉnh Tiền Giang")
    expect(page.get_by_text("Từ ngày 01/7/2025 thuộc")).to_be_visible()
    page.get_by_role("link", name="Tỉnh Đồng Tháp").click()
    expect(page).to_have_url(f"{server}/units/82")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tỉnh Đồng Tháp")
    page.get_by_text(re.compile(r"^Hình thành từ \(2\)$")).click()
    expect(page.locator("details")).to_contain_text("Tỉnh Tiền Giang")

    # every commune listed is a marker on the map
    communes = page.locator("table tbody tr")
    n = communes.count()
    assert n > 50
    expect(page.get_by_role("heading", name=f"Đơn vị trực thuộc ({n})")).to_be_visible()
    expect(page.locator("#map")).to_have_attribute("data-markers", str(n))
    expect(page.locator("#map path.leaflet-interactive")).to_have_count(n)
    expect(page.locator("#map")).to_be_visible()
    page.screenshot(path=str(artifacts / "unit-82.png"))

    # switch to English from the header; the choice stays on the page the person was on
    page.locator("header").get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{server}/units/82")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name=f"Units under it ({n})")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Map"))).to_be_visible()
    expect(page.locator("header .who")).to_have_text("admin · admin")
    expect(page.get_by_role("navigation", name="Main navigation")).to_contain_text("Overview")
    expect(page.locator("#map path.leaflet-interactive")).to_have_count(n)

    # log out: back to the login form, with the login link in the header again
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.locator("header").get_by_role("link", name="Log in")).to_be_visible()
    expect(page.locator("header .who")).to_have_count(0)
    page.goto("/")
    expect(page.get_by_role("heading", name="Users and data sources")).to_have_count(0)


def test_a_wrong_password_is_answered_on_the_login_page(page: Page):
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill("not-the-password")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("admin")


def test_an_unknown_unit_shows_a_friendly_page_not_json(page: Page):
    response = page.goto("/units/99999")
    assert response is not None and response.status == 404
    assert response.headers["content-type"].startswith("text/html")
    expect(page.get_by_role("heading", level=1)).to_have_text("404 · Không tìm thấy")
    expect(page.get_by_text("Trang bạn yêu cầu không tồn tại.")).to_be_visible()
    page.get_by_role("link", name="Quay lại trang tổng quan").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()


@pytest.mark.parametrize("path", ["/", "/units", "/units/82", "/login"])
def test_pages_fit_a_phone_without_horizontal_scroll(phone: Page, path, artifacts):
    phone.goto(path)
    expect(phone.locator("header")).to_be_visible()
    assert no_horizontal_scroll(phone), f"{path} scrolls sideways on a 390 px wide phone"
    if path == "/":
        expect(phone.locator(".panel").first).to_be_visible()
        phone.screenshot(path=str(artifacts / "overview-phone.png"), full_page=True)
