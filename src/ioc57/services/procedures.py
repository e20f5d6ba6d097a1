"""The procedure catalogue as a province runs it: the procedure records sent through the gate (the
latest version of each code), with each procedure's dossier counts for a period, read from the
gate's rollups (``dossier.contributions``: a unit's rollups hold its whole subtree).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.core.periods import Period
from ioc57.ingest.tables import records, rollups
from ioc57.services.counts import dims_of
from ioc57.services.procedure import PROCEDURE
from ioc57.services.scope import in_subtree
from ioc57.units.queries import scope_chain
from ioc57.units.source import search_key
from ioc57.units.tables import units

RECEIVED, FINISHED = "dossier.procedure.received", "dossier.procedure.finished"
ONLINE = ("full", "partial", "none")
FIELDS = (
    "name",
    "level",
    "online",
    "fee",
    "payment_online",
    "population_db",
    "effective_date",
    "published_date",
)


def procedure_names(
    conn: Connection, wanted: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """The names of procedures, by (province code, procedure code), from the latest procedure
    record of that code in that province."""
    wanted = set(wanted)
    if not wanted:
        return {}
    query = (
        select(records.c.province_code, records.c.record_id, records.c.data)
        .where(records.c.type == PROCEDURE.name)
        .where(records.c.province_code.in_({p for p, _code in wanted}))
        .where(records.c.record_id.in_({code for _p, code in wanted}))
        .order_by(records.c.updated_at, records.c.id)
    )
    names = {}
    for r in conn.execute(query):
        if (r.province_code, r.record_id) in wanted:
            names[(r.province_code, r.record_id)] = orjson.loads(r.data)["name"]
    return names


def procedures_of(conn: Connection, unit: Any) -> list[dict[str, Any]]:
    """The procedures ``unit`` runs, the latest version of each code, by code: a province's all,
    a commune's those of commune level in force above it, an agency's its own."""
    query = (
        select(records.c.record_id, records.c.data, records.c.agency_id)
        .where(records.c.type == PROCEDURE.name)
        .order_by(records.c.updated_at, records.c.id)
    )
    if unit.level == "agency":
        query = query.where(records.c.agency_id == unit.id)
    elif unit.level == "commune":
        query = query.where(records.c.unit_id.in_(scope_chain(conn, unit)))
    else:
        query = query.where(*in_subtree(conn, records, unit))
    latest: dict[str, tuple[dict[str, Any], int | None]] = {}
    for r in conn.execute(query):
        data = orjson.loads(r.data)
        if unit.level != "commune" or data["level"] == "commune":
            latest[r.record_id] = (data, r.agency_id)
    agency_ids = {a for _data, a in latest.values() if a is not None}
    agencies = {
        r.id: {"code": r.code, "name": r.name}
        for r in conn.execute(
            select(units.c.id, units.c.code, units.c.name).where(units.c.id.in_(agency_ids))
        )
    }
    return [
        {"code": code, **{k: data.get(k) for k in FIELDS}, "agency": agencies.get(agency_id)}
        for code, (data, agency_id) in sorted(latest.items())
    ]


def procedure_counts(conn: Connection, unit_id: int, period: Period) -> dict[str, dict[str, Any]]:
    """Each procedure's dossiers in ``period`` in the unit's subtree, by procedure code: received
    (online, paid online), finished (on time), the on-time rate in percent and the average
    working days taken (None where no dossier was finished)."""
    r = rollups.c
    query = (
        select(r.metric, r.dims, func.sum(r.count).label("n"), func.sum(r.sum).label("days"))
        .where(r.unit_id == unit_id, r.metric.in_((RECEIVED, FINISHED)))
        .where(r.day.between(period.start, period.end))
        .group_by(r.metric, r.dims)
    )
    tallies: dict[str, dict[str, float]] = {}
    for row in conn.execute(query):
        dims = dims_of(row.dims)
        t = tallies.setdefault(dims.get("procedure", ""), dict.fromkeys(TALLIES, 0))
        n = int(row.n)
        if row.metric == RECEIVED:
            t["received"] += n
            t["received_online"] += n if dims.get("channel") == "online" else 0
            t["received_paid_online"] += n if dims.get("paid_online") == "yes" else 0
        else:
            t["finished"] += n
            t["finished_on_time"] += n if dims.get("on_time") == "yes" else 0
            t["working_days"] += float(row.days)
    return {code: summary(t) for code, t in tallies.items()}


TALLIES = (
    "received",
    "received_online",
    "received_paid_online",
    "finished",
    "finished_on_time",
    "working_days",
)


def summary(t: dict[str, float]) -> dict[str, Any]:
    """A procedure's counts as the catalogue shows them."""
    finished = t["finished"]
    out: dict[str, Any] = {k: int(v) for k, v in t.items() if k != "working_days"}
    out["on_time_rate"] = round(100 * t["finished_on_time"] / finished, 2) if finished else None
    out["average_working_days"] = round(t["working_days"] / finished, 2) if finished else None
    return out


def catalogue(
    conn: Connection,
    unit: Any,
    period: Period,
    *,
    online: str | None = None,
    fee: bool | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """The procedures ``unit`` runs (filtered: online level, fee, a name or code that contains
    ``q``), by code, each with its dossier counts in ``period``:
    ``{"items", "total", "limit", "offset"}``."""
    wanted = search_key(q) if q else None
    items = [
        p
        for p in procedures_of(conn, unit)
        if (online is None or p["online"] == online)
        and (fee is None or p["fee"] == fee)
        and (
            wanted is None
            or wanted in search_key(p["name"] or "")
            or (q or "").strip().casefold() in p["code"].casefold()
        )
    ]
    page = items[offset : offset + limit]
    counts = procedure_counts(conn, unit.id, period)
    for item in page:
        item["dossiers"] = counts.get(item["code"]) or summary(dict.fromkeys(TALLIES, 0))
    return {"items": page, "total": len(items), "limit": limit, "offset": offset}
