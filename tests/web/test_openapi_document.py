"""The OpenAPI document says what the API answers: its errors as problem+json, its real media types."""

from __future__ import annotations

PROBLEM = "application/problem+json"
REF = "#/components/schemas/Problem"


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def test_every_error_is_a_documented_problem(client):
    document = client.get("/api/v1/openapi.json").json()
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "instance"}
    assert "errors" in problem["properties"]
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for method, path, operation in operations(document):
        responses = operation["responses"]
        assert "503" in responses, (method, path)
        if method in ("POST", "PATCH", "PUT"):
            assert {"401", "403", "413", "415", "422"} <= set(responses), (method, path)
        for status, response in responses.items():
            if int(status) >= 400:
                assert response["content"] == {PROBLEM: {"schema": {"$ref": REF}}}, (path, status)


def test_routes_that_check_access_document_401_and_403(client):
    document = client.get("/api/v1/openapi.json").json()
    for method, path in [
        ("GET", "/api/v1/users"),
        ("GET", "/api/v1/audit"),
        ("GET", "/api/v1/ingest/batches"),
        ("GET", "/api/v1/observations/{value_id}/history"),
        ("GET", "/api/v1/stream"),
    ]:
        responses = document["paths"][path][method.lower()]["responses"]
        assert {"401", "403"} <= set(responses), (method, path)
    public = document["paths"]["/api/v1/units"]["get"]["responses"]
    assert "401" not in public


def test_downloads_the_stream_and_raw_bodies_have_their_real_media_types(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    csv = paths["/api/v1/ingest/batches/{batch_id}/errors.csv"]["get"]["responses"]["200"]
    assert list(csv["content"]) == ["text/csv"]
    stream = paths["/api/v1/stream"]["get"]["responses"]["200"]
    assert list(stream["content"]) == ["text/event-stream"]
    push = paths["/api/v1/ingest/{record_type}"]["post"]["requestBody"]["content"]
    assert set(push) == {"application/json", "application/x-ndjson"}
    observations = paths["/api/v1/observations"]["post"]["requestBody"]["content"]
    assert set(observations) == {"application/json"}


def test_an_error_answer_is_what_the_document_says(client):
    r = client.get("/api/v1/units", params={"limit": "many"})
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert {"type", "title", "status", "detail", "instance", "errors"} <= set(r.json())


def test_a_problem_and_each_of_its_errors_carry_a_code_and_params(client):
    """A client tests a problem's stable ``code`` (and fills a message with its ``params`` in its
    own language) rather than the English ``detail``: the document says so, and an answer does."""
    problem = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["Problem"]
    error = problem["properties"]["errors"]["items"]["properties"]
    for fields in (problem["properties"], error):
        assert "string" in fields["code"]["type"]
        assert fields["params"]["type"] == "object"
    r = client.get("/api/v1/units/99999", params={"at": "2025-07-02"})
    assert r.status_code == 404 and r.headers["content-type"] == PROBLEM
    body = r.json()
    assert (body["code"], body["params"]) == (
        "units.unknown",
        {"code": "99999", "day": "2025-07-02"},
    )
    assert body["detail"] == "No unit has code '99999' on 2025-07-02."
    assert body["errors"][0]["code"] == "units.unknown_unit"
