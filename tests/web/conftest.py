"""Fixtures for the browser tests: a real ``ioc57 serve`` process and tabs on it.

The server is set up as an operator would: ``ioc57 init`` then ``ioc57 serve``, each a subprocess
with the settings in its environment, on a temporary SQLite database and a free loopback port.
The browser, Debian's headless Chromium, is the ``browser`` fixture of ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ..support.http import ADMIN_PASSWORD
from ..support.servers import fresh_server


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The base URL of ``ioc57 serve`` on a fresh database whose admin password is known."""
    tmp = tmp_path_factory.mktemp("browser")
    with fresh_server(tmp, ADMIN_PASSWORD) as base:
        yield base


@pytest.fixture
def page(browser, server) -> Iterator:
    """A fresh browser tab (no cookies, Vietnamese locale) on a desktop-sized window."""
    context = browser.new_context(
        base_url=server, viewport={"width": 1280, "height": 900}, locale="vi-VN"
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def phone(browser, server) -> Iterator:
    """A fresh tab the size of a phone (390 × 844 CSS pixels), with touch, Vietnamese locale."""
    context = browser.new_context(
        base_url=server,
        viewport={"width": 390, "height": 844},
        locale="vi-VN",
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()
