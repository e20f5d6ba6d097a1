"""A national deployment: ``ioc57 init --partition-by-province`` partitions the fact tables by
province on PostgreSQL, keeps what they hold, reads one partition for a province, and moves a
record sent again for a unit of another province."""

from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import func, select, text

from ioc57.bootstrap import init_database
from ioc57.core.db import make_engine
from ioc57.core.partitions import fact_tables, partitioned_tables
from ioc57.ingest.rollups import read_rollups, rebuild
from ioc57.ingest.tables import records, rollups
from ioc57.units.agencies import create_agency
from ioc57.units.queries import of_units, unit_at

from ..ingest.records import dossier, finished
from ..support import pg
from ..support.backends import BACKENDS
from ..support.http import ADMIN_PASSWORD
from ..support.ingest import ingest_local, local_gate
from ..support.servers import run_ioc57

pytestmark = pytest.mark.skipif(
    not {"postgresql", "partitioned"} & set(BACKENDS), reason="PostgreSQL not tested"
)

FACTS = {t.name for t in fact_tables()}


@pytest.fixture
def fresh_url(pg_admin_url, request):
    name = f"ioc57_part{os.getpid()}_{request.node.name[:30].lower()}"
    pg.drop_database(pg_admin_url, name)
    yield pg.create_database(pg_admin_url, name)
    pg.drop_database(pg_admin_url, name)


@pytest.fixture
def partitioned(fresh_url):
    """An engine on a database made with ``init --partition-by-province``."""
    engine = make_engine(fresh_url)
    init_database(engine, admin_password=ADMIN_PASSWORD, by_province=True)
    yield engine
    engine.dispose()


def _assert_rebuild_gives_the_same(conn, gate) -> None:
    """The rollups the gate kept equal those computed afresh from the records."""
    kept = read_rollups(conn)
    rebuild(conn, gate.cache)
    assert read_rollups(conn) == kept


def _partitions(conn, table: str) -> dict[str, str]:
    """Each partition of ``table`` and the bound it holds."""
    rows = conn.execute(
        text(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
            " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = CAST(:t AS regclass)"
        ),
        {"t": table},
    )
    return dict(rows.all())


def test_init_partitions_every_fact_table_by_province(fresh_url, tmp_path):
    done = run_ioc57(tmp_path, "init", "--partition-by-province", url=fresh_url)
    assert done.returncode == 0, done.stderr
    assert "partitioned by province: " in done.stdout
    engine = make_engine(fresh_url)
    with engine.connect() as conn:
        assert partitioned_tables(conn) == FACTS
        assert {"records", "rollups", "indicator_values", "indicator_rollups"} <= FACTS
        parts = _partitions(conn, "records")
        assert len(parts) == 35  # the 34 provinces in force and a default
        assert parts["records_pother"] == "DEFAULT"
        # the merged Đồng Tháp (82) holds Tiền Giang's code (82) and the former Đồng Tháp's (87)
        assert parts["records_p82"] == "FOR VALUES IN ('82', '87')"
        assert parts["records_p01"] == "FOR VALUES IN ('01')"
        keys = dict(
            conn.execute(
                text(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                    " WHERE conrelid = 'records'::regclass AND contype IN ('p', 'u')"
                )
            ).all()
        )
        assert keys == {
            "pk_records": "PRIMARY KEY (id, province_code)",
            "uq_records_key": "UNIQUE (source_id, type, record_id, province_code)",
        }
        pointing = conn.execute(
            text(
                "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
                " AND confrelid::regclass::text = ANY(:facts)"
            ),
            {"facts": sorted(FACTS)},
        ).scalar()
        assert pointing == 0
    engine.dispose()
    again = run_ioc57(tmp_path, "init", url=fresh_url)  # nothing left to partition
    assert again.returncode == 0, again.stderr
    assert "partitioned by province" not in again.stdout


def test_partitioning_keeps_what_the_tables_hold(fresh_url):
    engine = make_engine(fresh_url)
    init_database(engine, admin_password=ADMIN_PASSWORD)
    gate, source = local_gate(engine, ["dossier"])
    ingest_local(gate, source, "dossier", [dossier(n) for n in range(20)])
    ingest_local(gate, source, "dossier", [finished(n) for n in range(0, 20, 3)])
    with engine.connect() as conn:
        before = read_rollups(conn), conn.execute(select(records)).all()
    result = init_database(engine, by_province=True)
    assert set(result.partitioned) == FACTS
    with engine.connect() as conn:
        assert read_rollups(conn) == before[0]
        assert sorted(conn.execute(select(records)).all()) == sorted(before[1])
        counts = conn.execute(text("SELECT count(*) FROM records_p82")).scalar()
        assert counts == 20
    # the gate goes on where it was: ids keep counting, rollups keep adding up
    ingest_local(gate, source, "dossier", [dossier(n) for n in range(20, 25)])
    with engine.begin() as conn:
        ids = conn.execute(select(records.c.id).order_by(records.c.id)).scalars().all()
        assert ids == list(range(1, 26))
        _assert_rebuild_gives_the_same(conn, gate)
    engine.dispose()


def test_a_record_sent_for_another_province_moves_to_its_partition(partitioned):
    engine = partitioned
    with engine.begin() as conn:
        hanoi = conn.execute(
            text(
                "SELECT code FROM units WHERE level = 'commune' AND province_code = '01'"
                " AND valid_to IS NULL ORDER BY code LIMIT 1"
            )
        ).scalar()
    gate, source = local_gate(engine, ["dossier"], units=("82", "01"))
    ingest_local(gate, source, "dossier", [dossier(1)])
    ingest_local(
        gate, source, "dossier", [dossier(1, unit=hanoi, updated_at="2025-09-02T08:00:00+07:00")]
    )
    with engine.begin() as conn:
        assert conn.execute(select(func.count()).select_from(records)).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM records_p01")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM records_p82")).scalar() == 0
        by_province = dict(
            conn.execute(
                select(rollups.c.province_code, func.sum(rollups.c.count))
                .where(rollups.c.metric == "dossier.received")
                .group_by(rollups.c.province_code)
            ).all()
        )
        assert by_province == {"01": 2}  # the commune and the province of Hà Nội, none left in 82
        _assert_rebuild_gives_the_same(conn, gate)


def test_a_province_s_read_scans_its_partition_only(partitioned):
    with partitioned.connect() as conn:
        province = unit_at(conn, "82", date(2026, 1, 1))
        query = select(rollups).where(of_units(conn, rollups, [province.id]))
        compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
        plan = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {compiled}"))
    assert "rollups_p82" in plan
    assert "rollups_p01" not in plan and "rollups_pother" not in plan


def test_sqlite_cannot_be_partitioned(tmp_path):
    done = run_ioc57(tmp_path, "init", "--partition-by-province", url=f"sqlite:///{tmp_path}/x.db")
    assert done.returncode == 2
    assert "--partition-by-province needs PostgreSQL" in done.stderr
    assert not (tmp_path / "x.db").exists()


def test_a_unit_s_rollups_are_kept_in_its_own_province(partitioned):
    """A dossier of a commune of 82 handled by an agency of 01 counts in the agency under 01
    (its partition, where a read of the agency looks), in the commune and province under 82."""
    day = date(2026, 1, 1)
    with partitioned.begin() as conn:
        create_agency(
            conn, actor="test", parent=unit_at(conn, "01", day), code="SO-KHCN-HN",
            name="Sở Khoa học và Công nghệ Hà Nội", today=day,
        )  # fmt: skip
        agency = unit_at(conn, "SO-KHCN-HN", day)
    gate, source = local_gate(partitioned, ["dossier"], units=("82", "01"))
    ingest_local(gate, source, "dossier", [dossier(1, agency=agency.code)])
    with partitioned.begin() as conn:
        cells = conn.execute(
            select(rollups.c.unit_id, rollups.c.province_code)
            .where(rollups.c.metric == "dossier.received")
            .distinct()
        ).all()
        assert (agency.id, "01") in cells
        assert {p for u, p in cells if u != agency.id} == {"82"}
        assert len(cells) >= 3  # the agency, the commune, the province
        _assert_rebuild_gives_the_same(conn, gate)
