"""The yearly rollups of approved values (``indicator_rollups``), kept as values change.

Each unit has an ``own`` rollup per indicator and year, computed from its approved values, and a
``below`` rollup, the sum of the ``own`` rollups of every unit under it; a change of a unit's own
rollup passes its difference to every unit above it. ``bump_version`` marks the rollups changed,
for the cached ranks of other requests and processes.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from ioc57.indicators.catalogue import catalogue
from ioc57.indicators.tables import indicator_rollups, indicator_rollups_version, indicator_values

SUMS = ("n", "sum_value", "sum_num", "sum_den", "pct_only", "simulated")
LATEST = ("latest_value", "latest_num", "latest_den")

# the statements, built once: their compiled forms are cached by SQLAlchemy
_APPROVED = (
    select(
        indicator_values.c.value,
        indicator_values.c.numerator,
        indicator_values.c.denominator,
        indicator_values.c.simulated,
        indicator_values.c.period_end,
    )
    .where(
        indicator_values.c.indicator == bindparam("indicator"),
        indicator_values.c.unit_id == bindparam("unit_id"),
        indicator_values.c.year == bindparam("year"),
        indicator_values.c.status == "approved",
    )
    .order_by(indicator_values.c.period_end)
)
# with its province: one partition read in a national deployment (``core.partitions``)
_ROLLUP_KEY = ("indicator", "unit_id", "year", "scope", "province_code")
_ROLLUP = select(indicator_rollups).where(
    *[indicator_rollups.c[k] == bindparam(k) for k in _ROLLUP_KEY]
)
_ROLLUP_UPDATE = update(indicator_rollups).where(
    *[indicator_rollups.c[k] == bindparam("key_" + k) for k in _ROLLUP_KEY]
)
_ROLLUP_INSERT = insert(indicator_rollups)


def _own(conn: Connection, indicator: str, unit_id: int, year: int) -> dict[str, Any]:
    """The 'own' rollup of a unit and year, computed from its approved values."""
    key = {"indicator": indicator, "unit_id": unit_id, "year": year}
    rows = conn.execute(_APPROVED, key).all()
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


def _key(indicator: str, unit_id: int, year: int, scope: str, province: str) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "unit_id": unit_id,
        "year": year,
        "scope": scope,
        "province_code": province,
    }


def _read(conn: Connection, key: dict[str, Any]) -> dict[str, Any] | None:
    row = conn.execute(_ROLLUP, key).first()
    return dict(row._mapping) if row else None


def _write(conn: Connection, key: dict, values: dict, exists: bool) -> None:
    if exists:
        conn.execute(_ROLLUP_UPDATE, values | {"key_" + k: v for k, v in key.items()})
    else:
        conn.execute(_ROLLUP_INSERT, key | values)


Stale = tuple[str, tuple[int, ...], str, int]  # indicator, the unit's chain, province, year


def refresh(
    conn: Connection, indicator: str, chain: tuple[int, ...], province: str, year: int
) -> None:
    """Recompute the unit's own rollup and pass the difference to every unit above it."""
    bump_version(conn)
    refresh_all(conn, [(indicator, chain, province, year)])


def refresh_all(conn: Connection, stale: list[Stale]) -> None:
    """``refresh`` of each of ``stale`` in turn, each rollup above them read and written once:
    the differences are added to it in the same order as one refresh after another would."""
    above: dict[tuple[str, int, int], list[Any]] = {}  # key: [values, stored, province]
    for indicator, chain, province, year in stale:
        unit_id = chain[0]
        key = _key(indicator, unit_id, year, "own", province)
        old = _read(conn, key)
        new = _own(conn, indicator, unit_id, year)
        _write(conn, key, new, old is not None)
        base = old or dict.fromkeys(SUMS + LATEST, 0)
        delta = {k: new[k] - base[k] for k in SUMS + LATEST}
        if not any(delta.values()):
            continue
        for ancestor in chain[1:]:
            held = above.get((indicator, ancestor, year))
            if held is None:
                below = _read(conn, _key(indicator, ancestor, year, "below", province))
                zero = dict.fromkeys(SUMS + LATEST, 0) | {"latest_end": None}
                held = above[(indicator, ancestor, year)] = [below or zero, below is not None]
                held.append(province)
            current = held[0]
            values = {k: current[k] + delta[k] for k in SUMS + LATEST}
            values["latest_end"] = max(
                filter(None, [current.get("latest_end"), new["latest_end"]]), default=None
            )
            held[0] = values
    for (indicator, ancestor, year), (values, stored, province) in above.items():
        _write(conn, _key(indicator, ancestor, year, "below", province), values, stored)


def bump_version(conn: Connection) -> None:
    """Mark the rollups changed (the cached ranks of other requests and processes are stale)."""
    done = conn.execute(
        update(indicator_rollups_version).values(version=indicator_rollups_version.c.version + 1)
    )
    if done.rowcount == 0:  # a database made before the table had its row
        conn.execute(
            insert(indicator_rollups_version).values(id=1, token=secrets.token_hex(16), version=1)
        )
