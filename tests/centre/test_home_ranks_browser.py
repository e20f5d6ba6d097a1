"""The leader's home, in a real browser over a real ``ioc57 serve``, ranks what needs attention
across modules: a dossier that became late a minute ago, an alert that has just begun firing and a
task that fell overdue after the last working day come above a dossier late for five days and a
task overdue for six weeks. Every item arrives as it would in a province: the dossiers through
the gate, the task through the tasks API, the alert from a rule the server evaluates when a
citizen report lands."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from playwright.sync_api import Page, expect

from ioc57.core.clock import LOCAL_TZ
from ioc57.core.db import make_engine
from ioc57.core.workdays import is_working_day

from ..ingest.records import dossier, feedback
from ..support.browser import logged_in_tab
from ..support.http import ADMIN_PASSWORD
from ..support.servers import fresh_server
from ..support.stream import Actors
from ..support.tasks import AGENCIES, AGENCY_B, PROVINCE, programme, task

pytestmark = pytest.mark.browser

FRESH_COMMUNE, OLD_COMMUNE = "28261", "28249"  # Phường Mỹ Tho, Phường Đạo Thạnh (province 82)


def iso(at: datetime) -> str:
    return at.astimezone(LOCAL_TZ).isoformat()


def late(n: int, unit: str, due: datetime) -> dict:
    return dossier(
        n,
        unit=unit,
        received_at=iso(due - timedelta(days=3)),
        due_at=iso(due),
        updated_at=iso(due - timedelta(days=3)),
        status="processing",
    )


def working_day_before(day: date) -> date:
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


@pytest.fixture(scope="module")
def home(tmp_path_factory, browser) -> Iterator[tuple[Page, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("ranks")
    engine = make_engine(f"sqlite:///{tmp}/ioc57.db")
    with fresh_server(tmp, ADMIN_PASSWORD) as base:
        actors = Actors(engine, base)
        leader = actors.user("leader1", "leader")
        for code, name in AGENCIES.items():
            body = {"code": code, "name": name, "parent": PROVINCE, "type": "sở"}
            actors.post("/api/v1/units", body, actors.admin)
        spec = {"name": "lgsp-82", "types": ["dossier", "feedback"], "units": ["82"]}
        source = actors.source(spec)
        rule = {
            "name": "reports-today",
            "title": "Citizen reports arrive",
            "figure": "feedback.received",
            "op": ">",
            "threshold": 0,
            "severity": "critical",
        }
        actors.post("/api/v1/alert-rules", rule, actors.admin)
        now = datetime.now(UTC)
        midnight = datetime.combine(now.astimezone(LOCAL_TZ).date(), time(), LOCAL_TZ)
        # late since a minute ago (or half the time since local midnight, just after it)
        fresh_due = max(now - timedelta(minutes=1), midnight + (now - midnight) / 2)
        actors.post(
            "/api/v1/ingest/dossier", [late(1, OLD_COMMUNE, now - timedelta(days=5))], source
        )
        actors.post("/api/v1/programmes", programme("CT-RANK"), leader)
        old_deadline = working_day_before(date.today() - timedelta(days=42))
        old_task = actors.post(
            "/api/v1/tasks", task("CT-RANK", "1", deadline=str(old_deadline)), leader
        )
        recent = working_day_before(now.astimezone(LOCAL_TZ).date())
        new_task = actors.post(
            "/api/v1/tasks", task("CT-RANK", "2", AGENCY_B, deadline=str(recent)), leader
        )
        actors.post("/api/v1/ingest/dossier", [late(2, FRESH_COMMUNE, fresh_due)], source)
        report = feedback(
            1, unit=FRESH_COMMUNE, received_at=iso(now), status="received", updated_at=iso(now)
        )
        report.pop("answered_at")
        actors.post("/api/v1/ingest/feedback", [report], source)
        keys = {
            "fresh dossier": f"services:late_today:{FRESH_COMMUNE}",
            "old dossier": f"services:late:{OLD_COMMUNE}",
            "fresh task": f"tasks:overdue:{new_task['id']}",
            "old task": f"tasks:overdue:{old_task['id']}",
        }
        yield from (
            (page, keys)
            for page in logged_in_tab(
                browser, base, "leader1", "password-57", viewport={"width": 1920, "height": 1080}
            )
        )
    engine.dispose()


def test_the_fresh_late_dossier_the_firing_alert_and_the_overdue_task_come_first(home, artifacts):
    page, keys = home
    page.goto("/")
    items = page.locator("ol.concerns li.concern")
    # the alert fires when the server evaluates its rule after the report's batch
    expect(page.locator('li.concern[data-key^="alerts:alert:"]')).to_have_count(1, timeout=15_000)
    page.reload()
    ranked = items.evaluate_all("(els) => els.map((e) => e.dataset.key)")
    page.screenshot(path=str(artifacts / "centre-home-ranked.png"), full_page=True)
    alert = next(k for k in ranked if k.startswith("alerts:alert:"))
    fresh = [alert, keys["fresh dossier"], keys["fresh task"]]
    older = [keys["old dossier"], keys["old task"]]
    assert set(fresh + older) <= set(ranked), ranked
    assert max(ranked.index(k) for k in fresh) < min(ranked.index(k) for k in older), ranked
    assert ranked[0] == alert  # critical, and new today
    row = page.locator(f'li.concern[data-key="{keys["fresh task"]}"]')
    expect(row).to_contain_text(AGENCIES[AGENCY_B])  # whose it is
    expect(row.locator("a").first).to_have_attribute(
        "href", f"/tasks/{keys['fresh task'].rsplit(':', 1)[1]}"
    )
