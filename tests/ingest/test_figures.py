"""The gate's figure for alert rules (``ingest.source_records``): per source, the records it sent
in the last day and the time of its last batch, so that a "no data" rule sees a source go quiet."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from ioc57.core import figures
from ioc57.core.clock import now
from ioc57.ingest.figures import first_batch_since

from ..support.alerts import evaluate
from ..support.backends import app_on
from ..support.http import Api, auth
from ..support.ingest import Pusher
from .records import dossier


@pytest.fixture(scope="module")
def gate_app(module_db_url):
    with app_on(module_db_url) as app:
        yield app


@pytest.fixture(scope="module")
def gate_client(gate_app):
    with TestClient(gate_app, base_url="http://testserver") as client:
        yield client


def samples(app, **params) -> dict[str, figures.Sample]:
    with app.state.engine.connect() as conn:
        found = figures.samples(conn, "ingest.source_records", params)
    return {s.labels["source"]: s for s in found}


def test_a_source_counts_its_records_of_the_day_at_its_last_batch(gate_app, gate_client):
    api = Api(gate_app)
    busy = Pusher(gate_client, api, {"name": "fig-busy", "types": ["dossier"], "units": ["82"]})
    Pusher(gate_client, api, {"name": "fig-quiet", "types": ["dossier"], "units": ["82"]})
    before = now()
    busy.push("dossier", [dossier(1), dossier(2)])
    busy.push("dossier", [dossier(3), dossier(1)])  # a record sent again still counts as sent
    after = now()

    found = samples(gate_app)
    assert found["fig-busy"].value == 4
    assert before - timedelta(seconds=1) <= found["fig-busy"].at <= after + timedelta(seconds=1)
    assert found["fig-busy"].unit_id is None and found["fig-busy"].threshold is None
    # a source that never sent: nothing counted, quiet since it was made
    assert found["fig-quiet"].value == 0
    assert found["fig-quiet"].at <= found["fig-busy"].at

    only = samples(gate_app, source="fig-busy")
    assert list(only) == ["fig-busy"] and only["fig-busy"].value == 4


def test_the_days_batches_are_found_by_their_ids(gate_app, gate_client):
    api = Api(gate_app)
    source = Pusher(gate_client, api, {"name": "fig-ids", "types": ["dossier"], "units": ["82"]})
    first = source.push("dossier", [dossier(11)])["batch"]
    between = now()
    second = source.push("dossier", [dossier(12)])["batch"]
    with gate_app.state.engine.connect() as conn:
        assert first_batch_since(conn, between) == second
        assert first_batch_since(conn, between - timedelta(days=1)) <= first
        assert first_batch_since(conn, now() + timedelta(hours=1)) == second + 1  # none since


def test_a_rule_sees_a_source_gone_quiet_for_an_hour(gate_app, gate_client):
    api = Api(gate_app)
    Pusher(gate_client, api, {"name": "fig-silent", "types": ["dossier"], "units": ["82"]})
    rule = {"name": "fig-source-quiet", "title": "Nguồn im lặng", "kind": "nodata",
            "figure": "ingest.source_records", "params": {"source": "fig-silent"},
            "nodata_after": "1h"}  # fmt: skip
    r = gate_client.post("/api/v1/alert-rules", json=rule, headers=auth(api.token("admin")))
    assert r.status_code == 201, r.text
    assert evaluate(gate_app, "fig-source-quiet", now() + timedelta(minutes=30)) == []
    [change] = evaluate(gate_app, "fig-source-quiet", now() + timedelta(minutes=61))
    assert change.to_state.value == "firing" and change.labels["source"] == "fig-silent"


def test_a_disabled_source_is_not_watched(gate_app, gate_client):
    api = Api(gate_app)
    Pusher(gate_client, api, {"name": "fig-stopped", "types": ["dossier"], "units": ["82"]})
    assert "fig-stopped" in samples(gate_app)
    r = gate_client.patch(
        "/api/v1/sources/fig-stopped", json={"disabled": True}, headers=auth(api.token("admin"))
    )
    assert r.status_code == 200, r.text
    assert "fig-stopped" not in samples(gate_app)


def test_the_figure_is_offered_by_the_gates_manifest():
    offered = figures.figure("ingest.source_records")
    assert offered is not None and offered.uom == "count"
    assert "source" in offered.params and offered.required == ()
