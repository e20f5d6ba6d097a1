"""The OpenAPI document carries the request schema of every record type, and the bearer scheme.

An integrator reads the contract in ``/api/v1/openapi.json`` (or at ``/api/v1/docs``): each record
type has its push, ``POST /api/v1/ingest/<type>``, whose body is an array of that type's records
with every field the gate reads; the operations that need a token say so."""

from __future__ import annotations

from pydantic import AliasChoices
from pydantic.fields import FieldInfo

from ioc57.ingest.types import RECORD_TYPES

from ..ingest.records import dossier
from ..support.http import auth
from .seed import make_source
from .test_openapi_document import operations


def sent_name(field: str, info: FieldInfo) -> str:
    """The name a source sends a field by (the first of its aliases: EPCIS' ``eventID``)."""
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        alias = alias.choices[0]
    return alias if isinstance(alias, str) else info.alias or field


def resolve(document: dict, schema: dict) -> dict:
    name = schema["$ref"].removeprefix("#/components/schemas/")
    return document["components"]["schemas"][name]


def test_every_record_type_has_its_push_with_its_schema(client):
    document = client.get("/api/v1/openapi.json").json()
    assert {"dossier", "feedback", "reading", "observation", "epcis_event"} <= set(RECORD_TYPES)
    for name, rtype in RECORD_TYPES.items():
        push = document["paths"][f"/api/v1/ingest/{name}"]["post"]
        body = push["requestBody"]
        assert body["required"] is True
        assert set(body["content"]) == {"application/json", "application/x-ndjson"}
        array = body["content"]["application/json"]["schema"]
        assert array["type"] == "array", name
        record = resolve(document, array["items"])
        fields = {f: sent_name(f, info) for f, info in rtype.model.model_fields.items()}
        assert set(record["properties"]) == set(fields.values()), name
        required = {fields[f] for f, info in rtype.model.model_fields.items() if info.is_required()}
        assert set(record.get("required", [])) == required, name
        assert push["security"] == [{"bearer": []}], name


def test_a_record_schema_says_what_the_gate_checks(client):
    document = client.get("/api/v1/openapi.json").json()
    items = document["paths"]["/api/v1/ingest/dossier"]["post"]["requestBody"]["content"]
    dossier = resolve(document, items["application/json"]["schema"]["items"])
    assert {"id", "procedure", "unit", "channel", "received_at", "due_at"} <= set(
        dossier["required"]
    )
    assert dossier["properties"]["channel"]["enum"] == ["online", "direct", "postal"]
    assert dossier["properties"]["received_at"]["format"] == "date-time"
    feedback = resolve(
        document,
        document["paths"]["/api/v1/ingest/feedback"]["post"]["requestBody"]["content"][
            "application/json"
        ]["schema"]["items"],
    )
    contact = feedback["properties"]["contact"]["anyOf"][0]
    assert "properties" in resolve(document, contact)  # a nested record is a component too


def test_the_bearer_scheme_on_the_operations_that_need_it(client):
    document = client.get("/api/v1/openapi.json").json()
    scheme = document["components"]["securitySchemes"]["bearer"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    for method, path, operation in operations(document):
        if "401" in operation["responses"]:
            assert {"bearer": []} in operation["security"], (method, path)
        else:
            assert "security" not in operation, (method, path)
    paths = document["paths"]
    assert paths["/api/v1/users"]["get"]["security"] == [{"bearer": []}]
    assert paths["/api/v1/ingest/{record_type}"]["post"]["security"] == [{"bearer": []}]
    assert "security" not in paths["/api/v1/units"]["get"]  # public


def test_a_push_on_a_typed_path_is_the_push_of_that_type(client, api):
    token = make_source(client, api.token("admin"), "contract-82", ["82"])
    r = client.post("/api/v1/ingest/dossier", json=[dossier(1)], headers=auth(token))
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == 1
    r = client.post("/api/v1/ingest/feedback", json=[dossier(2)], headers=auth(token))
    assert len(r.json()["rejected"]) == 1  # read as feedback: a dossier is not one
