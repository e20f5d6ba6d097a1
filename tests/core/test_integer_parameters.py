"""Every integer query and path parameter of the API is bounded: a number no database holds is a
4xx problem+json naming the parameter, for anonymous callers and for an admin alike.

The operations come from the app's own OpenAPI document, so a new endpoint is covered the day it
is added."""

from __future__ import annotations

import re

import pytest

HUGE = 2**63


def _integer(schema: dict) -> dict | None:
    """The integer schema of a parameter (possibly one branch of an ``anyOf``), or None."""
    if schema.get("type") == "integer":
        return schema
    for branch in schema.get("anyOf", []):
        if branch.get("type") == "integer":
            return branch
    return None


def _cases(spec: dict):
    """(method, path template, parameter, where, its integer schema) for every integer parameter."""
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                schema = _integer(parameter.get("schema", {}))
                if schema is not None:
                    yield method, path, parameter, schema, operation


def _request(client, method, path, operation, name, where, value, headers):
    """Send ``value`` as parameter ``name``; the other path parameters get a plausible value."""
    query = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "query" and parameter.get("required") and parameter["name"] != name:
            query[parameter["name"]] = "1" if _integer(parameter.get("schema", {})) else "82"
    if where == "query":
        query[name] = str(value)
    url = re.sub(
        r"\{([^}]+)\}",
        lambda m: (
            str(value)
            if m.group(1) == name
            else ("1" if _other_int(operation, m.group(1)) else "82")
        ),
        path,
    )
    body = {"json": {}} if "requestBody" in operation else {}
    return client.request(method.upper(), url, params=query, headers=headers, **body)


def _other_int(operation, name) -> bool:
    for parameter in operation.get("parameters", []):
        if parameter["name"] == name:
            return _integer(parameter.get("schema", {})) is not None
    return False


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_every_integer_parameter_refuses_what_no_database_holds(client, api, who):
    spec = client.get("/api/v1/openapi.json").json()
    headers = {} if who == "anonymous" else {"Authorization": f"Bearer {api.token('admin')}"}
    cases = list(_cases(spec))
    assert len(cases) >= 10  # limits, offsets, ids and years of several routers
    seen = []
    for method, path, parameter, schema, operation in cases:
        name, where = parameter["name"], parameter["in"]
        bad = [HUGE, -HUGE - 1]
        if schema.get("minimum", -1) >= 0:
            bad.append(-1)
        for value in bad:
            r = _request(client, method, path, operation, name, where, value, headers)
            seen.append((method, path, name, value, r.status_code))
            assert 400 <= r.status_code < 500, (method, path, name, value, r.status_code, r.text)
            assert r.headers["content-type"].startswith("application/problem+json"), r.text
            if r.status_code == 422:
                assert any(name in e["loc"] for e in r.json()["errors"]), r.text
        # bounded on both sides, and the largest value allowed is answered too (a 404 for an id
        # nobody has), never a 500
        assert "maximum" in schema and "minimum" in schema, (method, path, name, schema)
        r = _request(client, method, path, operation, name, where, schema["maximum"], headers)
        assert r.status_code < 500, (method, path, name, schema["maximum"], r.text)
    assert {p for _, p, *_ in seen} >= {
        "/api/v1/units",
        "/api/v1/observations",
        "/api/v1/audit",
        "/api/v1/ingest/batches",
        "/api/v1/ingest/batches/{batch_id}/errors.csv",
    }
