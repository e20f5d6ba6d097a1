"""The reports' deadline flags, checked every ``settings.feedback_deadline_s`` seconds while
``ioc57 serve`` runs (the manifest's ``install``): a report whose deadline became near or passed
(``deadlines.flag`` of its ``due_on``, today) gets the flag stored and a ``feedback.deadline``
event on the bus, once, for the alerts, the panel and the queue's badge to follow.

Nothing arrives when a deadline passes: time moves it, so a round looks. It reads the reports
waiting on a step whose deadline is within reach and not yet flagged late (the index on
``due_on`` reads only those); a step taken since, or a deadline moved, resets the flag (the
projector), and the new deadline is announced in its turn. The flag is stored only if the report is as the round read it
(its flag, step and day), so that two processes, or a step taken meanwhile, announce nothing
twice.

An event names the report (its id), its flag, the step it waits on, the day, its category and the
codes of its commune and agency; never its text or its reporter. It is scoped as the gate scopes
a record (``ingest.rollups.targets``): a stream for one unit sees the reports of its subtree and
those its agency answers.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased

from ioc57.core.clock import today
from ioc57.core.events import Event, EventBus
from ioc57.core.periodic import Periodic
from ioc57.core.workdays import add_working_days
from ioc57.feedback.deadlines import NEAR_DAYS, flag
from ioc57.feedback.tables import reports
from ioc57.ingest.rollups import targets
from ioc57.ingest.unitcache import UnitCache
from ioc57.units.tables import units

log = logging.getLogger(__name__)
EVENT = "feedback.deadline"


def _waiting(day: date):
    """The reports whose flag may have changed by ``day``: waiting on a step due before the
    first day that is not yet near, not yet flagged late (a late flag stays until the projector
    resets it: a step taken, a deadline moved)."""
    horizon = add_working_days(day, NEAR_DAYS + 1)
    commune, agency = aliased(units, name="commune"), aliased(units, name="agency")
    c = reports.c
    return (
        select(
            c.id,
            c.record_id,
            c.flag,
            c.due_step,
            c.due_on,
            c.category,
            c.unit_id,
            c.agency_id,
            commune.c.code.label("unit_code"),
            agency.c.code.label("agency_code"),
        )
        .outerjoin(commune, commune.c.id == c.unit_id)
        .outerjoin(agency, agency.c.id == c.agency_id)
        .where(c.due_on < horizon, c.flag != "late")
    )


def _event(row: Any, new: str, cache: UnitCache) -> Event:
    return Event(
        type=EVENT,
        data={
            "id": row.record_id,
            "flag": new,
            "step": row.due_step,
            "due_on": row.due_on.isoformat(),
            "category": row.category,
            "unit": row.unit_code,
            "agency": row.agency_code,
        },
        units=targets(cache, row.unit_id, row.agency_id),
    )


CHUNK = 500  # flags stored per transaction: a first round over a province's history holds the
# database (SQLite: its one writer) for a moment at a time, and intake goes on meanwhile


def check_deadlines(
    engine: Engine, bus: EventBus, cache: UnitCache, day: date | None = None
) -> list[Event]:
    """One round: store the flags that changed by ``day`` (today) and announce them, ``CHUNK``
    reports a transaction (each chunk's events once it is committed); returns the events
    published."""
    day = day or today()
    with engine.connect() as conn:
        waiting = conn.execute(_waiting(day)).all()
    moved = [(row, new) for row in waiting if (new := flag(row.due_on, day)) != row.flag]
    events: list[Event] = []
    c = reports.c
    for start in range(0, len(moved), CHUNK):
        changed = []
        with engine.begin() as conn:
            for row, new in moved[start : start + CHUNK]:
                stored = conn.execute(  # unless a step moved the report since it was read
                    update(reports)
                    .where(c.id == row.id, c.flag == row.flag)
                    .where(c.due_step == row.due_step, c.due_on == row.due_on)
                    .values(flag=new)
                )
                if stored.rowcount:
                    changed.append((row, new))
        chunk = [_event(row, new, cache) for row, new in changed]
        for event in chunk:  # once committed: a subscriber reads what the event says
            bus.publish(event)
        events.extend(chunk)
    return events


def install(app: FastAPI) -> None:
    state = app.state

    def work() -> None:
        events = check_deadlines(state.engine, state.bus, state.gate.cache)
        if events:
            log.info("feedback: %d deadline flags changed", len(events))

    job = Periodic("feedback-deadlines", state.settings.feedback_deadline_s, work)
    state.background.append((job.start, job.stop))
