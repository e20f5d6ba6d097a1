"""The demo's year of simulated dossiers (dữ liệu mô phỏng): through the gate from a simulated
source, enough for the index and its monthly trend, the recent ones still open; loaded once."""

from __future__ import annotations

from datetime import datetime, timedelta

import orjson
from sqlalchemy import func, select

from ioc57.core.clock import now, today
from ioc57.ingest.tables import records, sources
from ioc57.services.demo import load_simulated_services

from ..support.http import auth

OPEN = {"received", "processing", "supplement", "suspended"}


def test_a_year_of_simulated_dossiers_fills_the_index_and_its_trend_once(app, engine, client, api):
    answers = load_simulated_services(app.state.gate, today(), per_month=150)
    made = answers["dossier"]["accepted"]
    assert answers["procedure"]["rejected"] == [] and answers["procedure"]["accepted"] > 40
    assert answers["dossier"]["rejected"] == [] and made > 12 * 100
    with engine.connect() as conn:
        rows = conn.execute(
            select(records.c.data, sources.c.name, sources.c.simulated)
            .join(sources, sources.c.id == records.c.source_id)
            .where(records.c.type == "dossier")
        ).all()
    assert len(rows) == made and {(r.name, r.simulated) for r in rows} == {("mo-phong", True)}

    # the last month before this one: an index with most of its points assessable
    headers = auth(api.token("admin"))
    last = f"{today().replace(day=1) - timedelta(days=1):%Y%m}"
    index = client.get(
        "/api/v1/services/index", params={"unit": "82", "period": last}, headers=headers
    ).json()
    assert index["total"] is not None and index["assessable_max"] >= 90
    assert sum(i["assessable"] for i in index["indicators"]) >= len(index["indicators"]) - 2
    # dossiers in each of the twelve months up to it
    trend = client.get(
        "/api/v1/services/trend", params={"unit": "82", "period": last}, headers=headers
    ).json()["items"]
    assert len(trend) == 12 and all(m["dossiers"] > 50 for m in trend), trend

    # the recent ones are still open, some of them past due: the operator has work
    dossiers = [orjson.loads(r.data) for r in rows]
    still_open = [d for d in dossiers if d["status"] in OPEN]
    assert 0 < len(still_open) < len(dossiers) / 10
    assert any(datetime.fromisoformat(d["due_at"]) < now() for d in still_open)
    assert {d["status"] for d in dossiers} >= {"finished", "returned", "cancelled"}
    # and they are the province's work list, the overdue ones first
    listed = client.get(
        "/api/v1/services/dossiers", params={"unit": "82", "limit": 5}, headers=headers
    ).json()
    assert listed["total"] == len(still_open)
    assert listed["items"][0]["state"] == "overdue"

    again = load_simulated_services(app.state.gate, today(), per_month=150)
    assert [again[t]["accepted"] + again[t]["updated"] for t in again] == [0, 0]
    assert again["dossier"]["unchanged"] == made
    with engine.connect() as conn:
        query = select(func.count()).select_from(records).where(records.c.type == "dossier")
        assert conn.execute(query).scalar_one() == made
