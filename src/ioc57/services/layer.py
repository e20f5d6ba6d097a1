"""The operations centre's map layer ``services.on_time``: the share of the dossiers finished this
month that were on time, per commune, at the commune's centre (``units.lat``/``lon``), read from
the communes' rollups (``dossier.finished`` by ``on_time``).

A point's ``value`` is the number of dossiers the commune finished this month (it sizes the
marker), its ``level`` the rate against the thresholds of the ``services.on_time`` tile: ok from
90 %, watch from 75 %, bad below. Only the communes that finished a dossier this month show: a
province has hundreds, and a grey dot for each without data would hide those with.

Scope: a province's (or every province's, for a person without a unit) communes; a commune's
officer, the communes of its subtree (its own and those it succeeded); an agency's officer, the
agency itself at its place (an agency's rollups hold the dossiers it handles, not by commune).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import LOCAL_TZ, now
from ioc57.core.i18n import N_
from ioc57.core.pages import link
from ioc57.ingest.tables import rollups
from ioc57.services.provenance import simulated_dossiers
from ioc57.services.tiles import ON_TIME_OK, ON_TIME_WATCH, SOURCE, last_batch, level, percent, rate
from ioc57.units.queries import subtree_ids, unit_by_id
from ioc57.units.tables import units

READ = "services.read"
LEGEND = [
    ["ok", N_("At least 90% on time")],
    ["watch", N_("75% to 90% on time")],
    ["bad", N_("Less than 75% on time")],
]


def places(conn: Connection, principal: Principal) -> list[Any]:
    """The conditions on ``units`` for the places of the person's scope."""
    if principal.unit_id is None:
        return [units.c.level == "commune"]
    unit = unit_by_id(conn, principal.unit_id)
    if unit is None:
        return [units.c.id.is_(None)]
    if unit.level == "agency":
        return [units.c.id == unit.id]
    ids = subtree_ids(conn, unit, predecessors=True)
    if unit.level == "province":  # the provinces it succeeded share its records
        codes = select(units.c.province_code).where(units.c.id.in_(ids)).distinct()
        return [units.c.level == "commune", units.c.province_code.in_(codes)]
    return [units.c.level == "commune", units.c.id.in_(ids)]


def on_time_layer(conn: Connection, principal: Principal) -> dict[str, Any] | None:
    """The on-time rate of this month by commune, for the map."""
    if not may(principal, READ):
        return None
    today = now().astimezone(LOCAL_TZ).date()
    month = today.replace(day=1)
    c = rollups.c
    query = (
        select(units.c.id, units.c.code, units.c.name, units.c.lat, units.c.lon, c.dims)
        .add_columns(func.sum(c.count).label("n"))
        .join(units, units.c.id == c.unit_id)
        .where(c.metric == "dossier.finished", c.day >= month, c.day <= today)
        .where(*places(conn, principal), units.c.lat.is_not(None), units.c.lon.is_not(None))
        .group_by(units.c.id, units.c.code, units.c.name, units.c.lat, units.c.lon, c.dims)
    )
    found: dict[int, dict[str, Any]] = {}
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for r in conn.execute(query):
        found[r.id] = {"code": r.code, "name": r.name, "lat": r.lat, "lon": r.lon}
        counts[r.id][r.dims] = int(r.n)
    points = []
    for unit_id, place in sorted(found.items(), key=lambda kv: kv[1]["code"]):
        yes, total = rate(counts[unit_id])
        share = percent(yes, total)
        points.append(
            {
                "lat": place["lat"],
                "lon": place["lon"],
                "label": place["name"],
                "value": total,
                "rate": share,
                "level": level(share) or "none",
                "href": link("/services", unit=place["code"], period=f"{today:%Y%m}"),
            }
        )
    ids = sorted(found)
    return {
        "points": points,
        "legend": LEGEND,
        "updated_at": last_batch(conn),
        "simulated": simulated_dossiers(conn, ids) if ids else False,
        "source": SOURCE,
        "caption": N_("this month"),
        "thresholds": {"ok": ON_TIME_OK, "watch": ON_TIME_WATCH},
    }
