"""``docs/records.md``: the record contract as Markdown, written from the record types' schemas
(``ingest.contract``) by ``ioc57 contract``; a test keeps the committed file equal to it.

A field's row gives its name as sent, its type (with its allowed values and bounds), whether it
is required, its default and its description (the docstring under the field in its model)."""

from __future__ import annotations

import json
from typing import Any

from ioc57.ingest.contract import PREFIX, component_name, record_schemas, record_types

HEAD = """\
# Record types at the data gate (the ingest contract)

<!-- Generated from the record types' schemas by `ioc57 contract --out docs/records.md`: do not
edit by hand. Change a record type's model (its fields and their docstrings) and run the command
again; `tests/ingest/test_contract_doc.py` fails while this file differs from what it writes. -->

This is the contract that provincial systems integrate against. Records are JSON, UTF-8: pushed to
`POST /api/v1/ingest/<type>` with a data source's bearer token (a JSON array, or NDJSON: one
record a line; at most 10,000 records or 10 MB a request), or imported from a CSV, XLSX or NDJSON
file (`ioc57 import FILE --type TYPE --source NAME`, or the import page). The same schemas are in
the OpenAPI document, `/api/v1/openapi.json`, browsable at `/api/v1/docs`.

- Times are ISO 8601 with an offset (`2025-09-01T08:00:00+07:00`); a time without one is read as
  Asia/Ho_Chi_Minh. Every time is stored in UTC and answered with its offset.
- Dates are `YYYY-MM-DD`. Unit and agency fields hold official codes as strings (`"82"`,
  `"28261"`), read as of the record's own date, because codes were reused in the 2025
  reorganisation (`"82"` is Tiền Giang in 2024 and Đồng Tháp since 2025-07-01).
- Every record has `id` (unique within its source) and may have `updated_at` (the newer version
  wins; absent means "now"). Unknown fields are kept in the raw log, ignored, and listed in the
  answer as warnings.
- A rejected row is answered with its index, its `id` and each field at fault (`loc`, `msg`).
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _literal(value: Any) -> str:
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def _anchor(name: str) -> str:
    return name.lower().replace("_", "-")


def type_of(schema: dict[str, Any]) -> str:
    """A field's type as a reader says it: `online` | `direct`, datetime, list of Change, …"""
    if "$ref" in schema:
        name = component_name(schema).removeprefix(PREFIX)
        return f"[{name}](#{_anchor(name)})"
    if "anyOf" in schema:
        kinds = [type_of(s) for s in schema["anyOf"] if s.get("type") != "null"]
        nullable = any(s.get("type") == "null" for s in schema["anyOf"])
        return " or ".join(kinds) + (" or null" if nullable else "")
    if "enum" in schema:
        return " | ".join(_literal(v) for v in schema["enum"])
    if "const" in schema:
        return _literal(schema["const"])
    kind = schema.get("type")
    if kind == "array":
        return "list of " + type_of(schema.get("items", {}))
    if kind == "string":
        return {"date-time": "datetime", "date": "date"}.get(schema.get("format", ""), "string")
    if kind in ("integer", "number", "boolean", "object"):
        return {"integer": "integer", "number": "number", "boolean": "bool"}.get(kind, "object")
    return "any"


def bounds(schema: dict[str, Any]) -> list[str]:
    """What a field's value must keep to, beyond its type."""
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            return bounds(option)
    said = []
    if "minLength" in schema or "maxLength" in schema:
        low, high = schema.get("minLength", 0), schema.get("maxLength")
        said.append(f"{low}–{high} characters" if high else f"at least {low} characters")
    if "minimum" in schema:
        said.append(f"≥ {schema['minimum']}")
    if "maximum" in schema:
        said.append(f"≤ {schema['maximum']}")
    if "maxItems" in schema:
        said.append(f"at most {schema['maxItems']} items")
    if "pattern" in schema:
        said.append(f"matches `{schema['pattern']}`")
    return said


def table(schema: dict[str, Any]) -> list[str]:
    lines = ["| field | type | required | notes |", "|---|---|---|---|"]
    required = set(schema.get("required", []))
    for name, field in schema.get("properties", {}).items():
        notes = bounds(field)
        if name not in required and field.get("default") not in (None, [], {}):
            notes.append(f"default {_literal(field['default'])}")
        if "description" in field:  # its words first, its bounds after
            notes.insert(
                0, field["description"].strip().removesuffix(".") if notes else field["description"]
            )
        kind = type_of(field)
        mark = "yes" if name in required else ""
        lines.append(f"| `{name}` | {_cell(kind)} | {mark} | {_cell('; '.join(notes))} |")
    return lines


def markdown() -> str:
    """The whole contract: the general rules, then each record type and the parts it nests."""
    refs, components = record_schemas()
    types = record_types()
    out = [HEAD, "## Record types", ""]
    out += [f"- [`{t.name}`](#{_anchor(t.name)})" for t in types]
    for rtype in types:
        schema = components[component_name(refs[rtype.name])]
        out += ["", f"## {rtype.name}", ""]
        if schema.get("description"):
            out += [schema["description"].strip(), ""]
        out += [f"`POST /api/v1/ingest/{rtype.name}`", ""]
        out += table(schema)
    record_models = {component_name(ref) for ref in refs.values()}
    parts = sorted(name for name in components if name not in record_models)
    if parts:
        out += ["", "## Parts of records", ""]
    for name in parts:
        schema = components[name]
        out += [f"### {name.removeprefix(PREFIX)}", ""]
        if schema.get("description"):
            out += [schema["description"].strip(), ""]
        out += [*table(schema), ""]
    return "\n".join(out).rstrip("\n") + "\n"
