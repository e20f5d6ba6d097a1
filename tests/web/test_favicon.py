"""The app's icon: linked from every page of the base layout, and answered at /favicon.ico where a
browser asks for it unasked (the wall and the public pages do not link it): no 404."""

from __future__ import annotations

import re

import pytest

from ioc57.web import favicon


def test_pages_link_the_icon_and_it_is_served(client):
    page = client.get("/login")
    assert page.status_code == 200
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page.text)
    assert link is not None, page.text[:600]
    icon = client.get(link.group(1))
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.content == favicon.ICON.read_bytes() and b"<svg" in icon.content


def test_favicon_ico_is_answered_with_the_icon_for_everyone(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("image/svg+xml")
    assert r.content == favicon.ICON.read_bytes()


@pytest.mark.browser
def test_the_browser_gets_the_icon_and_no_page_errs(page):
    failed: list[tuple[int | str, str]] = []
    icons: list[tuple[int, str]] = []

    def seen(response) -> None:
        if response.status >= 400:
            failed.append((response.status, response.url))
        if "favicon" in response.url:
            icons.append((response.status, response.url))

    page.on("response", seen)
    page.on("console", lambda m: m.type == "error" and failed.append(("console", m.text)))
    for path in ("/login", "/phan-anh"):  # the base layout, and a public page that links no icon
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert failed == []
    assert icons and all(status == 200 for status, _ in icons), icons
