"""The index read from the rollups the gate kept incrementally, through random dossiers moving
through their statuses (received, supplement, suspended, processing, finished, returned,
cancelled), equals the index read after the rollups are rebuilt from the stored records
(property-based)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ioc57.core.periods import parse_period
from ioc57.ingest.rollups import rebuild
from ioc57.services.index import index_of, target

from ..ingest.records import dossier, procedure
from ..support.ingest import ingest_local, local_gate

STATUSES = [
    "received",
    "supplement",
    "suspended",
    "processing",
    "finished",
    "returned",
    "cancelled",
]
TODAY = date(2026, 1, 1)

moves = st.fixed_dictionaries(
    {
        "n": st.integers(1, 5),
        "unit": st.sampled_from(["28261", "28249"]),
        "procedure": st.sampled_from(["1.001", "1.002"]),
        "channel": st.sampled_from(["online", "direct"]),
        "status": st.sampled_from(STATUSES),
        "finish_day": st.integers(2, 25),
        "suspended_days": st.integers(0, 3),
        "supplement_requests": st.integers(0, 2),
        "flags": st.sets(st.sampled_from(["paid_online", "synced_national", "complaint"])),
    }
)


def to_record(step: int, move: dict) -> dict:
    record = dossier(
        move["n"],
        unit=move["unit"],
        procedure=move["procedure"],
        channel=move["channel"],
        status=move["status"],
        suspended_days=move["suspended_days"],
        supplement_requests=move["supplement_requests"],
        updated_at=f"2025-10-01T{step % 24:02d}:{step // 24:02d}:00+07:00",
        **dict.fromkeys(move["flags"], True),
    )
    if move["status"] in ("finished", "returned"):
        record["finished_at"] = f"2025-09-{move['finish_day']:02d}T10:00:00+07:00"
    return record


@pytest.fixture
def gate_and_source(engine):
    gate, source = local_gate(engine, ["dossier", "procedure"])
    procedures = [procedure(1, level="commune"), procedure(2, fee=False, online="partial")]
    ingest_local(gate, source, "procedure", procedures)
    return gate, source


def indexes(conn) -> list[dict]:
    return [
        index_of(conn, target(conn, code, TODAY), parse_period(period), TODAY)
        for code in ("82", "28261", "28249")
        for period in ("202509", "2025Q3")
    ]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(moves, min_size=1, max_size=25))
def test_the_index_after_status_changes_equals_the_index_after_a_rebuild(
    gate_and_source, engine, steps
):
    gate, source = gate_and_source
    for step, move in enumerate(steps):
        ingest_local(gate, source, "dossier", [to_record(step, move)])
    with engine.begin() as conn:
        incremental = indexes(conn)
        rebuild(conn, gate.cache)
        rebuilt = indexes(conn)
    assert incremental == rebuilt
