"""Read units: list and search, one unit with its neighbourhood, and name resolution."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from ioc57.core.access import Principal
from ioc57.core.problems import Problem
from ioc57.units.source import REORGANISED, adminunits_to_official, search_key
from ioc57.units.tables import unit_successions, units

PUBLIC_FIELDS = ("code", "name", "level", "type", "valid_from", "valid_to", "lat", "lon")


def valid_at(at: date, table: Any = units) -> ColumnElement[bool]:
    """Units (of ``units`` or an alias of it) in force on the day ``at``."""
    return and_(
        or_(table.c.valid_from.is_(None), table.c.valid_from <= at),
        or_(table.c.valid_to.is_(None), table.c.valid_to > at),
    )


def of_units(conn: Connection, table: Any, unit_ids: list[int]) -> ColumnElement[bool]:
    """The rows of a fact table (``unit_id``, ``province_code``) that belong to these units,
    named by unit and by the units' provinces: on a database partitioned by province, only
    their provinces' partitions are read (``core.partitions``)."""
    codes = conn.execute(
        select(units.c.province_code).where(units.c.id.in_(unit_ids)).distinct()
    ).scalars()
    return and_(table.c.unit_id.in_(unit_ids), table.c.province_code.in_(sorted(codes)))


def public(row: Any, parent_code: str | None) -> dict[str, Any]:
    mapping = row._mapping if hasattr(row, "_mapping") else row
    item = {name: mapping[name] for name in PUBLIC_FIELDS}
    item["short_name"] = mapping["short_name"]
    item["province_code"] = mapping["province_code"]
    item["parent_code"] = parent_code
    for key in ("valid_from", "valid_to"):
        item[key] = item[key].isoformat() if item[key] else None
    # valid_to is the first day a unit no longer holds; people read the last day it did
    item["valid_until"] = (
        (mapping["valid_to"] - timedelta(days=1)).isoformat() if mapping["valid_to"] else None
    )
    return item


parents = units.alias("parents")
_with_parent = select(units, parents.c.code.label("parent_code")).outerjoin(
    parents, units.c.parent_id == parents.c.id
)


def unit_at(conn: Connection, code: str, at: date) -> Any | None:
    """The unit row that ``code`` names on day ``at`` (codes were reused in 2025)."""
    return conn.execute(select(units).where(units.c.code == code, valid_at(at))).first()


def unit_by_id(conn: Connection, unit_id: int) -> Any | None:
    return conn.execute(select(units).where(units.c.id == unit_id)).first()


@dataclass
class UnitFilter:
    at: date
    level: str | None = None
    parent: str | None = None
    q: str | None = None
    province: str | None = None


def own_unit(conn: Connection, principal: Principal) -> Any:
    """The unit of a person who has one (an officer's): 403 should it be gone."""
    unit = unit_by_id(conn, principal.unit_id) if principal.unit_id is not None else None
    if unit is None:
        raise Problem(403, "Your unit is not known.")
    return unit


def list_units(
    conn: Connection, flt: UnitFilter, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    conditions = [valid_at(flt.at)]
    if flt.level:
        conditions.append(units.c.level == flt.level)
    if flt.province:
        conditions.append(units.c.province_code == flt.province)
    if flt.parent:
        parent = unit_at(conn, flt.parent, flt.at)
        if parent is None:
            return [], 0
        conditions.append(units.c.parent_id == parent.id)
    if flt.q:
        conditions.append(units.c.search_name.contains(search_key(flt.q), autoescape=True))
    total = conn.execute(select(func.count()).select_from(units).where(*conditions)).scalar_one()
    query = (
        _with_parent.where(*conditions)
        .order_by(_level_order(), units.c.province_code, units.c.code)
        .limit(limit)
        .offset(offset)
    )
    items = [public(row, row.parent_code) for row in conn.execute(query)]
    return items, total


def _level_order():
    return case(
        {"province": 0, "district": 1, "commune": 2, "agency": 3}, value=units.c.level, else_=4
    )


def ancestors(conn: Connection, row: Any) -> list[Any]:
    chain = []
    while row is not None and row.parent_id is not None:
        row = unit_by_id(conn, row.parent_id)
        if row is not None:
            chain.append(row)
    return list(reversed(chain))


def _parent_code(conn: Connection, row: Any) -> str | None:
    if row.parent_id is None:
        return None
    parent = unit_by_id(conn, row.parent_id)
    return parent.code if parent else None


def neighbours(conn: Connection, unit_id: int, direction: str) -> list[dict[str, Any]]:
    """Predecessors (``before``) or successors (``after``) across the reorganisation."""
    if direction == "after":
        me, other = unit_successions.c.predecessor_id, unit_successions.c.successor_id
    else:
        me, other = unit_successions.c.successor_id, unit_successions.c.predecessor_id
    query = (
        _with_parent.add_columns(unit_successions.c.is_default, unit_successions.c.effective)
        .join(unit_successions, other == units.c.id)
        .where(me == unit_id)
        .order_by(unit_successions.c.is_default.desc(), units.c.code)
    )
    out = []
    for row in conn.execute(query):
        item = public(row, row.parent_code)
        item["is_default"] = bool(row.is_default)
        item["effective"] = row.effective.isoformat()
        out.append(item)
    return out


def unit_detail(conn: Connection, code: str, at: date) -> dict[str, Any] | None:
    row = unit_at(conn, code, at)
    if row is None:
        return None
    chain = ancestors(conn, row)
    item = public(row, chain[-1].code if chain else None)
    item["ancestors"] = [public(a, chain[i - 1].code if i else None) for i, a in enumerate(chain)]
    item["children_count"] = conn.execute(
        select(func.count()).select_from(units).where(units.c.parent_id == row.id)
    ).scalar_one()
    item["predecessors"] = neighbours(conn, row.id, "before")
    item["successors"] = neighbours(conn, row.id, "after")
    return item


def children(conn: Connection, row: Any, level: str | None = None) -> list[dict[str, Any]]:
    query = _with_parent.where(units.c.parent_id == row.id).order_by(units.c.code)
    if level:
        query = query.where(units.c.level == level)
    return [public(r, r.parent_code) for r in conn.execute(query)]


def _subtrees(conn: Connection, ids: set[int]) -> set[int]:
    tree = select(units.c.id).where(units.c.id.in_(sorted(ids))).cte("tree", recursive=True)
    tree = tree.union_all(select(units.c.id).join(tree, units.c.parent_id == tree.c.id))
    return set(conn.execute(select(tree.c.id)).scalars())


def subtree_ids(conn: Connection, row: Any, predecessors: bool = False) -> list[int]:
    """Ids of the unit and every unit under it (its communes, its agencies and theirs); with
    ``predecessors``, also the units they succeeded and theirs (a province merged in 2025 and its
    old communes), whose records are now the successor's."""
    ids = _subtrees(conn, {row.id})
    while predecessors:
        query = select(unit_successions.c.predecessor_id).where(
            unit_successions.c.successor_id.in_(sorted(ids))
        )
        older = set(conn.execute(query).scalars()) - ids
        if not older:
            break
        ids |= _subtrees(conn, older)
    return sorted(ids)


# -- resolving names and addresses ------------------------------------------------------------

_SPECIFICITY = {"province": 1, "district": 2, "commune": 3}


@lru_cache(maxsize=1)
def _official_codes() -> dict[str, str]:
    return adminunits_to_official()


def _parsed_units(name: str) -> list[tuple[int, str, str, date]]:
    """(specificity, level, code, as-of day) for what the name parses to, current and legacy."""
    # imported here: the address parser costs a process ~45 MB and half a second to load, and
    # only the reading of a name or an address needs it
    from vietnamadminunits import ParseMode, parse_address

    found = []
    current = parse_address(name, mode=ParseMode.FROM_2025, level=2)
    if current.ward_code:
        code = _official_codes().get(current.ward_code, current.ward_code)
        found.append((3, "commune", code, REORGANISED))
    elif current.province_code:
        found.append((1, "province", current.province_code, REORGANISED))
    legacy = parse_address(name, mode=ParseMode.LEGACY, level=3)
    before = date(2025, 6, 30)
    if legacy.ward_code and legacy.district_code:
        # a commune named with its district is an address from before 2025 (districts are gone):
        # the reading of today's names finds only a lookalike (Long Hưng, Châu Thành, Tiền Giang
        # is no Yên Châu of Sơn La)
        found.append((4, "commune", legacy.ward_code, before))
    elif legacy.ward_code:
        found.append((3, "commune", legacy.ward_code, before))
    elif legacy.district_code:
        found.append((2, "district", legacy.district_code, before))
    elif legacy.province_code:
        found.append((1, "province", legacy.province_code, before))
    return found


def resolve(conn: Connection, name: str, today: date) -> list[dict[str, Any]]:
    """The current unit(s) that a legacy or current name or address maps to, best first."""
    parsed = _parsed_units(name)
    if not parsed:
        return []
    best = max(p[0] for p in parsed)
    matches: dict[str, dict[str, Any]] = {}
    for _spec, _level, code, as_of in sorted(parsed, key=lambda p: (-p[0], p[3] != REORGANISED)):
        if _spec != best:
            continue
        row = unit_at(conn, code, as_of)
        if row is None:
            continue
        if row.valid_to is None or row.valid_to > today:
            item = public(row, _parent_code(conn, row)) | {"matched": "current", "via": None}
            matches.setdefault(item["code"] + item["level"], item)
            continue
        origin = public(row, _parent_code(conn, row))
        for succ in neighbours(conn, row.id, "after"):
            item = succ | {"matched": "legacy", "via": origin}
            matches.setdefault(item["code"] + item["level"], item)
    return list(matches.values())


def scope_chain(conn: Connection, row: Any) -> set[int]:
    """Ids of the unit and its ancestors (and of its successors' chains, for a legacy unit).

    A user whose unit is in this set may act on the unit (``core.access.authorize``).
    """
    chain = {row.id, *(a.id for a in ancestors(conn, row))}
    if row.valid_to is not None:
        for succ in conn.execute(
            select(unit_successions.c.successor_id).where(
                unit_successions.c.predecessor_id == row.id
            )
        ):
            successor = unit_by_id(conn, succ.successor_id)
            assert successor is not None  # a foreign key
            chain |= {successor.id, *(a.id for a in ancestors(conn, successor))}
    return chain
