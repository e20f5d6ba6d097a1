"""Reported values: stored from the gate's ``observation`` records, reviewed, rolled up by year.

A value is ``submitted`` until a leader or admin approves it; one entered by a leader or admin, or
sent by a trusted source, is approved at once. Only approved values count. Every change is a row
of ``indicator_value_history`` (who, when, old, new, why); the rollups they feed are kept by
``indicators.rollups``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Connection

from ioc57.core.clock import now
from ioc57.core.messages import entry
from ioc57.core.periods import parse_period
from ioc57.core.problems import Problem
from ioc57.indicators import errors
from ioc57.indicators.catalogue import catalogue
from ioc57.indicators.rollups import Approved, bump_version, refresh, refresh_all
from ioc57.indicators.rollups import Key as OwnKey
from ioc57.indicators.tables import (
    indicator_value_history,
    indicator_values,
)
from ioc57.ingest.bulk import IdOf, insert_rows
from ioc57.ingest.hooks import Projection
from ioc57.units.tables import units


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


SHOWN = ("value", "numerator", "denominator", "status", "citation")  # what history keeps

# the statements of a chunk, built once: their compiled forms are cached by SQLAlchemy
_STORED = select(
    indicator_values.c.id,
    indicator_values.c.indicator,
    indicator_values.c.unit_id,
    indicator_values.c.period,
    *[indicator_values.c[k] for k in SHOWN],
).where(
    indicator_values.c.unit_id.in_(bindparam("unit_ids", expanding=True)),
    indicator_values.c.indicator.in_(bindparam("indicators", expanding=True)),
    indicator_values.c.period.in_(bindparam("periods", expanding=True)),
    # the units' provinces: one partition read in a national deployment (``core.partitions``)
    indicator_values.c.province_code.in_(bindparam("provinces", expanding=True)),
)
_UPDATE = update(indicator_values).where(
    indicator_values.c.id == bindparam("value_id"),
    indicator_values.c.province_code == bindparam("value_province"),
)
_LOOKUP_UNITS = 500  # units per lookup (the bound values of one statement stay few)
# a new value's id, for its history: looked up by its key (and province, its partition)
_VALUE_ID = IdOf(indicator_values, ("indicator", "unit_id", "period", "province_code"))


def _snapshot(row: Any) -> dict[str, Any]:
    return {k: row._mapping[k] for k in SHOWN}


Key = tuple[str, int, str]  # indicator, unit id, period


def _stored(conn: Connection, keys: list[Key], provinces: set[str]) -> dict[Key, Any]:
    """The stored values of ``keys`` (of units in ``provinces``), read in a few statements (not
    one per key)."""
    wanted = set(keys)
    unit_ids = sorted({k[1] for k in wanted})
    params = {
        "indicators": sorted({k[0] for k in wanted}),
        "periods": sorted({k[2] for k in wanted}),
        "provinces": sorted(provinces),
    }
    found: dict[Key, Any] = {}
    for at in range(0, len(unit_ids), _LOOKUP_UNITS):
        rows = conn.execute(_STORED, params | {"unit_ids": unit_ids[at : at + _LOOKUP_UNITS]})
        for row in rows:
            key = (row.indicator, row.unit_id, row.period)
            if key in wanted:
                found[key] = row
    return found


def _rounds(items: list[tuple[dict, Any]]) -> list[list[tuple[Key, dict, Any, Any]]]:
    """The items in rounds where each value's key comes once: a value sent twice in one chunk
    is stored by the first round and changed by the next, as if they had come one by one."""
    rounds: list[list[tuple[Key, dict, Any, Any]]] = []
    seen: dict[Key, int] = {}
    for data, unit in items:
        period = parse_period(data["period"])
        key = (data["indicator"], unit.id, period.code)
        turn = seen[key] = seen.get(key, -1) + 1
        if turn == len(rounds):
            rounds.append([])
        rounds[turn].append((key, data, unit, period))
    return rounds


def project(conn: Connection, ctx: Projection, items: list[tuple[dict, Any]]) -> None:
    """Store observations (``(record data, unit)`` pairs) as indicator values, in the gate's transaction.

    The chunk's stored values are read together and its values written in a few statements;
    the rollups are refreshed once per indicator, unit and year of the chunk, after its values
    are written: twelve months of one unit cost one refresh, not twelve.
    """
    stale: dict[tuple, None] = {}  # (indicator, chain, province, year), in first-seen order
    approved: dict[OwnKey, dict[str, Approved]] = {}  # the chunk's approved values, by period
    at = now()
    status = "approved" if ctx.approve else "submitted"
    action = "approve" if ctx.approve else "submit"  # of a new value
    reviewer, reviewed = (ctx.actor, at) if ctx.approve else (None, None)
    for batch in _rounds(items):
        found = _stored(
            conn, [key for key, *_ in batch], {unit.province_code for _, _, unit, _ in batch}
        )
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        added: list[dict[str, Any]] = []  # the history of new values, their ids looked up
        changed: list[dict[str, Any]] = []  # the history of stored values
        for key, data, unit, period in batch:
            value, num, den = data.get("value"), data.get("numerator"), data.get("denominator")
            citation = data["source"]
            # what the history shows (``SHOWN``)
            new = {
                "value": value,
                "numerator": num,
                "denominator": den,
                "status": status,
                "citation": citation,
            }
            values = new | {
                "record_id": data["id"],
                "updated_at": at,
                "entered_by": ctx.actor,
                "source_id": ctx.source_id,
                "simulated": ctx.simulated,
                "reviewed_by": reviewer,
                "reviewed_at": reviewed,
            }
            said = {"new": new, "reason": data.get("note"), "at": at, "actor": ctx.actor}
            old = found.get(key)
            province, end = unit.province_code, period.end
            year = end.year
            if old is None:  # set in place: merged dicts would copy their entries again
                values["indicator"], values["unit_id"], values["period"] = key
                values["province_code"], values["period_end"], values["year"] = province, end, year
                inserts.append(values)
                added.append({"value_id": key + (province,), "action": action, "old": None} | said)
            else:
                values["value_id"], values["value_province"] = old.id, province
                updates.append(values)
                changed.append(
                    {"value_id": old.id, "action": "change", "old": _snapshot(old)} | said
                )
            if (old is not None and old.status == "approved") or ctx.approve:
                stale[(key[0], unit.chain, province, year)] = None
            if ctx.approve:
                approved.setdefault((key[0], key[1], year), {})[key[2]] = Approved(
                    end, value, num, den, ctx.simulated
                )
        insert_rows(conn, indicator_values, inserts)
        if updates:
            conn.execute(_UPDATE, updates)
        insert_rows(conn, indicator_value_history, added, ids=_VALUE_ID)
        insert_rows(conn, indicator_value_history, changed)
    if stale:
        bump_version(conn)
        refresh_all(conn, list(stale), approved)


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


def count_values(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(indicator_values)).scalar_one()
