"""The scorecard reads two shares computed from the tasks: the tasks followed on the system this
month (a report in the month, of the tasks open in it) and the tasks due done on time."""

from __future__ import annotations

from datetime import date

from ioc57.core.clock import today

from ..support import evidence
from ..support.indicators import card, obs
from ..support.tasks import AGENCY_B, PROVINCE, task


def test_the_share_of_tasks_followed_and_done_on_time(planner, today_is):
    year = today().year
    last = year - 1
    _, (followed, silent, on_time, late, overdue, later) = planner.plan(
        "P-IND",
        task("P-IND", "1"),
        task("P-IND", "2", AGENCY_B, deadline=None, recurrence="monthly"),
        task("P-IND", "3", deadline=f"{last}-03-31"),
        task("P-IND", "4", deadline=f"{last}-06-30"),
        task("P-IND", "5", deadline=f"{last}-09-30"),
        task("P-IND", "6", deadline=f"{year + 1}-06-30"),
    )
    planner.report(followed["id"], text="Đã khảo sát", percent=20, expect=201)
    for done, day in ((on_time, date(last, 3, 31)), (late, date(last, 7, 15))):
        today_is(day)  # the lead agency reported it done that day, with its evidence
        planner.report(
            done["id"], files=evidence.decision(), text="Đã ban hành", completes=True, expect=201
        )
        planner.post(f"tasks/{done['id']}/confirm", {}, expect=200)

    # open this month: all but the two completed last year; one of them reported in it
    item = card(planner.client, PROVINCE, year, "tasks_tracked_electronically_rate")
    assert (item["numerator"], item["denominator"], item["value"]) == (1, 4, 25.0)
    # due last year: one on time, one late, one overdue (the one due next year is not counted)
    item = card(planner.client, PROVINCE, last, "tasks_on_time_rate")
    assert (item["numerator"], item["denominator"]) == (1, 3)
    assert round(item["value"], 2) == 33.33 and not item["simulated"]


def test_the_shares_are_in_the_catalogue_and_cannot_be_reported(planner):
    for code in ("tasks_tracked_electronically_rate", "tasks_on_time_rate"):
        described = planner.get(f"indicators/{code}").json()
        assert described["source"] == "computed" and described["aggregation"] == "ratio"
        r = planner.post("observations", [obs(code, PROVINCE, "2026", value=99.0)], "admin", 200)
        [rejected] = r.json()["rejected"]
        assert "indicator" in str(rejected)
