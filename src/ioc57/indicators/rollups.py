"""The yearly rollups of approved values (``indicator_rollups``), kept as values change.

Each unit has an ``own`` rollup per indicator and year, computed from its approved values, and a
``below`` rollup, the sum of the ``own`` rollups of every unit under it; a change of a unit's own
rollup passes its difference to every unit above it. ``bump_version`` marks the rollups changed,
for the cached ranks of other requests and processes.
"""

from __future__ import annotations

import secrets
from datetime import date
from operator import attrgetter
from typing import Any, NamedTuple

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from ioc57.indicators.catalogue import catalogue
from ioc57.indicators.tables import indicator_rollups, indicator_rollups_version, indicator_values
from ioc57.ingest.bulk import insert_rows

SUMS = ("n", "sum_value", "sum_num", "sum_den", "pct_only", "simulated")
LATEST = ("latest_value", "latest_num", "latest_den")

# the statements, built once: their compiled forms are cached by SQLAlchemy; each reads the rows
# of many (indicator, unit, year) keys at once, with the units' provinces: one partition read in a
# national deployment (``core.partitions``)
_OF_KEYS = (
    ("indicator", "indicators"),
    ("unit_id", "unit_ids"),
    ("year", "years"),
    ("province_code", "provinces"),
)
_APPROVED = (
    select(
        indicator_values.c.indicator,
        indicator_values.c.unit_id,
        indicator_values.c.year,
        indicator_values.c.value,
        indicator_values.c.numerator,
        indicator_values.c.denominator,
        indicator_values.c.simulated,
        indicator_values.c.period_end,
    )
    .where(
        *[indicator_values.c[c].in_(bindparam(p, expanding=True)) for c, p in _OF_KEYS],
        indicator_values.c.status == "approved",
    )
    .order_by(indicator_values.c.period_end)
)
_ROLLUPS = select(indicator_rollups).where(
    *[indicator_rollups.c[c].in_(bindparam(p, expanding=True)) for c, p in _OF_KEYS],
    indicator_rollups.c.scope == bindparam("scope"),
)
_ROLLUP_KEY = ("indicator", "unit_id", "year", "scope", "province_code")
_ROLLUP_UPDATE = update(indicator_rollups).where(
    *[indicator_rollups.c[k] == bindparam("key_" + k) for k in _ROLLUP_KEY]
)
_LOOKUP_UNITS = 500  # units per statement (the bound values of one statement stay few)

Key = tuple[str, int, int]  # indicator, unit id, year
Stale = tuple[str, tuple[int, ...], str, int]  # indicator, the unit's chain, province, year
_END = attrgetter("period_end")


def _of_keys(conn: Connection, statement: Any, keys: dict[Key, str], **params: Any) -> Any:
    """The rows of ``statement`` for ``keys`` (each with its unit's province), in its order
    within each statement, read a few hundred units at a time (not one statement per key)."""
    unit_ids = sorted({k[1] for k in keys})
    params |= {
        "indicators": sorted({k[0] for k in keys}),
        "years": sorted({k[2] for k in keys}),
        "provinces": sorted(set(keys.values())),
    }
    for at in range(0, len(unit_ids), _LOOKUP_UNITS):
        for row in conn.execute(
            statement, params | {"unit_ids": unit_ids[at : at + _LOOKUP_UNITS]}
        ):
            if (row.indicator, row.unit_id, row.year) in keys:
                yield row


def _zero() -> dict[str, Any]:
    return dict.fromkeys(SUMS + LATEST, 0) | {"latest_end": None}


class Approved(NamedTuple):
    """An approved value as a rollup reads it (a row of ``_APPROVED`` reads the same)."""

    period_end: date
    value: float | None
    numerator: float | None
    denominator: float | None
    simulated: bool


def _owns(conn: Connection, keys: dict[Key, str]) -> dict[Key, dict[str, Any]]:
    """The 'own' rollup of each of ``keys``, computed from its approved values."""
    found: dict[Key, list[Any]] = {key: [] for key in keys}
    for r in _of_keys(conn, _APPROVED, keys):
        found[(r.indicator, r.unit_id, r.year)].append(r)
    return {key: _own(key[0], rows) for key, rows in found.items()}


def _own(indicator: str, rows: list[Any]) -> dict[str, Any]:
    """The 'own' rollup of ``rows`` (``Approved`` or rows of ``_APPROVED``), in the order of
    their periods' ends."""
    own = _zero()
    for r in rows:
        pct = r.numerator is None or r.denominator is None
        own["n"] += 1
        own["sum_value"] += r.value if r.value is not None else 0.0
        own["sum_num"] += 0.0 if pct else r.numerator
        own["sum_den"] += 0.0 if pct else r.denominator
        own["pct_only"] += 1 if pct else 0
        own["simulated"] += 1 if r.simulated else 0  # so the scorecard can say "dữ liệu mô phỏng"
    if rows:
        r = rows[-1]
        own["latest_end"] = r.period_end
        value = r.value
        if value is None and r.numerator is not None and r.denominator:
            ind = catalogue().get(indicator)
            assert ind is not None  # values are stored only for the catalogue's indicators
            value = r.numerator / r.denominator * (ind.factor or 1)
        own["latest_value"] = value or 0.0
        own["latest_num"] = r.numerator or 0.0
        own["latest_den"] = r.denominator or 0.0
    return own


def _stored(conn: Connection, scope: str, keys: dict[Key, str]) -> dict[Key, dict[str, Any]]:
    rows = _of_keys(conn, _ROLLUPS, keys, scope=scope)
    return {(r.indicator, r.unit_id, r.year): dict(r._mapping) for r in rows}


def _write(conn: Connection, scope: str, rows: dict[Key, tuple[dict, bool, str]]) -> None:
    """Write each rollup of ``rows`` (its values, whether it is stored, its province)."""
    updates, inserts = [], []
    for (indicator, unit_id, year), (values, stored, province) in rows.items():
        key = {"indicator": indicator, "unit_id": unit_id, "year": year}
        key |= {"scope": scope, "province_code": province}
        if stored:
            updates.append(values | {"key_" + k: v for k, v in key.items()})
        else:
            inserts.append(key | values)
    if updates:
        conn.execute(_ROLLUP_UPDATE, updates)
    insert_rows(conn, indicator_rollups, inserts)


def refresh(
    conn: Connection, indicator: str, chain: tuple[int, ...], province: str, year: int
) -> None:
    """Recompute the unit's own rollup and pass the difference to every unit above it."""
    bump_version(conn)
    refresh_all(conn, [(indicator, chain, province, year)])


def refresh_all(
    conn: Connection, stale: list[Stale], written: dict[Key, dict[str, Approved]] | None = None
) -> None:
    """``refresh`` of each of ``stale`` in turn, in a few statements: the own rollups are read,
    computed and written together, then each rollup above them is read and written once, the
    differences added to it in the same order as one refresh after another would.

    ``written``: the values just approved of some keys, by period. A key whose own rollup counted
    no value before has no approved values but these, so its rollup is computed from them
    without reading them back (a first load of a unit's history)."""
    own_keys = {(indicator, chain[0], year): province for indicator, chain, province, year in stale}
    old = _stored(conn, "own", own_keys)
    written = written or {}
    known = {k for k in own_keys if k in written and not (old.get(k) or _zero())["n"]}
    new = _owns(conn, {k: p for k, p in own_keys.items() if k not in known})
    for key in known:
        new[key] = _own(key[0], sorted(written[key].values(), key=_END))
    _write(conn, "own", {k: (new[k], k in old, p) for k, p in own_keys.items()})
    deltas = []
    for indicator, chain, province, year in stale:
        key = (indicator, chain[0], year)
        base = old.get(key) or _zero()
        delta = {k: new[key][k] - base[k] for k in SUMS + LATEST}
        if any(delta.values()):
            deltas.append((indicator, chain[1:], province, year, delta, new[key]["latest_end"]))
    above_keys = {
        (indicator, ancestor, year): province
        for indicator, ancestors, province, year, *_ in deltas
        for ancestor in ancestors
    }
    below = _stored(conn, "below", above_keys) if above_keys else {}
    above: dict[Key, tuple[dict, bool, str]] = {}  # key: (values, stored, province)
    for indicator, ancestors, province, year, delta, latest_end in deltas:
        for ancestor in ancestors:
            key = (indicator, ancestor, year)
            current, stored, held = above.get(key) or (
                below.get(key) or _zero(),
                key in below,
                province,
            )
            values = {k: current[k] + delta[k] for k in SUMS + LATEST}
            values["latest_end"] = max(
                filter(None, [current.get("latest_end"), latest_end]), default=None
            )
            above[key] = (values, stored, held)
    _write(conn, "below", above)


def bump_version(conn: Connection) -> None:
    """Mark the rollups changed (the cached ranks of other requests and processes are stale)."""
    done = conn.execute(
        update(indicator_rollups_version).values(version=indicator_rollups_version.c.version + 1)
    )
    if done.rowcount == 0:  # a database made before the table had its row
        conn.execute(
            insert(indicator_rollups_version).values(id=1, token=secrets.token_hex(16), version=1)
        )
