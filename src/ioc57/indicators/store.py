"""Reported values: stored from the gate's ``observation`` records, reviewed, rolled up by year.

A value is ``submitted`` until a leader or admin approves it; one entered by a leader or admin, or
sent by a trusted source, is approved at once. Only approved values count. Every change is a row
of ``indicator_value_history`` (who, when, old, new, why).
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.engine import Connection

from ioc57.core.clock import now
from ioc57.core.messages import entry
from ioc57.core.periods import parse_period
from ioc57.core.problems import Problem
from ioc57.indicators import errors
from ioc57.indicators.catalogue import catalogue
from ioc57.indicators.tables import (
    indicator_rollups,
    indicator_rollups_version,
    indicator_value_history,
    indicator_values,
)
from ioc57.ingest.hooks import Projection
from ioc57.units.tables import units

SUMS = ("n", "sum_value", "sum_num", "sum_den", "pct_only", "simulated")
LATEST = ("latest_value", "latest_num", "latest_den")


def check_observation(data: dict) -> list[dict[str, Any]]:
    """The scorecard's own rules for an observation, as field errors (empty when it is fine),
    each with its message's code (``errors``) so that a page shows it in its language."""
    indicator = catalogue().get(data.get("indicator", ""))
    if indicator is None:
        return [entry(errors.UNKNOWN, ["indicator"], indicator=repr(data.get("indicator")))]
    if indicator.source == "computed":
        return [entry(errors.COMPUTED, ["indicator"])]
    if not indicator.accepts_period(data["period"]):
        kind = indicator.period_type
        return [entry(errors.TOO_FINE, ["period"], indicator=indicator.code, period_type=kind)]
    found = []
    num, den, value = data.get("numerator"), data.get("denominator"), data.get("value")
    if den is not None and den == 0:
        found.append(entry(errors.ZERO, ["denominator"]))
    if indicator.unit_of_measure == "%":
        if num is not None and den is not None and num > den:
            found.append(entry(errors.OVER, ["numerator"]))
        if value is not None and not 0 <= value <= 100:
            found.append(entry(errors.PERCENT, ["value"]))
    if indicator.aggregation == "ratio" and (num is None) != (den is None):
        found.append(entry(errors.BOTH, ["numerator" if num is None else "denominator"]))
    return found


def chain_of(conn: Connection, unit_id: int) -> tuple[int, ...]:
    out: list[int] = []
    current: int | None = unit_id
    while current is not None:
        out.append(current)
        current = conn.execute(select(units.c.parent_id).where(units.c.id == current)).scalar()
    return tuple(out)


def _snapshot(row: Any) -> dict[str, Any]:
    return {k: row._mapping[k] for k in ("value", "numerator", "denominator", "status", "citation")}


def project(conn: Connection, ctx: Projection, items: list[tuple[dict, Any]]) -> None:
    """Store observations (``(record data, unit)`` pairs) as indicator values, in the gate's transaction.

    The rollups are refreshed once per indicator, unit and year of the chunk, after its values are
    written: twelve months of one unit cost one refresh, not twelve.
    """
    stale: dict[tuple, None] = {}  # (indicator, chain, province, year), in first-seen order
    for data, unit in items:
        period = parse_period(data["period"])
        values = {
            "value": data.get("value"),
            "numerator": data.get("numerator"),
            "denominator": data.get("denominator"),
            "citation": data["source"],
            "status": "approved" if ctx.approve else "submitted",
            "updated_at": now(),
            "entered_by": ctx.actor,
            "source_id": ctx.source_id,
            "record_id": data["id"],
            "simulated": ctx.simulated,
            "reviewed_by": ctx.actor if ctx.approve else None,
            "reviewed_at": now() if ctx.approve else None,
        }
        key = and_(
            indicator_values.c.indicator == data["indicator"],
            indicator_values.c.unit_id == unit.id,
            indicator_values.c.period == period.code,
        )
        old = conn.execute(select(indicator_values).where(key)).first()
        if old is None:
            result = conn.execute(
                insert(indicator_values)
                .values(
                    indicator=data["indicator"],
                    unit_id=unit.id,
                    province_code=unit.province_code,
                    period=period.code,
                    period_end=period.end,
                    year=period.end.year,
                    **values,
                )
                .returning(indicator_values.c.id)
            )
            value_id, before = result.scalar_one(), None
            action = "approve" if ctx.approve else "submit"
        else:
            conn.execute(
                update(indicator_values).where(indicator_values.c.id == old.id).values(**values)
            )
            value_id, before, action = old.id, _snapshot(old), "change"
        after = {k: values[k] for k in ("value", "numerator", "denominator", "status", "citation")}
        conn.execute(
            insert(indicator_value_history).values(
                value_id=value_id,
                at=now(),
                actor=ctx.actor,
                action=action,
                old=before,
                new=after,
                reason=data.get("note"),
            )
        )
        if (old is not None and old.status == "approved") or ctx.approve:
            stale[(data["indicator"], unit.chain, unit.province_code, period.end.year)] = None
    for indicator, chain, province, year in stale:
        refresh(conn, indicator, chain, province, year)


def review(
    conn: Connection, value_id: int, *, actor: str, approve: bool, reason: str | None
) -> dict:
    row = conn.execute(select(indicator_values).where(indicator_values.c.id == value_id)).first()
    if row is None:
        raise Problem(404, f"No value {value_id}.")
    status = "approved" if approve else "rejected"
    conn.execute(
        update(indicator_values)
        .where(indicator_values.c.id == value_id)
        .values(status=status, reviewed_by=actor, reviewed_at=now())
    )
    conn.execute(
        insert(indicator_value_history).values(
            value_id=value_id,
            at=now(),
            actor=actor,
            action="approve" if approve else "reject",
            old=_snapshot(row),
            new=_snapshot(row) | {"status": status},
            reason=reason,
        )
    )
    if approve or row.status == "approved":
        refresh(conn, row.indicator, chain_of(conn, row.unit_id), row.province_code, row.year)
    return {"id": value_id, "status": status}


def _own(conn: Connection, indicator: str, unit_id: int, year: int) -> dict[str, Any]:
    """The 'own' rollup of a unit and year, computed from its approved values."""
    approved = select(indicator_values).where(
        indicator_values.c.indicator == indicator,
        indicator_values.c.unit_id == unit_id,
        indicator_values.c.year == year,
        indicator_values.c.status == "approved",
    )
    rows = conn.execute(approved.order_by(indicator_values.c.period_end)).all()
    own: dict[str, Any] = dict.fromkeys(SUMS + LATEST, 0)
    own["latest_end"] = None
    for r in rows:
        pct = r.numerator is None or r.denominator is None
        own["n"] += 1
        own["sum_value"] += r.value if r.value is not None else 0.0
        own["sum_num"] += 0.0 if pct else r.numerator
        own["sum_den"] += 0.0 if pct else r.denominator
        own["pct_only"] += 1 if pct else 0
        own["simulated"] += 1 if r.simulated else 0  # so the scorecard can say "dữ liệu mô phỏng"
    if rows:
        last = rows[-1]
        own["latest_end"] = last.period_end
        value = last.value
        if value is None and last.numerator is not None and last.denominator:
            ind = catalogue().get(indicator)
            assert ind is not None  # values are stored only for the catalogue's indicators
            factor = ind.factor or 1
            value = last.numerator / last.denominator * factor
        own["latest_value"] = value or 0.0
        own["latest_num"] = last.numerator or 0.0
        own["latest_den"] = last.denominator or 0.0
    return own


def _read(
    conn: Connection, indicator: str, unit_id: int, year: int, scope: str
) -> dict[str, Any] | None:
    row = conn.execute(
        select(indicator_rollups).where(
            indicator_rollups.c.indicator == indicator,
            indicator_rollups.c.unit_id == unit_id,
            indicator_rollups.c.year == year,
            indicator_rollups.c.scope == scope,
        )
    ).first()
    return dict(row._mapping) if row else None


def _write(conn: Connection, key: dict, values: dict, exists: bool) -> None:
    if exists:
        conn.execute(
            update(indicator_rollups)
            .where(*[indicator_rollups.c[k] == v for k, v in key.items()])
            .values(**values)
        )
    else:
        conn.execute(insert(indicator_rollups).values(**key, **values))


def refresh(
    conn: Connection, indicator: str, chain: tuple[int, ...], province: str, year: int
) -> None:
    """Recompute the unit's own rollup and pass the difference to every unit above it."""
    bump_version(conn)
    unit_id = chain[0]
    old = _read(conn, indicator, unit_id, year, "own")
    new = _own(conn, indicator, unit_id, year)
    key = {"indicator": indicator, "unit_id": unit_id, "year": year, "scope": "own"}
    _write(conn, key, new | {"province_code": province}, old is not None)
    base = old or dict.fromkeys(SUMS + LATEST, 0)
    delta = {k: new[k] - base[k] for k in SUMS + LATEST}
    if not any(delta.values()):
        return
    for ancestor in chain[1:]:
        below = _read(conn, indicator, ancestor, year, "below")
        current = below or dict.fromkeys(SUMS + LATEST, 0) | {"latest_end": None}
        values = {k: current[k] + delta[k] for k in SUMS + LATEST}
        values["latest_end"] = max(
            filter(None, [current.get("latest_end"), new["latest_end"]]), default=None
        )
        key = {"indicator": indicator, "unit_id": ancestor, "year": year, "scope": "below"}
        _write(conn, key, values | {"province_code": province}, below is not None)


def bump_version(conn: Connection) -> None:
    """Mark the rollups changed (the cached ranks of other requests and processes are stale)."""
    done = conn.execute(
        update(indicator_rollups_version).values(version=indicator_rollups_version.c.version + 1)
    )
    if done.rowcount == 0:  # a database made before the table had its row
        conn.execute(
            insert(indicator_rollups_version).values(id=1, token=secrets.token_hex(16), version=1)
        )


def count_values(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(indicator_values)).scalar_one()
