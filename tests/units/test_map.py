"""What a unit's page gives its map: the units under it as markers, and the extent of each commune
as a circle of its own area (no package ships the boundaries), through the ASGI client."""

import html
import json
import re

from ioc57.units.extent import province_area

HTML = {"accept": "text/html"}


def _map(page: str) -> dict:
    found = re.search(r"data-map='([^']*)'", page)
    assert found, "no map on the page"
    return json.loads(html.unescape(found.group(1)))


def test_the_areas_are_the_provinces_and_communes_own():
    # Hà Nội is 3,359.8 km²; the 34 provinces add up to the country (331,000 km² with the seas' isles)
    assert 3300 < (province_area("01") or 0) < 3420
    assert 325_000 < sum(province_area(f"{code:02d}") or 0 for code in range(1, 100)) < 335_000


def test_a_commune_is_drawn_among_the_communes_of_its_province(client):
    communes = client.get("/api/v1/units", params={"parent": "82", "limit": 1000}).json()["items"]
    code = next(c["code"] for c in communes if c["code"] != "28261")  # one with no agency
    drawn = _map(client.get(f"/units/{code}", headers=HTML).text)
    assert drawn["markers"] == []  # nothing under it, yet a map: the commune in its province
    assert drawn["focus"] == code
    drawn_codes, codes = {a["code"] for a in drawn["areas"]}, {c["code"] for c in communes}
    assert drawn_codes <= codes and len(drawn_codes) >= len(codes) - 2  # the package lacks one area
    mine = next(a for a in drawn["areas"] if a["code"] == code)
    assert 0.5 < mine["km2"] < 500 and mine["label"] and mine["lat"] and mine["lon"]


def test_a_province_shows_its_communes_as_markers_and_their_extent(client):
    drawn = _map(client.get("/units/82", headers=HTML).text)
    assert drawn["focus"] is None
    assert len(drawn["markers"]) == 102 and len(drawn["areas"]) >= 100
    assert abs(sum(a["km2"] for a in drawn["areas"]) - (province_area("82") or 0)) < 0.01
    assert {m["kind"] for m in drawn["markers"]} == {"phường", "xã"}
    assert all(m["href"].startswith(f"/units/{m['code']}?at=") for m in drawn["markers"])


def test_a_commune_before_2025_has_no_extent_to_draw(client):
    communes = client.get(
        "/api/v1/units", params={"province": "82", "level": "commune", "at": "2025-06-30"}
    ).json()["items"]
    page = client.get(f"/units/{communes[0]['code']}", params={"at": "2025-06-30"}, headers=HTML)
    assert (
        page.status_code == 200 and 'id="map"' not in page.text
    )  # no area known, no point under it
