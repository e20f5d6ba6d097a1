"""Demo data for the tasks module, loaded only by ``ioc57 demo``: an action programme of the demo
province and its tasks (``demo_programme.toml``, dữ liệu mô phỏng: the tasks paraphrase the
measures the articles list and cite them), and what the lead agencies and the leader did on them.

The programme and its tasks come through the gate from a simulated source of their own
(``mo-phong-nhiem-vu``), as a provincial system would push them. Their dates are placed from the
day the demo is first loaded (the programme issued ``issued_months_ago`` months before), and kept
on later runs. Then each task's history (``demo_history``, from its ``story``) goes through the
module's own workflow, as the lead agency's officers and the leader would have written it on
those days: monthly progress reports, completions with an evidence file (a small PDF that says
it is simulated), confirmations and a refusal, an extended deadline, difficulties and the
leader's answers. A task that has a history already is left as it is. Last, the reminders due
today are sent, as the app sends them when it starts.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from ioc57.accounts.demo import DEMO_USERS, load_demo_users
from ioc57.core.access import Principal
from ioc57.ingest.gate import Gate
from ioc57.ingest.sources import simulated_source
from ioc57.ingest.tables import sources
from ioc57.modules import Demo
from ioc57.tasks.demo_history import month_end, month_start, steps, working_day_from
from ioc57.tasks.demo_workflow import person, planned_on, take, worked_on
from ioc57.tasks.records import PROGRAMME, TASK
from ioc57.tasks.reminders import send_reminders
from ioc57.tasks.status import state_of, status_of
from ioc57.tasks.tables import programmes, tasks

DATA = Path(__file__).resolve().parent / "demo_programme.toml"
SOURCE = "mo-phong-nhiem-vu"
SOURCE_TITLE = "Dữ liệu mô phỏng (chương trình hành động)"
# the officers who report for the lead agencies that have no demo user yet
OFFICERS = [
    ("canbo.snv", "officer", "SNV-82", "Cán bộ Sở Nội vụ (demo)"),
    ("canbo.stc", "officer", "STC-82", "Cán bộ Sở Tài chính (demo)"),
    ("canbo.stp", "officer", "STP-82", "Cán bộ Sở Tư pháp (demo)"),
    ("canbo.sgddt", "officer", "SGDDT-82", "Cán bộ Sở GD&ĐT (demo)"),
    ("canbo.syt", "officer", "SYT-82", "Cán bộ Sở Y tế (demo)"),
    ("canbo.sct", "officer", "SCT-82", "Cán bộ Sở Công Thương (demo)"),
    ("canbo.snnmt", "officer", "SNNMT-82", "Cán bộ Sở NN&MT (demo)"),
    ("canbo.ca", "officer", "CA-82", "Cán bộ Công an tỉnh (demo)"),
    ("canbo.vpubnd", "officer", "VPUBND-82", "Cán bộ Văn phòng UBND tỉnh (demo)"),
    ("canbo.ttpvhcc", "officer", "TTPVHCC-82", "Cán bộ Trung tâm PVHCC (demo)"),
]
LEADER = "lanhdao"  # the demo's leader answers, confirms, refuses and extends


def read_programme(path: Path = DATA) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def issue_day(today: date, months_ago: int) -> date:
    """The day the programme is issued: the first working day from the 10th of the month
    ``months_ago`` before today's."""
    return working_day_from(month_start(today, -months_ago) + timedelta(days=9))


def programme_record(data: dict[str, Any], issued: date) -> dict[str, Any]:
    keys = ("code", "title", "issued_by", "unit", "legal_basis", "parent")
    return {**{k: data[k] for k in keys}, "issued_date": issued.isoformat()}


def task_record(programme: str, item: dict[str, Any], issued: date) -> dict[str, Any]:
    """A task as the source sends it: its deadline the last day of its ``due``-th month."""
    keys = ("code", "content", "agency", "cooperating_agencies", "leader", "output", "indicators")
    record = {"programme": programme, **{k: item[k] for k in keys if k in item}}
    if "due" in item:
        record["deadline"] = month_end(issued, item["due"]).isoformat()
    else:
        record["recurrence"] = item["recurrence"]
    return record


def demo_source(engine: Engine, province: str, today: date) -> tuple[Any, Principal]:
    """The simulated source the programme comes from (made once), and its own system user."""
    return simulated_source(
        engine, SOURCE, SOURCE_TITLE, [PROGRAMME.name, TASK.name], [province], today
    )


def stored_issue_day(engine: Engine, source_id: int, code: str) -> date | None:
    """The issue day of the programme a previous run stored, if any."""
    query = select(programmes.c.issued_date).where(
        programmes.c.source_id == source_id, programmes.c.code == code
    )
    with engine.connect() as conn:
        return conn.execute(query).scalar()


def load_programme(gate: Gate, today: date, data: dict[str, Any]) -> tuple[date, dict[str, Any]]:
    """The programme and its tasks through the gate; the programme's issue day and the gate's
    answers by record type."""
    programme = data["programme"]
    source, principal = demo_source(gate.engine, programme["unit"], today)
    issued = stored_issue_day(gate.engine, source.id, programme["code"]) or issue_day(
        today, data["issued_months_ago"]
    )
    sent = {
        PROGRAMME.name: [programme_record(programme, issued)],
        TASK.name: [task_record(programme["code"], t, issued) for t in data["tasks"]],
    }
    batches = gate.push_each(source, sent, principal=principal, actor="ioc57-demo")
    return issued, {type_name: result.answer() for type_name, result in batches.items()}


def task_ids(engine: Engine, data: dict[str, Any]) -> dict[str, int]:
    """The ids of the programme's tasks the demo's source stored, by code."""
    query = (
        select(tasks.c.code, tasks.c.id)
        .join(sources, sources.c.id == tasks.c.source_id)
        .where(sources.c.name == SOURCE, tasks.c.programme_code == data["programme"]["code"])
    )
    with engine.connect() as conn:
        return {r.code: r.id for r in conn.execute(query)}


def load_history(gate: Gate, issued: date, today: date, data: dict[str, Any]) -> int:
    """Each task's history (``demo_history``) through the workflow, for the tasks nobody worked
    on yet; how many were given one."""
    ids = task_ids(gate.engine, data)
    with gate.engine.connect() as conn:
        done = worked_on(conn, list(ids.values()))
        users = DEMO_USERS + OFFICERS
        officers = [person(conn, name) for name, role, *_ in users if role == "officer"]
        leader = person(conn, LEADER)
    given = 0
    for item in data["tasks"]:
        task_id = ids.get(item["code"])
        if task_id is None or task_id in done:
            continue
        with gate.engine.begin() as conn:
            planned_on(conn, [task_id], issued)
            made = steps(item, issued, today)
            events = take(conn, {**item, "id": task_id}, made, officers, leader)
        for event in events:
            gate.bus.publish(event)
        given += 1
    return given


def statuses(engine: Engine, data: dict[str, Any], today: date) -> Counter[str]:
    """The programme's tasks by status on ``today``."""
    query = select(tasks).where(tasks.c.id.in_(list(task_ids(engine, data).values())))
    with engine.connect() as conn:
        return Counter(status_of(state_of(row), today) for row in conn.execute(query))


def load_demo(demo: Demo) -> None:
    data = read_programme()
    with demo.engine.begin() as conn:
        officers = load_demo_users(conn, demo.password, demo.today, OFFICERS)
    issued, answers = load_programme(demo.gate, demo.today, data)
    given = load_history(demo.gate, issued, demo.today, data)
    # the reminders the app would send when it starts: to the agencies whose tasks are overdue
    # or fall due within a few working days
    reminded = send_reminders(demo.engine, demo.today, demo.gate.bus)
    sent = answers[TASK.name]
    counts = statuses(demo.engine, data, demo.today)
    demo.echo(
        f"demo action programme {data['programme']['code']} (dữ liệu mô phỏng), issued"
        f" {issued:%d/%m/%Y}: {sent['accepted']} tasks through the gate,"
        f" {sent['unchanged']} already loaded, {len(sent['rejected'])} rejected;"
        f" {given} given a history of reports and decisions, {len(reminded)} reminders sent;"
        f" by status: {', '.join(f'{k} {v}' for k, v in sorted(counts.items()))};"
        f" officers added for its agencies: {len(officers)}"
        f" ({', '.join(name for name, *_ in OFFICERS)}, password {demo.password})"
    )
