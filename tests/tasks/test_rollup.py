"""The status of a province's tasks rolled up: by agency, by leader, by programme; the overdue
list in working days, most first, with the original and the extended deadline; the difficulties
not answered, oldest first; and a line per province for the national page."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ioc57.tasks.rollup import national, simulated_in, summary
from ioc57.tasks.status import STATUSES
from ioc57.units.tables import units

from ..support import evidence
from ..support.tasks import AGENCY_A, AGENCY_B, PROVINCE, set_today, task

DAY = date(2026, 9, 4)  # a Friday, after national day (31/8 to 2/9 off)


def counts(**some: int) -> dict[str, int]:
    return dict.fromkeys(STATUSES, 0) | some


@pytest.fixture(scope="module")
def planned(planner, tasks_app):
    """A programme of six tasks, one of each kind, and the work on them, each on its day."""
    _, made = planner.plan(
        "P-ROLL",
        task("P-ROLL", "1", leader="Ông A", deadline="2026-09-02"),
        task("P-ROLL", "2", leader="Ông A", deadline="2026-06-01"),
        task("P-ROLL", "3", AGENCY_B, leader="Bà B", deadline="2026-09-30"),
        task("P-ROLL", "4", AGENCY_B, deadline="2026-03-31"),
        task("P-ROLL", "5", leader="Ông A", deadline=None, recurrence="quarterly"),
        task("P-ROLL", "6", AGENCY_B, deadline=None, recurrence="monthly"),
    )
    ids = [t["id"] for t in made]

    def report(day: date, task_id: int, **fields) -> int:
        set_today(patch, day)
        fields = {
            "text": "Đã triển khai",
            "percent": 100 if fields.get("completes") else 50,
        } | fields
        answer = planner.report(task_id, "leader", expect=201, **fields)
        return answer.json()["id"]

    with pytest.MonkeyPatch.context() as patch:
        planner.post(
            f"tasks/{ids[1]}/extend", {"deadline": "2026-08-14", "reason": "Chờ hướng dẫn"}
        )
        report(date(2026, 3, 31), ids[3], files=evidence.decision(), completes=True)
        planner.post(f"tasks/{ids[3]}/confirm", {}, expect=200)
        report(date(2026, 8, 15), ids[4])  # for 2026Q3
        report(date(2026, 8, 1), ids[2], difficulties="Thiếu kinh phí")
        report(date(2026, 7, 1), ids[0], proposals="Bổ sung biên chế")
        answered = report(date(2026, 6, 1), ids[1], difficulties="Chưa có hướng dẫn")
        planner.post(f"tasks/{ids[1]}/reports/{answered}/answer", {"answer": "Đã có"}, expect=200)
        report(date(2026, 5, 4), ids[1])  # nothing raised
    with tasks_app.state.engine.connect() as conn:
        query = select(units.c.code, units.c.id).where(units.c.level == "agency")
        agencies = {r.code: r.id for r in conn.execute(query)}
    return ids, agencies


def test_a_province_by_agency_leader_and_programme(planned, tasks_app):
    with tasks_app.state.engine.connect() as conn:
        found = summary(conn, province_code=PROVINCE, today=DAY)
    assert found.title == "Tỉnh Đồng Tháp" and found.as_of == DAY and not found.simulated
    assert found.totals == counts(
        overdue=2, within_deadline=1, completed_on_time=1, reported=1, not_reported=1
    )
    assert [(line.key, line.label, line.counts) for line in found.by_agency] == [
        (AGENCY_A, "Sở Khoa học và Công nghệ", counts(overdue=2, reported=1)),
        (AGENCY_B, "Sở Nội vụ", counts(within_deadline=1, completed_on_time=1, not_reported=1)),
    ]
    assert [(line.key, line.total) for line in found.by_leader] == [("Ông A", 3), ("Bà B", 1)]
    [programme] = found.by_programme
    assert programme.key == "P-ROLL" and programme.label.startswith("Chương trình hành động")


def test_the_overdue_in_working_days_most_first_with_both_deadlines(planned, tasks_app):
    ids, _ = planned
    with tasks_app.state.engine.connect() as conn:
        found = summary(conn, province_code=PROVINCE, today=DAY)
    assert [
        (o.task_id, o.deadline, o.extended_deadline, o.days_overdue, o.agency, o.leader)
        for o in found.overdue
    ] == [
        # extended to Friday 14/8: the two weeks after, Saturday 22/8 (worked for Monday 31/8),
        # then Thursday 3/9 and Friday 4/9
        (ids[1], date(2026, 6, 1), date(2026, 8, 14), 13, "Sở Khoa học và Công nghệ", "Ông A"),
        # due on national day, so on time until Thursday 3/9
        (ids[0], date(2026, 9, 2), None, 1, "Sở Khoa học và Công nghệ", "Ông A"),
    ]


def test_the_difficulties_not_answered_oldest_first(planned, tasks_app):
    ids, _ = planned
    with tasks_app.state.engine.connect() as conn:
        found = summary(conn, province_code=PROVINCE, today=DAY).difficulties
    assert [(d.task_id, d.reported_on, d.difficulties, d.proposals) for d in found] == [
        (ids[0], date(2026, 7, 1), None, "Bổ sung biên chế"),
        (ids[2], date(2026, 8, 1), "Thiếu kinh phí", None),
    ]
    assert found[1].agency == "Sở Nội vụ"


def test_an_agencys_scope_and_a_programme(planned, tasks_app):
    ids, agencies = planned
    with tasks_app.state.engine.connect() as conn:
        mine = summary(conn, agency_ids=[agencies[AGENCY_B]], today=DAY)
        other = summary(conn, programme="NO-SUCH", today=DAY)
    assert mine.totals == counts(within_deadline=1, completed_on_time=1, not_reported=1)
    assert [d.task_id for d in mine.difficulties] == [ids[2]] and mine.overdue == []
    assert other.total == 0 and other.title == "NO-SUCH" and other.by_agency == []


def test_a_line_per_province_for_the_national_page(planned, tasks_app):
    with tasks_app.state.engine.connect() as conn:
        lines = national(conn, DAY)
        whole = summary(conn, today=DAY)
        assert not simulated_in(conn) and not simulated_in(conn, PROVINCE)
    assert len(lines) == 34
    mine = next(line for line in lines if line.key == PROVINCE)
    assert mine.label == "Tỉnh Đồng Tháp" and mine.counts == whole.totals
    assert sum(line.total for line in lines) == whole.total


def test_the_country_counts_its_provinces_in_the_pass_and_lists_the_oldest_difficulties(
    planned, tasks_app
):
    with tasks_app.state.engine.connect() as conn:
        whole = summary(conn, today=DAY)
        page = summary(conn, today=DAY, difficulties_listed=1)
        lines = national(conn, DAY)
    assert whole.by_province == lines and [line.key for line in lines] == sorted(
        line.key for line in lines
    )
    assert page.difficulties == whole.difficulties[:1]
    assert page.difficulties_total == whole.difficulties_total == len(whole.difficulties) == 2
    named = {(item.province_code, item.province) for item in whole.overdue + whole.difficulties}
    assert named == {(PROVINCE, "Tỉnh Đồng Tháp")}
