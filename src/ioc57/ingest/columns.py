"""A record type's columns, as a file to import must name them, read from the type's schema: the
name, whether it is required, its kind of value and its description; and an example row that the
gate takes.

The example is the type's own (``RecordType.example``) when its module gives one; otherwise it
is made from the schema: each required field gets a plain value of its kind (the first of its
choices, today, a moment ago), and the unit fields the source's first unit. The example's id
starts with ``EXAMPLE-`` so that nobody mistakes it for a real record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ioc57.core.clock import LOCAL_TZ, now
from ioc57.core.i18n import N_
from ioc57.ingest.types import RecordType

EXAMPLE_ID = "EXAMPLE-1"
UNIT_FIELDS = ("unit",)

# what a kind of value is, as the page says it (message ids, translated where they show)
KINDS = {
    "string": N_("text"),
    "integer": N_("whole number"),
    "number": N_("number"),
    "boolean": N_("true or false"),
    "date": N_("date (yyyy-mm-dd)"),
    "date-time": N_("date and time (ISO 8601; without an offset, Việt Nam time)"),
    "array": N_("a list, as JSON"),
    "object": N_("an object, as JSON"),
    "choice": N_("one of"),
}


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    kind: str  # a key of ``KINDS``
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    description: str = ""


def _plain(prop: dict[str, Any]) -> dict[str, Any]:
    """The property without its ``null`` alternative (an optional field's)."""
    options = [p for p in prop.get("anyOf", ()) if p.get("type") != "null"]
    if len(options) == 1:
        plain: dict[str, Any] = options[0] | {k: v for k, v in prop.items() if k != "anyOf"}
        return plain
    return prop


def _kind(prop: dict[str, Any]) -> str:
    if "enum" in prop:
        return "choice"
    if "$ref" in prop:
        return "object"
    kind = prop.get("type", "string")
    if kind == "string" and prop.get("format") in ("date", "date-time"):
        return str(prop["format"])
    return kind if kind in KINDS else "string"


def columns(rtype: RecordType[Any]) -> list[Column]:
    """The type's fields in the schema's order, the required ones first."""
    schema = rtype.model.model_json_schema()
    required = set(schema.get("required", ()))
    out = []
    for name, raw in schema.get("properties", {}).items():
        if rtype.is_private(name):
            continue  # a person's details: sent by the module's own forms, not in a file
        prop = _plain(raw)
        out.append(
            Column(
                name=name,
                required=name in required,
                kind=_kind(prop),
                choices=tuple(str(v) for v in prop.get("enum", ())),
                max_length=prop.get("maxLength"),
                description=str(raw.get("description") or prop.get("description") or ""),
            )
        )
    return sorted(out, key=lambda c: not c.required)


def _value(column: Column, unit: str, moment: datetime) -> Any:
    if column.name in UNIT_FIELDS:
        return unit
    if column.name == "id":
        return EXAMPLE_ID
    if column.kind == "choice":
        return column.choices[0]
    if column.kind == "date-time":
        return moment.isoformat(timespec="seconds")
    if column.kind == "date":
        return moment.date().isoformat()
    if column.kind in ("integer", "number"):
        return 1
    if column.kind == "boolean":
        return "false"
    if column.kind == "array":
        return "[]"
    if column.kind == "object":
        return "{}"
    return "EXAMPLE"


def example_row(
    rtype: RecordType[Any], unit: str, moment: datetime | None = None
) -> dict[str, Any]:
    """One row of the type that the gate takes, for a source of ``unit`` (an official code)."""
    moment = moment or (now() - timedelta(hours=1)).astimezone(LOCAL_TZ)
    if rtype.example is not None:
        return {k: _cell(v) for k, v in rtype.example(unit, moment).items()}
    row = {c.name: _value(c, unit, moment) for c in columns(rtype) if c.required}
    if "id" in {c.name for c in columns(rtype)}:
        row.setdefault("id", EXAMPLE_ID)
    if "updated_at" in {c.name for c in columns(rtype)}:
        row["updated_at"] = moment.isoformat(timespec="seconds")
    return row


def _cell(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
