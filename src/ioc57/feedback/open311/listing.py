"""The filters of ``GET requests``, as the specification gives them, read into a query.

``service_request_id`` (comma-delimited) overrides every other filter; ``service_code`` and
``status`` (``open``, ``closed``) take several values, comma-delimited or repeated;
``start_date`` and ``end_date`` (w3 format, e.g. ``2026-01-01T00:00:00Z``; a time without an offset
is Việt Nam's) bound the requested time and may not span more than 90 days; without them, the
last 90 days. At most 1,000 requests, the newest first (``requests.LIMIT``). ``jurisdiction_id``,
when given, keeps the province's reports (the endpoint serves every province in its database).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Connection
from starlette.datastructures import QueryParams

from ioc57.core.clock import now, to_utc
from ioc57.feedback import queries
from ioc57.feedback.open311.formats import Open311Error
from ioc57.feedback.open311.requests import LIMIT, statuses_of
from ioc57.feedback.tables import reports
from ioc57.units.queries import unit_at

SPAN = timedelta(days=90)


def values(params: QueryParams, name: str) -> list[str]:
    """Every value of ``name``, repeated or comma-delimited."""
    found = [v.strip() for given in params.getlist(name) for v in given.split(",")]
    found = [v for v in found if v]
    if len(found) > LIMIT or any(len(v) > 200 for v in found):
        raise Open311Error(400, f"{name}: at most {LIMIT} values of 200 characters.")
    return found


def moment(params: QueryParams, name: str) -> datetime | None:
    given = params.get(name, "").strip()
    if not given:
        return None
    try:
        # a "+" of an offset that was not escaped arrives as a space
        parsed = datetime.fromisoformat(given.replace(" ", "+"))
    except ValueError:
        raise Open311Error(
            400, f"{name} is a date and time in w3 format, e.g. 2026-01-01T00:00:00Z."
        ) from None
    if not 1990 <= parsed.year <= 2100:
        raise Open311Error(400, f"{name} lies between 1990 and 2100.")
    return to_utc(parsed)


def window(params: QueryParams) -> tuple[datetime, datetime]:
    start, end = moment(params, "start_date"), moment(params, "end_date")
    if start is None and end is None:
        end = now()
    if start is None:
        assert end is not None
        start = end - SPAN
    if end is None:
        end = start + SPAN
    if end < start:
        raise Open311Error(400, "end_date is before start_date.")
    if end - start > SPAN:
        raise Open311Error(400, "start_date and end_date may not span more than 90 days.")
    return start, end


def jurisdiction(conn: Connection, params: QueryParams, today: date) -> str | None:
    """The province ``jurisdiction_id`` names (None: not given); 404 for no current province."""
    code = params.get("jurisdiction_id", "").strip()
    if not code:
        return None
    row = unit_at(conn, code[:40], today)
    if row is None or row.level != "province":
        raise Open311Error(404, f"jurisdiction_id {code[:40]!r} is not the code of a province.")
    found: str = row.code
    return found


def requests_query(conn: Connection, params: QueryParams, today: date) -> Select[Any]:
    query = queries.REPORT_ROWS
    province = jurisdiction(conn, params, today)
    if province is not None:
        query = query.where(reports.c.province_code == province)
    ids = values(params, "service_request_id")
    if ids:
        return query.where(reports.c.record_id.in_(ids))
    codes = values(params, "service_code")
    if codes:
        query = query.where(reports.c.category.in_(codes))
    wanted = set(values(params, "status"))
    if wanted - {"open", "closed"}:
        raise Open311Error(400, "status is open or closed (comma-delimited for both).")
    if wanted:
        query = query.where(reports.c.status.in_(statuses_of(wanted)))
    start, end = window(params)
    return query.where(reports.c.received_at >= start, reports.c.received_at <= end)
