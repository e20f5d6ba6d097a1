"""``/api/v1/centre/layouts``: anyone who reads the centre lists and reads the wall's layouts;
an operator saves and removes them, each change in the audit log; a viewer may not; a bad
layout is a 422 naming the field, a tile or layer no module offers is refused by name."""

from __future__ import annotations

from ioc57.centre.registry import offered
from ioc57.core import audit

from ..support.http import auth

LAYOUT = {
    "title": "Duty room",
    "pages": [
        {
            "title": "What needs attention today",
            "seconds": 20,
            "rows": 2,
            "panels": [
                {"kind": "concerns", "cols": 8, "rows": 2},
                {"kind": "feed", "cols": 4, "rows": 2},
            ],
        }
    ],
}


def test_a_viewer_reads_the_layouts_but_may_not_change_them(centre_client, centre_api):
    viewer = auth(centre_api.user("wall-viewer", "viewer"))
    r = centre_client.get("/api/v1/centre/layouts", headers=viewer)
    assert r.status_code == 200, r.text
    names = {item["name"]: item for item in r.json()["layouts"]}
    assert names["dieu-hanh"]["source"] == "shipped" and len(names["dieu-hanh"]["pages"]) == 4
    assert r.json()["default"] == "dieu-hanh"
    assert centre_client.get("/api/v1/centre/layouts/dieu-hanh", headers=viewer).status_code == 200
    assert centre_client.get("/api/v1/centre/layouts/nowhere", headers=viewer).status_code == 404
    assert (
        centre_client.put("/api/v1/centre/layouts/mine", json=LAYOUT, headers=viewer).status_code
        == 403
    )
    assert (
        centre_client.delete("/api/v1/centre/layouts/dieu-hanh", headers=viewer).status_code == 403
    )
    assert centre_client.get("/api/v1/centre/layouts").status_code == 401


def test_an_operator_saves_overrides_and_removes_a_layout_audited(
    centre_client, centre_api, centre_app
):
    operator = auth(centre_api.user("wall-operator", "operator"))
    layout = {**LAYOUT}
    tiles = offered().tiles
    if tiles:  # with the modules' tiles installed, a tile too
        layout["pages"] = [
            *LAYOUT["pages"],
            {"title": "Figures", "panels": [{"kind": "tile", "tile": tiles[0].name}]},
        ]
    r = centre_client.put("/api/v1/centre/layouts/duty-room", json=layout, headers=operator)
    assert r.status_code == 201, r.text
    assert r.json()["source"] == "saved" and r.json()["updated_at"]
    r = centre_client.put(
        "/api/v1/centre/layouts/duty-room", json={**layout, "title": "Duty"}, headers=operator
    )
    assert r.status_code == 200 and r.json()["title"] == "Duty"
    listed = centre_client.get("/api/v1/centre/layouts", headers=operator).json()["layouts"]
    assert {"duty-room", "dieu-hanh"} <= {item["name"] for item in listed}

    # a saved layout of a shipped one's name overrides it; removing it brings the shipped one back
    r = centre_client.put("/api/v1/centre/layouts/canh-bao", json=LAYOUT, headers=operator)
    assert r.status_code == 201
    assert (
        centre_client.get("/api/v1/centre/layouts/canh-bao", headers=operator).json()["title"]
        == "Duty room"
    )
    assert (
        centre_client.delete("/api/v1/centre/layouts/canh-bao", headers=operator).status_code == 204
    )
    back = centre_client.get("/api/v1/centre/layouts/canh-bao", headers=operator).json()
    assert back["source"] == "shipped" and back["title"] == "Alerts and sensors"
    assert (
        centre_client.delete("/api/v1/centre/layouts/canh-bao", headers=operator).status_code == 404
    )

    with centre_app.state.engine.connect() as conn:
        done = audit.entries(conn, object_type="wall_layout", actor="wall-operator")
    kinds = [(e["action"], e["object_id"]) for e in reversed(done)]
    assert kinds == [
        ("centre.layout.save", "duty-room"),
        ("centre.layout.save", "duty-room"),
        ("centre.layout.save", "canh-bao"),
        ("centre.layout.remove", "canh-bao"),
    ]
    assert done[-2]["before"]["title"] == "Duty room"  # the second save kept what it replaced
    assert done[-1]["before"] is None and done[-1]["after"]["title"] == "Duty room"


def test_a_bad_layout_is_refused_naming_the_field(centre_client, centre_api):
    admin = auth(centre_api.token("admin"))
    bad = {**LAYOUT, "pages": [{**LAYOUT["pages"][0], "seconds": 1}]}
    r = centre_client.put("/api/v1/centre/layouts/bad", json=bad, headers=admin)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["loc"] == ["body", "pages", "0", "seconds"]

    unknown = {
        **LAYOUT,
        "pages": [{"title": "t", "panels": [{"kind": "tile", "tile": "nowhere.tile"}]}],
    }
    r = centre_client.put("/api/v1/centre/layouts/bad", json=unknown, headers=admin)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "pages", "0", "panels", "0", "tile"]
    assert "nowhere.tile" in r.json()["detail"]

    layer = {
        **LAYOUT,
        "pages": [{"title": "t", "panels": [{"kind": "map", "layers": ["no.layer"]}]}],
    }
    r = centre_client.put("/api/v1/centre/layouts/bad", json=layer, headers=admin)
    assert r.status_code == 422 and "no.layer" in r.json()["detail"]
    assert r.json()["errors"][0]["loc"] == ["body", "pages", "0", "panels", "0", "layers", "0"]

    r = centre_client.put("/api/v1/centre/layouts/Not%20a%20name", json=LAYOUT, headers=admin)
    assert r.status_code == 422
    assert centre_client.get("/api/v1/centre/layouts/bad", headers=admin).status_code == 404
