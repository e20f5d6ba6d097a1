"""The deadline job: a report whose deadline comes near or passes gets its flag stored and one
``feedback.deadline`` event, scoped to its commune (and province) and its agency, saying nothing
of its text or reporter; a round that finds nothing new announces nothing; a step taken resets
the flag. Days counted by hand over Tết 2026 (off Saturday 14/2 to Sunday 22/2) and National Day
2025 (off Saturday 30/8 to Tuesday 2/9)."""

from __future__ import annotations

from datetime import date, datetime

from ioc57.core.clock import LOCAL_TZ, now
from ioc57.core.events import Event
from ioc57.feedback.deadline_job import EVENT, check_deadlines
from ioc57.units.tables import units

from ..support.feedback import PROVINCE, report

AGENCY = "XD-T82"
FIELDS = {"id", "flag", "step", "due_on", "category", "unit", "agency"}


def received(day: str) -> str:
    return datetime.fromisoformat(f"{day}T09:00").replace(tzinfo=LOCAL_TZ).isoformat()


def test_reports_near_and_past_their_deadline_are_flagged_once_with_events(feedback, api):
    app = api.app
    body = {"code": AGENCY, "name": "Sở Xây dựng thử nghiệm", "parent": PROVINCE, "type": "sở"}
    r = feedback.client.post("/api/v1/units", json=body, headers=feedback.admin)
    assert r.status_code in (201, 409), r.text
    heard: list[Event] = []
    app.state.bus.subscribe(EVENT, heard.append)

    def round_on(day: date) -> list[Event]:
        heard.clear()
        events = check_deadlines(app.state.engine, app.state.bus, app.state.gate.cache, day)
        assert events == heard  # what it returns is what went on the bus
        return events

    # Thu 12/2/2026, waiting to be taken up: Fri 13/2 (1), Mon 23/2 (2)
    near = feedback.new(0, received_at=received("2026-02-12"))
    # Fri 29/8/2025, with an agency: 15 working days, Tue 23/9/2025
    late = feedback.new(1, received_at=received("2025-08-29"), status="forwarded", agency=AGENCY)
    # Thu 12/2/2026, with an agency: Thu 12/3/2026
    far = feedback.new(2, received_at=received("2026-02-12"), status="forwarded", agency=AGENCY)
    assert (near.due_on, late.due_on, far.due_on) == (
        date(2026, 2, 23),
        date(2025, 9, 23),
        date(2026, 3, 12),
    )

    # Friday 20/2, in Tết: the next working day is the last one
    events = {e.data["id"]: e for e in round_on(date(2026, 2, 20))}
    assert set(events) == {near.record_id, late.record_id}
    assert events[near.record_id].data == {
        "id": near.record_id,
        "flag": "near",
        "step": "triage",
        "due_on": "2026-02-23",
        "category": "moi-truong",
        "unit": feedback.communes[0],
        "agency": None,
    }
    assert events[late.record_id].data["flag"] == "late"
    assert events[late.record_id].data["agency"] == AGENCY
    assert all(set(e.data) == FIELDS for e in events.values())  # no text, no contact
    with app.state.engine.connect() as conn:
        ids = dict(
            conn.execute(
                units.select()
                .with_only_columns(units.c.code, units.c.id)
                .where(
                    units.c.code.in_([feedback.communes[1], PROVINCE, AGENCY]),
                    units.c.valid_to.is_(None),
                )
            ).all()
        )
    assert {ids[feedback.communes[1]], ids[PROVINCE], ids[AGENCY]} <= set(
        events[late.record_id].units
    )
    assert ids[AGENCY] not in events[near.record_id].units  # not forwarded: no agency
    assert (feedback.row(near.record_id).flag, feedback.row(late.record_id).flag) == (
        "near",
        "late",
    )
    assert feedback.row(far.record_id).flag == ""

    assert round_on(date(2026, 2, 20)) == []  # nothing new: nothing said again
    # Tuesday 24/2: the triage deadline passed
    (passed,) = round_on(date(2026, 2, 24))
    assert (passed.data["id"], passed.data["flag"]) == (near.record_id, "late")

    # taken up: a new step, a new deadline (Thu 12/3), the flag reset and not near yet
    r = feedback.client.post(
        f"/api/v1/feedback/reports/{near.record_id}/steps",
        json={"step": "forward", "agency": AGENCY},
        headers=feedback.admin,
    )
    assert r.status_code == 200, r.text
    assert feedback.row(near.record_id).flag == ""
    assert round_on(date(2026, 2, 24)) == []
    # Wed 11/3: both forwarded reports of 12/2 are a working day from their deadline
    assert {e.data["id"] for e in round_on(date(2026, 3, 11))} == {
        near.record_id,
        far.record_id,
    }

    # the platform moves the late one to power and water (an answer within 5 days): the same
    # step, a new deadline (Wed 3, Thu 4, Fri 5, Mon 8, Tue 9/9/2025), announced again
    fields = {"received_at": received("2025-08-29"), "status": "forwarded", "agency": AGENCY}
    moved = report(feedback.communes[1], **fields) | {
        "id": late.record_id,
        "category": "dien-nuoc",
        "updated_at": now().astimezone(LOCAL_TZ).isoformat(),
    }
    assert feedback.push([moved])["updated"] == 1
    assert (feedback.row(late.record_id).due_on, feedback.row(late.record_id).flag) == (
        date(2025, 9, 9),
        "",
    )
    (again,) = round_on(date(2026, 3, 11))
    assert again.data["id"] == late.record_id and again.data["due_on"] == "2025-09-09"
