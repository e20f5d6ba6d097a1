"""What the gate offers the operations centre: the records received today (``ingest.today``),
read again after each batch, for the sources in the person's scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from ioc57.core.clock import now

from ..support.backends import app_on
from ..support.http import Api
from ..support.ingest import Pusher
from ..support.offers import tile
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
    source.push("dossier", [dossier(101), dossier(102), dossier(103)])
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
