"""The demo's action programme (dữ liệu mô phỏng): its tasks cite the articles they paraphrase,
come through the gate from a simulated source with a history that gives them varied statuses, the
overdue ones are reminded of, and a second run changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from ioc57.accounts.demo import load_demo_users
from ioc57.core.clock import today
from ioc57.modules import Demo
from ioc57.tasks.demo import load_demo, read_programme
from ioc57.tasks.tables import reminders, reports
from ioc57.units.demo import load_demo_agencies

from ..support.http import Api, auth

# the articles, as kept in the package (copies of the project's shared seeds)
SEEDS = Path(__file__).resolve().parents[2] / "src" / "ioc57" / "indicators" / "seed" / "articles"
PASSWORD = "demo-ioc57"


def test_every_task_paraphrases_a_sentence_of_an_article_it_names():
    data = read_programme()
    assert 20 <= len(data["tasks"]) <= 30
    assert "dữ liệu mô phỏng" in data["programme"]["title"]
    for item in [data["programme"], *data["tasks"]]:
        name, sentence = item["source"].split(": ", 1)
        assert sentence in (SEEDS / name).read_text(encoding="utf-8"), item.get("code")


@pytest.fixture(scope="module")
def loaded(tasks_app):
    """The demo's agencies and users, then the tasks' demo, loaded once."""
    engine = tasks_app.state.engine
    with engine.begin() as conn:
        load_demo_agencies(conn, today())
        load_demo_users(conn, PASSWORD, today())
    lines: list[str] = []
    load_demo(Demo(engine, tasks_app.state.gate, PASSWORD, today(), lines.append))
    return lines


def test_the_programme_and_its_tasks_are_simulated_with_varied_statuses(
    tasks_app, tasks_client, loaded
):
    headers = auth(Api(tasks_app).token("admin"))
    programmes = tasks_client.get("/api/v1/programmes", headers=headers).json()["items"]
    assert [(p["code"], p["simulated"], p["parent"]) for p in programmes] == [
        ("MP-NQ57-DT", True, "03/NQ-CP")
    ]
    params = {"programme": "MP-NQ57-DT", "limit": 200}
    items = tasks_client.get("/api/v1/tasks", params=params, headers=headers).json()["items"]
    assert len(items) == len(read_programme()["tasks"]) and all(t["simulated"] for t in items)
    statuses = {t["status"] for t in items}
    assert {"completed_on_time", "completed_late", "within_deadline", "overdue"} <= statuses
    assert any(t["extended_deadline"] and t["extended_deadline"] > t["deadline"] for t in items)

    # a task completed late: its completing report carries the evidence, a PDF that says so
    late = next(t for t in items if t["status"] == "completed_late")
    url = f"/api/v1/tasks/{late['id']}/reports"
    done = [r for r in tasks_client.get(url, headers=headers).json()["items"] if r["completes"]]
    assert len(done) == 1 and done[0]["reported_on"] == late["completed_on"] > late["deadline"]
    (file,) = done[0]["evidence"]
    pdf = tasks_client.get(file["href"], headers=headers)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and b"DU LIEU MO PHONG" in pdf.content
    with tasks_app.state.engine.connect() as conn:
        query = select(func.count()).select_from(reports).where(reports.c.simulated.is_(False))
        assert conn.execute(query).scalar_one() == 0
        sent = set(conn.execute(select(reminders.c.task_id, reminders.c.kind)).all())
    # the agencies of the overdue tasks were reminded of them
    overdue = {t["id"] for t in items if t["status"] == "overdue"}
    assert {task for task, kind in sent if kind == "overdue"} == overdue


def test_a_second_run_changes_nothing(tasks_app, loaded):
    engine = tasks_app.state.engine
    count = select(func.count()).select_from(reports)
    with engine.connect() as conn:
        before = conn.execute(count).scalar_one()
    lines: list[str] = []
    load_demo(Demo(engine, tasks_app.state.gate, PASSWORD, today(), lines.append))
    assert "0 tasks through the gate" in lines[0] and "0 given a history" in lines[0]
    assert "0 reminders sent" in lines[0]
    with engine.connect() as conn:
        assert conn.execute(count).scalar_one() == before > 100
