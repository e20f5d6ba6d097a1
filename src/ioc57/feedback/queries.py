"""Reading reports: lists with filters for staff (scoped), one report with its timeline, and the
public shape of a published one (nothing personal: redacted text, rounded place, no contact).

Every page, API and feed that shows a report to someone who is not staff goes through
``public_report``; the staff shape (``staff_report``) adds the contact details only for those who
may read them (``feedback.contact``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson
from sqlalchemy import Select, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from ioc57.core.access import Principal, may
from ioc57.core.clock import local_iso
from ioc57.core.workdays import add_working_days
from ioc57.feedback.access import CONTACT, in_scope
from ioc57.feedback.categories import category
from ioc57.feedback.deadlines import NEAR_DAYS, flag
from ioc57.feedback.redact import redact
from ioc57.feedback.tables import photos, reports, steps
from ioc57.units.tables import units

commune = aliased(units, name="commune")
agency = aliased(units, name="agency")

REPORT_ROWS: Select[Any] = (
    select(
        reports,
        commune.c.code.label("unit_code"),
        commune.c.name.label("unit_name"),
        agency.c.code.label("agency_code"),
        agency.c.name.label("agency_name"),
    )
    .outerjoin(commune, commune.c.id == reports.c.unit_id)
    .outerjoin(agency, agency.c.id == reports.c.agency_id)
)
PUBLIC_PLACES = 3  # decimals of a public place (about 100 m): the street, not the house


def _unit(code: str | None, name: str | None) -> dict[str, str | None] | None:
    return {"code": code, "name": name} if code else None


def due(row: Any, today: date) -> dict[str, Any] | None:
    if row.due_on is None:
        return None
    return {"step": row.due_step, "on": row.due_on.isoformat(), "flag": flag(row.due_on, today)}


def known(row: Any) -> list[str | None]:
    """What the report's contact says about the reporter (their name, phone and email): taken out
    of a text however it writes them (``redact``)."""
    contact = orjson.loads(row.contact) if row.contact else {}
    return [contact.get("name"), contact.get("phone"), contact.get("email")]


def personal(principal: Principal | None) -> bool:
    """Whether ``principal`` reads a reporter's own words and contact (``feedback.contact``: the
    operators who call back, the officers who answer); a leader or a viewer reads them redacted."""
    return may(principal, CONTACT)


def staff_report(row: Any, principal: Principal | None, today: date, lang: str = "vi") -> dict:
    """A report as staff see it: the contact, the address and the words as written for those who
    may read them (``personal``), redacted for the others."""
    whole = personal(principal)
    shown = {
        "id": row.record_id,
        "channel": row.channel,
        "category": row.category,
        "category_name": category(row.category).label(lang),
        "status": row.status,
        "received_at": local_iso(row.received_at),
        "answered_at": local_iso(row.answered_at),
        "published_at": local_iso(row.published_at),
        "closed_at": local_iso(row.closed_at),
        "unit": _unit(row.unit_code, row.unit_name),
        "agency": _unit(row.agency_code, row.agency_name),
        "due": due(row, today),
        "on_time": row.on_time,
        "text": row.text if whole else row.text_public,
        "answer": row.answer if whole else row.answer_public,
        "note": row.note if whole else (redact(row.note, known(row)) or None),
        "satisfaction": row.satisfaction,
        "repeated": row.repeated,
        "about_procedure": row.about_procedure,
        "duplicate_of": row.duplicate_of,
        "lat": row.lat,
        "lon": row.lon,
        "address": row.address if whole else None,
        "photos": orjson.loads(row.photos),
        "suggested": {"category": row.suggested_category, "agency": row.suggested_agency},
        "confirmed": row.confirmed,
        "simulated": row.simulated,
    }
    if row.contact and whole:
        shown["contact"] = orjson.loads(row.contact)
    return shown


def staff_view(
    conn: Connection, record_id: str, principal: Principal | None, today: date, lang: str = "vi"
) -> dict[str, Any]:
    """A report as staff see it (``staff_report``) with its timeline, redacted as it is."""
    row = one(conn, record_id)
    assert row is not None  # the caller found it (a report is never deleted)
    shown = staff_report(row, principal, today, lang)
    shown["timeline"] = timeline(conn, row.id, None if personal(principal) else known(row))
    return shown


def _rounded(value: float | None) -> float | None:
    return round(value, PUBLIC_PLACES) if value is not None else None


def public_report(row: Any, public_photos: list[str], lang: str = "vi") -> dict[str, Any]:
    """A report as anyone may see it: no contact, no address, the text and answer redacted, the
    place rounded to about 100 m, only the photos the operator made public."""
    return {
        "id": row.record_id,
        "category": row.category,
        "category_name": category(row.category).label(lang),
        "status": row.status,
        "received_at": local_iso(row.received_at),
        "answered_at": local_iso(row.answered_at),
        "published_at": local_iso(row.published_at),
        "unit": _unit(row.unit_code, row.unit_name),
        "agency": _unit(row.agency_code, row.agency_name),
        "text": row.text_public,
        "answer": row.answer_public if row.published_at else None,
        "lat": _rounded(row.lat),
        "lon": _rounded(row.lon),
        "photos": public_photos,
        "simulated": row.simulated,
    }


def public_photo_ids(conn: Connection, record_ids: list[str]) -> dict[str, list[str]]:
    """The ids of the public photos of each report."""
    found: dict[str, list[str]] = {}
    if not record_ids:
        return found
    query = (
        select(photos.c.record_id, photos.c.id)
        .where(photos.c.record_id.in_(record_ids), photos.c.public.is_(True))
        .order_by(photos.c.created_at, photos.c.id)
    )
    for r in conn.execute(query):
        found.setdefault(r.record_id, []).append(r.id)
    return found


def scoped(conn: Connection, principal: Principal, query: Select[Any]) -> Select[Any]:
    """``query`` limited to the reports ``principal`` may see."""
    where = in_scope(conn, principal)
    return query if where is None else query.where(where)


def one(conn: Connection, record_id: str) -> Any | None:
    return conn.execute(REPORT_ROWS.where(reports.c.record_id == record_id)).first()


def timeline(
    conn: Connection, report_id: int, redacted: list[str | None] | None = None
) -> list[dict[str, Any]]:
    """The steps of a report, oldest first: who moved it to which status, when and why (the why
    redacted, with what is ``known`` of the reporter, when ``redacted`` gives it)."""
    query = (
        select(steps, agency.c.code.label("agency_code"), agency.c.name.label("agency_name"))
        .outerjoin(agency, agency.c.id == steps.c.agency_id)
        .where(steps.c.report_id == report_id)
        .order_by(steps.c.at, steps.c.id)
    )
    return [
        {
            "status": r.status,
            "at": local_iso(r.at),
            "actor": r.actor,
            "agency": _unit(r.agency_code, r.agency_name),
            "note": r.note if redacted is None else (redact(r.note, redacted) or None),
        }
        for r in conn.execute(query)
    ]


def by_deadline(query: Select[Any], flag: str | None, on: date) -> Select[Any]:
    """``query`` narrowed to the reports past their deadline on day ``on`` (``late``), or within
    ``NEAR_DAYS`` working days of it (``near``: before the next working day after them)."""
    if flag == "late":
        return query.where(reports.c.due_on < on)
    if flag == "near":
        last = add_working_days(on, NEAR_DAYS + 1)
        return query.where(reports.c.due_on >= on, reports.c.due_on < last)
    return query


def count(conn: Connection, query: Select[Any]) -> int:
    return int(conn.execute(select(func.count()).select_from(query.subquery())).scalar_one())
