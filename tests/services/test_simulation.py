"""The simulated province's procedures and dossiers (dữ liệu mô phỏng) look like a real province's:
dossiers as often online as in Tiền Giang, most finished well before they are due and a long tail
late, papers asked for (twice at times), suspensions; and the gate accepts every record."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import orjson
from sqlalchemy import select

from ioc57.core.clock import now
from ioc57.core.workdays import working_days_between
from ioc57.ingest import simulation
from ioc57.ingest.simulation import Record
from ioc57.ingest.simulator import Simulator
from ioc57.ingest.tables import records
from ioc57.services.catalogue import PROCEDURES
from ioc57.services.dossier import on_time
from ioc57.services.simulation import ONLINE_SHARE

from ..support.http import auth
from ..support.simulation import offline

SPAN = timedelta(days=60)
PROMISED = {p.code: p.days for p in PROCEDURES}


def run_span(simulator: Simulator, ticks: int, per_tick: int) -> list[tuple[str, list[Record]]]:
    """The batches of ``ticks`` ticks spread over the last ``SPAN`` (each ``per_tick`` records,
    through the driver), then the steps that take every dossier still open to its end."""
    start = now() - SPAN
    sent = [(kind, generator.start(start)) for kind, generator in simulator.generators.items()]
    sent = [(kind, batch) for kind, batch in sent if batch]
    for tick in range(ticks):
        at = now() - SPAN + SPAN * tick / ticks
        sent += list(simulator.batch(per_tick, at).items())
    dossiers, ends = simulator.generators["dossier"], []
    while dossiers.open:
        ends += [r for key in list(dossiers.open) if (r := dossiers.step(key, now()))]
    return sent + [("dossier", ends[i : i + 500]) for i in range(0, len(ends), 500)]


def last_versions(sent: list[tuple[str, list[Record]]], kind: str) -> list[Record]:
    latest = {}
    for record_type, batch in sent:
        if record_type == kind:
            latest.update((r["id"], r) for r in batch)
    return list(latest.values())


def local(iso: str) -> date:
    return datetime.fromisoformat(iso).date()


def test_dossiers_are_online_about_as_often_as_in_tien_giang_and_some_are_late():
    sent = run_span(offline(["dossier"]), ticks=200, per_tick=40)
    dossiers = last_versions(sent, "dossier")
    assert len(dossiers) > 3000
    online = sum(d["channel"] == "online" for d in dossiers) / len(dossiers)
    assert abs(online - ONLINE_SHARE) < 0.03
    ends = Counter(d["status"] for d in dossiers)
    assert set(ends) == {"finished", "returned", "cancelled"}  # every one followed to its end
    assert 0.01 < (ends["returned"] + ends["cancelled"]) / len(dossiers) < 0.1

    finished = [d for d in dossiers if d["status"] == "finished"]
    late = [d for d in finished if not on_time(d)]
    assert 0.04 < len(late) / len(finished) < 0.12
    twice = [d for d in finished if d["supplement_requests"] >= 2]
    assert twice and all(d in late for d in twice)
    assert any(d["supplement_requests"] == 1 and d not in late for d in finished)
    assert 0.02 < sum(d["suspended_days"] > 0 for d in dossiers) / len(dossiers) < 0.3

    # the working days taken, over the promised: most well within, a long tail over
    taken = sorted(
        (
            working_days_between(local(d["received_at"]), local(d["finished_at"]))
            - d["suspended_days"]
        )
        / PROMISED[d["procedure"]]
        for d in finished
        if PROMISED[d["procedure"]] >= 5
    )
    assert taken[len(taken) // 2] < 0.8 and taken[int(len(taken) * 0.99)] > 1.3
    for d in dossiers:
        assert d["received_at"] <= d.get("finished_at", d["received_at"]) <= d["updated_at"]
        assert d["received_at"] < d["due_at"]


def test_the_catalogue_has_commune_and_province_procedures_some_published_late():
    simulator = offline(["procedure"])
    procedures = simulator.generators["procedure"].start(now())
    assert 40 <= len(procedures) <= 60 and len({p["id"] for p in procedures}) == len(procedures)
    assert {p["level"] for p in procedures} == {"commune", "province"}
    assert {p["online"] for p in procedures} == {"full", "partial", "none"}
    fee = [p for p in procedures if p["fee"]]
    assert (
        fee and any(p["payment_online"] for p in fee) and not all(p["payment_online"] for p in fee)
    )
    assert not any(p["payment_online"] for p in procedures if not p["fee"])
    assert 0 < sum(p["population_db"] for p in procedures) < len(procedures)
    assert all(p["agency"] == "000.00.01.H57" for p in procedures if p["level"] == "province")
    assert not any("agency" in p for p in procedures if p["level"] == "commune")

    def on_time(published: str | None, effective: str) -> bool:
        return (
            published is not None
            and working_days_between(date.fromisoformat(published), date.fromisoformat(effective))
            >= 5
        )

    timely = [on_time(p["published_date"], p["effective_date"]) for p in procedures]
    assert 0.6 < sum(timely) / len(timely) < 1
    changes = [c for p in procedures for c in p["changes"]]
    assert changes and any(
        working_days_between(
            date.fromisoformat(c["changed_date"]), date.fromisoformat(c["published_date"])
        )
        > 5
        for c in changes
    )
    assert sum(p["full_content"] for p in procedures) > 0.8 * len(procedures)
    again = offline(["procedure"]).generators["procedure"].start(now())
    assert [p | {"updated_at": ""} for p in again] == [p | {"updated_at": ""} for p in procedures]


def test_a_forgotten_dossier_takes_its_life_with_it(monkeypatch):
    monkeypatch.setattr(simulation, "MAX_OPEN", 10)
    dossiers = offline(["dossier"]).generators["dossier"]
    for _ in range(30):
        dossiers.new(now())
    assert set(dossiers.lives) == set(dossiers.open) and len(dossiers.open) == 10


def test_the_gate_accepts_every_simulated_procedure_and_dossier(client, api, engine):
    admin = auth(api.token("admin"))
    agency = {"code": "STP-82", "name": "Sở Tư pháp", "parent": "82", "type": "sở"}
    assert client.post("/api/v1/units", json=agency, headers=admin).status_code == 201
    spec = {
        "name": "mo-phong",
        "types": ["procedure", "dossier"],
        "units": ["82"],
        "simulated": True,
    }
    token = client.post("/api/v1/sources", json=spec, headers=admin).json()["token"]
    client.headers["Authorization"] = f"Bearer {token}"
    simulator = Simulator(client, "82", ["procedure", "dossier"], rate=100, seed=57, pace=0)
    simulator.load_units()
    assert simulator.world.agencies == ["STP-82"]
    for record_type, batch in run_span(simulator, ticks=30, per_tick=40):
        simulator.send(record_type, batch)
    stats = simulator.stats
    assert stats.counts["rejected"] == 0, stats.first_rejections
    assert stats.counts["accepted"] + stats.counts["updated"] == sum(stats.sent.values())
    assert stats.counts["unchanged"] == stats.counts["stale"] == 0

    with engine.connect() as conn:
        stored = [
            (r.type, orjson.loads(r.data))
            for r in conn.execute(select(records.c.type, records.c.data))
        ]
    assert sum(t == "procedure" for t, _ in stored) == len(PROCEDURES)
    dossiers = [d for t, d in stored if t == "dossier"]
    assert len(dossiers) > 500
    assert {"finished", "returned", "cancelled"} == {d["status"] for d in dossiers}
    assert {d["agency"] for d in dossiers if d["unit"] == "82"} == {"STP-82"}
