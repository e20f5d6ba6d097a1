"""What the IOC panel of citizen reports shows for a unit and a span of days, in one shape for the
JSON API (``/api/v1/feedback/stats``), the page (``/feedback/panel``) and the overview's panel:
the figures of ``stats`` (received, answered, on time, satisfaction), the reports open and late
now, the split by agency, by commune and by month, and the share of simulated reports.

The unit is one a person may read (an officer: its own unit's subtree; 403 outside it). Without
one, the panel opens on the person's unit, or on the first province whose reports the gate holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from ioc57.core.access import Principal, authorize
from ioc57.core.clock import LOCAL_TZ
from ioc57.core.pages import link
from ioc57.core.problems import field_error
from ioc57.feedback import stats
from ioc57.feedback.access import READ
from ioc57.feedback.tables import reports
from ioc57.ingest.tables import sources
from ioc57.units.queries import scope_chain, subtree_ids, unit_at, valid_at
from ioc57.units.tables import units

SPLITS = ("agency", "unit", "month")
MAX_DAYS = 3 * 366  # a span of at most three years
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


def first_unit(conn: Connection, principal: Principal) -> str | None:
    """The unit the panel opens on: the person's own, or the first province with reports."""
    if principal.unit_code:
        return principal.unit_code
    return conn.execute(select(func.min(reports.c.province_code))).scalar()


def provinces_with_reports(conn: Connection, today: date) -> list[Any]:
    """The current provinces whose reports the gate holds (a picker's choices): one probe of the
    index on province each, whatever the number of reports."""
    rows = conn.execute(
        select(units.c.code, units.c.name)
        .where(units.c.level == "province", valid_at(today))
        .order_by(units.c.name)
    ).all()
    probe = select(reports.c.id).limit(1)
    return [
        r
        for r in rows
        if conn.execute(probe.where(reports.c.province_code == r.code)).first() is not None
    ]


def readable_unit(conn: Connection, principal: Principal, code: str, today: date) -> Any:
    """The current unit a code names, once the person may read it: 422 naming ``unit`` when it
    names none, 403 outside an officer's unit."""
    row = unit_at(conn, code, today)
    if row is None:
        raise field_error("unit", f"no current unit has code {code!r}")
    authorize(principal, READ, scope_chain(conn, row))
    return row


def queue_link(row: Any, late: bool = False) -> str:
    """The staff queue (``/feedback``) of a unit's open reports (its late ones: ``late``)."""
    key = {"commune": "commune", "agency": "agency"}.get(row.level)
    params = {key: row.code} if key else {}
    if late:
        params["flag"] = "late"
    return link("/feedback", **params) if params else "/feedback"


def check_span(start: date, end: date) -> None:
    """422 naming ``from`` or ``to`` for a span that ends before it starts, is longer than three
    years, or lies outside 1900-2100 (no report is older; a time there is out of range)."""
    for name, value in (("from", start), ("to", end)):
        if not FIRST_DAY <= value <= LAST_DAY:
            raise field_error(name, "a date between 1900-01-01 and 2100-12-31")
    if end < start:
        raise field_error("to", "the span ends before it starts")
    if (end - start).days > MAX_DAYS:
        raise field_error("to", "a span covers at most three years")


def reports_of(conn: Connection, row: Any) -> ColumnElement[bool]:
    """The reports of a unit's subtree: a province's by its code (the index on it), another
    unit's those placed in it or answered by an agency in it."""
    if row.level == "province":
        return reports.c.province_code == row.province_code
    ids = subtree_ids(conn, row)
    return or_(reports.c.unit_id.in_(ids), reports.c.agency_id.in_(ids))


def communes(conn: Connection, row: Any, today: date) -> list[Any]:
    """The current communes of a province, of an agency's province (where its reports come
    from), of a district (those under it); none for a commune."""
    if row.level not in ("province", "district", "agency"):
        return []
    query = select(units.c.id, units.c.code, units.c.name, units.c.lat, units.c.lon).where(
        units.c.level == "commune", valid_at(today)
    )
    if row.level == "district":
        query = query.where(units.c.parent_id == row.id)
    else:
        query = query.where(units.c.province_code == row.province_code)
    return list(conn.execute(query.order_by(units.c.name)))


def _names(conn: Connection, codes: Iterable[str], today: date) -> dict[str, str]:
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    query = select(units.c.code, units.c.name).where(units.c.code.in_(wanted), valid_at(today))
    return {code: name for code, name in conn.execute(query)}


def simulated(conn: Connection, where: ColumnElement[bool], start: date, end: date) -> dict:
    """How many of the reports received in the span came from a simulated source (dữ liệu mô
    phỏng), and their share. A deployment without simulated sources answers at once."""
    fake = list(conn.execute(select(sources.c.id).where(sources.c.simulated.is_(True))).scalars())
    if not fake:
        return {"count": 0, "share": 0.0}
    since = datetime.combine(start, time(), LOCAL_TZ)
    until = datetime.combine(end, time.max, LOCAL_TZ)
    base = (
        select(func.count())
        .select_from(reports)
        .where(where, reports.c.received_at.between(since, until))
    )
    received = int(conn.execute(base).scalar_one())
    count = int(conn.execute(base.where(reports.c.source_id.in_(fake))).scalar_one())
    return {"count": count, "share": count / received if received else 0.0}


def _by_agency(conn: Connection, row: Any, start: date, end: date, today: date) -> list[dict]:
    split = stats.by_agency(conn, row.id, start, end)
    names = _names(conn, (c for c in split if c != "none"), today)
    items = [
        {"code": None if code == "none" else code, "name": names.get(code)} | t.as_dict()
        for code, t in split.items()
    ]
    return sorted(items, key=lambda i: (i["code"] is None, -i["received"], i["name"] or ""))


def _by_unit(conn: Connection, row: Any, whole: stats.Totals, start: date, end: date, today: date):
    places = communes(conn, row, today)
    agency = row.code if row.level == "agency" else None
    split = stats.by_unit(conn, [p.id for p in places], start, end, agency)
    items, placed = [], stats.Totals()
    for p in places:
        placed += split[p.id]
        items.append({"code": p.code, "name": p.name} | split[p.id].as_dict())
    items.sort(key=lambda i: (-i["received"], i["name"]))
    rest = whole.minus(placed)
    return items, rest.as_dict() if any(getattr(rest, n) for n in stats.FIELDS) else None


def figures(
    conn: Connection, row: Any, start: date, end: date, by: Iterable[str], today: date
) -> dict[str, Any]:
    """The panel of a unit over the days ``start``..``end``, with the splits ``by`` asks for."""
    whole = stats.totals(conn, row.id, start, end)
    where = reports_of(conn, row)
    out: dict[str, Any] = {
        "unit": {"code": row.code, "name": row.name, "level": row.level},
        "from": start.isoformat(),
        "to": end.isoformat(),
        "totals": whole.as_dict(),
        "now": stats.open_counts(conn, where, today),
        "simulated": simulated(conn, where, start, end),
    }
    wanted = set(by)
    if "agency" in wanted:
        out["by_agency"] = _by_agency(conn, row, start, end, today)
    if "unit" in wanted:
        out["by_unit"], out["unplaced"] = _by_unit(conn, row, whole, start, end, today)
    if "month" in wanted:
        split = stats.by_month(conn, row.id, start, end)
        out["by_month"] = [{"month": m} | t.as_dict() for m, t in split.items()]
    return out
