"""Reminders to a task's lead agency, a few working days before the deadline in force (days off
not counted) and once past it: sent once per task, kind and deadline, by one call or by two at
once, with an event on the bus and a step in the task's timeline; shown to the agency's officers."""

from __future__ import annotations

import threading
from datetime import date

from click.testing import CliRunner
from sqlalchemy import select

from ioc57.cli import main
from ioc57.core.events import EventBus
from ioc57.tasks.reminders import Reminders, reminders_for, send_reminders
from ioc57.tasks.tables import reminders
from ioc57.units.tables import units

from ..support import evidence
from ..support.tasks import AGENCY_A, PROVINCE, past, task

THURSDAY = date(2026, 8, 27)  # before national day: 31/8 to 2/9 off


def sent_of(engine, task_id):
    with engine.connect() as conn:
        query = select(reminders.c.kind, reminders.c.deadline).where(reminders.c.task_id == task_id)
        return sorted(conn.execute(query).all())


def test_a_reminder_before_the_deadline_and_once_past_it(planner, tasks_app, today_is):
    _, (soon, later, past_due, claimed, monthly) = planner.plan(
        "P-REM",
        # Friday 28/8 and Thursday 3/9 are the working days up to it: due within 3
        task("P-REM", "1", deadline="2026-09-03"),
        task("P-REM", "2", deadline="2026-09-10"),
        task("P-REM", "3", deadline="2026-08-20"),
        task("P-REM", "4", deadline="2026-08-21"),
        task("P-REM", "5", deadline=None, recurrence="monthly"),
    )
    engine = tasks_app.state.engine
    # the lead agency claimed it done on its day: it waits on a leader, not on the agency
    today_is(date(2026, 8, 21))
    planner.report(
        claimed["id"], files=evidence.decision(), text="Đã ban hành", completes=True, expect=201
    )
    bus, heard = EventBus(), []
    bus.subscribe("tasks.due_soon", heard.append)
    bus.subscribe("tasks.overdue", heard.append)

    sent = send_reminders(engine, THURSDAY, bus, days=3)
    assert send_reminders(engine, THURSDAY, bus, days=3) == []  # the second call sends none
    assert heard == sent
    assert sorted((e.type, e.data["task_id"]) for e in sent) == [
        ("tasks.due_soon", soon["id"]),
        ("tasks.overdue", past_due["id"]),
    ]
    event = next(e for e in sent if e.type == "tasks.due_soon")
    assert {k: event.data[k] for k in ("province_code", "task_id", "agency_code", "deadline")} == {
        "province_code": PROVINCE,
        "task_id": soon["id"],
        "agency_code": AGENCY_A,
        "deadline": "2026-09-03",
    }
    for quiet in (later, claimed, monthly):
        assert sent_of(engine, quiet["id"]) == []
    timeline = planner.get(f"tasks/{soon['id']}").json()["timeline"]
    assert [step["kind"] for step in timeline] == ["planned", "reminded"]

    # a deadline extended is reminded of again; the reminder of the old one no longer shows
    extension = {"deadline": "2026-09-30", "reason": "Chờ ý kiến của Bộ"}
    planner.post(f"tasks/{soon['id']}/extend", extension, expect=200)
    sent = send_reminders(engine, date(2026, 9, 25), days=3)  # 28, 29, 30/9 to go
    assert [(e.type, e.data["deadline"]) for e in sent if e.data["task_id"] == soon["id"]] == [
        ("tasks.due_soon", "2026-09-30")
    ]
    with engine.connect() as conn:
        agency = conn.execute(select(units.c.id).where(units.c.code == AGENCY_A)).scalar_one()
        shown = reminders_for(conn, [agency])
    assert shown[-1].task_id == past_due["id"]  # newest first
    assert sorted((r.task_id, r.kind, r.deadline) for r in shown) == [
        (soon["id"], "due_soon", date(2026, 9, 30)),
        (later["id"], "overdue", date(2026, 9, 10)),
        (past_due["id"], "overdue", date(2026, 8, 20)),
    ]


def test_two_processes_at_once_send_each_reminder_once(planner, tasks_app):
    _, made = planner.plan(
        "P-REM2", *(task("P-REM2", str(n), deadline="2026-10-01") for n in range(5))
    )
    ids = sorted(t["id"] for t in made)
    engine = tasks_app.state.engine
    start, found = threading.Barrier(2), []

    def scan():
        start.wait()
        found.extend(send_reminders(engine, date(2026, 10, 30), days=3))

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    mine = sorted((e.data["task_id"], e.type) for e in found if e.data["task_id"] in ids)
    assert mine == [(i, "tasks.overdue") for i in ids]
    for i in ids:
        assert sent_of(engine, i) == [("overdue", date(2026, 10, 1))]


def test_the_app_sends_them_when_it_starts_and_the_command_sends_what_is_left(
    planner, tasks_app, module_db_url
):
    _, (late,) = planner.plan("P-REM3", task("P-REM3", "1", deadline=past(5)))
    engine = tasks_app.state.engine
    loop = Reminders(engine, tasks_app.state.bus, days=3)
    loop.start()
    loop.stop()
    assert [kind for kind, _ in sent_of(engine, late["id"])] == ["overdue"]
    r = CliRunner().invoke(main, ["--database-url", module_db_url, "tasks", "remind"])
    assert r.exit_code == 0, r.output
    assert "reminders sent: 0 due soon, 0 overdue" in r.output
