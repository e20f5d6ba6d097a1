"""A value that is not approved is seen only by those who report or review its unit's values: in the
list and in its history alike. To anyone else it does not exist (404, as a missing id: ids are
sequential), and the history of an approved value shows them only what was approved."""

from __future__ import annotations

import pytest

from ..support.http import auth
from ..support.indicators import obs

OUTSIDERS = ["officer of Hà Nội", "commune officer", "leader of Hà Nội", "viewer", "operator"]
OUTSIDERS += ["unrelated source", "source of the province", "anonymous"]
INSIDERS = ["own officer", "leader", "admin"]


@pytest.fixture
def people(client, api, officer) -> dict[str, dict]:
    def source(name: str, units: list[str]) -> str:
        body = {"name": name, "types": ["dossier"], "units": units}
        r = client.post("/api/v1/sources", json=body, headers=auth(api.token("admin")))
        assert r.status_code == 201, r.text
        return r.json()["token"]

    tokens = {
        "own officer": officer.token,
        "leader": api.user("lanhdao", "leader"),
        "admin": api.token("admin"),
        "officer of Hà Nội": api.user("canbo.hanoi", "officer", unit="01"),
        "commune officer": api.user("canbo.mytho", "officer", unit="28261"),
        "leader of Hà Nội": api.user("lanhdao.hanoi", "leader", unit="01"),
        "viewer": api.user("xem", "viewer"),
        "operator": api.user("vanhanh", "operator"),
        "unrelated source": source("dvc-01", ["01"]),
        "source of the province": source("dvc-82", ["82"]),
    }
    return {name: auth(token) for name, token in tokens.items()} | {"anonymous": {}}


def draft(officer) -> dict:
    answer = officer.report(
        obs("online_dossier_rate", "82", "202509", numerator=412, denominator=1000)
    )
    assert answer["accepted"] == 1, answer
    return answer


def value_id(client, people) -> int:
    (item,) = client.get("/api/v1/observations", headers=people["admin"]).json()["items"]
    return item["id"]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_a_draft_and_its_history_do_not_exist_outside_its_scope(client, officer, people, who):
    draft(officer)
    vid = value_id(client, people)
    r = client.get(f"/api/v1/observations/{vid}/history", headers=people[who])
    assert r.status_code == 404, r.text
    assert r.headers["content-type"] == "application/problem+json"
    missing = client.get(f"/api/v1/observations/{vid + 1000}/history", headers=people[who])
    assert missing.status_code == 404  # the same answer as for an id that does not exist
    assert missing.json()["detail"].replace(str(vid + 1000), str(vid)) == r.json()["detail"]
    assert "412" not in r.text and "test: a figure" not in r.text
    listed = client.get("/api/v1/observations", headers=people[who]).json()["items"]
    assert listed == []


@pytest.mark.parametrize("who", INSIDERS)
def test_those_who_report_or_review_the_unit_see_the_draft_and_its_history(
    client, officer, people, who
):
    draft(officer)
    vid = value_id(client, people)
    r = client.get(f"/api/v1/observations/{vid}/history", headers=people[who])
    assert r.status_code == 200, r.text
    (entry,) = r.json()["items"]
    assert entry["action"] == "submit" and entry["new"]["numerator"] == 412
    assert entry["new"]["citation"] == "test: a figure reported in a test"
    (listed,) = client.get("/api/v1/observations", headers=people[who]).json()["items"]
    assert listed["status"] == "submitted" and listed["numerator"] == 412


def test_the_history_of_an_approved_value_shows_outsiders_only_what_was_approved(
    client, officer, people
):
    def decide(vid: int, decision: str, reason: str) -> None:
        r = client.post(
            f"/api/v1/observations/{vid}/{decision}",
            json={"reason": reason},
            headers=people["leader"],
        )
        assert r.status_code == 200, r.text

    officer.report(obs("hotline_1022_reports", "82", "202509", value=9999))
    vid = value_id(client, people)
    decide(vid, "reject", "nhầm một số 9")
    officer.report(obs("hotline_1022_reports", "82", "202509", value=999))
    decide(vid, "approve", "đã đối chiếu")
    full = client.get(f"/api/v1/observations/{vid}/history", headers=people["own officer"])
    assert [h["action"] for h in full.json()["items"]] == ["submit", "reject", "change", "approve"]
    assert "9999" in full.text and "nhầm một số 9" in full.text
    for who in ("officer of Hà Nội", "viewer", "unrelated source", "anonymous"):
        r = client.get(f"/api/v1/observations/{vid}/history", headers=people[who])
        assert r.status_code == 200, (who, r.text)
        (entry,) = r.json()["items"]
        assert (entry["action"], entry["actor"]) == ("approve", "lanhdao")
        assert entry["new"]["value"] == 999 and entry["new"]["status"] == "approved"
        assert entry["old"] is None and entry["reason"] is None
        assert "9999" not in r.text and "nhầm" not in r.text, who
