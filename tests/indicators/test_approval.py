"""Values are submitted until approved; leaders' are approved at once; every change keeps history."""

from ..support.http import auth
from ..support.indicators import card, obs


def test_an_officers_value_counts_only_once_a_leader_approves_it(client, api, officer, leader):
    answer = officer.report(obs("hotline_1022_reports", "82", "202509", value=120))
    assert answer["accepted"] == 1
    assert card(client, "82", 2025, "hotline_1022_reports")["value"] is None
    drafts = client.get(
        "/api/v1/observations", params={"status": "submitted"}, headers=auth(officer.token)
    ).json()
    (draft,) = drafts["items"]
    assert draft["status"] == "submitted" and draft["value"] == 120
    assert (
        client.get("/api/v1/observations", params={"status": "submitted"}).json()["items"] == []
    )  # public
    r = client.post(
        f"/api/v1/observations/{draft['id']}/approve",
        json={"reason": "checked"},
        headers=auth(officer.token),
    )
    assert r.status_code == 403  # an officer does not approve
    r = client.post(
        f"/api/v1/observations/{draft['id']}/approve",
        json={"reason": "checked"},
        headers=auth(leader.token),
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert card(client, "82", 2025, "hotline_1022_reports")["value"] == 120


def test_a_leaders_value_is_approved_at_once_and_a_change_keeps_history(
    client, api, officer, leader
):
    leader.report(obs("hotline_1022_reports", "82", "202509", value=100))
    assert card(client, "82", 2025, "hotline_1022_reports")["value"] == 100
    officer.report(obs("hotline_1022_reports", "82", "202509", value=130))
    (value,) = client.get("/api/v1/observations", headers=auth(leader.token)).json()["items"]
    history = client.get(
        f"/api/v1/observations/{value['id']}/history", headers=auth(leader.token)
    ).json()["items"]
    assert [h["action"] for h in history] == ["approve", "change"]
    assert history[1]["old"]["value"] == 100 and history[1]["new"]["value"] == 130
    assert history[1]["actor"] == "canbo.tinh" and value["status"] == "submitted"
    # the changed value waits for approval; meanwhile the approved figure no longer counts
    assert card(client, "82", 2025, "hotline_1022_reports")["value"] is None


def test_a_rejection_is_recorded_with_its_reason(client, officer, leader):
    officer.report(obs("hotline_1022_reports", "82", "202509", value=9999))
    (value,) = client.get("/api/v1/observations", headers=auth(leader.token)).json()["items"]
    r = client.post(
        f"/api/v1/observations/{value['id']}/reject",
        json={"reason": "typo"},
        headers=auth(leader.token),
    )
    assert r.json()["status"] == "rejected"
    history = client.get(
        f"/api/v1/observations/{value['id']}/history", headers=auth(leader.token)
    ).json()["items"]
    assert history[-1]["action"] == "reject" and history[-1]["reason"] == "typo"


def test_a_trusted_sources_values_are_approved_on_arrival(client, api):
    admin = auth(api.token("admin"))
    r = client.post(
        "/api/v1/sources",
        json={"name": "cuc-thong-ke", "types": ["observation"], "units": ["82"], "trusted": True},
        headers=admin,
    )
    token = r.json()["token"]
    r = client.post(
        "/api/v1/ingest/observation",
        json=[obs("hotline_1022_reports", "82", "202510", value=7)],
        headers=auth(token),
    )
    assert r.json()["accepted"] == 1
    assert card(client, "82", 2025, "hotline_1022_reports")["value"] == 7
