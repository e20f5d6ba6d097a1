"""A citizen files a report on a phone-sized page, an agency's officer answers it, and the citizen
rates the answer on the tracking page — the whole loop of the issue in a real browser.

The server is a real ``ioc57 serve`` on a fresh database; the citizen uses the public pages with
no login (the place picked on the map of the province's communes, a photo attached); the
operator forwards the report through the staff API and the agency's officer answers it on the
desk's page of the report; the browser is Debian's headless Chromium.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import expect

from ioc57.core.db import make_engine

from ..support.browser import logged_in_tab
from ..support.citizen import photo
from ..support.http import ADMIN_PASSWORD, auth
from ..support.servers import fresh_server
from ..support.stream import Actors

pytestmark = pytest.mark.browser

OFFICER, PASSWORD = "canbo-tnmt", "password-57"  # ``Actors.user``'s password
AGENCY = {"code": "TNMT-82", "name": "Sở Nông nghiệp và Môi trường", "parent": "82", "type": "sở"}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Actors]]:
    """``ioc57 serve`` with an agency and its officer; the actors."""
    tmp = tmp_path_factory.mktemp("citizen")
    engine = make_engine(f"sqlite:///{tmp}/ioc57.db")
    with fresh_server(tmp, ADMIN_PASSWORD) as base:
        actors = Actors(engine, base)
        actors.post("/api/v1/units", AGENCY, actors.admin)
        actors.user(OFFICER, "officer", unit=AGENCY["code"])
        yield base, actors
    engine.dispose()


def test_a_citizen_files_a_report_on_a_phone_and_rates_the_answer(
    browser, server, artifacts, tmp_path
):
    base, actors = server
    picture = tmp_path / "rac-thai.jpg"
    picture.write_bytes(photo("JPEG", (1600, 1200)))
    context = browser.new_context(
        base_url=base,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto("/phan-anh?tinh=82")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi phản ánh")
    page.get_by_label("Lĩnh vực").select_option(label="Môi trường")
    page.get_by_label("Nội dung phản ánh").fill("Rác thải ùn ứ ba ngày ở đầu hẻm chợ, bốc mùi hôi.")
    page.locator("#photos").set_input_files(str(picture))
    expect(page.locator("#photo-names")).to_contain_text("rac-thai.jpg")
    expect(page.locator("#place-map")).to_have_attribute("data-ready", "1")
    page.locator("#place-map").tap(position={"x": 180, "y": 150})
    expect(page.locator("#point-picked")).to_contain_text("Gần ")
    page.get_by_label("Điện thoại").fill("0912 345 678")
    page.screenshot(path=str(artifacts / "citizen-form-phone.png"), full_page=True)
    page.get_by_role("button", name="Gửi phản ánh").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Phản ánh của bạn đã được tiếp nhận")
    code = page.locator("#tracking-code").inner_text().strip()
    expect(page.locator("#report-status")).to_have_text("Tiếp nhận")
    expect(page.locator(".photo-list img")).to_have_count(1)
    report_id = page.locator("dt:text('Phản ánh') + dd").inner_text().strip()

    # the operator forwards it (the staff API); the agency's officer answers on the desk's page
    steps = f"/api/v1/feedback/reports/{report_id}/steps"
    actors.post(steps, {"step": "forward", "agency": AGENCY["code"]}, actors.admin)
    for desk in logged_in_tab(
        browser, base, OFFICER, PASSWORD, viewport={"width": 1920, "height": 1080}
    ):
        desk.goto(f"/feedback/{report_id}")
        desk.locator("#step-answer summary").click()
        form = desk.locator('form[data-step="answer"]')
        form.locator('textarea[name="answer"]').fill("Đã thu gom rác sáng 03/12.")
        form.get_by_role("button", name="Trả lời").click()
        expect(desk.locator("h1 .fb-st")).to_have_text("Đã trả lời")

    # the citizen comes back with the code and rates the answer
    page.goto("/phan-anh/theo-doi")
    page.get_by_label("Mã theo dõi").fill(code.lower())
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#report-status")).to_have_text("Đã trả lời")
    expect(page.locator("#answer-text")).to_have_text("Đã thu gom rác sáng 03/12.")
    expect(page.locator("#timeline")).to_contain_text(AGENCY["name"])
    expect(page.locator("body")).not_to_contain_text(OFFICER)
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("status").filter(has_text="đánh giá đã được ghi nhận")).to_be_visible()
    expect(page.locator("#report-status")).to_have_text("Đã đóng")
    page.screenshot(path=str(artifacts / "citizen-tracking-phone.png"), full_page=True)

    shown = httpx.get(f"{base}/api/v1/feedback/reports/{report_id}", headers=auth(actors.admin))
    report = shown.json()
    assert (report["status"], report["satisfaction"], report["channel"]) == (
        "closed",
        "satisfied",
        "web",
    )
    assert report["unit"]["code"] and report["contact"]["phone"] == "0912345678"
    assert [s["actor"] for s in report["timeline"]][-1] == "citizen"
    context.close()
    assert errors == [], errors
