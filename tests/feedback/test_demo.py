"""The citizen-reports demo (dữ liệu mô phỏng): two years of Đồng Tháp's reports through the gate,
routed to the demo agencies, every status reached with its timeline placed in time (most answered
on time, some late, some open past their deadline today), published answers, ratings; labelled
simulated, fast, and a second run on the same day changes nothing."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from ioc57.core.clock import today
from ioc57.feedback.demo import COUNT, load_demo
from ioc57.feedback.records import STATUSES
from ioc57.feedback.tables import reports, routes, steps
from ioc57.modules import Demo
from ioc57.units.demo import load_demo_agencies

from ..support.http import Api, auth


@pytest.fixture(scope="module")
def loaded(feedback_app):
    engine = feedback_app.state.engine
    with engine.begin() as conn:
        load_demo_agencies(conn, today())
    lines: list[str] = []
    began = time.process_time()  # CPU time: what a loaded machine does not stretch
    load_demo(Demo(engine, feedback_app.state.gate, "demo", today(), lines.append))
    return lines, time.process_time() - began


def test_two_years_of_reports_reach_every_status_with_their_timelines(feedback_app, loaded):
    lines, took = loaded
    assert took < 20, took  # about 5 s of CPU on SQLite
    assert "dữ liệu mô phỏng" in lines[0] and "0 rejected" in lines[0], lines
    with feedback_app.state.engine.connect() as conn:
        rows = conn.execute(select(reports).where(reports.c.record_id.like("PA-82-mp-%"))).all()
        reached = set(conn.execute(select(steps.c.status).distinct()).scalars())
        actors = set(conn.execute(select(steps.c.actor).distinct()).scalars())
        per_report = conn.execute(
            select(func.count()).select_from(steps).where(steps.c.status == "received")
        ).scalar_one()
        routed = conn.execute(select(func.count()).select_from(routes)).scalar_one()
    assert len(rows) == COUNT and all(r.simulated for r in rows)
    assert reached == set(STATUSES) and per_report >= COUNT
    assert {"vanhanh", "citizen", "canbo.snnmt", "canbo.syt", "canbo.ca"} <= actors
    assert routed >= 8
    status = Counter(r.status for r in rows)
    assert status["closed"] > COUNT * 0.8 and 0 < status["refused"] < COUNT * 0.05
    assert 0 < status["merged"] < COUNT * 0.05
    answered = [r for r in rows if r.on_time is not None]
    assert 0.05 < sum(not r.on_time for r in answered) / len(answered) < 0.25
    published = [r for r in rows if r.published_at is not None]
    assert len(published) > COUNT / 2 and all(r.answer_public for r in published)
    rated = [r.satisfaction for r in rows if r.satisfaction]
    assert rated.count("satisfied") > 0.8 * len(rated)
    days = {r.received_at.date() for r in rows}
    assert len(days) > 500  # spread over the two years


def test_open_reports_past_their_deadline_show_late_to_the_operator(feedback_app, loaded):
    from fastapi.testclient import TestClient

    headers = auth(Api(feedback_app).token("admin"))
    with TestClient(feedback_app) as client:
        late = client.get("/api/v1/feedback/reports", params={"flag": "late"}, headers=headers)
        assert late.status_code == 200 and late.json()["total"] > 0
        item = late.json()["items"][0]
        assert item["simulated"] is True and item["due"]["flag"] == "late"
        one = client.get(f"/api/v1/feedback/reports/{item['id']}", headers=headers).json()
    # the steps are at their own times, days apart, not at the time of loading
    times = [s["at"][:10] for s in one["timeline"]]
    assert times == sorted(times) and one["timeline"][0]["status"] == "received"


def test_a_second_run_on_the_same_day_changes_nothing(feedback_app, loaded):
    lines: list[str] = []
    load_demo(Demo(feedback_app.state.engine, feedback_app.state.gate, "d", today(), lines.append))
    assert "(0 new, 0 steps," in lines[0] and "routes added: 0" in lines[0], lines
