"""Who may do what: every role against every protected endpoint, with unit scope.

The expected answer of each cell is written out here; the decision itself is taken in one place
(``ioc57.core.access``), so this table is the policy's specification.
"""

import pytest

from ..support.http import auth

ROLES = [
    "admin",
    "leader",
    "operator",
    "officer_82",
    "officer_mytho",
    "viewer",
    "system",
    "anonymous",
]


def agency(parent: str, code: str) -> dict:
    return {"code": code, "name": f"Cơ quan {code}", "parent": parent, "type": "cơ quan"}


# endpoint name -> (method, path, body factory, {role: expected status})
MATRIX = {
    "list users": (
        "GET",
        "/api/v1/users",
        None,
        {
            "admin": 200,
            "leader": 200,
            "operator": 403,
            "officer_82": 403,
            "officer_mytho": 403,
            "viewer": 403,
            "system": 403,
            "anonymous": 401,
        },
    ),
    "create user": (
        "POST",
        "/api/v1/users",
        lambda i: {"username": f"u{i}", "role": "viewer"},
        {
            "admin": 201,
            "leader": 403,
            "operator": 403,
            "officer_82": 403,
            "officer_mytho": 403,
            "viewer": 403,
            "system": 403,
            "anonymous": 401,
        },
    ),
    "read audit": (
        "GET",
        "/api/v1/audit",
        None,
        {
            "admin": 200,
            "leader": 403,
            "operator": 403,
            "officer_82": 403,
            "officer_mytho": 403,
            "viewer": 403,
            "system": 403,
            "anonymous": 401,
        },
    ),
    "agency in Đồng Tháp": (
        "POST",
        "/api/v1/units",
        lambda i: agency("82", f"A-{i}"),
        {
            "admin": 201,
            "leader": 403,
            "operator": 403,
            "officer_82": 201,
            "officer_mytho": 403,
            "viewer": 403,
            "system": 403,
            "anonymous": 401,
        },
    ),
    "agency in phường Mỹ Tho": (
        "POST",
        "/api/v1/units",
        lambda i: agency("28261", f"B-{i}"),
        {
            "admin": 201,
            "leader": 403,
            "operator": 403,
            "officer_82": 201,
            "officer_mytho": 201,
            "viewer": 403,
            "system": 403,
            "anonymous": 401,
        },
    ),
    "agency in Hà Nội": (
        "POST",
        "/api/v1/units",
        lambda i: agency("01", f"C-{i}"),
        {
            "admin": 201,
            "leader": 403,
            "operator": 403,
            "officer_82": 403,
            "officer_mytho": 403,
            "viewer": 403,
            "system": 403,
            "anonymous": 401,
        },
    ),
    "own token": (
        "POST",
        "/api/v1/tokens",
        lambda i: {"name": f"t{i}"},
        {
            "admin": 201,
            "leader": 201,
            "operator": 201,
            "officer_82": 201,
            "officer_mytho": 201,
            "viewer": 201,
            "system": 403,
            "anonymous": 401,
        },
    ),
    "read units (public)": ("GET", "/api/v1/units/82", None, dict.fromkeys(ROLES, 200)),
}


@pytest.fixture
def tokens(api):
    return {
        "admin": api.token("admin"),
        "leader": api.user("lanhdao", "leader"),
        "operator": api.user("vanhanh", "operator"),
        "officer_82": api.user("canbo.tinh", "officer", unit="82"),
        "officer_mytho": api.user("canbo.mytho", "officer", unit="28261"),
        "viewer": api.user("xem", "viewer"),
        "system": api.user("he-thong", "system", unit="82"),
    }


def test_every_role_against_every_endpoint(client, tokens):
    answers = {}
    for i, (name, (method, path, body, _expected)) in enumerate(MATRIX.items()):
        for j, role in enumerate(ROLES):
            headers = auth(tokens[role]) if role in tokens else {}
            payload = body(i * 100 + j) if body else None
            r = client.request(method, path, json=payload, headers=headers)
            answers[(name, role)] = r.status_code
            if r.status_code >= 400:
                assert r.headers["content-type"].startswith("application/problem+json")
    wrong = {k: v for k, v in answers.items() if v != MATRIX[k[0]][3][k[1]]}
    assert wrong == {}, wrong
