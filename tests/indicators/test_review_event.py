"""A decision on a value is published once it is committed (``indicators.reviewed``, to the value's
unit and its ancestors), so the pages that show its figures read them again at once; a decision
refused publishes nothing."""

from sqlalchemy import select

from ioc57.units.tables import units

from ..support.http import auth
from ..support.indicators import obs


def _heard(app) -> list:
    heard: list = []
    app.state.bus.subscribe("indicators.reviewed", heard.append)
    return heard


def _unit_ids(app, code: str) -> set[int]:
    """The ids a unit's code has had (the province of 82 before and since the 2025 merger)."""
    with app.state.engine.connect() as conn:
        return set(conn.execute(select(units.c.id).where(units.c.code == code)).scalars())


def test_an_approval_and_a_rejection_are_published_to_the_values_unit(app, client, officer, leader):
    heard = _heard(app)
    officer.report(obs("hotline_1022_reports", "82", "202509", value=120))
    officer.report(obs("hotline_1022_reports", "82", "202510", value=9999))
    first, second = sorted(
        client.get("/api/v1/observations", headers=auth(leader.token)).json()["items"],
        key=lambda item: item["period"],
    )
    assert heard == []  # submitting is the gate's event, not a decision
    r = client.post(
        f"/api/v1/observations/{first['id']}/approve", json={}, headers=auth(leader.token)
    )
    assert r.status_code == 200
    r = client.post(
        f"/api/v1/observations/{second['id']}/reject",
        json={"reason": "typo"},
        headers=auth(leader.token),
    )
    assert r.status_code == 200
    assert [(e.data["value_id"], e.data["status"]) for e in heard] == [
        (first["id"], "approved"),
        (second["id"], "rejected"),
    ]
    assert {e.data["indicator"] for e in heard} == {"hotline_1022_reports"}
    assert all(_unit_ids(app, "82") & set(e.units) for e in heard)


def test_a_refused_decision_publishes_nothing(app, client, officer):
    heard = _heard(app)
    officer.report(obs("hotline_1022_reports", "82", "202509", value=120))
    (draft,) = client.get("/api/v1/observations", headers=auth(officer.token)).json()["items"]
    r = client.post(
        f"/api/v1/observations/{draft['id']}/approve", json={}, headers=auth(officer.token)
    )
    assert r.status_code == 403 and heard == []
    r = client.post("/api/v1/observations/999999/approve", json={}, headers=auth(officer.token))
    assert r.status_code in (403, 404) and heard == []
