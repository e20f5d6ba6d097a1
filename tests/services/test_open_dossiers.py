"""The open-dossier table the gate keeps equals the one rebuilt from the stored dossiers, whatever
versions arrive, in whatever order (property-based, as the rollups are in tests/ingest)."""

import itertools
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ioc57.core.clock import today
from ioc57.services.tables import open_dossiers
from ioc57.services.worklist import OPEN, rebuild
from ioc57.units.agencies import create_agency
from ioc57.units.queries import unit_at

from ..ingest.records import dossier
from ..support.ingest import ingest_local, local_gate

examples = itertools.count()
STATUSES = [
    "received",
    "supplement",
    "suspended",
    "processing",
    "finished",
    "returned",
    "cancelled",
]
PLACES = [("28261", None), ("28249", None), ("82", "STP-82"), ("28273", "STP-82")]

versions = st.fixed_dictionaries(
    {
        "n": st.integers(1, 8),
        "status": st.sampled_from(STATUSES),
        "place": st.sampled_from(PLACES),
        "due_day": st.integers(1, 28),
        "suspended_days": st.integers(0, 12),
        "supplement_requests": st.integers(0, 2),
        "version": st.integers(0, 9),
    }
)


def to_record(v, example: int) -> dict:
    unit, agency = v["place"]
    record = dossier(
        f"{example}-{v['n']}",
        unit=unit,
        received_at="2025-10-01T08:00:00+07:00",
        due_at=f"2025-11-{v['due_day']:02d}T17:00:00+07:00",
        updated_at=f"2025-11-01T{v['version']:02d}:00:00+07:00",
        status=v["status"],
        suspended_days=v["suspended_days"],
        supplement_requests=v["supplement_requests"],
    )
    if agency:
        record["agency"] = agency
    if v["status"] in ("finished", "returned"):
        record["finished_at"] = "2025-10-20T10:00:00+07:00"
    return record


@pytest.fixture
def gate_and_source(engine):
    with engine.begin() as conn:
        province = unit_at(conn, "82", date(2026, 1, 1))
        create_agency(
            conn, actor="test", parent=province, code="STP-82", name="Sở Tư pháp", today=today()
        )
    return local_gate(engine, ["dossier"])


def table(conn) -> list:
    return conn.execute(select(open_dossiers).order_by(open_dossiers.c.id)).all()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    batches=st.lists(st.lists(versions, min_size=1, max_size=10), min_size=1, max_size=5),
    replay=st.booleans(),
)
def test_incremental_equals_rebuild_after_random_status_changes(
    gate_and_source, engine, batches, replay
):
    gate, source = gate_and_source
    example = next(examples)  # the database lives across examples: each sends its own dossiers
    for batch in batches + (batches[:1] if replay else []):
        ingest_local(gate, source, "dossier", (to_record(v, example) for v in batch))
    with engine.begin() as conn:
        incremental = table(conn)
        count = rebuild(conn, batch_size=3)  # inserts between reads of the stored records
        rebuilt = table(conn)
    assert incremental == rebuilt
    assert count == len(rebuilt)
    # a dossier is listed exactly when its newest version is open (of versions sent with the
    # same time, the gate keeps whichever came last: only those with one newest are checked)
    sent = [v for batch in batches for v in batch]
    newest = {v["n"]: max(w["version"] for w in sent if w["n"] == v["n"]) for v in sent}
    last = {v["n"]: v for v in sent if v["version"] == newest[v["n"]]}
    alone = {
        n for n, t in newest.items() if sum(v["n"] == n and v["version"] == t for v in sent) == 1
    }
    prefix = f"HS-{example}-"
    listed = {
        int(r.record_id.removeprefix(prefix)) for r in rebuilt if r.record_id.startswith(prefix)
    }
    assert listed & alone == {n for n in alone if last[n]["status"] in OPEN}
