"""Units in memory for the gate: a code on a day to its unit, the units it rolls up into, its scope.

Loaded once per gate, when it is first asked (an app that takes no record never reads them: 14,000
units cost a third of a second), so that a batch of 10,000 records costs dictionary look-ups, not
queries. A code or id it does not know (an agency added since, or a code that names nothing) is
looked up alone, in one query, and added: reading every unit again for it cost each unknown code of
a batch a third of a second.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from ioc57.core.clock import today
from ioc57.units.tables import unit_successions, units


@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    level: str
    province_code: str
    valid_from: date | None
    valid_to: date | None
    lat: float | None
    lon: float | None
    chain: tuple[int, ...]  # itself and its ancestors: the units a record here counts in
    scope: frozenset[int]  # chain, plus the chains of its successors (a legacy unit)


_COLUMNS = (
    units.c.id,
    units.c.parent_id,
    units.c.code,
    units.c.level,
    units.c.province_code,
    units.c.valid_from,
    units.c.valid_to,
    units.c.lat,
    units.c.lon,
)


class UnitCache:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._by_code: dict[str, list[UnitInfo]] = {}
        self._by_id: dict[int, UnitInfo] = {}
        self._current_communes: list[tuple[float, float, UnitInfo]] = []  # with lat, lon
        self._loaded = False
        self._loading = threading.Lock()  # requests asking at once load the units once

    def load(self) -> None:
        """Read the units, unless they are read already."""
        if not self._loaded:
            with self._loading:
                if not self._loaded:
                    self.reload()

    def reload(self) -> None:
        with self.engine.connect() as conn:
            self._load(conn)
        self._loaded = True

    def adopt(self, other: UnitCache) -> None:
        """Start with the units ``other`` has read, instead of reading them: for a cache on a copy
        of ``other``'s database (same units, same ids), such as each test's copy of a template.
        Later additions to either are not shared."""
        other.load()
        with self._loading:
            self._by_code = {code: list(infos) for code, infos in other._by_code.items()}
            self._by_id = dict(other._by_id)
            self._current_communes = list(other._current_communes)
            self._loaded = True

    def _load(self, conn: Connection) -> None:
        # the columns read by position: by name, 9 of each of 14,000 units cost a quarter of the load
        rows = conn.execute(select(*_COLUMNS)).all()
        parents = {row[0]: row[1] for row in rows}
        successors: dict[int, list[int]] = {}
        for pred, succ in conn.execute(
            select(unit_successions.c.predecessor_id, unit_successions.c.successor_id)
        ):
            successors.setdefault(pred, []).append(succ)

        chains: dict[int, tuple[int, ...]] = {}

        def chain(unit_id: int) -> tuple[int, ...]:
            if unit_id not in chains:
                parent = parents[unit_id]
                chains[unit_id] = (unit_id, *(chain(parent) if parent else ()))
            return chains[unit_id]

        by_code: dict[str, list[UnitInfo]] = {}
        by_id: dict[int, UnitInfo] = {}
        for unit_id, _, code, level, province_code, valid_from, valid_to, lat, lon in rows:
            scope = set(chain(unit_id))
            for succ in successors.get(unit_id, ()):
                scope.update(chain(succ))
            info = UnitInfo(
                unit_id,
                code,
                level,
                province_code,
                valid_from,
                valid_to,
                lat,
                lon,
                chain(unit_id),
                frozenset(scope),
            )
            by_code.setdefault(code, []).append(info)
            by_id[unit_id] = info
        self._by_code, self._by_id = by_code, by_id
        self._current_communes = [p for u in by_id.values() if (p := _commune_place(u))]

    def _look_up(self, where: ColumnElement[bool]) -> None:
        """Read the units that ``where`` selects, with the units they roll up into or were
        succeeded by that are not known yet, and add them (none: one query)."""
        with self._loading, self.engine.connect() as conn:
            for row in conn.execute(select(*_COLUMNS).where(where)).all():
                self._add(conn, row)

    def _known(self, conn: Connection, unit_id: int) -> UnitInfo | None:
        if unit_id not in self._by_id:
            row = conn.execute(select(*_COLUMNS).where(units.c.id == unit_id)).first()
            if row is not None:
                self._add(conn, row)
        return self._by_id.get(unit_id)

    def _add(self, conn: Connection, row: Sequence[Any]) -> None:
        unit_id, parent_id, code, level, province_code, valid_from, valid_to, lat, lon = row
        if unit_id in self._by_id:
            return
        parent = self._known(conn, parent_id) if parent_id else None
        chain = (unit_id, *(parent.chain if parent else ()))
        scope = set(chain)
        successors = select(unit_successions.c.successor_id).where(
            unit_successions.c.predecessor_id == unit_id
        )
        for succ_id in conn.execute(successors).scalars().all():
            succ = self._known(conn, succ_id)
            if succ is not None:
                scope.update(succ.chain)
        info = UnitInfo(
            unit_id,
            code,
            level,
            province_code,
            valid_from,
            valid_to,
            lat,
            lon,
            chain,
            frozenset(scope),
        )
        self._by_code.setdefault(code, []).append(info)
        self._by_id[unit_id] = info
        place = _commune_place(info)
        if place is not None:
            self._current_communes.append(place)

    def at(self, code: str, day: date) -> UnitInfo | None:
        """The unit that ``code`` names on ``day``; looks the code up when it is unknown."""
        self.load()
        if code not in self._by_code:
            self._look_up(units.c.code == code)
        return self._find(code, day)

    def _find(self, code: str, day: date) -> UnitInfo | None:
        for info in self._by_code.get(code, ()):
            if (info.valid_from is None or info.valid_from <= day) and (
                info.valid_to is None or info.valid_to > day
            ):
                return info
        return None

    def by_id(self, unit_id: int) -> UnitInfo | None:
        self.load()
        if unit_id not in self._by_id:
            self._look_up(units.c.id == unit_id)
        return self._by_id.get(unit_id)

    def nearest_commune(self, lat: float, lon: float) -> UnitInfo | None:
        """The current commune whose centre is nearest (a fair guess for a report's place)."""
        self.load()
        scale = math.cos(math.radians(lat))
        best, best_d = None, float("inf")
        for unit_lat, unit_lon, unit in self._current_communes:
            d = (unit_lat - lat) ** 2 + ((unit_lon - lon) * scale) ** 2
            if d < best_d:
                best, best_d = unit, d
        return best if best_d < 0.25 else None  # within about 50 km


def _commune_place(unit: UnitInfo) -> tuple[float, float, UnitInfo] | None:
    """A current commune with its centre, as ``nearest_commune`` reads them; else None."""
    current = unit.level == "commune" and unit.valid_to is None
    if current and unit.lat is not None and unit.lon is not None:
        return (unit.lat, unit.lon, unit)
    return None


class Places:
    """Where a record happened, as a unit: what the gate offers record types that derive one
    (``RecordType.derive_unit``)."""

    def __init__(self, engine: Engine, cache: UnitCache) -> None:
        self.engine = engine
        self.cache = cache

    def near(self, lat: float, lon: float) -> UnitInfo | None:
        return self.cache.nearest_commune(lat, lon)

    def at_address(self, address: str) -> UnitInfo | None:
        # imported here: the address parser's data (vietnamadminunits) costs a process ~45 MB and
        # a second to load, and the gate's worker processes never read an address
        from ioc57.units.queries import resolve

        day = today()
        with self.engine.connect() as conn:
            matches = resolve(conn, address, day)
        return self.cache.at(matches[0]["code"], day) if matches else None
