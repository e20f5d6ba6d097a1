"""Searching and reading units: accents and case ignored; a code means different units on different days."""


def names(client, **params):
    r = client.get("/api/v1/units", params=params)
    assert r.status_code == 200, r.text
    return [i["name"] for i in r.json()["items"]]


def test_search_ignores_accents_and_case(client):
    assert names(client, q="tien giang", at="2025-06-30", level="province") == ["Tỉnh Tiền Giang"]
    assert names(client, q="TIỀN GIANG", at="2025-06-30", level="province") == ["Tỉnh Tiền Giang"]
    assert "Phường Mỹ Tho" in names(client, q="my tho", level="commune")


def test_search_today_finds_no_legacy_province(client):
    assert names(client, q="tien giang", level="province") == []


def test_a_reused_code_names_two_units(client):
    now = client.get("/api/v1/units/82").json()
    before = client.get("/api/v1/units/82", params={"at": "2025-06-30"}).json()
    assert now["name"] == "Tỉnh Đồng Tháp" and now["valid_from"] == "2025-07-01"
    assert before["name"] == "Tỉnh Tiền Giang" and before["valid_to"] == "2025-07-01"


def test_a_unit_shows_its_ancestors_children_and_neighbours_across_2025(client):
    ward = client.get("/api/v1/units/28261").json()
    assert [a["code"] for a in ward["ancestors"]] == ["82"]
    assert {p["name"] for p in ward["predecessors"]} == {"Phường 1", "Phường 2", "Phường Tân Long"}
    province = client.get("/api/v1/units/82").json()
    assert province["children_count"] == 102
    assert {p["name"] for p in province["predecessors"] if p["level"] == "province"} == {
        "Tỉnh Tiền Giang",
        "Tỉnh Đồng Tháp",
    }
    old = client.get("/api/v1/units/82", params={"at": "2025-06-30"}).json()
    assert [(s["code"], s["name"]) for s in old["successors"]] == [("82", "Tỉnh Đồng Tháp")]
    old_ward = client.get("/api/v1/units/28261", params={"at": "2025-06-30"}).json()
    assert [a["name"] for a in old_ward["ancestors"]] == ["Tỉnh Tiền Giang", "Thành phố Mỹ Tho"]


def test_paging(client):
    first = client.get("/api/v1/units", params={"level": "province", "limit": 10}).json()
    second = client.get(
        "/api/v1/units", params={"level": "province", "limit": 10, "offset": 10}
    ).json()
    assert first["total"] == second["total"] == 34
    assert len(first["items"]) == len(second["items"]) == 10
    assert not {i["code"] for i in first["items"]} & {i["code"] for i in second["items"]}
