"""The traceability demo (dữ liệu mô phỏng): a durian lot of Đồng Tháp and a cashew lot of Đồng Nai
come through the gate from a simulated source, every event stored with its commune and chained,
the cashew's kernels linked to the raw cashew by a transformation, a certificate about to expire,
and a second run changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ioc57.core.clock import today
from ioc57.modules import Demo
from ioc57.traceability.demo import load_demo, read_data
from ioc57.traceability.epc import lot_uri
from ioc57.traceability.tables import certificates, chain, event_epcs, events, locations, lots
from ioc57.units.tables import units

from ..support.http import Api, auth


@pytest.fixture(scope="module")
def loaded(trace_app):
    lines: list[str] = []
    load_demo(Demo(trace_app.state.engine, trace_app.state.gate, "demo", today(), lines.append))
    return lines


def counts(conn) -> dict[str, int]:
    return {
        t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
        for t in (events, event_epcs, chain, lots, locations, certificates)
    }


def test_the_two_journeys_are_stored_simulated_in_their_communes(trace_app, loaded):
    line, _sealed = loaded
    assert "dữ liệu mô phỏng" in line and "11 events through the gate" in line
    assert "0 records rejected" in line
    assert "/01/08935057000012/10/SR-RI6-01" in line and "/01/08935057000036/10/WW320-01" in line
    with trace_app.state.engine.connect() as conn:
        stored = conn.execute(
            select(events.c.biz_step, events.c.simulated, units.c.province_code)
            .join(units, units.c.id == events.c.unit_id)
            .order_by(events.c.event_time)
        ).all()
        assert len(stored) == 11 and all(simulated for _step, simulated, _p in stored)
        # cashew in Đồng Nai, durian in Đồng Tháp, both received at the port of Cát Lái (79)
        assert [p for _s, _sim, p in stored] == ["75"] * 5 + ["79"] + ["82"] * 4 + ["79"]
        assert [s for s, _sim, _p in stored][6:] == [
            "commissioning",
            "packing",
            "inspecting",
            "shipping",
            "receiving",
        ]
        # one chain row an event; the lots simulated
        assert counts(conn)["trace_chain"] == 11
        not_simulated = select(func.count()).select_from(lots).where(lots.c.simulated.is_(False))
        assert conn.execute(not_simulated).scalar_one() == 0


def test_the_kernels_come_from_the_raw_cashew_by_a_transformation(trace_app, loaded):
    data = {item["key"]: item for item in read_data()["lot"]}
    raw = lot_uri(data["raw_cashew"]["gtin"], data["raw_cashew"]["lot"])
    kernels = lot_uri(data["kernels"]["gtin"], data["kernels"]["lot"])
    out = event_epcs.alias("out")
    query = (
        select(event_epcs.c.epc, events.c.type)
        .join(events, events.c.id == event_epcs.c.event_pk)
        .join(out, out.c.event_pk == event_epcs.c.event_pk)
        .where(out.c.epc == kernels, out.c.role == "output_class")
        .where(event_epcs.c.role == "input_class")
    )
    with trace_app.state.engine.connect() as conn:
        assert conn.execute(query).all() == [(raw, "TransformationEvent")]


def test_the_iocs_view_shows_the_lots_traced_and_the_certificates_due(
    trace_app, trace_client, loaded
):
    headers = auth(Api(trace_app).token("admin"))

    def summary(province: str) -> dict:
        params = {"unit": province}
        r = trace_client.get("/api/v1/traceability/summary", params=params, headers=headers)
        assert r.status_code == 200, r.text
        return r.json()

    dong_thap, dong_nai = summary("82"), summary("75")
    assert dong_thap["simulated"] is True and dong_nai["simulated"] is True
    assert (dong_thap["totals"]["lots_traced"], dong_nai["totals"]["lots_traced"]) == (1, 2)
    # the garden's VietGAP ends within 60 days; one of the plant's certificates has ended
    expiring = [(c["scheme"], c["simulated"]) for c in dong_thap["certificates"]["expiring"]]
    assert expiring == [("VietGAP", True)] and dong_thap["certificates"]["expired"] == []
    assert [c["scheme"] for c in dong_nai["certificates"]["expired"]] == ["HACCP"]
    assert dong_nai["certificates"]["expiring"] == []


def test_a_second_run_changes_nothing(trace_app, loaded):
    engine = trace_app.state.engine
    with engine.connect() as conn:
        before = counts(conn)
    lines: list[str] = []
    load_demo(Demo(engine, trace_app.state.gate, "demo", today(), lines.append))
    assert "0 events through the gate, 11 already loaded" in lines[0]
    with engine.connect() as conn:
        assert counts(conn) == before


def test_the_demo_seals_its_log_where_a_key_can_be_kept(trace_app, loaded):
    from ioc57.traceability.tables import checkpoints
    from ioc57.traceability.verify import verify

    engine = trace_app.state.engine
    with engine.connect() as conn:
        sealed = conn.execute(select(func.max(checkpoints.c.last_seq))).scalar()
        chained = conn.execute(select(func.count()).select_from(chain)).scalar_one()
    if engine.dialect.name == "sqlite":  # the key beside the database file
        assert "the log sealed in 1 new checkpoint(s)" in loaded[1]
        assert sealed is not None and sealed >= 11
    else:  # PostgreSQL without IOC57_TRACE_KEY_FILE: said, not hidden
        assert "the log is not sealed" in loaded[1]
    assert chained >= 11
    assert verify(engine).ok
