"""The routes of categories to agencies (``/api/v1/feedback/routes``, ``/feedback/routes``): a
province's table written whole by an admin, validated (known categories, current agencies of that
province) and audited; read by staff; its page for admins only."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from ioc57.core.audit import audit_log

from ..support.http import auth
from .test_life import make_agency

ENV, ROADS = "ROUTE-MT82", "ROUTE-GT82"


@pytest.fixture(scope="module")
def routed(feedback, api):
    make_agency(feedback, ENV)
    make_agency(feedback, ROADS)
    body = {"code": "ROUTE-HN01", "name": "Sở ở tỉnh khác", "parent": "01", "type": "sở"}
    r = feedback.client.post("/api/v1/units", json=body, headers=feedback.admin)
    assert r.status_code == 201, r.text
    return {
        "operator": api.user("route-operator", "operator"),
        "viewer": api.user("route-viewer", "viewer"),
    }


def put(feedback, routes, headers=None, province="82", expect=200):
    body = {"province": province, "routes": routes}
    r = feedback.client.put("/api/v1/feedback/routes", json=body, headers=headers or feedback.admin)
    assert r.status_code == expect, r.text
    return r.json()


def agency_of(answer, category):
    return next(r["agency"] for r in answer["routes"] if r["category"] == category)


def test_an_admin_writes_a_provinces_routes_whole_and_the_change_is_audited(feedback, routed):
    first = put(feedback, {"moi-truong": ENV, "giao-thong": ROADS})
    assert agency_of(first, "moi-truong")["code"] == ENV
    assert {a["code"] for a in first["agencies"]} >= {ENV, ROADS}
    second = put(feedback, {"giao-thong": ENV, "moi-truong": None})
    assert (
        agency_of(second, "moi-truong") is None and agency_of(second, "giao-thong")["code"] == ENV
    )
    read = feedback.client.get(
        "/api/v1/feedback/routes", params={"province": "82"}, headers=auth(routed["viewer"])
    )
    assert read.status_code == 200 and read.json() == second
    with feedback.api.app.state.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.before, audit_log.c.after)
            .where(audit_log.c.action == "feedback.routes")
            .order_by(audit_log.c.id)
        ).all()
    before, after = (json.loads(v) if isinstance(v, str) else v for v in rows[-1])
    assert before == {"moi-truong": ENV, "giao-thong": ROADS} and after == {"giao-thong": ENV}


def test_routes_are_refused_naming_the_category_or_the_agency(feedback, routed):
    kept = put(feedback, {"do-thi": ROADS})
    bad = put(feedback, {"nope": ENV, "do-thi": "ROUTE-HN01", "y-te": "NO-SUCH"}, expect=422)
    named = {tuple(e["loc"]): e["msg"] for e in bad["errors"]}
    assert named == {
        ("body", "routes", "nope"): "unknown category",
        ("body", "routes", "do-thi"): "not a current agency of the province",
        ("body", "routes", "y-te"): "not a current agency of the province",
    }
    assert put(feedback, {}, province="28261", expect=422)["errors"][0]["loc"] == ["province"]
    put(feedback, {"x" * 41: ENV}, expect=422)
    now = feedback.client.get(
        "/api/v1/feedback/routes", params={"province": "82"}, headers=feedback.admin
    ).json()
    assert now == kept  # nothing written by a refusal


def test_only_an_admin_writes_routes_and_sees_their_page(feedback, routed):
    put(feedback, {"do-thi": ROADS}, headers=auth(routed["operator"]), expect=403)
    put(feedback, {}, headers=auth(routed["viewer"]), expect=403)
    page = feedback.client.get(
        "/feedback/routes", params={"province": "82"}, headers=feedback.admin
    )
    assert page.status_code == 200 and "Phân luồng phản ánh" in page.text
    assert 'name="routes.do-thi"' in page.text and f'value="{ROADS}" selected' in page.text
    denied = feedback.client.get("/feedback/routes", headers=auth(routed["operator"]))
    assert denied.status_code == 403
    queue = feedback.client.get("/feedback", headers=auth(routed["operator"])).text
    assert 'href="/feedback/routes"' not in queue
    assert (
        'href="/feedback/routes"' in feedback.client.get("/feedback", headers=feedback.admin).text
    )
