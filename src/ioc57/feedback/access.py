"""Who may do what with a report, and the scope of an officer.

Actions (``manifest.MODULE.actions``): ``feedback.read`` (the reports, without contact details),
``feedback.contact`` (a reporter's contact details, to call them back), ``feedback.triage``
(take reports in, forward, refuse, merge, publish, close, reopen: the IOC's operators),
``feedback.answer`` (start, ask for information, answer: the agencies' officers),
``feedback.admin`` (routes and Open311 keys).

An officer acts on the reports of their unit's subtree: those placed in it, and those whose
answering agency is in it (a province's department answers reports from every commune).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from ioc57.core.access import Principal, authorize
from ioc57.core.problems import Problem
from ioc57.feedback.tables import reports
from ioc57.units.queries import scope_chain, subtree_ids, unit_by_id

READ, CONTACT, TRIAGE, ANSWER, ADMIN = (
    "feedback.read",
    "feedback.contact",
    "feedback.triage",
    "feedback.answer",
    "feedback.admin",
)

# the principal the module writes through the gate with, once it has checked the person (or the
# citizen's tracking code, or an Open311 key); the person is named as the batch's actor
SERVICE = Principal(0, "ioc57-feedback", "admin", None, None, "cli")


def not_found(value: Any, key: str = "report_id") -> Problem:
    return Problem(404, f"No report {value}.", errors=[{"loc": ["path", key], "msg": "not found"}])


def report_chain(conn: Connection, row: Any) -> set[int]:
    """The units whose officers may act on a report: its commune's and its agency's chains."""
    chain: set[int] = set()
    for unit_id in (row.unit_id, row.agency_id):
        unit = unit_by_id(conn, unit_id) if unit_id is not None else None
        if unit is not None:
            chain |= scope_chain(conn, unit)
    return chain


def in_scope(conn: Connection, principal: Principal) -> ColumnElement[bool] | None:
    """A filter of the reports a principal with a unit may see (None: all of them)."""
    if principal.unit_id is None:
        return None
    unit = unit_by_id(conn, principal.unit_id)
    ids = subtree_ids(conn, unit) if unit is not None else [principal.unit_id]
    return or_(reports.c.unit_id.in_(ids), reports.c.agency_id.in_(ids))


def report_for(conn: Connection, principal: Principal | None, action: str, report_id: str) -> Any:
    """The report ``report_id`` (its record id) once ``principal`` may take ``action`` on it:
    401/403 for a role that may not, 404 for no such report, 403 outside the principal's unit."""
    authorize(principal, action)
    row = conn.execute(select(reports).where(reports.c.record_id == report_id)).first()
    if row is None:
        raise not_found(report_id)
    if principal is not None and principal.unit_id is not None:
        authorize(principal, action, report_chain(conn, row))
    return row
