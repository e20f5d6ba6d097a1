"""A steering committee member reads the Resolution 57 scorecard in a real browser.

The server is ``ioc57 demo`` data served by a real ``ioc57 serve`` process; the browser is Debian's
headless Chromium (fixtures from ``tests/conftest.py``). Charts are Chart.js served by the app.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from ..support.servers import demo_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """``ioc57 serve`` on the demo data (articles' figures and labelled simulated series)."""
    with demo_server(tmp_path_factory.mktemp("scorecard")) as base:
        yield base


def _tab(browser, server, **options) -> Iterator[Page]:
    context = browser.new_context(base_url=server, locale="vi-VN", accept_downloads=True, **options)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    context.close()
    assert errors == [], errors  # no script failed on any page


@pytest.fixture
def page(browser, server) -> Iterator[Page]:
    yield from _tab(browser, server, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone(browser, server) -> Iterator[Page]:
    yield from _tab(
        browser, server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )


def test_a_leader_reads_the_scorecard_then_one_indicator_against_the_34_provinces(
    page: Page,
    artifacts,
):
    page.goto("/")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Bảng chỉ tiêu"
    ).click()
    page.get_by_label("Tỉnh, thành phố").select_option(label="Tỉnh Đồng Tháp")
    page.get_by_label("Năm").fill("2025")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tỉnh Đồng Tháp")

    # a tile per indicator with a value, coloured and named by its status, with a drawn sparkline
    tile = page.locator(".tile", has=page.locator('a[href^="/indicators/online_payment_rate?"]'))
    expect(tile).to_contain_text("Đúng tiến độ")
    expect(tile).to_contain_text("Mục tiêu 2030: 80 %")
    expect(tile.locator(".simulated")).to_have_text("dữ liệu mô phỏng")
    assert tile.locator("canvas.spark").evaluate(
        "c => !!c.chart && c.chart.data.datasets[0].data.length >= 2"
    )
    colour = tile.evaluate("t => getComputedStyle(t).borderTopColor")
    assert colour == "rgb(46, 158, 91)"  # the colour of "on track"

    # the group filter keeps only digital-government indicators
    page.get_by_role("navigation", name="Nhóm chỉ tiêu").get_by_role(
        "link", name="Khoa học, công nghệ"
    ).click()
    expect(
        page.locator(".tile", has=page.locator('a[href^="/indicators/online_payment_rate?"]'))
    ).to_have_count(0)
    page.go_back()
    page.screenshot(path=str(artifacts / "scorecard.png"), full_page=True)

    # the scorecard downloads as a workbook with the same figures
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").first.click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Tỉnh Đồng Tháp · 2025" and any(
        r[0] == "online_payment_rate" for r in rows
    )

    # one indicator: series, target line and projection on one chart, sources, the 34 provinces
    tile.locator("a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tỷ lệ hồ sơ thủ tục hành chính được thanh toán trực tuyến"
    )
    chart = page.locator("#series-chart")
    assert chart.evaluate("c => c.chart.data.datasets.map(d => d.label)") == [
        "Giá trị",
        "Mục tiêu",
        "Dự báo",
    ]
    expect(page.locator("#series-table")).to_contain_text("trước 01/07/2025")
    expect(page.locator(".citations")).to_contain_text("dữ liệu mô phỏng")
    assert page.locator("#compare-chart").evaluate("c => c.chart.data.labels.length") == 34
    expect(page.locator("#map")).to_have_attribute("data-markers", "34")
    expect(page.locator("#compare-table tbody tr")).to_have_count(34)
    expect(page.locator("#compare-table tr.mine")).to_contain_text("Tỉnh Đồng Tháp")
    page.screenshot(path=str(artifacts / "indicator.png"), full_page=True)

    # the same page in English
    page.locator("header").get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="About this indicator")).to_be_visible()


def test_the_scorecard_fits_a_phone(phone: Page, artifacts):
    phone.goto("/scorecard?unit=82&year=2025")
    expect(phone.locator(".tile").first).to_be_visible()
    assert phone.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    phone.screenshot(path=str(artifacts / "scorecard-phone.png"), full_page=True)
