"""Rollups: a record counts in its unit and every unit above it; a change moves its contribution;
rebuilding from the records gives exactly what the incremental updates gave (property-based).
"""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ioc57.ingest.rollups import read_rollups, rebuild
from ioc57.units.tables import units

from ..support.ingest import ingest_local, local_gate
from .records import dossier, finished, reading


def cells(engine, metric):
    """{(unit code, day, dims): (count, sum)} for one metric."""
    with engine.connect() as conn:
        code = dict(conn.execute(select(units.c.id, units.c.code)).all())
        return {
            (code[k[1]], k[2], k[3]): v for k, v in read_rollups(conn).items() if k[0] == metric
        }


def test_a_record_counts_in_its_commune_and_its_province(dvc, engine):
    dvc.push("dossier", [finished(1), dossier(2, channel="direct")])
    received = cells(engine, "dossier.received")
    assert received == {
        ("28261", date(2025, 9, 1), "channel=online"): (1, 0.0),
        ("82", date(2025, 9, 1), "channel=online"): (1, 0.0),
        ("28261", date(2025, 9, 1), "channel=direct"): (1, 0.0),
        ("82", date(2025, 9, 1), "channel=direct"): (1, 0.0),
    }
    # received Monday 2025-09-01, finished 2025-09-09: 5 working days (2 September is National Day)
    assert cells(engine, "dossier.finished")[("82", date(2025, 9, 9), "on_time=yes")] == (1, 5.0)


def test_a_dossier_asked_twice_for_papers_is_late(dvc, engine):
    dvc.push("dossier", [finished(1, supplement_requests=2)])
    assert set(cells(engine, "dossier.finished")) == {
        ("28261", date(2025, 9, 9), "on_time=no"),
        ("82", date(2025, 9, 9), "on_time=no"),
    }


def test_suspended_working_days_extend_the_promised_date(dvc, engine):
    # due Wednesday 2025-09-10; 2 working days suspended move it to Friday 2025-09-12
    dvc.push("dossier", [finished(1, finished_at="2025-09-12T10:00:00+07:00", suspended_days=2)])
    assert ("82", date(2025, 9, 12), "on_time=yes") in cells(engine, "dossier.finished")


def test_a_legacy_record_rolls_up_along_the_legacy_units(dvc, engine):
    # 28261 was Phường 1 of Thành phố Mỹ Tho (815), Tỉnh Tiền Giang (82) in 2024
    dvc.push(
        "dossier",
        [
            dossier(
                1,
                received_at="2024-05-02T08:00:00+07:00",
                due_at="2024-05-10T08:00:00+07:00",
                updated_at="2024-05-02T08:00:00+07:00",
            )
        ],
    )
    with engine.connect() as conn:
        rows = read_rollups(conn)
        units_of = {r.id: (r.code, r.valid_to) for r in conn.execute(select(units))}
    touched = {units_of[k[1]] for k in rows if k[0] == "dossier.received"}
    assert touched == {
        ("28261", date(2025, 7, 1)),
        ("815", date(2025, 7, 1)),
        ("82", date(2025, 7, 1)),
    }


def test_an_update_moves_the_contribution_and_leaves_no_empty_rows(dvc, engine):
    dvc.push("dossier", [dossier(1)])
    dvc.push("dossier", [dossier(1, unit="28249", updated_at="2025-09-02T00:00:00+07:00")])
    received = cells(engine, "dossier.received")
    assert received == {
        ("28249", date(2025, 9, 1), "channel=online"): (1, 0.0),
        ("82", date(2025, 9, 1), "channel=online"): (1, 0.0),
    }


def test_readings_sum_their_values(everything, engine):
    everything.push("reading", [reading(1, value=2.0), reading(2, value=3.5)])
    assert cells(engine, "reading.salinity")[("82", date(2025, 3, 1), "station=MT-01")] == (2, 5.5)


# -- property: incremental == rebuild --------------------------------------------------------

COMMUNES = ["28261", "28249", "28273"]  # codes that name a commune before and after 2025-07-01

dossier_versions = st.fixed_dictionaries(
    {
        "n": st.integers(1, 6),
        "unit": st.sampled_from(COMMUNES),
        "channel": st.sampled_from(["online", "direct", "postal"]),
        "day": st.integers(1, 20),
        "finished": st.booleans(),
        "late_by": st.integers(-3, 3),
        "supplement_requests": st.integers(0, 2),
        "flags": st.sets(
            st.sampled_from(["digitized", "paid_online", "complaint", "result_electronic"])
        ),
        "version": st.integers(0, 5),
        "legacy": st.booleans(),
    }
)


def to_record(v) -> dict:
    year = 2024 if v["legacy"] else 2025
    record = dossier(
        v["n"],
        unit=v["unit"],
        channel=v["channel"],
        received_at=f"{year}-10-{v['day']:02d}T08:00:00+07:00",
        due_at=f"{year}-10-{v['day'] + 5:02d}T17:00:00+07:00",
        updated_at=f"2025-11-01T{v['version']:02d}:00:00+07:00",
        supplement_requests=v["supplement_requests"],
    )
    record["id"] = f"HS-{year}-{v['n']}"
    for flag in v["flags"]:
        record[flag] = True
    if v["finished"]:
        record["status"] = "finished"
        record["finished_at"] = f"{year}-10-{v['day'] + 5 + v['late_by']:02d}T10:00:00+07:00"
    return record


@pytest.fixture
def gate_and_source(engine):
    return local_gate(engine, ["dossier", "reading"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    batches=st.lists(st.lists(dossier_versions, min_size=1, max_size=8), min_size=1, max_size=5),
    replay=st.booleans(),
)
def test_rebuild_equals_incremental_after_random_inserts_updates_and_replays(
    gate_and_source, engine, batches, replay
):
    gate, source = gate_and_source
    for batch in batches + (batches[:1] if replay else []):
        result = ingest_local(gate, source, "dossier", (to_record(v) for v in batch))
        assert (
            result.submitted
            == result.accepted
            + result.updated
            + result.unchanged
            + result.stale
            + result.rejected_count
        )
    with engine.begin() as conn:
        incremental = read_rollups(conn)
        rebuild(conn, gate.cache)
        rebuilt = read_rollups(conn)
    assert incremental == rebuilt
