"""A leader approves or rejects, on a page, the values an officer submitted."""

from ..support.http import login
from ..support.indicators import card, obs


def _submitted(officer):
    answer = officer.report(obs("online_dossiers", "82", "202509", value=1200.0))
    assert answer["accepted"] == 1


def test_a_leader_approves_a_submitted_value_and_it_counts_at_once(client, api, officer):
    _submitted(officer)
    api.user("lanhdao.82", "leader", unit="82")
    csrf = login(client, "lanhdao.82", "password-57")
    overview = client.get("/").text
    assert "/indicators/review" in overview  # the overview says something awaits approval
    page = client.get("/indicators/review").text
    assert "1.200" in page and "canbo.tinh" in page  # Vietnamese digits, who entered it
    value_id = page.split('action="/indicators/review/', 1)[1].split('"', 1)[0]
    assert card(client, "82", 2025, "online_dossiers")["value"] is None

    r = client.post(
        f"/indicators/review/{value_id}",
        data={"decision": "approve", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].endswith("done=approved")
    assert card(client, "82", 2025, "online_dossiers")["value"] == 1200.0
    assert "Không có số liệu nào chờ bạn phê duyệt." in client.get("/indicators/review").text
    history = client.get(
        f"/api/v1/observations/{value_id}/history",
        headers={"Authorization": f"Bearer {officer.token}"},
    ).json()["items"]
    assert [h["action"] for h in history] == ["submit", "approve"]
    assert history[-1]["actor"] == "lanhdao.82"


def test_a_rejection_keeps_its_reason_and_does_not_count(client, api, officer):
    _submitted(officer)
    api.user("lanhdao.82", "leader", unit="82")
    csrf = login(client, "lanhdao.82", "password-57")
    value_id = client.get("/indicators/review").text.split('action="/indicators/review/', 1)[1]
    value_id = value_id.split('"', 1)[0]
    client.post(
        f"/indicators/review/{value_id}",
        data={
            "decision": "reject",
            "reason": "Số liệu chưa khớp báo cáo tháng",
            "csrf_token": csrf,
        },
    )
    assert card(client, "82", 2025, "online_dossiers")["value"] is None
    history = client.get(
        f"/api/v1/observations/{value_id}/history",
        headers={"Authorization": f"Bearer {officer.token}"},
    ).json()["items"]
    assert history[-1]["reason"] == "Số liệu chưa khớp báo cáo tháng"


def test_a_leader_of_another_province_sees_nothing_to_review_and_cannot_decide(
    client, api, officer
):
    _submitted(officer)
    api.user("lanhdao.01", "leader", unit="01")
    csrf = login(client, "lanhdao.01", "password-57")
    page = client.get("/indicators/review").text
    assert 'action="/indicators/review/' not in page
    with client.app.state.engine.connect() as conn:
        from sqlalchemy import select

        from ioc57.indicators.tables import indicator_values

        value_id = conn.execute(select(indicator_values.c.id)).scalar_one()
    r = client.post(
        f"/indicators/review/{value_id}", data={"decision": "approve", "csrf_token": csrf}
    )
    assert r.status_code == 403
    assert card(client, "82", 2025, "online_dossiers")["value"] is None


def test_an_officer_may_not_review_and_a_forged_form_is_refused(client, api, officer):
    _submitted(officer)
    login(client, "canbo.tinh", "password-57")
    assert client.get("/indicators/review").status_code == 403
    client.cookies.clear()
    api.user("lanhdao.82", "leader", unit="82")
    login(client, "lanhdao.82", "password-57")
    r = client.post("/indicators/review/1", data={"decision": "approve", "csrf_token": "forged"})
    assert r.status_code == 403
    r = client.post("/indicators/review/1", data={"decision": "maybe", "csrf_token": "x"})
    assert r.status_code == 422


def test_an_anonymous_visitor_logs_in_and_comes_back_to_the_review_page(client):
    for r in (
        client.get("/indicators/review?done=approved", follow_redirects=False),
        client.post("/indicators/review/1", data={"decision": "approve"}, follow_redirects=False),
    ):
        assert r.status_code == 303 and r.headers["location"] == "/login?next=/indicators/review"
