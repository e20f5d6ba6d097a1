"""A POST of ``requests`` read into a report to file: its province, category, place, text,
attributes and the citizen's contact (kept private), or the specification's error naming what is
wrong (400: missing or malformed, 404: no such jurisdiction or service).

- ``jurisdiction_id`` is a current province's code: the report is that province's.
- The place, as the specification allows: ``address_id`` (the official code of a current commune
  of the province), ``lat`` and ``long`` (the nearest commune; a place in another province is an
  error), or ``address_string`` (resolved through the units' names, pre-2025 ones too, the first
  match in the province; an address that names none of its communes files the report in the
  province, for the operator to place).
- ``attribute[CODE]=value`` (``attribute[CODE][]=value`` for a multivaluelist) as the service's
  definition says; their answers are added to the text, one line each, for staff to read.
- ``first_name``, ``last_name``, ``email``, ``phone``: the contact, never published (a Vietnamese
  name is written family name first: ``last_name first_name``). ``account_id`` and ``device_id``
  are not kept; ``media_url`` is not fetched (the IOC reads no address an app gives it).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

from sqlalchemy.engine import Connection
from starlette.datastructures import FormData

from ioc57.feedback.categories import Attribute, Category, categories
from ioc57.feedback.open311.formats import Open311Error
from ioc57.ingest.gate import Gate
from ioc57.units.queries import resolve, unit_at

ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]{1,60})\](\[\])?$")
DESCRIPTION_MAX = 4000
VALUE_MAX = 500


def bad(description: str) -> Open311Error:
    return Open311Error(400, description)


def one(form: FormData, name: str, longest: int = 200) -> str | None:
    """The value of ``name``, stripped (an empty one is no value)."""
    value = form.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad(f"{name} must be text, not a file.")
    value = value.strip()
    if len(value) > longest:
        raise bad(f"{name} is longer than {longest} characters.")
    return value or None


def province(conn: Connection, form: FormData, today: date) -> Any:
    code = one(form, "jurisdiction_id", 40)
    if code is None:
        raise bad("jurisdiction_id was not provided: the code of a province (e.g. 82).")
    row = unit_at(conn, code, today)
    if row is None or row.level != "province":
        raise Open311Error(404, f"jurisdiction_id {code!r} is not the code of a current province.")
    return row


def service(form: FormData) -> Category:
    code = one(form, "service_code", 40)
    if code is None:
        raise bad("service_code was not provided.")
    kind = categories().get(code)
    if kind is None:
        raise Open311Error(404, f"service_code {code!r} was not found.")
    return kind


def coordinates(form: FormData) -> tuple[float, float] | None:
    lat, lon = one(form, "lat", 40), one(form, "long", 40)
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        raise bad("lat and long are sent together.")
    try:
        point = (float(lat), float(lon))
    except ValueError:
        raise bad("lat and long are decimal degrees (WGS84).") from None
    if not all(map(math.isfinite, point)) or abs(point[0]) > 90 or abs(point[1]) > 180:
        raise bad("lat is within -90..90 and long within -180..180.")
    return point


def place(gate: Gate, conn: Connection, form: FormData, state: Any, today: date) -> dict[str, Any]:
    """The report's unit (a commune of the province, else the province) and where it is."""
    point = coordinates(form)
    address = one(form, "address_string", 500)
    address_id = one(form, "address_id", 40)
    if point is None and address is None and address_id is None:
        raise bad("A location is required: lat and long, address_string or address_id.")
    found: dict[str, Any] = {"address": address}
    if point is not None:
        found["lat"], found["lon"] = point
    if address_id is not None:
        unit = gate.cache.at(address_id, today)
        if unit is None or unit.level == "agency" or unit.province_code != state.code:
            raise bad(f"address_id {address_id!r} is not a current unit of {state.code}.")
    elif point is not None:
        unit = gate.places.near(*point)
        if unit is None or unit.province_code != state.code:
            raise bad(f"lat and long are not within jurisdiction {state.code}.")
    else:
        assert address is not None
        unit = next(
            (
                u
                for m in resolve(conn, address, today)
                if (u := gate.cache.at(m["code"], today)) and u.province_code == state.code
            ),
            None,
        )
    found["unit"] = unit.code if unit is not None else state.code
    return found


def _answer(attribute: Attribute, values: list[str]) -> str:
    """An attribute's answer as a person reads it (a list's values by their names)."""
    names = dict(attribute.values)
    code = f"attribute[{attribute.code}]"
    if any(len(v) > VALUE_MAX for v in values):
        raise bad(f"{code} is longer than {VALUE_MAX} characters.")
    if attribute.datatype in ("singlevaluelist", "multivaluelist"):
        if attribute.datatype == "singlevaluelist" and len(values) > 1:
            raise bad(f"{code} takes one value.")
        unknown = [v for v in values if v not in names]
        if unknown:
            raise bad(f"{code}: {unknown[0][:40]!r} is not one of {', '.join(names)}.")
        return ", ".join(names[v] for v in values)
    if len(values) > 1:
        raise bad(f"{code} takes one value.")
    if attribute.datatype == "number":
        try:
            float(values[0])
        except ValueError:
            raise bad(f"{code} is a number.") from None
    if attribute.datatype == "datetime":
        try:
            datetime.fromisoformat(values[0])
        except ValueError:
            raise bad(f"{code} is a date and time (ISO 8601).") from None
    return values[0]


def attributes(form: FormData, kind: Category) -> list[str]:
    """The lines the answers to the service's attributes add to the text."""
    given: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        match = ATTRIBUTE.match(key)
        if match is None:
            continue
        if not isinstance(value, str):
            raise bad(f"{key} must be text, not a file.")
        if value.strip():
            given.setdefault(match.group(1), []).append(value.strip())
    known = {a.code: a for a in kind.attributes}
    for code in given:
        if code not in known:
            raise bad(f"attribute[{code[:40]}] is not an attribute of service {kind.code}.")
    lines = []
    for attribute in kind.attributes:
        values = given.get(attribute.code)
        if not values:
            if attribute.required:
                raise bad(f"attribute[{attribute.code}] is required for service {kind.code}.")
            continue
        lines.append(f"{attribute.description or attribute.code}: {_answer(attribute, values)}")
    return lines


def contact(form: FormData) -> dict[str, str] | None:
    names = [one(form, "last_name", 100), one(form, "first_name", 100)]
    found = {
        "name": " ".join(n for n in names if n) or None,
        "phone": one(form, "phone", 40),
        "email": one(form, "email", 200),
    }
    kept = {k: v for k, v in found.items() if v}
    return kept or None


def report_fields(gate: Gate, conn: Connection, form: FormData, today: date) -> dict[str, Any]:
    """The fields ``intake.file_report`` files from an Open311 POST."""
    state = province(conn, form, today)
    kind = service(form)
    description = one(form, "description", DESCRIPTION_MAX)
    if description is None:
        raise bad("description was not provided: what is wrong, and where.")
    lines = attributes(form, kind)
    text = "\n\n".join([description, "\n".join(lines)]) if lines else description
    return {
        "category": kind.code,
        "text": text,
        **place(gate, conn, form, state, today),
        "contact": contact(form),
    }
