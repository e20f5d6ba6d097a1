"""Programmes and tasks are records at the gate: planned through the API as a person or pushed by
a provincial system with its token, sent again to update (never duplicated, never undoing what
people did to a task), refused row by row naming the field, and read within one's scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from ioc57.core.clock import today
from ioc57.core.problems import PROBLEM_JSON
from ioc57.ingest.entry import ENTRY_SOURCE, entry_source
from ioc57.ingest.sources import change_source, get_row
from ioc57.ingest.types import RECORD_TYPES
from ioc57.tasks.plan import WORKFLOW
from ioc57.tasks.tables import programmes, tasks

from ..support.http import auth
from ..support.tasks import AGENCY_A, AGENCY_B, PROVINCE, days_from_today, past, programme, task


def test_a_programme_and_its_tasks_planned_through_the_api(planner):
    made, (due, monthly) = planner.plan(
        "P-API",
        task("P-API", "1", cooperating_agencies=[AGENCY_B], leader="Phó Chủ tịch UBND tỉnh"),
        task("P-API", "2", AGENCY_B, deadline=None, recurrence="monthly", output="Báo cáo"),
    )
    assert made["code"] == "P-API" and made["unit"] == PROVINCE and not made["simulated"]
    assert planner.get(f"programmes/{made['id']}").json() == made
    assert made in planner.get("programmes", unit=PROVINCE).json()["items"]
    assert due["id"] != monthly["id"]
    assert (due["lead_agency"], due["cooperating_agencies"]) == (AGENCY_A, [AGENCY_B])
    assert (due["status"], due["deadline"], due["percent"]) == (
        "within_deadline",
        due["deadline"],
        0,
    )
    assert monthly["status"] == "not_reported" and monthly["deadline"] is None
    one = planner.get(f"tasks/{due['id']}").json()
    assert [step["kind"] for step in one.pop("timeline")] == ["planned"]
    assert one == due
    listed = planner.get("tasks", programme="P-API").json()
    assert listed["total"] == 2 and listed["items"] == [due, monthly]


def test_a_provincial_system_pushes_them_with_its_token_and_a_bad_row_is_rejected_alone(planner):
    spec = {"name": "t-tinhuy-82", "types": ["programme", "task"], "units": [PROVINCE]}
    r = planner.client.post(
        "/api/v1/sources", json=spec | {"simulated": True}, headers=planner.headers("admin")
    )
    assert r.status_code == 201, r.text
    token = auth(r.json()["token"])
    pushed = planner.client.post(
        "/api/v1/ingest/programme", json=[programme("P-SRC")], headers=token
    )
    assert pushed.json()["accepted"] == 1, pushed.text
    rows = [task("P-SRC", "1"), task("P-SRC", "2", agency="NO-SUCH"), task("P-SRC", "3", AGENCY_B)]
    answer = planner.client.post("/api/v1/ingest/task", json=rows, headers=token).json()
    assert (
        answer["accepted"],
        [(r["index"], r["errors"][0]["loc"]) for r in answer["rejected"]],
    ) == (
        2,
        [(1, ["agency"])],
    )
    listed = planner.get("tasks", programme="P-SRC").json()["items"]
    assert [(t["code"], t["lead_agency"], t["simulated"]) for t in listed] == [
        ("1", AGENCY_A, True),
        ("3", AGENCY_B, True),
    ]


def test_an_array_through_the_api_keeps_its_good_rows(planner):
    planner.post("programmes", programme("P-BATCH"), expect=201)
    rows = [task("P-BATCH", "1"), task("P-BATCH", "2", deadline="2026-02-30"), task("P-BATCH", "3")]
    answer = planner.post("tasks", rows, expect=200).json()
    assert answer["accepted"] == 2 and [r["index"] for r in answer["rejected"]] == [1]
    assert planner.get("tasks", programme="P-BATCH").json()["total"] == 2


def test_sent_again_it_is_updated_and_what_people_did_is_kept(planner, tasks_app):
    _, (first,) = planner.plan("P-AGAIN", task("P-AGAIN", "1", deadline=past(10)))
    assert first["status"] == "overdue"
    engine, key = tasks_app.state.engine, tasks.c.id == first["id"]
    people_did = {"extended_deadline": today() + timedelta(days=30), "percent": 40}
    with engine.begin() as conn:  # a leader extended it, the agency reported meanwhile
        conn.execute(update(tasks).where(key).values(**people_did))
        before = conn.execute(select(*(tasks.c[k] for k in WORKFLOW)).where(key)).one()
    again = task("P-AGAIN", "1", AGENCY_B, content="Nội dung mới", deadline=days_from_today(5))
    stored = planner.post("tasks", again, expect=200).json()
    assert (stored["id"], stored["content"], stored["deadline"]) == (
        first["id"],
        "Nội dung mới",
        again["deadline"],
    )
    assert (stored["extended_deadline"], stored["percent"]) == (
        people_did["extended_deadline"].isoformat(),
        40,
    )
    planner.post("tasks", again, expect=200)  # unchanged: no step in the timeline
    with engine.connect() as conn:
        after = conn.execute(select(*(tasks.c[k] for k in WORKFLOW)).where(key)).one()
        count = conn.execute(
            select(func.count()).select_from(tasks).where(tasks.c.programme_code == "P-AGAIN")
        ).scalar()
    assert after == before and count == 1
    steps = planner.get(f"tasks/{first['id']}").json()["timeline"]
    assert [(s["kind"], s["actor"]) for s in steps] == [
        ("planned", "t.lanhdao"),
        ("changed", "t.lanhdao"),
    ]
    assert steps[1]["detail"] == {
        "content": [first["content"], "Nội dung mới"],
        "agency": [AGENCY_A, AGENCY_B],
        "deadline": [first["deadline"], again["deadline"]],
    }
    renamed = planner.post("programmes", programme("P-AGAIN", title="Tên mới"), expect=200)
    with engine.connect() as conn:
        query = select(programmes.c.title).where(programmes.c.code == "P-AGAIN")
        titles = conn.execute(query).scalars().all()
    assert titles == ["Tên mới"] == [renamed.json()["title"]]


BAD = [
    ("tasks", {"recurrence": "monthly"}, "deadline"),  # a deadline and a recurrence
    ("tasks", {"deadline": None}, "deadline"),  # neither
    ("tasks", {"lead_agency": "NO-SUCH"}, "agency"),
    ("tasks", {"deadline": "30/06/2026"}, "deadline"),
    ("tasks", {"deadline": None, "recurrence": "weekly"}, "recurrence"),
    ("tasks", {"content": ""}, "content"),
    ("programmes", {"issued_date": "2025-02-30"}, "issued_date"),
    ("programmes", {"unit": "99999"}, "unit"),
]


@pytest.mark.parametrize(("path", "change", "field"), BAD)
def test_a_bad_row_is_a_422_naming_its_field(planner, path, change, field):
    base = task("P-BAD", "1") if path == "tasks" else programme("P-BAD")
    body = {k: v for k, v in (base | change).items() if v is not None}
    r = planner.post(path, body)
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM_JSON, r.text
    assert [e["loc"] for e in r.json()["errors"]] == [[field]]


def test_an_officer_reads_its_agency_s_tasks_and_plans_none(planner):
    _, (own, other) = planner.plan("P-SCOPE", task("P-SCOPE", "1"), task("P-SCOPE", "2", AGENCY_B))
    seen = planner.get("tasks", who="officer", programme="P-SCOPE").json()["items"]
    assert [t["id"] for t in seen] == [own["id"]]
    assert planner.get(f"tasks/{own['id']}", who="officer").json()["id"] == own["id"]
    assert planner.get(f"tasks/{other['id']}", who="officer", expect=403)
    assert planner.get("tasks", who="officer", unit=PROVINCE, expect=403)
    assert planner.get("tasks", who="officer", unit=AGENCY_B, expect=403)
    assert planner.post("tasks", task("P-SCOPE", "3"), who="officer").status_code == 403
    assert planner.post("programmes", programme("P-OFFICER"), who="officer").status_code == 403
    assert planner.get("programmes", who="officer").json()["total"] >= 1


def test_filters_and_pages(planner):
    planner.plan(
        "P-FILTER",
        task("P-FILTER", "1", deadline=past(), leader="Chủ tịch"),
        task("P-FILTER", "2", AGENCY_B),
        task("P-FILTER", "3", deadline=None, recurrence="ongoing", leader="Chủ tịch"),
    )

    def codes(**params):
        return [
            t["code"] for t in planner.get("tasks", programme="P-FILTER", **params).json()["items"]
        ]

    assert codes(status="overdue") == ["1"] and codes(status="not_reported") == ["3"]
    assert codes(agency=AGENCY_B) == ["2"] and codes(leader="Chủ tịch") == ["1", "3"]
    assert codes(limit=1, offset=1) == ["2"] and codes(status="overdue", offset=1) == []
    assert planner.get("tasks", agency="NO-SUCH", expect=422).json()["errors"][0]["loc"] == [
        "agency"
    ]
    assert planner.get("tasks", status="late", expect=422)


def test_the_entry_source_takes_up_a_type_installed_after_it_was_made(planner, tasks_app):
    """A database whose people-entry source was made before the tasks module existed."""
    with tasks_app.state.engine.connect() as conn:
        entry_source(conn)
        change_source(conn, actor="test", name=ENTRY_SOURCE, today=today(), types=["observation"])
        conn.commit()
    planner.post("programmes", programme("P-OLD-DB"), expect=201)
    with tasks_app.state.engine.connect() as conn:
        taken = set(get_row(conn, ENTRY_SOURCE).types)
    # every type people enter, the tasks' among them, beside the one it had
    entered = {name for name, rtype in RECORD_TYPES.items() if rtype.entered}
    assert {"programme", "task"} <= entered
    assert taken == {"observation"} | entered
