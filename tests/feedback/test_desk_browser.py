"""The desk in a real browser: an operator takes a call on a phone-sized page (the form refuses an
empty report beside its fields, in Vietnamese, then shows the tracking code), forwards it to the
agency the province's route preselects, and the agency's officer answers it; an admin saves the
routes on their page. The server is a real ``ioc57 serve`` on a fresh database."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from ioc57.core.db import make_engine

from ..support.browser import logged_in_tab
from ..support.http import ADMIN_PASSWORD
from ..support.servers import fresh_server
from ..support.stream import Actors

pytestmark = pytest.mark.browser
AGENCY = "SNNMT-82"
PASSWORD = "password-57"  # of the people ``Actors.user`` makes
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """``ioc57 serve`` with an agency of province 82, an operator and the agency's officer."""
    tmp = tmp_path_factory.mktemp("desk")
    engine = make_engine(f"sqlite:///{tmp}/ioc57.db")
    with fresh_server(tmp, ADMIN_PASSWORD) as base:
        actors = Actors(engine, base)
        unit = {"code": AGENCY, "name": "Sở Nông nghiệp và Môi trường", "parent": "82"}
        actors.post("/api/v1/units", unit | {"type": "sở"}, actors.admin)
        actors.user("vanhanh", "operator")
        actors.user("canbo", "officer", unit=AGENCY)
        yield base
    engine.dispose()


def test_a_call_is_taken_forwarded_by_its_route_and_answered(browser, server):
    for admin in logged_in_tab(browser, server, "admin", ADMIN_PASSWORD):
        admin.goto("/feedback/routes?province=82")
        admin.locator('select[name="routes.moi-truong"]').select_option(AGENCY)
        admin.get_by_role("button", name="Lưu phân luồng").click()
        expect(admin.locator("#routes-form .saved")).to_be_visible()

    for operator in logged_in_tab(browser, server, "vanhanh", PASSWORD, **PHONE):
        operator.goto("/feedback")
        operator.get_by_text("Nhận cuộc gọi (tổng đài 1022)").click()
        form = operator.locator("#call-form")
        form.get_by_role("button", name="Ghi nhận phản ánh").click()
        expect(form.locator('[data-error-for="category"]')).to_contain_text("Chọn lĩnh vực.")
        expect(form.locator('[data-error-for="text"]')).to_be_visible()
        form.locator('select[name="category"]').select_option("moi-truong")
        form.locator('textarea[name="text"]').fill("Rác thải ùn ứ ở đầu hẻm 12, bốc mùi hôi.")
        form.locator('select[name="unit"]').select_option(index=1)
        form.locator('input[name="contact.phone"]').fill("0912345678")
        form.get_by_role("button", name="Ghi nhận phản ánh").click()
        expect(operator.locator("#tracking-code")).to_have_text(re.compile(r"^[A-Z0-9]{10}$"))
        expect(form.locator('[data-error-for="category"]')).to_be_hidden()
        report_id = operator.locator("#taken-link").inner_text()
        expect(operator.locator(f'#queue [data-report="{report_id}"]')).to_be_visible()

        operator.locator("#taken-link").click()
        forward = operator.locator('form[data-step="forward"]')
        expect(forward.locator('select[name="agency"]')).to_have_value(AGENCY)
        forward.get_by_role("button", name="Chuyển cơ quan xử lý").click()
        expect(operator.locator("#flash")).to_contain_text("Chuyển cơ quan xử lý")
        expect(operator.locator("h1 .fb-st")).to_have_text("Đã chuyển xử lý")

    for officer in logged_in_tab(browser, server, "canbo", PASSWORD, **PHONE):
        officer.goto(f"/feedback/{report_id}")
        officer.locator("#step-answer summary").click()
        answer = officer.locator('form[data-step="answer"]')
        answer.locator('textarea[name="answer"]').fill("Đã thu gom rác ngày 02/12.")
        answer.get_by_role("button", name="Trả lời").click()
        expect(officer.locator("h1 .fb-st")).to_have_text("Đã trả lời")
        expect(officer.locator("#answer")).to_contain_text("Đã thu gom rác")
