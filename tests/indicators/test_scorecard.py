"""Honest aggregation across communes, periods and the 2025 merger; status, projection and rank."""

import pytest

from ..support.http import auth
from ..support.indicators import card, obs


def test_a_ratio_over_two_legacy_provinces_merged_into_one_is_the_ratio_of_the_sums(client, leader):
    # 2024: Tiền Giang (82 then) and the old Đồng Tháp (87) both report online dossiers
    leader.report(
        obs("online_dossier_rate", "82", "2024", numerator=388_880, denominator=722_154),
        obs("online_dossier_rate", "87", "2024", numerator=90, denominator=100),
    )
    item = card(client, "82", 2024, "online_dossier_rate")
    assert item["value"] == pytest.approx(388_970 / 722_254 * 100)
    assert (item["numerator"], item["denominator"]) == (388_970, 722_254)
    assert "Tiền Giang" in item["note"] and "Đồng Tháp" in item["note"]


def test_a_percentage_without_counts_is_not_aggregated_over_the_merger(client, leader):
    leader.report(
        obs("online_dossier_rate", "82", "2024", value=53.85),
        obs("online_dossier_rate", "87", "2024", numerator=90, denominator=100),
    )
    item = card(client, "82", 2024, "online_dossier_rate")
    assert item["value"] is None and item["aggregatable"] is False


def test_counts_add_up_from_communes_and_months(client, leader):
    leader.report(
        obs("hotline_1022_reports", "28261", "202509", value=10),
        obs("hotline_1022_reports", "28261", "202510", value=15),
        obs("hotline_1022_reports", "28249", "202510", value=5),
    )
    assert card(client, "82", 2025, "hotline_1022_reports")["value"] == 30
    assert card(client, "28261", 2025, "hotline_1022_reports")["value"] == 25


def test_a_value_for_the_province_itself_comes_before_the_sum_of_its_communes(client, leader):
    leader.report(
        obs("hotline_1022_reports", "28261", "202509", value=10),
        obs("hotline_1022_reports", "82", "2025", value=3345),
    )
    assert card(client, "82", 2025, "hotline_1022_reports")["value"] == 3345


def test_a_level_takes_the_latest_period_not_the_sum_of_the_months(client, leader):
    leader.report(
        obs("online_services_end_to_end", "82", "202508", value=1100),
        obs("online_services_end_to_end", "82", "202510", value=1165),
    )
    assert card(client, "82", 2025, "online_services_end_to_end")["value"] == 1165


def test_status_and_projection_against_a_provincial_target(client, api, leader):
    # 40% in 2020, 60% in 2024; target 80% in 2030 → CAGR_o 0.106682, CAGR_r 0.071773, R 1.486:
    # on track, 80% reached in 2027, 110.2% projected for 2030 at this pace
    leader.report(
        obs("online_payment_rate", "82", "2020", value=40),
        obs("online_payment_rate", "82", "2024", value=60),
    )
    r = client.post(
        "/api/v1/targets",
        json={
            "indicator": "online_payment_rate",
            "unit": "82",
            "year": 2030,
            "value": 80,
            "basis": "Kế hoạch của tỉnh",
        },
        headers=auth(leader.token),
    )
    assert r.status_code == 201
    item = card(client, "82", 2024, "online_payment_rate")
    assert (item["status"], item["target"], item["target_year"], item["target_kind"]) == (
        "on_track",
        80,
        2030,
        "provincial",
    )
    assert item["projected_year"] == 2027 and item["projected_value"] == pytest.approx(
        110.23, abs=0.01
    )
    assert item["score"] == 5.0
    series = client.get(
        "/api/v1/indicators/online_payment_rate/series", params={"unit": "82"}
    ).json()["items"]
    assert [(s["period"], s["value"]) for s in series] == [("2020", 40), ("2024", 60)]


def test_the_national_target_applies_when_no_provincial_one_is_set(client, leader):
    leader.report(
        obs("online_payment_rate", "82", "2020", value=40),
        obs("online_payment_rate", "82", "2024", value=45),
    )
    item = card(client, "82", 2024, "online_payment_rate")
    assert (item["target"], item["target_year"], item["target_kind"]) == (80, 2030, "national")
    assert item["status"] == "limited_progress"  # R = 0.0299 / 0.0718 = 0.41


def test_provinces_are_ranked_with_ties_sharing_a_rank(client, api):
    admin = api.token("admin")
    from ..support.indicators import Reporter

    boss = Reporter(client, admin)
    boss.report(
        obs("hotline_1022_reports", "01", "2025", value=50),
        obs("hotline_1022_reports", "79", "2025", value=50),
        obs("hotline_1022_reports", "82", "2025", value=10),
    )
    body = client.get(
        "/api/v1/indicators/hotline_1022_reports/compare", params={"year": 2025}
    ).json()
    ranks = {i["code"]: i["rank"] for i in body["items"] if i["rank"]}
    assert ranks == {"01": 1, "79": 1, "82": 3} and body["of"] == 3
    assert len(body["items"]) == 34
    item = card(client, "82", 2025, "hotline_1022_reports")
    assert (item["rank"], item["of"]) == (3, 3)


def test_bad_scorecard_queries(client):
    assert client.get("/api/v1/scorecard", params={"unit": "99999"}).status_code == 422
    assert client.get("/api/v1/scorecard", params={"unit": "82", "year": 1800}).status_code == 422
    assert client.get("/api/v1/indicators/x/series", params={"unit": "82"}).status_code == 404
    r = client.get(
        "/api/v1/indicators/hotline_1022_reports/series",
        params={"unit": "82", "from": 2025, "to": 2020},
    )
    assert r.status_code == 422


def test_a_value_from_the_communes_says_how_many_of_them_reported(client, leader):
    # two of Đồng Tháp's communes report; the province itself reports nothing
    communes = [
        u["code"]
        for u in client.get("/api/v1/units", params={"parent": "82", "limit": 2}).json()["items"]
    ]
    total = client.get("/api/v1/units/82").json()
    leader.report(
        *[obs("online_dossiers", code, "202509", value=10.0) for code in communes],
    )
    item = card(client, "82", 2025, "online_dossiers")
    assert item["value"] == 20.0
    assert item["reporting"]["reported"] == 2
    assert item["reporting"]["of"] == total["children_count"] > 2
    own = card(client, communes[0], 2025, "online_dossiers")
    assert own["value"] == 10.0 and own["reporting"] is None


def test_a_province_value_from_simulated_commune_values_says_it_is_simulated(client, api):
    from ..support.ingest import Pusher

    simulator = Pusher(
        client,
        api,
        {
            "name": "mo-phong-xa",
            "types": ["observation"],
            "units": ["82"],
            "trusted": True,
            "simulated": True,
        },
    )
    simulator.push("observation", [obs("online_dossiers", "28261", "202509", value=40.0)])
    item = card(client, "82", 2025, "online_dossiers")
    assert item["value"] == 40.0 and item["reporting"]["reported"] == 1
    assert item["simulated"] is True  # shown as "dữ liệu mô phỏng"
    assert card(client, "82", 2025, "online_meetings")["simulated"] is False


def test_a_rank_follows_a_new_value_at_once(client, leader):
    # the ranks of a year are kept between requests until the rollups change: a change shows at once
    leader.report(
        obs("online_dossiers", "82", "2025", value=10.0),
        obs("online_dossiers", "01", "2025", value=20.0),
    )
    assert card(client, "82", 2025, "online_dossiers")["rank"] == 2
    assert card(client, "82", 2025, "online_dossiers")["rank"] == 2  # read again, same answer
    leader.report(obs("online_dossiers", "82", "2025", value=30.0))
    item = card(client, "82", 2025, "online_dossiers")
    assert (item["value"], item["rank"], item["of"]) == (30.0, 1, 2)
    assert card(client, "01", 2025, "online_dossiers")["rank"] == 2
