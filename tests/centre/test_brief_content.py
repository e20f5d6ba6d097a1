"""What the brief says, from real records: an overdue task (through the tasks API) is in what
needs attention, in what changed on the day it became overdue (marked new), and the tasks' key
figure is among the figures. Runs once the tasks module offers its watch and tile."""

from __future__ import annotations

import io

import pytest
from docx import Document

from ioc57.centre import registry
from ioc57.centre.brief_words import WORDS
from ioc57.core.access import Principal
from ioc57.core.clock import LOCAL_TZ, now, today
from ioc57.core.i18n import gettext

from ..support.http import Api
from ..support.tasks import Planner, past, task


def offered_by(module: str) -> tuple[bool, bool]:
    offered = registry.offered()
    watch = any(str(w.find).startswith(f"ioc57.{module}.") for w in offered.watches)
    return watch, offered.tile(f"{module}.overdue") is not None


@pytest.fixture(scope="module")
def planner(centre_app, centre_client) -> Planner:
    return Planner(centre_client, Api(centre_app))


def sections(doc) -> dict[int, str]:
    """The text of the tables and paragraphs of each numbered section (1, 2, 3)."""
    out: dict[int, list[str]] = {0: []}
    n = 0
    body = doc.element.body
    for child in body.iterchildren():
        text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
        if text[:2] in ("1.", "2.", "3.") and child.tag.endswith("}p"):
            n = int(text[0])
            out[n] = []
        out.setdefault(n, []).append(text)
    return {k: "\n".join(v) for k, v in out.items()}


def test_an_overdue_task_is_in_the_brief(centre_app, centre_client, leader, planner):
    watch, tile = offered_by("tasks")
    if not watch:
        pytest.skip("the tasks module offers no watch yet")
    planner.plan("BRIEF-57", task("BRIEF-57", "9.1", deadline=past(5)))
    who = Principal(0, "t", "leader", None, None, "cli")
    with centre_app.state.engine.connect() as conn:
        found, _ = registry.concerns(conn, who, now(), 200)
    (late,) = [c for c in found if "BRIEF-57" in c.title or "9.1" in c.title]
    day = late.since.astimezone(LOCAL_TZ).date()

    r = centre_client.get(f"/api/v1/centre/brief/{day}.docx?lang=en", headers=leader)
    assert r.status_code == 200, r.text
    text = sections(Document(io.BytesIO(r.content)))
    assert late.title in text[1]
    assert late.title in text[3] and f"({gettext('en', WORDS['new'])}" in text[1]
    if tile:
        assert gettext("en", registry.offered().tile("tasks.overdue").title) in text[2]


def test_a_figures_caption_is_filled_with_its_figures(centre_client, leader, planner):
    """The gate's tile of its sources says "live of {total}; {quiet} gone quiet"."""
    tile = registry.offered().tile("ingest.sources")
    if tile is None:
        pytest.skip("the gate offers no tile of its sources")
    planner.plan("BRIEF-58", task("BRIEF-58", "1.1"))  # a source is heard: the tile shows
    r = centre_client.get(f"/api/v1/centre/brief/{today()}.docx?lang=en", headers=leader)
    assert r.status_code == 200, r.text
    figures = sections(Document(io.BytesIO(r.content)))[2]
    assert gettext("en", tile.title) in figures
    assert "{" not in figures
