"""A steering committee member reads the Resolution 57 scorecard in a real browser.

The server is ``ioc57 demo`` data served by a real ``ioc57 serve`` process; the browser is Debian's
headless Chromium (fixtures from ``tests/conftest.py``). Charts are Chart.js served by the app.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from ioc57.core.clock import today

from ..support.browser import drawn_chart, logged_in_tab
from ..support.servers import demo_server

pytestmark = [pytest.mark.browser, pytest.mark.long]


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
    page.get_by_label("Năm").select_option("2025")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tỉnh Đồng Tháp")

    # a tile per indicator with a value, coloured and named by its status, with a drawn sparkline
    tile = page.locator(".tile", has=page.locator('a[href^="/indicators/online_payment_rate?"]'))
    expect(tile).to_contain_text("Đúng tiến độ")
    expect(tile).to_contain_text("Mục tiêu 2030: 80 %")
    expect(tile.locator(".simulated")).to_have_text("dữ liệu mô phỏng")
    assert (
        drawn_chart(tile.locator("canvas.spark"), "c => c.chart.data.datasets[0].data.length") >= 2
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
    assert drawn_chart(chart, "c => c.chart.data.datasets.map(d => d.label)") == [
        "Giá trị",
        "Mục tiêu",
        "Dự báo",
    ]
    expect(page.locator("#series-table")).to_contain_text("trước 01/07/2025")
    expect(page.locator(".citations")).to_contain_text("dữ liệu mô phỏng")
    assert drawn_chart(page.locator("#compare-chart"), "c => c.chart.data.labels.length") == 34
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


SEVERITY = [
    "deterioration",
    "limited_progress",
    "needs_acceleration",
    "on_track",
    "target_achieved",
    "not_available",
]
SIZES = {
    "desk": {"viewport": {"width": 1920, "height": 1080}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


@pytest.fixture(params=list(SIZES))
def leader_tab(request, browser, server) -> Iterator[tuple[str, Page]]:
    """The demo's leader (``lanhdao``, a leader of no unit: the province's), logged in."""
    for tab in logged_in_tab(browser, server, "lanhdao", "demo-ioc57", **SIZES[request.param]):
        yield request.param, tab


def test_the_leader_finds_the_scorecard_on_the_latest_year_with_what_slips_first(
    leader_tab: tuple[str, Page], artifacts
):
    size, tab = leader_tab
    if size == "desk":
        tab.get_by_role("navigation", name="Điều hướng chính").get_by_role(
            "link", name="Bảng chỉ tiêu"
        ).click()
    else:
        tab.goto("/scorecard")
    # the leader's province, on the latest year with approved values, and the page says which
    expect(tab.get_by_role("heading", level=1)).to_contain_text("Tỉnh Đồng Tháp")
    year = tab.get_by_label("Năm")
    latest = year.get_attribute("data-latest")
    assert latest and int(latest) < today().year + 1
    expect(year).to_have_value(latest)
    expect(tab.locator("#shown-period")).to_have_attribute("data-year", latest)
    expect(tab.locator("#shown-period")).to_contain_text(latest)

    # the status bar counts the tiles, what slips comes first, and never among the empty
    tiles = tab.locator("#tiles .tile")
    expect(tiles.first).to_be_visible()
    statuses = tiles.evaluate_all("ts => ts.map(t => t.dataset.status)")
    bar = tab.locator("#status-counts .status-dot").evaluate_all(
        "ds => Object.fromEntries(ds.map(d => [d.dataset.status, +d.querySelector('b').textContent]))"
    )
    assert bar == {s: statuses.count(s) for s in SEVERITY}
    assert statuses == sorted(statuses, key=SEVERITY.index)
    assert statuses[0] in ("deterioration", "limited_progress", "needs_acceleration")
    assert tab.locator("#no-value li").count() == int(tab.locator("#count-no-value b").inner_text())
    # no rank of one; a share of 100 % has reached its target
    texts = tiles.all_inner_texts()
    assert not [t for t in texts if re.search(r"Hạng \d+/1\b", t)]
    fibre = tab.locator(
        ".tile", has=tab.locator('a[href^="/indicators/communes_fibre_broadband_rate?"]')
    )
    expect(fibre).to_have_attribute("data-status", "target_achieved")
    assert tab.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    tab.screenshot(path=str(artifacts / f"leader-scorecard-{size}.png"), full_page=True)

    # an earlier year: the districts' indicators are there up to 2025, and the way back is offered
    year.select_option("2024")
    tab.get_by_role("button", name="Xem").click()
    expect(tab.locator("#shown-period")).to_have_attribute("data-year", "2024")
    expect(tab.locator('a[href^="/indicators/district_iocs?"]')).to_have_count(1)
    tab.locator("#shown-period a").click()
    expect(tab.locator("#shown-period")).to_have_attribute("data-year", latest)
    district = tab.locator('a[href^="/indicators/district_iocs?"]')
    expect(district).to_have_count(0 if int(latest) > 2025 else 1)

    # the first tile's indicator, on the same year, periods as people say them
    tiles.first.locator("a").click()
    expect(tab.locator("#series h2")).to_contain_text(latest)
    expect(tab.locator("#shown-period")).to_have_attribute("data-year", latest)
    first_cells = tab.locator("#series-table tbody td:first-child").all_inner_texts()
    assert first_cells and all(not re.fullmatch(r"\d{4}", c.strip()) for c in first_cells)
    tab.screenshot(path=str(artifacts / f"leader-indicator-{size}.png"), full_page=True)
