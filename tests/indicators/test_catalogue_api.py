"""The catalogue through the API: every indicator with its fields and national targets."""

FIELDS = (
    "code",
    "name",
    "name_en",
    "description",
    "unit_of_measure",
    "kind",
    "aggregation",
    "period_type",
    "direction",
    "source",
    "legal_basis",
    "targets",
)


def test_the_catalogue_lists_indicators_with_their_fields(client):
    body = client.get("/api/v1/indicators").json()
    assert body["total"] >= 40
    for item in body["items"]:
        assert all(field in item for field in FIELDS), item["code"]
        assert item["aggregation"] in ("sum", "ratio", "none")
        assert item["period_type"] in ("year", "quarter", "month")
    assert set(body["groups"]) == {"st", "innovation", "digital_government", "digital_economy"}


def test_the_national_targets_of_resolution_57(client):
    rd = client.get("/api/v1/indicators/rd_spending_gdp_share").json()
    assert {k: rd["targets"][0][k] for k in ("year", "value")} == {"year": 2030, "value": 2.0}
    researchers = client.get("/api/v1/indicators/rd_personnel_per_10k").json()
    assert [(t["year"], t["value"]) for t in researchers["targets"]] == [(2030, 12.0)]
    digital = client.get("/api/v1/indicators/digital_economy_gdp_share").json()
    assert {(t["year"], t["value"]) for t in digital["targets"]} >= {(2030, 30.0), (2045, 50.0)}


def test_an_unknown_indicator_is_404(client):
    r = client.get("/api/v1/indicators/nonsense")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
