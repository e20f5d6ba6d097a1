"""The tasks' figure for alert rules (``tasks.overdue``), on tasks planned through the API (the
gate): per lead agency or province, how many tasks are overdue today; an agency with none counts
0, so that its alert resolves; an extended deadline takes a task off the count."""

from __future__ import annotations

import pytest

from ioc57.core import figures
from ioc57.core.clock import now

from ..support.alerts import evaluate
from ..support.tasks import AGENCY_A, AGENCY_B, PROVINCE, days_from_today, past, task


def overdue(planner, **params) -> dict[str, figures.Sample]:
    with planner.api.app.state.engine.connect() as conn:
        found = figures.samples(conn, "tasks.overdue", params)
    return {next(iter(s.labels.values())): s for s in found}


def test_overdue_tasks_are_counted_per_agency_and_province(planner):
    _, made = planner.plan(
        "FIG-1",
        task("FIG-1", "1", AGENCY_A, deadline=past(30)),
        task("FIG-1", "2", AGENCY_A, deadline=past(10)),
        task("FIG-1", "3", AGENCY_A),  # due in 60 days
        task("FIG-1", "4", AGENCY_B),
        task("FIG-1", "5", AGENCY_B, recurrence="monthly", deadline=None),  # never overdue
    )
    by_agency = overdue(planner)
    assert {code: s.value for code, s in by_agency.items()} == {AGENCY_A: 2, AGENCY_B: 0}
    assert by_agency[AGENCY_A].labels == {"agency": AGENCY_A}
    assert by_agency[AGENCY_A].unit_id != by_agency[AGENCY_B].unit_id
    by_province = overdue(planner, by="province")
    assert {code: s.value for code, s in by_province.items()} == {PROVINCE: 2}

    # a leader extends one deadline: that task is within its deadline again
    extend = {"deadline": days_from_today(30), "reason": "chờ hướng dẫn của Bộ"}
    planner.post(f"tasks/{made[0]['id']}/extend", extend, expect=200)
    assert overdue(planner)[AGENCY_A].value == 1

    # a rule "any overdue task" on the province fires for the agency that has one, not the other
    rule = {"name": "fig-tasks-overdue", "title": "Nhiệm vụ quá hạn", "figure": "tasks.overdue",
            "threshold": 0, "units": [PROVINCE]}  # fmt: skip
    planner.post("alert-rules", rule, who="admin", expect=201)
    evaluate(planner.api.app, "fig-tasks-overdue", now())
    alerts = planner.get("alerts", who="admin", rule="fig-tasks-overdue").json()["items"]
    assert [(a["state"], a["labels"]["agency"], a["value"]) for a in alerts] == [
        ("firing", AGENCY_A, 1)
    ]


def test_a_bad_grouping_is_an_error_for_the_rule(planner):
    with (
        planner.api.app.state.engine.connect() as conn,
        pytest.raises(ValueError, match="by must be"),
    ):
        figures.samples(conn, "tasks.overdue", {"by": "leader"})


def test_the_figure_is_offered_and_re_evaluated_on_tasks():
    offered = figures.figure("tasks.overdue")
    assert offered is not None and offered.record_types == ("task",)
    assert offered.uom == "count" and offered.required == ()
