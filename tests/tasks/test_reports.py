"""Progress reports by a task's lead agency drive its status at the boundaries: a completion on the
deadline day is on time and the day after late, a deadline on a public holiday ends on the next
working day, and a report at 100% without evidence completes nothing. Only the lead agency
reports; a report is for a period of the task's kind; each report is audited, on the timeline
and announced on the bus."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ioc57.core.audit import audit_log
from ioc57.core.workdays import is_working_day

from ..support import evidence as files
from ..support.tasks import AGENCY_A, AGENCY_B, task

PDF = [("bao-cao-ket-qua.pdf", files.pdf())]
HOLIDAY = date(2026, 9, 2)  # National Day (2026-08-29 to 09-02 are days off)


def status(planner, task_id: int) -> str:
    return planner.get(f"tasks/{task_id}").json()["status"]


@pytest.mark.parametrize(
    ("deadline", "done_on", "before", "after"),
    [
        # deadline, the day the completion is reported, the status until and once confirmed
        (date(2026, 6, 30), date(2026, 6, 30), "within_deadline", "completed_on_time"),
        (date(2026, 6, 30), date(2026, 7, 1), "overdue", "completed_late"),
        (HOLIDAY, date(2026, 9, 3), "within_deadline", "completed_on_time"),
        (HOLIDAY, date(2026, 9, 4), "overdue", "completed_late"),
    ],
)
def test_a_completion_counts_on_the_day_it_was_reported(
    planner, today_is, deadline, done_on, before, after
):
    assert is_working_day(date(2026, 6, 30)) and not is_working_day(HOLIDAY)
    code = f"P-DONE-{deadline:%m%d}-{done_on:%m%d}"
    _, (planned,) = planner.plan(code, task(code, "1", deadline=deadline.isoformat()))
    today_is(done_on)
    claim = planner.report(planned["id"], files=PDF, text="Đã ban hành", completes=True).json()
    assert claim["reported_on"] == done_on.isoformat() and claim["percent"] == 100
    assert status(planner, planned["id"]) == before  # a claim counts once a leader confirms it
    today_is(date(2026, 12, 31))  # the leader confirms months later: the agency was not late
    confirmed = planner.post(f"tasks/{planned['id']}/confirm", {}, expect=200).json()
    assert (confirmed["status"], confirmed["completed_on"]) == (after, done_on.isoformat())
    assert status(planner, planned["id"]) == after


def test_a_report_at_100_without_evidence_completes_nothing(planner, today_is):
    _, (planned,) = planner.plan("P-LATE", task("P-LATE", "1", deadline="2026-06-30"))
    url = f"tasks/{planned['id']}"
    today_is(date(2026, 6, 30))
    planner.report(planned["id"], text="Đã xong, chưa có văn bản", percent=100, expect=201)
    refused = planner.report(planned["id"], text="Hoàn thành", completes=True, expect=422)
    assert refused.json()["errors"][0]["loc"] == ["evidence"]
    shown = planner.get(url).json()
    assert (shown["percent"], shown["completed_on"], shown["status"]) == (
        100,
        None,
        "within_deadline",
    )
    assert planner.post(f"{url}/confirm", {}).status_code == 409  # nothing to confirm
    today_is(date(2026, 7, 1))
    assert status(planner, planned["id"]) == "overdue"
    planner.report(planned["id"], files=PDF, text="Quyết định ban hành", completes=True, expect=201)
    assert planner.post(f"{url}/confirm", {}, expect=200).json()["status"] == "completed_late"


def test_only_the_lead_agency_reports(planner):
    b = planner.person("canbo.nv", "officer", AGENCY_B)
    _, (ours, theirs) = planner.plan(
        "P-SCOPE",
        task("P-SCOPE", "1", AGENCY_A, cooperating_agencies=[AGENCY_B]),
        task("P-SCOPE", "2", AGENCY_B),
    )
    body = {"text": "Đang triển khai", "percent": 30}
    assert planner.report(theirs["id"], "officer", **body).status_code == 403  # another agency
    assert planner.report(ours["id"], b, **body).status_code == 403  # a cooperating agency
    planner.get(f"tasks/{ours['id']}/reports", b, expect=403)
    planner.report(ours["id"], "officer", expect=201, **body)
    planner.report(theirs["id"], b, expect=201, **body)
    planner.report(theirs["id"], "leader", expect=201, **body)  # a leader reports on any task
    assert planner.report(2**62, "officer", **body).status_code == 404
    listed = planner.get(f"tasks/{theirs['id']}/reports").json()
    assert [r["author"] for r in listed["items"]] == ["t.lanhdao", "t.canbo.nv"]  # latest first


def test_a_report_is_for_a_period_of_the_tasks_kind(planner, today_is):
    _, (monthly, due) = planner.plan(
        "P-PERIOD",
        task("P-PERIOD", "1", deadline=None, recurrence="monthly"),
        task("P-PERIOD", "2", deadline="2026-12-31"),
    )
    today_is(date(2026, 5, 15))
    may = planner.report(monthly["id"], text="Tháng 5", percent=40, expect=201).json()
    assert may["period"] == "202605" and status(planner, monthly["id"]) == "reported"
    today_is(date(2026, 6, 2))
    assert status(planner, monthly["id"]) == "not_reported"
    for period in ("2026Q2", "202607", "tháng 6"):  # another kind, not begun, no period
        refused = planner.report(monthly["id"], text="x", percent=50, period=period, expect=422)
        assert refused.json()["errors"][0]["loc"] == ["period"], period
    planner.report(monthly["id"], text="Tháng 6", percent=50, period="202606", expect=201)
    late = planner.report(monthly["id"], text="Bổ sung tháng 4", percent=30, period="202604")
    assert late.status_code == 201
    shown = planner.get(f"tasks/{monthly['id']}").json()
    assert (shown["last_period"], shown["percent"], shown["status"]) == ("202606", 30, "reported")
    refused = planner.report(monthly["id"], files=PDF, text="Xong", completes=True, expect=422)
    assert refused.json()["errors"][0]["loc"] == ["completes"]  # a recurring task never completes
    by_month = planner.report(due["id"], text="Tiến độ", percent=10, expect=201).json()
    assert by_month["period"] == "202606"


def test_a_report_is_audited_on_the_timeline_and_on_the_bus(planner, today_is):
    seen = []
    planner.client.app.state.bus.subscribe("tasks.completion_claimed", seen.append)
    _, (planned,) = planner.plan("P-TRACE", task("P-TRACE", "1", deadline="2026-06-30"))
    today_is(date(2026, 6, 29))
    report = planner.report(planned["id"], files=PDF, text="Hoàn thành", completes=True).json()
    [event] = seen
    assert event.data | {"at": None} == {
        "province_code": "82",
        "task_id": planned["id"],
        "agency_code": AGENCY_A,
        "report_id": report["id"],
        "period": "202606",
        "percent": 100,
        "evidence": [report["evidence"][0]["id"]],
        "actor": "t.canbo.khcn",
        "at": None,
    }
    steps = planner.get(f"tasks/{planned['id']}").json()["timeline"]
    assert [s["kind"] for s in steps] == ["planned", "completion_claimed"]
    assert steps[1]["detail"]["report_id"] == report["id"]
    with planner.client.app.state.engine.connect() as conn:
        audited = conn.execute(
            select(audit_log).where(
                audit_log.c.object_type == "task_report", audit_log.c.object_id == str(report["id"])
            )
        ).one()
    assert audited.actor == "t.canbo.khcn" and audited.action == "task.completion_claimed"
    assert audited.before["completed_on"] is None
    assert audited.after["completed_on"] == "2026-06-29"
    assert audited.after["evidence"] == [report["evidence"][0]["sha256"]]
