"""``/api/v1/centre``: concerns, tiles and layers as JSON for a reader of the centre, in their
scope; 401 for no one, 403 for a caller without ``centre.read``, 404 and 422 problems naming what
is wrong."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from ioc57.centre import registry

from ..support.http import auth

PROBLEM = "application/problem+json"


def rank(concern: dict, at: datetime) -> tuple[int, datetime]:
    """Most severe first, a concern of the last day a step up, then the newest."""
    since = datetime.fromisoformat(concern["since"])
    return concern["severity"] + (at - since <= timedelta(hours=24)), since


PATHS = (
    "/api/v1/centre/concerns",
    "/api/v1/centre/tiles",
    "/api/v1/centre/tiles/services.received",
    "/api/v1/centre/layers/sensors.stations",
)


@pytest.mark.parametrize("path", PATHS)
def test_an_anonymous_caller_is_asked_to_log_in(people, path):
    r = people.api.client().get(path)
    assert r.status_code == 401
    assert r.headers["content-type"] == PROBLEM


def test_a_data_source_may_not_read_the_centre(people):
    client = people.api.client()
    r = client.post(
        "/api/v1/sources",
        json={"name": "centre-api-src", "types": ["dossier"], "units": ["82"]},
        headers=auth(people.api.token("admin")),
    )
    assert r.status_code == 201, r.text
    r = client.get("/api/v1/centre/concerns", headers=auth(r.json()["token"]))
    assert r.status_code == 403 and "centre.read" in r.json()["detail"]


def test_concerns_come_ranked_with_their_time_and_codes(people):
    r = people.api.client().get("/api/v1/centre/concerns", headers=auth(people.leader))
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"at", "concerns", "unread"}
    assert datetime.fromisoformat(body["at"]).utcoffset() is not None
    assert body["unread"] == []
    at = datetime.fromisoformat(body["at"])
    ranks = [rank(c, at) for c in body["concerns"]]
    assert ranks == sorted(ranks, reverse=True)
    for c in body["concerns"]:
        assert c["code"] == ":".join(c["key"].split(":")[:2])
        assert datetime.fromisoformat(c["since"]).utcoffset() is not None


@pytest.mark.parametrize("bad", ["0", "201", "x"])
def test_a_limit_out_of_range_is_a_422_naming_it(people, bad):
    r = people.api.client().get(
        "/api/v1/centre/concerns", params={"limit": bad}, headers=auth(people.leader)
    )
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert r.json()["errors"][0]["loc"] == ["query", "limit"]


def test_tiles_are_those_with_a_figure_for_the_caller(people):
    r = people.api.client().get("/api/v1/centre/tiles", headers=auth(people.officer))
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"at", "tiles"}
    for tile in body["tiles"]:
        assert tile["name"].startswith(tile["module"] + ".")
        if tile["updated_at"] is not None:
            assert datetime.fromisoformat(tile["updated_at"]).utcoffset() is not None


@pytest.mark.parametrize(
    "path", ["/api/v1/centre/tiles/no.such-tile", "/api/v1/centre/layers/no.such-layer"]
)
def test_an_unknown_tile_or_layer_is_a_404_problem(people, path):
    r = people.api.client().get(path, headers=auth(people.leader))
    assert r.status_code == 404 and r.headers["content-type"] == PROBLEM
    assert path.rsplit("/", 1)[1] in r.json()["detail"]


def test_the_openapi_document_has_the_centre(people):
    paths = people.api.client().get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/centre/concerns",
        "/api/v1/centre/tiles",
        "/api/v1/centre/tiles/{name}",
        "/api/v1/centre/layers/{name}",
    ):
        responses = paths[path]["get"]["responses"]
        assert {"200", "401", "403", "503"} <= set(responses), path
    concern = paths["/api/v1/centre/concerns"]["get"]["responses"]["200"]
    assert concern["content"]["application/json"]["schema"]["$ref"].endswith("/ConcernsOut")


def test_every_offered_tile_and_layer_answers_in_its_documented_shape(people):
    client = people.api.client()
    offered = registry.offered()
    for path in [f"tiles/{t.name}" for t in offered.tiles] + [
        f"layers/{layer.name}" for layer in offered.layers
    ]:
        r = client.get(f"/api/v1/centre/{path}", headers=auth(people.leader))
        assert r.status_code in (200, 404), (path, r.text)
        if r.status_code == 404:
            assert "nothing for you" in r.json()["detail"] or "no figure" in r.json()["detail"]
            continue
        body = r.json()
        assert body["name"] == path.split("/", 1)[1]
        for time in [body["updated_at"]] if body["updated_at"] else []:
            assert datetime.fromisoformat(time).utcoffset() is not None
