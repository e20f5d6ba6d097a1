"""Keeping the citizen-reports tables current with the gate's ``feedback`` records (the projector).

A report is kept under its record id: inserted the first time (with its tracking code: the one the
record brings, else a new one), updated after. Its deadline is computed from its category and
status (``deadlines``); its text and answer are stored as written, for staff, and redacted, for
everyone else (``redact``). Each version that changes a report's status adds a step to its timeline,
by whoever sent it (a person, a source, the public form), with the record's ``note``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from ioc57.core.clock import LOCAL_TZ, now, stored_utc
from ioc57.feedback import tracking
from ioc57.feedback.categories import category
from ioc57.feedback.deadlines import answered_on_time, due
from ioc57.feedback.redact import redact
from ioc57.feedback.tables import reports, steps
from ioc57.ingest.hooks import Projection
from ioc57.ingest.storage import among, parts
from ioc57.ingest.unitcache import UnitInfo
from ioc57.units.tables import units

Items = list[tuple[dict[str, Any], UnitInfo | None]]
FINAL = ("refused", "closed", "merged")


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _day(value: datetime | None):
    return value.astimezone(LOCAL_TZ).date() if value else None


def agency_ids(conn: Connection, codes: set[str]) -> dict[str, int]:
    """The ids of the agencies (or any unit) among ``codes``, by code (the current holder)."""
    found: dict[str, int] = {}
    query = select(units.c.code, units.c.id).where(units.c.valid_to.is_(None))
    for part in parts(conn, sorted(codes)):
        found.update((r.code, r.id) for r in conn.execute(among(conn, query, units.c.code, part)))
    return found


def stored(conn: Connection, record_ids: list[str]) -> dict[str, Any]:
    """The stored reports among ``record_ids``, by record id."""
    found: dict[str, Any] = {}
    query = select(reports)
    for part in parts(conn, sorted(set(record_ids))):
        found.update(
            (r.record_id, r) for r in conn.execute(among(conn, query, reports.c.record_id, part))
        )
    return found


def _ids(conn: Connection, record_ids: list[str]) -> dict[str, int]:
    """The ids of the stored reports among ``record_ids``, by record id."""
    found: dict[str, int] = {}
    query = select(reports.c.record_id, reports.c.id)
    for part in parts(conn, sorted(set(record_ids))):
        found.update(
            (r.record_id, r.id) for r in conn.execute(among(conn, query, reports.c.record_id, part))
        )
    return found


def _row(data: dict[str, Any], unit: UnitInfo | None, old: Any, agencies: dict[str, int]) -> dict:
    kind = category(data["category"])
    status = data["status"]
    received = _time(data["received_at"])
    assert received is not None
    answered = _time(data.get("answered_at"))
    # when the step was taken: the version's own time (a system sends its history), never later
    at = min(_time(data.get("updated_at")) or now(), now())
    reopened = stored_utc(old.reopened_at) if old is not None and old.reopened_at else None
    if status == "reopened" and (old is None or old.status != "reopened"):
        reopened = at
    closed = stored_utc(old.closed_at) if old is not None and old.closed_at else None
    if status in FINAL and (old is None or old.status not in FINAL):
        closed = at
    elif status not in FINAL:
        closed = None
    deadline = due(status, kind, _day(received), _day(answered), _day(reopened))  # type: ignore[arg-type]
    contact = data.get("contact") or {}
    known = [contact.get(key) for key in ("name", "phone", "email")]  # however the text writes them
    agency = data.get("agency")
    return {
        "record_id": data["id"],
        "province_code": unit.province_code if unit else (old.province_code if old else ""),
        "unit_id": unit.id if unit else None,
        "agency_id": agencies.get(agency) if agency else None,
        "channel": data["channel"],
        "category": data["category"],
        "status": status,
        "received_at": received,
        "answered_at": answered,
        "published_at": _time(data.get("published_at")),
        "closed_at": closed,
        "reopened_at": reopened,
        "due_step": deadline.step if deadline else None,
        "due_on": deadline.on if deadline else None,
        "on_time": (
            answered_on_time(kind, _day(received), _day(answered))  # type: ignore[arg-type]
            if answered
            else None
        ),
        "satisfaction": data.get("satisfaction"),
        "repeated": bool(data.get("repeated")),
        "about_procedure": bool(data.get("about_procedure")) or kind.about_procedure,
        "duplicate_of": data.get("duplicate_of"),
        "lat": data.get("lat"),
        "lon": data.get("lon"),
        "address": data.get("address"),
        "text": data["text"],
        "text_public": redact(data["text"], known),
        "answer": data.get("answer"),
        "answer_public": redact(data["answer"], known) if data.get("answer") else None,
        "note": data.get("note"),
        "contact": orjson.dumps(contact).decode() if contact else None,
        "photos": orjson.dumps(data.get("photos") or []).decode(),
        # an agency named past triage: a person (or the sending system's operator) confirmed the
        # routing, and the report trains the suggestion
        "confirmed": bool(old is not None and old.confirmed)
        or bool(agency and status != "received"),
        "updated_at": at,
    }


def project_reports(conn: Connection, ctx: Projection, items: Items) -> None:
    """The gate's projector of ``feedback`` records: the reports, and a step for each change of
    status."""
    # the last version of each report in the chunk
    latest = {data["id"]: (data, unit) for data, unit in items}
    old = stored(conn, list(latest))
    codes = {data["agency"] for data, _unit in latest.values() if data.get("agency")}
    agencies = agency_ids(conn, codes) if codes else {}
    new_rows, changed, moved = [], [], []
    for record_id, (data, unit) in latest.items():
        before = old.get(record_id)
        row = _row(data, unit, before, agencies)
        row.update(batch_id=ctx.batch_id, source_id=ctx.source_id, simulated=ctx.simulated)
        if before is None:
            row["tracking"] = tracking.normal(data.get("tracking") or "") or tracking.mint()
            new_rows.append(row)
            moved.append((record_id, row, row["received_at"]))
            continue
        if before.unit_id is not None and row["unit_id"] is None:
            row["unit_id"] = before.unit_id  # a later version without a place keeps the one found
        changed.append(row)
        if before.status != row["status"] or before.due_on != row["due_on"]:
            # a new step or a new deadline (another category, a corrected receipt): announced
            # again when near or past
            row["flag"] = ""
        if before.status != row["status"] or (data.get("note") and data["note"] != before.note):
            moved.append((record_id, row, row["updated_at"]))
    if new_rows:
        conn.execute(insert(reports), new_rows)
    # one statement for the rows that change the same columns (a statement a row costs its
    # compilation each time: a millisecond or more)
    alike: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in changed:
        alike.setdefault(tuple(sorted(row)), []).append(row | {"_record_id": row["record_id"]})
    for rows in alike.values():
        conn.execute(update(reports).where(reports.c.record_id == bindparam("_record_id")), rows)
    if moved:
        ids = _ids(conn, [m[0] for m in moved])
        conn.execute(
            insert(steps),
            [
                {
                    "report_id": ids[record_id],
                    "status": row["status"],
                    "at": at,
                    "actor": ctx.actor,
                    "agency_id": row["agency_id"],
                    "note": row["note"],
                    "batch_id": ctx.batch_id,
                }
                for record_id, row, at in moved
            ],
        )
