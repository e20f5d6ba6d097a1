"""The units pages, as HTML through the ASGI client."""

HTML = {"accept": "text/html"}


def test_the_search_page_finds_units_ignoring_accents(client):
    page = client.get("/units", params={"q": "tien giang", "at": "2025-06-30"}, headers=HTML)
    assert page.status_code == 200 and "Tỉnh Tiền Giang" in page.text
    assert "2025-06-30" in page.text  # the last day it held, not the exclusive end


def test_a_legacy_name_searched_today_points_to_its_successor(client):
    page = client.get("/units", params={"q": "Tỉnh Tiền Giang"}, headers=HTML)
    assert 'id="suggestions"' in page.text
    assert 'href="/units/82"' in page.text and "Tỉnh Đồng Tháp" in page.text


def test_a_province_page_lists_its_communes_with_map_points(client):
    page = client.get("/units/82", headers=HTML)
    assert page.status_code == 200
    communes = client.get("/api/v1/units", params={"parent": "82", "limit": 1000}).json()["items"]
    assert len(communes) == 102
    assert all(f'href="/units/{c["code"]}?' in page.text for c in communes)
    assert 'id="map"' in page.text and "/static/vendor/leaflet/leaflet.js" in page.text


def test_leaflet_is_served_by_the_app_itself(client):
    r = client.get("/static/vendor/leaflet/leaflet.js")
    assert r.status_code == 200 and "Leaflet" in r.text[:2000]
