"""An officer reports a task completed from a phone, with a PDF, and a leader confirms it, in a real
browser; every tasks page fits a wide screen and a phone, for both.

The server is a real ``ioc57 serve`` process on a fresh database, planned through the API; the
browser is Debian's headless Chromium.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from ioc57.core.db import make_engine

from ..support.browser import logged_in_tab
from ..support.evidence import pdf
from ..support.http import ADMIN_PASSWORD
from ..support.servers import fresh_server
from ..support.stream import Actors
from ..support.tasks import AGENCIES, AGENCY_A, PROVINCE, past, programme, task

pytestmark = pytest.mark.browser
CODE = "KH-57"
PASSWORD = "password-57"  # of the people ``Actors.user`` makes
PAGES = ("/", "/tasks", "/tasks/list")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, dict[str, int]]]:
    """``ioc57 serve`` with a programme of province 82: a task due in 60 days (reported on by
    the officer), one overdue and a quarterly one; its base URL and the tasks' ids by code."""
    tmp = tmp_path_factory.mktemp("tasks")
    engine = make_engine(f"sqlite:///{tmp}/ioc57.db")
    with fresh_server(tmp, ADMIN_PASSWORD) as base:
        actors = Actors(engine, base)
        for code, name in AGENCIES.items():
            unit = {"code": code, "name": name, "parent": PROVINCE, "type": "sở"}
            actors.post("/api/v1/units", unit, actors.admin)
        actors.user("lanhdao", "leader")
        actors.user("canbo", "officer", unit=AGENCY_A)
        actors.post("/api/v1/programmes", programme(CODE), actors.admin)
        planned = [
            task(CODE, "1", leader="Phó Chủ tịch UBND tỉnh"),
            task(CODE, "2", deadline=past(10)),
            task(CODE, "3", deadline=None, recurrence="quarterly"),
        ]
        ids = {t["code"]: actors.post("/api/v1/tasks", t, actors.admin)["id"] for t in planned}
        yield base, ids
    engine.dispose()


WIDE = {"viewport": {"width": 1920, "height": 1080}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def leader(browser, server) -> Iterator[Page]:
    yield from logged_in_tab(browser, server[0], "lanhdao", PASSWORD, **WIDE)


@pytest.fixture
def officer_phone(browser, server) -> Iterator[Page]:
    yield from logged_in_tab(browser, server[0], "canbo", PASSWORD, **PHONE)


def test_an_officer_reports_completion_from_a_phone_and_a_leader_confirms_it(
    officer_phone: Page, leader: Page, server, artifacts
):
    _, ids = server
    phone = officer_phone
    phone.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Nhiệm vụ"
    ).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Sở Khoa học và Công nghệ")
    phone.get_by_role("link", name="Tất cả nhiệm vụ").first.click()
    phone.locator(f'#tasks tr[data-task="{ids["1"]}"]').get_by_role("link").click()
    expect(phone.locator("#status")).to_have_text("Đang thực hiện trong hạn")

    form = phone.locator("#report-form")
    form.get_by_label("Tiến độ (%)").fill("100")
    form.get_by_label("Kết quả thực hiện").fill("Đã ban hành Quyết định phê duyệt kế hoạch.")
    form.get_by_label("Tệp minh chứng").set_input_files(
        {"name": "quyet-dinh.pdf", "mimeType": "application/pdf", "buffer": pdf()}
    )
    form.get_by_label("Nhiệm vụ đã hoàn thành").check()
    form.get_by_role("button", name="Gửi báo cáo").click()
    expect(phone.locator("#flash")).to_have_text(
        "Đã lưu báo cáo: việc hoàn thành chờ lãnh đạo xác nhận."
    )
    expect(phone.locator("#completed-on")).to_contain_text("chờ lãnh đạo xác nhận")
    expect(phone.get_by_role("link", name="quyet-dinh.pdf")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(artifacts / "task-reported-phone.png"), full_page=True)

    leader.goto(f"/tasks/{ids['1']}")
    leader.get_by_role("button", name="Xác nhận hoàn thành", exact=True).click()
    expect(leader.locator("#flash")).to_have_text("Đã xác nhận hoàn thành.")
    expect(leader.locator("#status")).to_have_text("Hoàn thành đúng hạn")
    expect(leader.locator('#timeline li[data-kind="confirmed"]')).to_contain_text("lanhdao")
    leader.screenshot(path=str(artifacts / "task-confirmed.png"), full_page=True)


@pytest.mark.parametrize("who", ["lanhdao", "canbo"])
def test_every_page_fits_a_wide_screen_and_a_phone(browser, server, artifacts, who):
    base, ids = server
    paths = [*PAGES, f"/tasks/{ids['2']}"]
    if who == "lanhdao":  # the province's page, and the import page, a leader's only
        paths += [f"/tasks?province={PROVINCE}", "/tasks/import"]
    for size, options in (("wide", WIDE), ("phone", PHONE)):
        for tab in logged_in_tab(browser, base, who, PASSWORD, **options):
            for path in paths:
                assert tab.goto(path).status == 200, path
                width = options["viewport"]["width"]
                # nothing wider than the screen: tables scroll in their box or become cards
                assert tab.evaluate("document.documentElement.scrollWidth") <= width, path
                name = (
                    path.strip("/").replace("/", "-").replace("?", "-").replace("=", "") or "home"
                )
                tab.screenshot(
                    path=str(artifacts / f"tasks-{who}-{size}-{name}.png"), full_page=True
                )
