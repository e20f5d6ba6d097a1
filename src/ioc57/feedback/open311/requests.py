"""A report as an Open311 service request, and the filters of ``GET requests``.

Every public field comes from ``queries.public_report`` (the text redacted, the place rounded to
about 100 m, no contact, no address as the citizen typed it), so an Open311 answer carries nothing
the public pages would not: ``description`` is the redacted text, ``address`` the commune's name
and ``address_id`` its official code, ``media_url`` a photo the operator made public once the
report is published. The status is ``open`` or ``closed`` as the specification says (closed:
refused, published, closed or merged); ``status_notes`` says the report's own status in words
(and, once published, its answer; for a merged one, the report it joins).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Connection

from ioc57.core.clock import LOCAL_TZ, local_iso, stored_utc
from ioc57.core.i18n import N_, gettext
from ioc57.feedback import queries
from ioc57.feedback.categories import Category, category
from ioc57.feedback.deadlines import due
from ioc57.feedback.labels import STATUS
from ioc57.feedback.open311.formats import NOT_XML
from ioc57.feedback.records import STATUSES
from ioc57.feedback.tables import reports

CLOSED = ("refused", "published", "closed", "merged")
LIMIT = 1000  # the specification's default volume: 90 days or 1,000 requests, the smaller
DESCRIPTION_MAX = 4000  # the specification's limit of a description
NOTICE = N_(
    "Taken up or refused within {triage} working days; answered within {answer} working days."
)
SIMULATED = N_("simulated data")


def open_or_closed(status: str) -> str:
    return "closed" if status in CLOSED else "open"


def statuses_of(wanted: set[str]) -> list[str]:
    """The report statuses an Open311 ``status`` filter (open, closed) stands for."""
    return [s for s in STATUSES if open_or_closed(s) in wanted]


def notice(kind: Category, lang: str) -> str:
    """What will be done, and by when: the category's deadlines in working days."""
    days = kind.deadlines
    return gettext(lang, NOTICE).format(triage=days["triage"], answer=days["answer"])


def w3(value: str | None) -> str | None:
    """A time as the API gives it, to the second (the specification's w3 format, with offset)."""
    return datetime.fromisoformat(value).replace(microsecond=0).isoformat() if value else None


def _end_of(day: date) -> str:
    return datetime.combine(day, time(23, 59, 59), LOCAL_TZ).isoformat()


def expected(row: Any) -> str | None:
    """When the answer is due: the last day of the answer's deadline, while it is awaited."""
    if row.due_step == "answer" and row.due_on is not None:
        return _end_of(row.due_on)
    if row.status == "received":
        received = stored_utc(row.received_at).astimezone(LOCAL_TZ).date()
        answer = due("forwarded", category(row.category), received)
        return _end_of(answer.on) if answer else None
    return None


def updated(row: Any) -> str | None:
    """When it last changed; for a closed one, when it was closed (or published)."""
    if row.status == "published" and row.published_at is not None:
        return w3(local_iso(row.published_at))
    if row.status in CLOSED and row.closed_at is not None:
        return w3(local_iso(row.closed_at))
    return w3(local_iso(row.updated_at))


def status_notes(row: Any, public: dict[str, Any], lang: str) -> str:
    said = gettext(lang, STATUS.get(row.status, row.status))
    if row.status == "merged" and row.duplicate_of:
        said = f"{said}: {row.duplicate_of}"
    if public["answer"]:
        said = f"{said}. {public['answer']}"
    if public["simulated"]:
        said = f"{said} ({gettext(lang, SIMULATED)})"
    return said


def _clip(text: str | None) -> str | None:
    """A text as the specification's description: within 4,000 characters, without the control
    characters XML cannot carry (the same in both formats)."""
    if text is None:
        return None
    text = NOT_XML.sub("", text)
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1] + "…"


def service_request(row: Any, photos: list[str], base_url: str, lang: str) -> dict[str, Any]:
    """A report (a row of ``queries.REPORT_ROWS``) as a GeoReport v2 request."""
    public = queries.public_report(row, photos, lang)
    media = f"{base_url}/phan-anh/anh/{photos[0]}" if photos and public["published_at"] else None
    unit = public["unit"] or {}
    agency = public["agency"] or {}
    is_open = open_or_closed(row.status) == "open"
    return {
        "service_request_id": public["id"],
        "status": open_or_closed(row.status),
        "status_notes": _clip(status_notes(row, public, lang)),
        "service_name": public["category_name"],
        "service_code": public["category"],
        "description": _clip(public["text"]),
        "agency_responsible": agency.get("name"),
        "service_notice": notice(category(row.category), lang) if is_open else None,
        "requested_datetime": w3(public["received_at"]),
        "updated_datetime": updated(row),
        "expected_datetime": expected(row),
        "address": unit.get("name"),
        "address_id": unit.get("code"),
        "zipcode": None,
        "lat": public["lat"],
        "long": public["lon"],
        "media_url": media,
    }


def service_requests(
    conn: Connection, query: Select[Any], base_url: str, lang: str
) -> list[dict[str, Any]]:
    """The requests ``query`` (over ``queries.REPORT_ROWS``) finds, newest first, at most
    ``LIMIT``."""
    rows = list(
        conn.execute(query.order_by(reports.c.received_at.desc(), reports.c.id.desc()).limit(LIMIT))
    )
    published = [r.record_id for r in rows if r.published_at is not None]
    photos = queries.public_photo_ids(conn, published)
    return [service_request(r, photos.get(r.record_id, []), base_url, lang) for r in rows]
