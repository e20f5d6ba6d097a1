"""What the gate offers the operations centre: the records received today (``ingest.today``),
read again after each batch, for the sources in the person's scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from ioc57.core.clock import now
from ioc57.ingest.tables import sources

from ..support.backends import app_on
from ..support.http import Api
from ..support.ingest import Pusher
from ..support.offers import Published, events_of
from ..support.offers_by_name import concerns, tile
from .records import dossier


@pytest.fixture(scope="module")
def gate_app(module_db_url):
    with app_on(module_db_url) as app:
        yield app


@pytest.fixture(scope="module")
def gate_client(gate_app):
    with TestClient(gate_app, base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="module")
def api(gate_app):
    return Api(gate_app)


def test_records_received_today_move_after_a_push(gate_app, gate_client, api):
    source = Pusher(gate_client, api, {"name": "today-82", "types": ["dossier"], "units": ["82"]})
    before = tile(gate_app, "ingest.today")
    start = 0 if before is None else before["value"]
    pushed_at = now()
    published = Published(gate_app)
    source.push("dossier", [dossier(101), dossier(102), dossier(103)])
    assert events_of("ingest.today") & published.specs  # the wall reads it again
    after = tile(gate_app, "ingest.today")
    assert after["value"] == start + 3
    assert after["trend"][-1] == [after["trend"][-1][0], start + 3] and len(after["trend"]) == 30
    assert pushed_at - timedelta(seconds=1) <= after["updated_at"] <= now()
    assert after["updated_at"].utcoffset() == timedelta(0)
    assert after["simulated"] is False and after["uom"] == "count"
    source.push("dossier", [dossier(101)])  # sent again: received again
    assert tile(gate_app, "ingest.today")["value"] == start + 4


def test_an_officer_counts_only_the_sources_of_its_subtree(gate_app, gate_client, api):
    api.user("today-commune", "officer", unit="28261")
    api.user("today-other", "officer", unit="28270")
    mine = Pusher(gate_client, api, {"name": "today-28261", "types": ["dossier"], "units": ["28261"]})  # fmt: skip
    assert tile(gate_app, "ingest.today", "today-commune")["value"] == 0
    province = tile(gate_app, "ingest.today")["value"]
    mine.push("dossier", [dossier(201), dossier(202)])
    assert tile(gate_app, "ingest.today", "today-commune")["value"] == 2
    # a commune no source serves: nothing to show
    assert tile(gate_app, "ingest.today", "today-other") is None
    # the province's leaders count every source
    assert tile(gate_app, "ingest.today")["value"] == province + 2


def scheduled(name: str, units: list[str], every: int = 600) -> dict:
    """A source pulled every ``every`` seconds (the test app runs no pull scheduler)."""
    return {"name": name, "types": ["dossier"], "units": units,
            "pull_url": f"https://{name}.example.vn/hs.json", "pull_type": "dossier",
            "pull_format": "json", "pull_interval_s": every}  # fmt: skip


def made_ago(app, name: str, ago: timedelta) -> None:
    """The source was set up ``ago`` (and has sent nothing since)."""
    with app.state.engine.begin() as conn:
        conn.execute(update(sources).where(sources.c.name == name).values(created_at=now() - ago))


def test_a_scheduled_source_gone_quiet_is_a_concern_until_it_sends(gate_app, gate_client, api):
    source = Pusher(gate_client, api, scheduled("quiet-82", ["82"]))
    Pusher(gate_client, api, {"name": "pushed-82", "types": ["dossier"], "units": ["82"]})
    made_ago(gate_app, "pushed-82", timedelta(days=3))  # no schedule: never late
    assert concerns(gate_app, "ingest:quiet:") == []  # made just now: not late yet

    made_ago(gate_app, "quiet-82", timedelta(minutes=25))  # 2.5 intervals: a bit late
    (found,) = concerns(gate_app, "ingest:quiet:")
    assert found.key == "ingest:quiet:quiet-82" and found.severity == 1
    assert found.href == "/sources/quiet-82" and "82" in found.owner
    assert (
        found.args["interval"] == 10
        and isinstance(found.args["interval"], int)
        and 24 <= found.args["minutes"] <= 26
    )
    assert abs(found.since - (now() - timedelta(minutes=25))) < timedelta(seconds=5)

    made_ago(gate_app, "quiet-82", timedelta(hours=1))  # 6 intervals: quiet for long
    (found,) = concerns(gate_app, "ingest:quiet:")
    assert found.severity == 2
    shown = tile(gate_app, "ingest.sources")
    assert shown["status"] == "bad" and shown["args"]["quiet"] == 1
    assert [r["href"] for r in shown["rows"]] == ["/sources/quiet-82"]

    pushed_at = now()
    published = Published(gate_app)
    source.push("dossier", [dossier(301)])
    assert events_of(":quiet_sources") & published.specs
    assert events_of("ingest.sources") & published.specs
    assert concerns(gate_app, "ingest:quiet:") == []
    assert tile(gate_app, "ingest.sources")["rows"] == []
    # and again, when it has said nothing for 5 intervals since
    (found,) = concerns(gate_app, "ingest:quiet:", at=pushed_at + timedelta(minutes=50))
    assert found.severity == 2 and abs(found.since - pushed_at) < timedelta(seconds=2)


def test_an_officer_sees_the_quiet_sources_of_its_subtree(gate_app, gate_client, api):
    api.user("quiet-commune", "officer", unit="28261")
    api.user("quiet-elsewhere", "officer", unit="28270")
    Pusher(gate_client, api, scheduled("quiet-28261", ["28261"]))
    made_ago(gate_app, "quiet-28261", timedelta(hours=2))
    keys = [c.key for c in concerns(gate_app, "ingest:quiet:", "quiet-commune")]
    assert keys == ["ingest:quiet:quiet-28261"]
    assert concerns(gate_app, "ingest:quiet:", "quiet-elsewhere") == []
    assert "ingest:quiet:quiet-28261" in [c.key for c in concerns(gate_app, "ingest:quiet:")]
