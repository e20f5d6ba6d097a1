"""The record contract, read from the record types' own schemas: one source for the OpenAPI
document (the request body of each ``POST /api/v1/ingest/{type}``) and for ``docs/records.md``
(``ioc57 contract``), so that neither can drift from what the gate accepts.

A record type's schema is its pydantic model's JSON schema as the gate validates it (``mode
"validation"``: what may be sent, defaults included); its nested models are components named
``record.<Model>`` beside FastAPI's, so that no name of theirs can collide with one of the API's.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from ioc57.ingest.types import RECORD_TYPES, RecordType

PREFIX = "record."
REF_TEMPLATE = "#/components/schemas/" + PREFIX + "{model}"
MEDIA_TYPES = ("application/json", "application/x-ndjson")


def record_types() -> list[RecordType[Any]]:
    """The installed record types, in the order of the modules that declare them."""
    return list(RECORD_TYPES.values())


def record_schemas() -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """(the ``$ref`` of each type's record by its name, the components those refs name)."""
    types = record_types()
    keys, document = models_json_schema(
        [(t.model, "validation") for t in types], ref_template=REF_TEMPLATE
    )
    refs = {t.name: keys[(t.model, "validation")] for t in types}
    components = {PREFIX + name: schema for name, schema in document.get("$defs", {}).items()}
    return refs, components


def request_body(ref: dict[str, Any], name: str) -> dict[str, Any]:
    """The body of a push of ``name`` records: a JSON array of them, or one a line (NDJSON)."""
    return {
        "required": True,
        "description": (
            f"At most 10,000 `{name}` records or 10 MB: a JSON array, or NDJSON (one record "
            "a line, each an object as in the array)."
        ),
        "content": {
            "application/json": {"schema": {"type": "array", "items": ref}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
    }


def component_name(ref: dict[str, Any]) -> str:
    return str(ref["$ref"]).rsplit("/", 1)[1]
