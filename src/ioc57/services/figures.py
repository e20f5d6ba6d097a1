"""The public services' figures for alert rules: the live Decision 766 index of each unit
(``services.index766``) and the open dossiers past their due time (``services.overdue_dossiers``).

- ``services.index766``: the index total (out of 100) of each unit of a level (``level``:
  province by default, commune or agency; ``province`` narrows a level to one province's) for a
  period (``period``: a period code or a range as the index API takes, the current month by
  default), as ``GET /api/v1/services/index`` gives it. A unit with no dossier received or
  finished in the period has no value: its score would be the procedures' alone. A rule "below
  60" warns of a province slipping.
- ``services.overdue_dossiers``: per unit that holds open dossiers (``by``: ``unit``, where a
  dossier was received, by default; or ``agency``, the agency that handles it), how many are past
  their effective due time now (suspended working days moved forward). Read from the work list's
  table (``services_open_dossiers``), which the gate keeps current; a unit whose last open
  dossier closes leaves the figure, and the alerts treat a series gone as resolved.

Dossiers arriving re-evaluate both (``record_types``); a dossier crossing its due time with
nothing arriving is seen at the alerts' next scheduled evaluation. Both return every series
whatever the batch: the counts are one grouped read each.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from ioc57.core.clock import now, today
from ioc57.core.figures import Sample
from ioc57.services.counts import gather
from ioc57.services.index import parse_window, scopes_of
from ioc57.services.scoring import index
from ioc57.services.tables import open_dossiers
from ioc57.units.queries import valid_at
from ioc57.units.tables import units

LEVELS = ("province", "commune", "agency")
BY = {"unit": open_dossiers.c.unit_id, "agency": open_dossiers.c.agency_id}


def _choice(params: Mapping[str, Any], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = str(params.get(name) or default)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def index766_samples(
    conn: Connection, params: Mapping[str, Any], batch: int | None = None
) -> list[Sample]:
    """``services.index766``: the index total of each unit of the level, for the period."""
    level = _choice(params, "level", LEVELS, "province")
    day = today()
    period = parse_window(str(params.get("period") or f"{day:%Y%m}"))
    query = select(units).where(units.c.level == level, valid_at(day)).order_by(units.c.code)
    if params.get("province"):
        query = query.where(units.c.province_code == str(params["province"]))
    rows = list(conn.execute(query))
    counts = gather(conn, scopes_of(conn, rows, day), period, day)
    out = []
    for row in rows:
        mine = counts.get(row.id)
        served = mine is not None and (mine.received or mine.finished)
        total = index(mine)["total"] if served and mine is not None else None
        out.append(
            Sample(
                labels={"unit": row.code, "level": level},
                value=total,
                unit_id=row.id,
            )
        )
    return out


def overdue_samples(
    conn: Connection, params: Mapping[str, Any], batch: int | None = None
) -> list[Sample]:
    """``services.overdue_dossiers``: per unit (or agency) with open dossiers, those overdue."""
    by = _choice(params, "by", tuple(BY), "unit")
    column = BY[by]
    overdue = func.sum(case((open_dossiers.c.effective_due_at < now(), 1), else_=0))
    counted = (
        select(column.label("unit_id"), overdue.label("overdue"))
        .where(column.is_not(None))
        .group_by(column)
        .subquery()
    )
    query = (
        select(units.c.id, units.c.code, counted.c.overdue)
        .join(counted, counted.c.unit_id == units.c.id)
        .order_by(units.c.code)
    )
    return [
        Sample(labels={by: r.code}, value=float(r.overdue or 0), unit_id=r.id)
        for r in conn.execute(query)
    ]
