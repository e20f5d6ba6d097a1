"""Names and addresses, legacy or current, resolve to the current units they map to."""


def resolve(client, name):
    r = client.get("/api/v1/units/resolve", params={"name": name})
    assert r.status_code == 200, r.text
    return r.json()["matches"]


def test_a_legacy_province_resolves_to_the_province_that_absorbed_it(client):
    matches = resolve(client, "Tỉnh Tiền Giang")
    assert [(m["code"], m["name"], m["level"]) for m in matches] == [
        ("82", "Tỉnh Đồng Tháp", "province")
    ]
    assert matches[0]["matched"] == "legacy"
    assert matches[0]["via"]["name"] == "Tỉnh Tiền Giang"


def test_a_legacy_address_resolves_to_the_current_ward(client):
    matches = resolve(client, "Phường 1, Thành phố Mỹ Tho, Tỉnh Tiền Giang")
    assert [(m["code"], m["name"]) for m in matches] == [("28261", "Phường Mỹ Tho")]
    assert matches[0]["parent_code"] == "82"
    assert matches[0]["via"]["code"] == "28261" and matches[0]["via"]["valid_to"] == "2025-07-01"


def test_a_legacy_address_with_its_district_is_not_read_as_a_lookalike_of_today(client):
    # read with today's names, "Châu Thành, Tiền Giang" is nearest Xã Yên Châu of Sơn La
    matches = resolve(client, "xã Long Hưng, huyện Châu Thành, tỉnh Tiền Giang")
    assert matches and {m["parent_code"] for m in matches} == {"82"}
    assert matches[0]["matched"] == "legacy" and matches[0]["via"]["code"] == "28561"


def test_a_current_name_resolves_to_itself(client):
    matches = resolve(client, "Phường Mỹ Tho, Tỉnh Đồng Tháp")
    assert [(m["code"], m["matched"]) for m in matches] == [("28261", "current")]


def test_the_old_dong_thap_and_the_new_one_both_resolve_to_82(client):
    # "Đồng Tháp" was province 87 until 2025-06-30 and names province 82 since.
    assert {m["code"] for m in resolve(client, "Tỉnh Đồng Tháp")} == {"82"}


def test_a_name_that_is_no_unit_resolves_to_nothing(client):
    assert resolve(client, "Thành phố Atlantis") == []
