"""A browser tab for the page tests: a context of its own in Vietnamese, logged in through the
login form, that fails the test when a script on any page it opened failed."""

from __future__ import annotations

from collections.abc import Iterator

from playwright.sync_api import Locator, Page

from tests.support.http import ADMIN_PASSWORD


def logged_in_tab(
    browser, base: str, username: str = "admin", password: str = ADMIN_PASSWORD, **options
) -> Iterator[Page]:
    """Yield the tab, logged in as ``username``; ``options`` go to the context (viewport, …)."""
    context = browser.new_context(base_url=base, locale="vi-VN", **options)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto("/login")
    tab.get_by_label("Tên đăng nhập").fill(username)
    tab.get_by_label("Mật khẩu").fill(password)
    tab.get_by_role("button", name="Đăng nhập").click()
    yield tab
    context.close()
    assert errors == [], errors  # no script failed on any page


def drawn_chart(canvas: Locator, expression: str):
    """Wait until Chart.js has drawn on ``canvas``, then evaluate ``expression`` on it.

    A page's heading shows while its scripts at the end of the body still load, so a chart is
    read only once the script has put it on its canvas (``canvas.chart``)."""
    canvas.page.wait_for_function("c => !!c.chart", arg=canvas.element_handle())
    return canvas.evaluate(expression)
