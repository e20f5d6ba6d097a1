"""What the action-programmes module offers the operations centre, from tasks planned through the
API: the overdue tasks among the ranked concerns (each, or one per agency with many) and the
``tasks.overdue`` tile, each within the reader's scope; a deadline extended takes a task off."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from ioc57.accounts.service import principal_by_token
from ioc57.centre import registry
from ioc57.core.clock import LOCAL_TZ, now, today
from ioc57.core.workdays import is_working_day, working_days_between

from ..support.tasks import AGENCIES, AGENCY_A, AGENCY_B, Planner, task


@pytest.fixture
def planner(client, api) -> Planner:
    """A database of its own for each test: the ranked list is checked whole."""
    return Planner(client, api)


def last_working_day_before(day: date) -> date:
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def overdue_from(deadline: date) -> datetime:
    """The local midnight after a deadline that is a working day, in UTC."""
    return datetime.combine(deadline + timedelta(days=1), time(), LOCAL_TZ).astimezone(UTC)


def principal(app, planner: Planner, who: str):
    with app.state.engine.connect() as conn:
        return principal_by_token(conn, planner.tokens[who])


def ranked(app, planner: Planner, who: str = "leader") -> list:
    with app.state.engine.connect() as conn:
        found, failed = registry.concerns(conn, principal(app, planner, who), now(), 50)
    assert failed == []
    return [c for c in found if c.key.startswith("tasks:")]


def overdue_tile(app, planner: Planner, who: str = "leader") -> dict:
    tile = registry.offered().tile("tasks.overdue")
    assert tile is not None
    assert {"ingest.batch:task", "tasks.confirmed", "tasks.extended"} <= set(tile.events)
    with app.state.engine.connect() as conn:
        out = registry.render_tile(tile, conn, principal(app, planner, who), now())
    assert out is not None
    return out


def test_an_overdue_task_is_a_concern_of_its_agency(app, planner):
    old = last_working_day_before(today() - timedelta(days=20))
    _, [late, *_on_time] = planner.plan(
        "CT-1",
        task("CT-1", "1", deadline=old.isoformat()),
        task("CT-1", "2"),  # due in 60 days
        task("CT-1", "3", deadline=today().isoformat()),  # on time to the day's end
        task("CT-1", "4", recurrence="monthly", deadline=None),  # reports, never overdue
    )
    [concern] = ranked(app, planner)
    assert concern.key == f"tasks:overdue:{late['id']}"
    assert concern.owner == AGENCIES[AGENCY_A] and concern.unit_code == AGENCY_A
    assert concern.severity == 2
    assert concern.since == overdue_from(old)
    assert concern.href == f"/tasks/{late['id']}"
    assert concern.title.startswith("1 · Nhiệm vụ 1")
    assert concern.args == {"deadline": old.isoformat(), "days": working_days_between(old, today())}
    assert concern.simulated is False
    # a leader extends its deadline: it is no longer overdue
    extend = {"deadline": (today() + timedelta(days=30)).isoformat(), "reason": "Chờ kinh phí"}
    planner.post(f"tasks/{late['id']}/extend", extend, expect=200)
    assert ranked(app, planner) == []


def test_the_freshly_overdue_rank_above_the_older(app, planner):
    recent = last_working_day_before(today())
    old = last_working_day_before(today() - timedelta(days=40))
    _, [older, fresh] = planner.plan(
        "CT-2",
        task("CT-2", "1", deadline=old.isoformat()),
        task("CT-2", "2", AGENCY_B, deadline=recent.isoformat()),
    )
    found = ranked(app, planner)
    assert [c.key for c in found] == [
        f"tasks:overdue:{fresh['id']}",
        f"tasks:overdue:{older['id']}",
    ]
    assert found[0].owner == AGENCIES[AGENCY_B] and found[0].since == overdue_from(recent)


def test_an_officer_sees_the_overdue_tasks_of_its_own_agency(app, planner):
    old = last_working_day_before(today() - timedelta(days=10))
    _, [mine, theirs] = planner.plan(
        "CT-3",
        task("CT-3", "1", deadline=old.isoformat()),
        task("CT-3", "2", AGENCY_B, deadline=old.isoformat()),
    )
    assert [c.key for c in ranked(app, planner, "officer")] == [f"tasks:overdue:{mine['id']}"]
    planner.person("other", "officer", AGENCY_B)
    assert [c.key for c in ranked(app, planner, "other")] == [f"tasks:overdue:{theirs['id']}"]
    planner.person("province", "officer", "82")
    assert len(ranked(app, planner, "province")) == 2
    assert overdue_tile(app, planner, "officer")["value"] == 1
    planner.person("commune", "officer", "28261")
    assert ranked(app, planner, "commune") == []
    assert overdue_tile(app, planner, "commune")["value"] == 0


def test_an_agency_with_many_overdue_tasks_is_one_concern(app, planner):
    days = [last_working_day_before(today() - timedelta(days=10 * k)) for k in (1, 2, 3, 4)]
    planner.plan(
        "CT-4", *(task("CT-4", str(k), deadline=d.isoformat()) for k, d in enumerate(days))
    )
    [concern] = ranked(app, planner)
    assert concern.key == f"tasks:overdue:agency:{AGENCY_A}"
    assert concern.args["count"] == 4
    assert concern.since == overdue_from(days[-1])  # the oldest
    assert concern.href == f"/tasks/list?province=82&agency={AGENCY_A}&status=overdue"


def test_the_tile_counts_the_overdue_tasks_by_agency(app, planner):
    empty = overdue_tile(app, planner)
    assert (empty["value"], empty["status"], empty["rows"]) == (0, "ok", [])
    old = last_working_day_before(today() - timedelta(days=10))
    planner.plan(
        "CT-5",
        task("CT-5", "1", deadline=old.isoformat()),
        task("CT-5", "2", deadline=old.isoformat()),
        task("CT-5", "3", AGENCY_B, deadline=old.isoformat()),
        task("CT-5", "4", AGENCY_B),
    )
    out = overdue_tile(app, planner)
    assert out["value"] == 3 and out["uom"] == "count" and out["good"] == "down"
    assert [(r["label"], r["value"]) for r in out["rows"]] == [
        (AGENCIES[AGENCY_A], 2),
        (AGENCIES[AGENCY_B], 1),
    ]
    assert out["rows"][0]["href"] == f"/tasks/list?province=82&agency={AGENCY_A}&status=overdue"
    assert out["status"] in ("watch", "bad") and out["simulated"] is False
    assert out["updated_at"] is not None and out["updated_at"] <= now()
    assert out["source"]
