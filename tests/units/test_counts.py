"""The real administrative units: 34 provinces and 3,321 communes now, 63 provinces before 2025-07-01."""


def total(client, **params) -> int:
    r = client.get("/api/v1/units", params=params | {"limit": 1})
    assert r.status_code == 200, r.text
    return r.json()["total"]


def test_current_units_are_34_provinces_and_3321_communes(client):
    assert total(client, level="province") == 34
    assert total(client, level="commune") == 3321
    assert total(client, level="district") == 0


def test_before_the_reorganisation_there_were_63_provinces(client):
    assert total(client, level="province", at="2025-06-30") == 63
    assert total(client, level="district", at="2025-06-30") == 696
    assert total(client, level="commune", at="2025-06-30") == 10035
    assert total(client, level="province", at="2025-07-01") == 34


def test_every_unit_has_the_fields_of_the_contract(client):
    item = client.get("/api/v1/units", params={"level": "commune", "limit": 1}).json()["items"][0]
    for key in (
        "code",
        "name",
        "level",
        "type",
        "parent_code",
        "valid_from",
        "valid_to",
        "lat",
        "lon",
    ):
        assert key in item
    assert item["valid_from"] == "2025-07-01" and item["valid_to"] is None
    assert len(item["code"]) == 5 and len(item["parent_code"]) == 2


def test_children_of_a_province(client):
    r = client.get("/api/v1/units", params={"parent": "82", "limit": 1000}).json()
    assert r["total"] == 102  # Đồng Tháp after the merger
    assert {i["type"] for i in r["items"]} <= {"xã", "phường", "đặc khu"}
    assert all(i["lat"] is not None for i in r["items"])
    old = client.get("/api/v1/units", params={"parent": "82", "at": "2024-12-31"}).json()
    assert old["total"] == 11  # Tiền Giang's districts, towns and city
    assert {i["level"] for i in old["items"]} == {"district"}
