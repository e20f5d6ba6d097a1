"""Bad input gets a 4xx application/problem+json that names the field, never a 500."""

import pytest

PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [
        ("/api/v1/units/99999", {}, 404, "code"),
        ("/api/v1/units/82", {"at": "2025-02-30"}, 422, "at"),
        ("/api/v1/units", {"at": "yesterday"}, 422, "at"),
        ("/api/v1/units", {"limit": "-1"}, 422, "limit"),
        ("/api/v1/units", {"limit": "100000"}, 422, "limit"),
        ("/api/v1/units", {"offset": "-5"}, 422, "offset"),
        ("/api/v1/units", {"limit": "ten"}, 422, "limit"),
        ("/api/v1/units", {"q": "x" * 101}, 422, "q"),
        ("/api/v1/units", {"level": "galaxy"}, 422, "level"),
        ("/api/v1/units", {"parent": "00000"}, 422, "parent"),
        ("/api/v1/units", {"parent": "'; drop table units; --"}, 422, "parent"),
        ("/api/v1/units/resolve", {}, 422, "name"),
        ("/api/v1/units/resolve", {"name": "x" * 301}, 422, "name"),
        ("/api/v1/units/" + "9" * 41, {}, 422, "code"),
    ],
)
def test_bad_query_gets_problem_json_naming_the_field(client, path, params, status, field):
    r = client.get(path, params=params)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert any(field in err["loc"] for err in body["errors"]), body


def test_unknown_path_is_a_problem_too(client):
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.headers["content-type"].startswith(PROBLEM)


def test_bad_json_body_is_a_problem(client, api):
    r = client.post(
        "/api/v1/units",
        content=b"{not json",
        headers={
            "Authorization": f"Bearer {api.token('admin')}",
            "Content-Type": "application/json",
        },
    )
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)


def test_an_html_visitor_gets_a_friendly_page(client):
    r = client.get("/units/99999", headers={"accept": "text/html"})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "<html" in r.text and "99999" in r.text
