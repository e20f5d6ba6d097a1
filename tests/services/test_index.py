"""The Decision 766 index through the API, on a small fixture computed by hand.

Commune 28261 (province 82), September 2025. Procedures of the province:
- 1.001 commune, online full, fee, online payment, population db, published 7 working days before
  it took effect (on time), full content; changed 01/09, published 03/09 (1 working day: on time);
- 1.002 commune, not online, fee without online payment, published 1 working day before it took
  effect (late), content not full; changed 04/09, never published (late);
- 1.003 province level (not counted for a commune); 1.004 commune, in force from October.
Dossiers received in September at 28261 (D1..D5) and three reports about procedures (F1..F3):
see ``tests/support/index766.py`` (sent by the ``lgsp`` fixture). Every figure below is worked
out in the comments.
"""

from __future__ import annotations

import pytest

from ..ingest.records import dossier
from ..support.http import auth
from ..support.index766 import DOSSIERS, NONE, REPORTS


def index(client, api, unit="28261", period="202509"):
    r = client.get(
        "/api/v1/services/index",
        params={"unit": unit, "period": period},
        headers=auth(api.token("admin")),
    )
    assert r.status_code == 200, r.text
    return r.json()


EXPECTED = {
    # id: (numerator, denominator, score)
    "1.1": (1, 2, 3.0),  # 1.001 on time of 1.001, 1.002: 6 x 1/2
    "1.2": (1, 2, 2.0),  # 4 x 1/2
    "1.3": (1, 2, 1.0),  # 2 x 1/2
    "1.4": (4, 5, 4.8),  # D1, D2, D3, D5 synchronised: 6 x 4/5
    "2.1": (2, 4, 10.0),  # D1, D5 on time of D1, D2, D4, D5: 20 x 1/2
    "3.1": (1, 2, 1.25),  # 1/2 full at 80%: 2 x 0.5 / 0.8
    "3.2": (1, 1, 4.0),  # 1.001, the one online commune procedure, got D1 and D5
    "3.3": (3, 5, 6.0),  # D1, D3, D5 online: 60% is past "full at 50%"
    "4.1": (1, 2, 1.0),  # 1.001 of the fee-bearing 1.001, 1.002
    "4.2": (1, 2, 1.0),  # 1.001 was paid online (D1, D5), 1.002 never
    "4.3": (2, 4, 3.0),  # D1, D5 paid of D1, D2, D3, D5 (fee-bearing procedures)
    "5.1": (1, 3, 2.0),  # F1 on time; F2 late, F3 unanswered past its deadline
    "5.2": (0, 3, 0.0),  # (3 - 1 unsatisfied - 1 repeated - 2 late) / 3 < 0: none
    "5.3": (1, 4, 1.67),  # (4 - 2 late - 1 complaint) / 4 = 25%, full at 90%: 6 x 0.25 / 0.9
    "6.1": (1, 4, 1.5),  # D1 of 4 finished: 6 x 1/4
    "6.2": (1, 5, 0.8),  # D1 of 5 received: 4 x 1/5
    "6.3": (1, 4, 0.5),  # D4: 2 x 1/4
    "6.4": (1, 5, 0.5),  # D3: 20%, full at 80%: 2 x 0.25
    "6.5": (1, 4, 1.0),  # D1: 4 x 1/4
    "6.6": (1, 2, 1.0),  # 1.001: 2 x 1/2
    "6.7": (1, 5, 0.4),  # D3: 2 x 1/5
}
GROUPS = {"CKMB": 10.8, "TDGQ": 10.0, "CLGQ": 11.25, "TTTT": 5.0, "MDHL": 3.67, "MDSH": 5.7}


def test_every_indicator_of_a_commune_matches_the_hand_computed_figures(client, api, lgsp):
    body = index(client, api)
    got = {i["id"]: (i["numerator"], i["denominator"], i["score"]) for i in body["indicators"]}
    assert got == EXPECTED
    assert {g["code"]: g["score"] for g in body["groups"]} == GROUPS
    assert [g["max"] for g in body["groups"]] == [18, 20, 12, 10, 18, 22]
    assert body["total"] == 46.42  # 10.8 + 10 + 11.25 + 5 + 3.6667 + 5.7
    assert body["assessable_max"] == 100
    # one more dossier finishing late rather than on time: 2.1 12 -> 8 (3 or 2 of 5), 5.3
    # 6 x 0.4/0.9 -> 6 x 0.2/0.9
    assert body["points_at_stake"] == 5.333
    assert body["average_working_days"] == 6.25  # (5 + 9 + 3 + 8) / 4 (02/09 is a holiday)


def test_the_province_counts_every_level_of_procedure(client, api, lgsp):
    body = index(client, api, unit="82")
    got = {i["id"]: (i["numerator"], i["denominator"]) for i in body["indicators"]}
    assert got["1.1"] == (2, 3)  # 1.001 and 1.003 on time, of three in force
    assert got["3.1"] == (2, 3)  # 1.001 full, 1.003 partial
    assert got["3.2"] == (1, 2)  # 1.003 is online but got no online dossier
    assert got["2.1"] == (2, 4)  # the same dossiers: they are all in the province


def test_points_that_cannot_be_assessed_are_reported_as_such(client, api, lgsp):
    body = index(client, api, unit="28249")  # a commune with no dossier and no report
    items = {i["id"]: i for i in body["indicators"]}
    for ident in ("1.4", "2.1", "3.3", "4.3", "5.3", "6.1", "6.2", "6.7"):
        assert items[ident]["assessable"] is False, ident
        assert items[ident]["score"] is None and items[ident]["rate"] is None
    # no report about a procedure: 5.1 and 5.2 score their max
    assert (items["5.1"]["score"], items["5.2"]["score"]) == (6, 6)
    assert items["5.1"]["assessable"] is True
    # the procedures of the province still count for the commune
    assert items["1.1"]["score"] == 3.0
    groups = {g["code"]: g for g in body["groups"]}
    assert groups["TDGQ"] == groups["TDGQ"] | {"score": None, "assessable": False}
    # 1.4 (6), 2.1 (20), 3.3 (6), 4.3 (6), 5.3 (6), 6.1 .. 6.5 and 6.7 (20) cannot be assessed
    assert body["assessable_max"] == 100 - 6 - 20 - 6 - 6 - 6 - 20


def test_a_status_change_shows_in_the_next_read(client, api, lgsp):
    before = index(client, api)
    finished = dossier(3, procedure="1.002", status="finished",
                       finished_at="2025-09-08T10:00:00+07:00",
                       updated_at="2025-09-08T10:00:00+07:00",
                       **(NONE | {"synced_national": True, "data_reused": True,
                                  "population_data_used": True}))  # fmt: skip
    lgsp.push("dossier", [finished])
    after = index(client, api)
    two_one = {b["id"]: b for b in after["indicators"]}["2.1"]
    assert (two_one["numerator"], two_one["denominator"]) == (3, 5)
    assert after["total"] > before["total"]


def test_a_month_read_by_month_equals_the_same_days_read_by_day(client, api, lgsp):
    # 202509 reads the per-procedure rollups by month; a range that is not whole months reads
    # them by day: with nothing on 31/08, the two agree on every figure
    by_month = index(client, api, period="202509")
    by_day = index(client, api, period="20250831-20250930")
    assert by_month["indicators"] == by_day["indicators"]


def test_a_date_range_and_the_country(client, api, lgsp):
    body = index(client, api, period="20250901-20250910")
    two_one = {b["id"]: b for b in body["indicators"]}["2.1"]
    assert (two_one["numerator"], two_one["denominator"]) == (1, 2)  # D4 (05/09), D1 (09/09)
    country = index(client, api, unit="VN")
    assert {b["id"]: b for b in country["indicators"]}["2.1"]["denominator"] == 4


def test_ranking_counts_only_units_with_dossiers(client, api, lgsp):
    r = client.get(
        "/api/v1/services/ranking",
        params={"level": "commune", "parent": "82", "period": "202509"},
        headers=auth(api.token("admin")),
    )
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    first = items[0]
    assert (first["unit"], first["rank"], first["previous_rank"]) == ("28261", 1, None)
    # the other communes had no dossier: no total, no rank (their province's procedures and the
    # "max if none" points alone would put them above a commune that serves people)
    assert all(i["rank"] is None and i["total"] is None for i in items[1:])
    assert not items[1]["has_dossiers"]


def test_units_with_the_same_total_share_a_rank(client, api, lgsp):
    # 28249 gets the same dossiers as 28261 (and so the same total): both rank 1, none 2
    twins = [d | {"id": f"{d['id']}-twin", "unit": "28249"} for d in DOSSIERS]
    lgsp.push("dossier", twins)
    lgsp.push("feedback", [r | {"id": f"{r['id']}-twin", "unit": "28249"} for r in REPORTS])
    r = client.get(
        "/api/v1/services/ranking",
        params={"level": "commune", "parent": "82", "period": "202509"},
        headers=auth(api.token("admin")),
    )
    ranked = [(i["unit"], i["rank"]) for i in r.json()["items"] if i["rank"] is not None]
    assert sorted(ranked) == [("28249", 1), ("28261", 1)]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"unit": "nowhere"}, "unit"),
        ({"unit": "82", "period": "2025Q5"}, "period"),
        ({"unit": "82", "period": "20250901-20250101"}, "period"),
        ({"unit": "82", "period": "20200101-20250101"}, "period"),
        ({"period": "202509"}, "unit"),
    ],
)
def test_bad_input_names_the_field(client, api, params, field):
    r = client.get("/api/v1/services/index", params=params, headers=auth(api.token("admin")))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert field in str(r.json()["errors"])


def test_an_officer_reads_only_its_subtree(client, api, lgsp):
    token = api.user("officer.28261", "officer", unit="28261")
    assert (
        client.get(
            "/api/v1/services/index", params={"unit": "28261"}, headers=auth(token)
        ).status_code
        == 200
    )
    for params in ({"unit": "82"}, {"unit": "28249"}, {"unit": "VN"}):
        r = client.get("/api/v1/services/index", params=params, headers=auth(token))
        assert r.status_code == 403, params
    r = client.get(
        "/api/v1/services/ranking",
        params={"level": "commune", "parent": "82"},
        headers=auth(token),
    )
    assert r.status_code == 403


def test_the_previous_rank_and_the_ranking_of_provinces(client, api, lgsp):
    # in August, 28249 finished a dossier on time and 28261 none: 28249 alone was ranked (1st)
    august = dossier(
        30,
        unit="28249",
        procedure="1.001",
        received_at="2025-08-04T08:00:00+07:00",
        due_at="2025-08-08T17:00:00+07:00",
        status="finished",
        finished_at="2025-08-06T10:00:00+07:00",
        updated_at="2025-08-06T10:00:00+07:00",
        **NONE,
    )
    lgsp.push("dossier", [august])
    headers = auth(api.token("admin"))
    params = {"level": "commune", "parent": "82", "period": "202509"}
    items = client.get("/api/v1/services/ranking", params=params, headers=headers).json()["items"]
    by_unit = {i["unit"]: i for i in items}
    assert (by_unit["28261"]["rank"], by_unit["28261"]["previous_rank"]) == (1, None)
    assert by_unit["28249"]["previous_rank"] == 1 and by_unit["28249"]["rank"] is None
    # the provinces, in the whole country: only Đồng Tháp (82) has dossiers
    params = {"level": "province", "period": "202509"}
    body = client.get("/api/v1/services/ranking", params=params, headers=headers).json()
    ranked = [(i["unit"], i["rank"]) for i in body["items"] if i["rank"] is not None]
    assert body["parent"] == "VN" and ranked == [("82", 1)]
    assert len(body["items"]) == 34
