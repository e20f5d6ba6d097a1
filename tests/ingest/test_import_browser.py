"""The operator imports a file in a real browser, on the demo (desk 1920×1080 and phone 390×844):
the import page from the navigation, a source and a type that go together preselected, the
columns of the chosen type, its example file downloaded and uploaded back, taken by the gate."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from ..support.browser import logged_in_tab
from ..support.servers import demo_server

pytestmark = pytest.mark.browser

OPERATOR, PASSWORD = "vanhanh", "demo-ioc57"  # the demo's operator
DESK = {"viewport": {"width": 1920, "height": 1080}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with demo_server(tmp_path_factory.mktemp("import")) as base:
        yield base


def import_example(tab: Page, type_name: str, fmt: str, tmp_path) -> None:
    tab.goto("/")
    nav = tab.get_by_role("navigation", name="Điều hướng chính")
    nav.locator('a[href="/ingest/import"]').click()
    expect(tab.get_by_role("heading", name="Nhập dữ liệu từ tệp", exact=True)).to_be_visible()
    source, kind = tab.locator("#import-source"), tab.locator("#import-type")
    # the demo's first source the operator may import for, and the first type it sends
    expect(source).to_have_value("mo-phong")
    expect(kind).to_have_value("procedure")
    expect(tab.locator("#columns-procedure")).to_be_visible()
    # a type the operator may not write is not offered; one the source does not send is not
    # offered with it: the type follows the source
    expect(kind.locator('option[value="observation"]')).to_have_count(0)
    source.select_option("phan-anh-mo-phong")  # it sends citizen reports only
    expect(kind).to_have_value("feedback")
    expect(kind.locator('option[value="dossier"]')).to_be_disabled()
    expect(tab.locator("#columns-feedback")).to_be_visible()
    source.select_option("mo-phong")
    expect(kind.locator('option[value="dossier"]')).to_be_enabled()
    kind.select_option(type_name)
    box = tab.locator(f"#columns-{type_name}")
    expect(box).to_be_visible()
    expect(tab.locator("#columns-procedure")).to_be_hidden()
    expect(box.locator('tr[data-column="received_at"]')).to_contain_text("có")  # required
    with tab.expect_download() as info:
        box.locator(f"a.example-{fmt}").click()
    path = tmp_path / f"{type_name}-example.{fmt}"
    info.value.save_as(path)
    assert info.value.suggested_filename == f"{type_name}-example.{fmt}"
    tab.locator('input[name="file"]').set_input_files(str(path))
    tab.get_by_role("button", name="Nhập dữ liệu", exact=True).click()
    expect(tab.locator("#result")).to_be_visible()
    expect(tab.locator("#count-submitted")).to_have_text("1")
    expect(tab.locator("#count-rejected")).to_have_text("0")
    # the form keeps what was imported
    expect(source).to_have_value("mo-phong")
    expect(kind).to_have_value(type_name)
    # nothing wider than the screen
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_operator_imports_the_example_at_the_desk(browser, server, tmp_path):
    for tab in logged_in_tab(browser, server, OPERATOR, PASSWORD, accept_downloads=True, **DESK):
        import_example(tab, "dossier", "csv", tmp_path)


def test_the_operator_imports_the_example_on_a_phone(browser, server, tmp_path):
    for tab in logged_in_tab(browser, server, OPERATOR, PASSWORD, accept_downloads=True, **PHONE):
        import_example(tab, "feedback", "xlsx", tmp_path)
