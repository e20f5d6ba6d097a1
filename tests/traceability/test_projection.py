"""Records sent through the gate land in the traceability tables: master data by its key, each
event once with the identifiers it names, and a row of the sender's chain for each."""

from __future__ import annotations

from sqlalchemy import func, select

from ioc57.traceability.tables import chain, event_epcs, events, locations, lots, products

from ..support.trace import GTIN_DURIAN, harvest


def count(app, table, *where) -> int:
    with app.state.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def test_master_data_lands_by_its_key(trace_app, tracer):
    assert count(trace_app, products) == 2
    assert count(trace_app, locations) == 2
    assert count(trace_app, lots, lots.c.gtin == GTIN_DURIAN) == 1
    tracer.master_data()  # sent again: updated, not duplicated
    assert count(trace_app, products) == 2


def test_an_event_sent_twice_is_stored_once_and_chained_twice(trace_app, tracer):
    first = tracer.events(harvest(lot="P1"))
    assert first["accepted"] == 1, first
    again = tracer.events(harvest(lot="P1"))
    assert again["unchanged"] == 1, again
    with trace_app.state.engine.connect() as conn:
        stored = conn.execute(select(events.c.id, events.c.event_id, events.c.biz_step)).all()
        mine = [r for r in stored if r.biz_step == "commissioning"]
        assert len(mine) == 1
        assert mine[0].event_id.startswith("ni:///sha-256;")
        epcs = conn.execute(
            select(event_epcs.c.epc, event_epcs.c.role).where(event_epcs.c.event_pk == mine[0].id)
        ).all()
    assert [tuple(r) for r in epcs] == [(f"https://id.gs1.org/01/{GTIN_DURIAN}/10/P1", "class")]
    assert count(trace_app, chain) == 1
