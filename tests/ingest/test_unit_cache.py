"""The gate's units in memory: a unit added after they were read (an agency, a former unit and its
succession) is read alone when a record names it, and the cache then answers as a cache that read
every unit would; a code that names nothing costs one query, never a reading of all the units."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event, insert, select

from ioc57.ingest.unitcache import UnitCache
from ioc57.units.agencies import create_agency
from ioc57.units.tables import unit_successions, units

TODAY = date(2025, 9, 1)
BEFORE = date(2020, 1, 1)  # before the 2025 reform: the former unit's time


@contextmanager
def statements(engine) -> Iterator[list[str]]:
    """The SQL statements the engine runs meanwhile."""
    seen: list[str] = []

    def keep(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def add_agency_and_former_unit(engine) -> None:
    """An agency under commune 28261, and a former district of province 82 succeeded by it."""
    with engine.begin() as conn:
        current = units.c.valid_to.is_(None)
        commune = conn.execute(select(units).where(units.c.code == "28261", current)).one()
        create_agency(
            conn, actor="test", parent=commune, code="so-kiem-thu", name="Sở", today=TODAY
        )
        ids = dict(conn.execute(select(units.c.code, units.c.id).where(current)).all())
        former = conn.execute(
            insert(units).values(
                code="cu-kiem-thu",
                name="Huyện cũ",
                short_name="Huyện cũ",
                level="district",
                type="huyện",
                parent_id=ids["82"],
                province_code="82",
                valid_from=date(2000, 1, 1),
                valid_to=date(2025, 7, 1),
                search_name="huyen cu",
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(unit_successions).values(
                predecessor_id=former,
                successor_id=ids["so-kiem-thu"],
                effective=date(2025, 7, 1),
                is_default=True,
            )
        )


def test_units_added_since_the_cache_read_them_are_read_alone_and_as_a_full_reading_has_them(
    engine,
):
    cache = UnitCache(engine)
    province = cache.at("82", TODAY)
    assert province is not None and province.level == "province"
    add_agency_and_former_unit(engine)

    with statements(engine) as seen:
        former = cache.at("cu-kiem-thu", BEFORE)
        agency = cache.at("so-kiem-thu", TODAY)
        by_id = cache.by_id(agency.id) if agency else None
    # the former unit, its succession, its successor (the agency) and the agency's successions:
    # each read by its code or id, none of the 14,000 others again
    assert 0 < len(seen) <= 4
    assert all("WHERE" in statement for statement in seen)

    fresh = UnitCache(engine)  # the same units, every one read at once
    assert former == fresh.at("cu-kiem-thu", BEFORE) and former is not None
    assert agency == fresh.at("so-kiem-thu", TODAY) and agency is not None
    assert by_id == agency
    assert agency.chain[1:] == fresh.at("28261", TODAY).chain  # it counts in its commune's chain
    assert set(agency.chain) < former.scope  # a record of the former unit counts where it went


def test_an_unknown_code_costs_one_query_and_an_adopted_cache_reads_nothing(engine):
    cache = UnitCache(engine)
    commune = cache.at("28261", TODAY)
    with statements(engine) as seen:
        assert cache.at("no-such-unit", TODAY) is None
        assert cache.at("28261", TODAY) == commune
        assert cache.nearest_commune(commune.lat, commune.lon) == commune
    assert len(seen) == 1 and "WHERE" in seen[0]

    copy = UnitCache(engine)
    with statements(engine) as seen:
        copy.adopt(cache)
        assert copy.at("28261", TODAY) == commune
        assert copy.by_id(commune.id) == commune
    assert seen == []
