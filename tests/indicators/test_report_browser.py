"""An officer reports one figure in the browser and a leader approves it and sees it on the
scorecard: at a desk (1920×1080) and on a phone (390×844), on the demo's data and users."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from ioc57.core.clock import today
from ioc57.indicators.due import last_ended

from ..support.browser import logged_in_tab
from ..support.servers import demo_server

pytestmark = pytest.mark.browser
PASSWORD = "demo-ioc57"
WARD = "28261"  # phường Mỹ Tho, canbo.mytho's unit
SIZES = {
    "desk": ({"viewport": {"width": 1920, "height": 1080}}, "online_dossier_rate"),
    "phone": (
        {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
        "official_email_rate",
    ),
}
REPORT = re.compile("^(Báo cáo số liệu|Report figures)$")  # until the catalogue has it


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with demo_server(tmp_path_factory.mktemp("report")) as base:
        yield base


@pytest.mark.parametrize("size", SIZES)
def test_an_officer_reports_one_value_and_the_leader_approves_it_onto_the_scorecard(
    browser, server, size, artifacts
):
    options, indicator = SIZES[size]
    month = last_ended("month", today()).code
    key = f"{indicator}.{month}"
    for tab in logged_in_tab(browser, server, "canbo.mytho", PASSWORD, **options):
        _report(tab, key, size, artifacts)
    for tab in logged_in_tab(browser, server, "lanhdao", PASSWORD, **options):
        _approve_and_see(tab, indicator, month, size, artifacts)


def _report(tab: Page, key: str, size: str, artifacts) -> None:
    menu = tab.get_by_role("navigation", name="Điều hướng chính")
    if size == "phone" and not menu.get_by_role("link", name=REPORT).is_visible():
        tab.goto("/")  # the navigation scrolls sideways on a phone: the link is there all the same
    menu.get_by_role("link", name=REPORT).click()
    expect(tab.get_by_role("heading", level=1)).to_contain_text("Mỹ Tho")  # their own unit
    row = tab.locator(f'#due tr[data-key="{key}"]')
    row.get_by_role("link").click()
    form = tab.locator("#report-form")
    fields = form.locator(f'fieldset[data-key="{key}"]')
    fields.locator(f'input[name="numerator.{key}"]').fill("45")
    fields.locator(f'input[name="denominator.{key}"]').fill("60")
    expect(fields.locator("output.share")).to_have_text("75 %")  # as they type
    form.locator('input[name="source"]').fill("Báo cáo số 9/BC-UBND ngày 03/11/2025")
    form.locator('input[name="evidence"]').set_input_files(
        {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 demo"}
    )
    width = tab.viewport_size["width"] if tab.viewport_size else 0
    assert tab.evaluate("document.documentElement.scrollWidth") <= width  # nothing overflows
    tab.screenshot(path=str(artifacts / f"report-form-{size}.png"), full_page=True)
    form.locator('button[type="submit"]').click()
    expect(tab.locator("#sent")).to_be_visible()
    expect(tab.locator(f'#due tr[data-key="{key}"]')).to_contain_text("75")


def _approve_and_see(tab: Page, indicator: str, month: str, size: str, artifacts) -> None:
    tab.goto("/indicators/review")
    row = tab.locator("#waiting tbody tr", has=tab.locator(f'td[data-period="{month}"]')).filter(
        has=tab.locator(f'a[href^="/indicators/{indicator}?unit={WARD}"]')
    )
    expect(row.locator("td.figure")).to_contain_text("75")  # the computed share, not "—"
    expect(row.locator(f'td[data-period="{month}"]')).not_to_have_text(month)  # as said
    tab.screenshot(path=str(artifacts / f"report-review-{size}.png"), full_page=True)
    row.locator('button[value="approve"]').click()
    expect(tab.get_by_role("status")).to_be_visible()
    tab.goto(f"/scorecard?unit={WARD}&year={month[:4]}")
    tile = tab.locator(".tile", has=tab.locator(f'a[href^="/indicators/{indicator}?"]'))
    expect(tile).to_contain_text("75")
    tab.screenshot(path=str(artifacts / f"report-scorecard-{size}.png"), full_page=True)
