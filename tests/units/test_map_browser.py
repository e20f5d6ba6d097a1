"""The maps in a real browser, on a desk (1920 × 1080) and a phone (390 × 844): a commune with one
point is a place among its neighbours, not a dot on a grey box; the 34 provinces compared are
coloured and sized by their value, labelled, with a legend; and when one province alone has a value,
it stands out among the others, all in view.

The server is ``ioc57 demo`` data served by a real ``ioc57 serve``; the browser is Debian's
headless Chromium.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from ..support.browser import logged_in_tab
from ..support.servers import demo_server

pytestmark = pytest.mark.browser

SIZES = {"desk": (1920, 1080), "phone": (390, 844)}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with demo_server(tmp_path_factory.mktemp("maps")) as base:
        yield base


@pytest.fixture(params=list(SIZES))
def size(request) -> str:
    return request.param


@pytest.fixture
def tab(size: str, browser, server) -> Iterator[Page]:
    width, height = SIZES[size]
    phone = {"is_mobile": True, "has_touch": True} if size == "phone" else {}
    options = {"viewport": {"width": width, "height": height}, **phone}
    yield from logged_in_tab(browser, server, "lanhdao", "demo-ioc57", **options)


def in_view(tab: Page, selector: str) -> list[bool]:
    """For each element: is its box inside the map's frame?"""
    return tab.locator(selector).evaluate_all(
        """(els) => { const f = document.getElementById("map").getBoundingClientRect();
        return els.map(e => { const r = e.getBoundingClientRect();
          return r.width > 0 && r.left >= f.left - 1 && r.right <= f.right + 1
            && r.top >= f.top - 1 && r.bottom <= f.bottom + 1; }); }"""
    )


def labels(tab: Page) -> list[str]:
    """The labels shown on the map, after checking that no two of them overlap."""
    boxes = tab.locator("#map .map-label > span").evaluate_all(
        """(els) => els.filter(e => getComputedStyle(e).visibility !== "hidden").map(e => {
          const r = e.getBoundingClientRect();
          return [e.textContent, r.left, r.top, r.right, r.bottom]; })"""
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
            assert apart, f"labels overlap: {a} {b}"
    assert in_view(tab, "#map .map-label > span") and boxes
    return [b[0] for b in boxes]


def test_a_commune_with_one_point_is_a_place_on_the_map(tab: Page, size: str, artifacts):
    tab.goto("/units/28261")  # Phường Mỹ Tho: one agency, its people's committee
    marker = tab.locator("#map path.leaflet-interactive")
    expect(marker).to_have_count(1)
    assert in_view(tab, "#map path.leaflet-interactive") == [True]
    zoom = tab.evaluate("document.querySelector('#map .leaflet-control-scale-line').textContent")
    assert zoom.endswith(" km") or zoom.endswith(" m"), zoom  # a town's scale, not the country's
    # the commune's own extent, outlined, and its neighbours around it, named
    shown = labels(tab)
    assert "Mỹ Tho" in shown and len(shown) >= 3, shown
    assert tab.locator("#map .map-label .focus").text_content() == "Mỹ Tho"
    assert tab.locator("#map path:not(.leaflet-interactive)").count() > 10
    legend = tab.locator("#map-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("Chú giải")
    expect(legend).to_contain_text("Cơ quan")  # the kind of the one marker
    assert legend.locator("svg").count() == 3  # the agency, the commune, the neighbours' circles
    marker.hover()
    expect(tab.locator(".leaflet-tooltip").last).to_have_text("Ủy ban nhân dân phường Mỹ Tho")
    tab.locator("#map").screenshot(path=str(artifacts / f"map-commune-{size}.png"))


@pytest.mark.parametrize(
    ("indicator", "year", "valued"),
    [("online_payment_rate", 2025, 34), ("digital_platforms_databases_in_operation", 2025, 1)],
)
def test_the_provinces_compared_are_coloured_sized_and_labelled(
    tab: Page, size: str, indicator: str, year: int, valued: int, artifacts
):
    tab.goto(f"/indicators/{indicator}?year={year}&unit=82")  # the page of Đồng Tháp
    markers = tab.locator("#map path.leaflet-interactive")
    expect(markers).to_have_count(34)  # every province, those without a value hollow
    assert all(in_view(tab, "#map path.leaflet-interactive"))
    fills = markers.evaluate_all("(els) => els.map(e => e.getAttribute('fill'))")
    hollow = [f for f in fills if f == "#fff"]
    assert len(hollow) == 34 - valued
    radii = markers.evaluate_all("(els) => els.map(e => e.getBoundingClientRect().width)")
    assert min(r for r, f in zip(radii, fills, strict=True) if f != "#fff") > max(
        [r for r, f in zip(radii, fills, strict=True) if f == "#fff"] or [0]
    )  # a value is bigger than no value
    shown = labels(tab)
    assert len(shown) >= (4 if size == "phone" else 10), shown
    assert tab.locator("#map .map-label .mine").inner_text().startswith("Đồng Tháp")  # ringed
    legend = tab.locator("#map-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("Giá trị")
    expect(legend).to_contain_text("Đồng Tháp")
    if valued == 1:  # the one province with a value is labelled with it, and named in the legend
        row = tab.locator("#compare-table tbody tr").first
        name = (
            row.locator("td").nth(1).inner_text().removeprefix("Tỉnh ").removeprefix("Thành phố ")
        )
        value = row.locator("td.figure").inner_text()
        assert any(s.startswith(name) and value in s for s in shown), (name, value, shown)
        expect(legend.locator("li").first).to_contain_text(value)
    else:  # five classes of value, the page's province, the circles of the provinces' areas
        assert legend.locator("li").count() == 7 and len(set(fills)) == 5
    tab.locator("#map").screenshot(path=str(artifacts / f"map-{indicator}-{size}.png"))
