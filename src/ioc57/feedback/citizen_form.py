"""Reading the public form's fields: what a citizen typed, checked field by field, so that the page
can say beside each field what is wrong (in the person's language) instead of refusing the whole.

The text is cleaned of control characters (a NUL byte is refused by PostgreSQL), the place is a
point picked on the map or an address; an address alone must name a commune that ``units``
finds — today's or one from before the 2025 reorganisation, read as its successor today.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from ioc57.core.i18n import N_
from ioc57.feedback.categories import categories
from ioc57.units.queries import resolve

TEXT_MIN, TEXT_MAX = 10, 5_000
HONEYPOT = "trang_web"  # a field people never see: a script that fills every field fills it
FIELDS = ("category", "text", "lat", "lon", "address", "name", "phone", "email")
LIMITS = {"address": 500, "name": 200, "phone": 40, "email": 200}
PHONE = re.compile(r"^\+?[0-9]{8,15}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
CONTROLS: dict[int, None] = {c: None for c in [*range(32), 127] if chr(c) not in "\t\n\r"}

MESSAGES = {
    "category": N_("Choose what the report is about."),
    "text.short": N_("Describe the problem in at least 10 characters."),
    "text.long": N_("Write at most 5,000 characters."),
    "place": N_("Pick the place on the map, use your location, or type its address."),
    "point": N_("The point on the map cannot be read; pick it again."),
    "address.unknown": N_(
        "No commune or ward matches this address. Add the commune or ward (an old ward or "
        "district name is fine) or pick the place on the map."
    ),
    "too_long": N_("This is too long."),
    "phone": N_("Write the phone number in digits, such as 0912 345 678."),
    "email": N_("Write an email address such as ten@example.vn."),
    "honeypot": N_("Leave this box empty."),
}


@dataclass
class Read:
    """The form as read: the report's fields, the commune found, and the errors by field."""

    values: dict[str, str]  # as typed (cleaned), to show the form again
    fields: dict[str, Any] = field(default_factory=dict)  # the report's, for ``file_report``
    commune: dict[str, Any] | None = None  # the commune the address named
    errors: dict[str, str] = field(default_factory=dict)  # field -> message key


def cleaned(value: str | None) -> str:
    """A field as typed, in NFC, without control characters and surrounding space."""
    return unicodedata.normalize("NFC", (value or "").translate(CONTROLS)).strip()


def _point(values: dict[str, str], read: Read) -> tuple[float, float] | None:
    lat, lon = values["lat"], values["lon"]
    if not lat and not lon:
        return None
    try:
        point = float(lat), float(lon)
    except ValueError:
        read.errors["place"] = "point"
        return None
    if not all(math.isfinite(v) for v in point) or abs(point[0]) > 90 or abs(point[1]) > 180:
        read.errors["place"] = "point"
        return None
    return round(point[0], 6), round(point[1], 6)


def commune_of(conn: Connection, address: str, today: date) -> dict[str, Any] | None:
    """The current commune an address names (directly, or through a unit of before 2025)."""
    for match in resolve(conn, address, today):
        if match["level"] == "commune":
            return match
    return None


def read_form(conn: Connection, raw: dict[str, str], today: date) -> Read:
    """The public form's fields read and checked; the address resolved when no point was picked."""
    values = {name: cleaned(raw.get(name)) for name in FIELDS}
    values["phone"] = re.sub(r"[\s.()-]", "", values["phone"])
    read = Read(values)
    if cleaned(raw.get(HONEYPOT)):
        read.errors[HONEYPOT] = "honeypot"
    if values["category"] not in categories():
        read.errors["category"] = "category"
    if len(values["text"]) < TEXT_MIN:
        read.errors["text"] = "text.short"
    elif len(values["text"]) > TEXT_MAX:
        read.errors["text"] = "text.long"
    for name, most in LIMITS.items():
        if len(values[name]) > most:
            read.errors[name] = "too_long"
    if values["phone"] and "phone" not in read.errors and not PHONE.match(values["phone"]):
        read.errors["phone"] = "phone"
    if values["email"] and "email" not in read.errors and not EMAIL.match(values["email"]):
        read.errors["email"] = "email"
    point = _point(values, read)
    address = values["address"] if "address" not in read.errors else ""
    if point is None and "place" not in read.errors:
        if not address:
            read.errors["place"] = "place"
        elif len(address) >= 2:
            read.commune = commune_of(conn, address, today)
            if read.commune is None:
                read.errors["address"] = "address.unknown"
        else:
            read.errors["address"] = "address.unknown"
    if read.errors:
        return read
    contact = {k: values[k] for k in ("name", "phone", "email") if values[k]}
    read.fields = {
        "category": values["category"],
        "text": values["text"],
        "address": address or None,
        "contact": contact or None,
    }
    if point is not None:
        read.fields.update(lat=point[0], lon=point[1])
    elif read.commune is not None:
        read.fields["unit"] = read.commune["code"]
    return read
