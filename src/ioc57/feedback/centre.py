"""What the citizen reports offer the operations centre's list of what needs attention: the reports
past their deadline in a person's scope (``access.in_scope``), as their answering agency's desk
sees them — one concern per agency when it has more than ``FEW`` late, each report when it has
``FEW`` or fewer (the reports not yet forwarded count as the operators' own "agency").

A concern names a report by its category and commune, never by its words, its place or the citizen
(the staff open it from the link, with the rights they hold). It is late since its deadline passed:
the start of the day after its last day, in Việt Nam's time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy import case, false, func, or_, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import LOCAL_TZ
from ioc57.core.i18n import N_
from ioc57.core.pages import link
from ioc57.feedback.access import READ, in_scope
from ioc57.feedback.categories import category
from ioc57.feedback.queries import agency, commune
from ioc57.feedback.stats import OPEN
from ioc57.feedback.tables import reports
from ioc57.modules import Concern

FEW = 3  # an agency with this many late reports or fewer: each is a concern of its own
EVENTS = ("feedback.deadline", "ingest.batch:feedback")
SOURCE = N_("Citizen reports (the feedback desk)")
KIND = N_("Citizen report past deadline")
KIND_MANY = N_("Citizen reports past deadline")
NOT_FORWARDED = N_("Not yet forwarded to an agency")
# why one report is late, by the step it waits on (``deadlines.due``)
WHY_STEP = {
    "triage": N_("Not taken up {days} days after its deadline"),
    "answer": N_("Not answered {days} days after its deadline"),
    "publish": N_("Answer not published {days} days after its deadline"),
}
WHY_MANY = N_("{count} reports past their deadline, the oldest by {days} days")


def local_day(now: datetime) -> date:
    return now.astimezone(LOCAL_TZ).date()


def late_since(due_on: date) -> datetime:
    """When a report whose last day is ``due_on`` became late: the next day's start, in UTC."""
    return datetime.combine(due_on + timedelta(days=1), time(), LOCAL_TZ).astimezone(UTC)


def _late(conn: Connection, principal: Principal, today: date) -> list[Any]:
    where = [reports.c.due_on < today, reports.c.status.in_(OPEN)]
    scope = in_scope(conn, principal)
    return where if scope is None else [*where, scope]


def late(conn: Connection, principal: Principal, now: datetime, limit: int) -> list[Concern]:
    """The reports past their deadline in ``principal``'s scope, grouped by answering agency."""
    if not may(principal, READ):
        return []
    today = local_day(now)
    where = _late(conn, principal, today)
    c = reports.c
    groups = conn.execute(
        select(
            c.agency_id,
            agency.c.code,
            agency.c.name,
            func.count(),
            func.min(c.due_on),
            func.max(case((c.simulated.is_(True), 1), else_=0)),
        )
        .select_from(reports.outerjoin(agency, agency.c.id == c.agency_id))
        .where(*where)
        .group_by(c.agency_id, agency.c.code, agency.c.name)
    ).all()
    found: list[Concern] = []
    few = [g.agency_id for g in groups if g[3] <= FEW]
    for g in groups:
        if g[3] > FEW:
            found.append(_many(g, today))
    if few:
        found.extend(_each(conn, where, few, today))
    found.sort(key=lambda k: k.since)
    return found[:limit]


def _desk(agency_code: str | None) -> str:
    if agency_code is None:  # waiting on the operators' triage
        return link("/feedback", status="received", flag="late")
    return link("/feedback", agency=agency_code, flag="late")


def _many(g: Any, today: date) -> Concern:
    agency_id, code, name, count, oldest, simulated = g
    return Concern(
        key=f"feedback:late-agency:{agency_id or 'none'}",
        kind=KIND_MANY,
        title=name or NOT_FORWARDED,
        why=WHY_MANY,
        args={"count": int(count), "days": (today - oldest).days},
        since=late_since(oldest),
        severity=2,
        href=_desk(code),
        owner=name,
        unit_code=code,
        simulated=bool(simulated),
        source=SOURCE,
    )


def _each(conn: Connection, where: list[Any], agencies: list[Any], today: date) -> list[Concern]:
    c = reports.c
    known = [a for a in agencies if a is not None]
    among = or_(c.agency_id.in_(known), c.agency_id.is_(None) if None in agencies else false())
    rows = conn.execute(
        select(
            c.record_id,
            c.category,
            c.due_step,
            c.due_on,
            c.simulated,
            commune.c.code.label("unit_code"),
            commune.c.name.label("unit_name"),
            agency.c.name.label("agency_name"),
        )
        .select_from(
            reports.outerjoin(commune, commune.c.id == c.unit_id).outerjoin(
                agency, agency.c.id == c.agency_id
            )
        )
        .where(*where, among)
    )
    return [
        Concern(
            key=f"feedback:late:{r.record_id}",
            kind=KIND,
            title=title(r.category, r.unit_name),
            why=WHY_STEP.get(r.due_step, WHY_STEP["answer"]),
            args={"days": (today - r.due_on).days},
            since=late_since(r.due_on),
            severity=2,
            href=f"/feedback/{quote(r.record_id, safe='')}",
            owner=r.agency_name,
            unit_code=r.unit_code,
            simulated=bool(r.simulated),
            source=SOURCE,
        )
        for r in rows
    ]


def title(code: str, commune_name: str | None) -> str:
    """A report as the centre names it: its category and its commune (data, never its words)."""
    name = category(code).label("vi")
    return f"{name} — {commune_name}" if commune_name else name
