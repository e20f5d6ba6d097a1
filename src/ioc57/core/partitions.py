"""A national deployment on PostgreSQL: the fact tables partitioned by ``province_code``.

A module marks a fact table with ``info=BY_PROVINCE`` (``Table(..., info=BY_PROVINCE)``). After the
migrations, ``partition_by_province`` turns each marked table into a table declaratively
partitioned by list on ``province_code``: one partition for each province in force
(``<table>_p<code>``), which also holds the codes of the provinces merged into it in 2025 (their
history is read with it), and a default one (``<table>_pother``) for any other code. Its rows, columns, defaults and sequences, indexes, constraints and the
foreign keys it holds to plain tables are kept under their names; its primary key and unique
constraints gain ``province_code`` (PostgreSQL, like Citus for a distributed table, enforces
uniqueness only on keys that hold the partition column). So a query that names a province reads
one partition, and Citus can distribute the same tables by the same column
(``create_distributed_table('records', 'province_code')``) without a change of schema.

What changes with it, said where it is relied on:

- A key is unique within a province: the gate finds a record by its key in every province (it
  looks a chunk's keys up before writing), so a record sent again for a unit of another province
  is the same record, moved to that province's partition.
- Foreign keys that point *at* a fact table are dropped (PostgreSQL can only reference a
  partitioned table's whole key): the rows that referred to a fact are written by the code that
  writes the fact, in its transaction.
- An upsert names its constraint (``ON CONFLICT ON CONSTRAINT pk_rollups``), which is the same
  name partitioned or not.

It runs again safely: a table already partitioned is left as it is; a fact table added by a later
migration is partitioned by the next ``ioc57 init`` (which does it on a database that already has
a partitioned table, with or without ``--partition-by-province``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection

from ioc57.core.db import metadata

PARTITION_COLUMN = "province_code"
BY_PROVINCE = {"partition_by": PARTITION_COLUMN}


def fact_tables() -> list[Table]:
    """The tables marked as facts, in the order of their dependencies."""
    return [t for t in metadata.sorted_tables if t.info.get("partition_by") == PARTITION_COLUMN]


def partitioned_tables(conn: Connection) -> set[str]:
    """The names of the partitioned tables in the database (none on SQLite)."""
    if conn.dialect.name != "postgresql":
        return set()
    rows = conn.execute(
        text(
            "SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
        )
    )
    return {r[0] for r in rows}


def provinces(conn: Connection) -> dict[str, list[str]]:
    """Per province in force, the codes its partition holds: its own and those of the provinces
    merged into it (``08``: ``02``, ``08``), so that its history reads the same partition."""
    rows = conn.execute(
        text(
            "SELECT DISTINCT province_code, province_code FROM units"
            " WHERE level = 'province' AND valid_to IS NULL"
            " UNION SELECT s.province_code, p.province_code FROM unit_successions us"
            " JOIN units p ON p.id = us.predecessor_id AND p.level = 'province'"
            " JOIN units s ON s.id = us.successor_id AND s.level = 'province'"
            " AND s.valid_to IS NULL ORDER BY 1, 2"
        )
    )
    out: dict[str, list[str]] = {}
    placed: set[str] = set()
    for province, code in rows:
        if code not in placed:  # a code in one partition only
            placed.add(code)
            out.setdefault(province, []).append(code)
    return out


@dataclass(frozen=True)
class Shape:
    """What a plain table holds besides its columns: constraints and indexes, as SQL."""

    keys: list[tuple[str, str, list[str]]]  # (name, PRIMARY KEY or UNIQUE, columns)
    foreign_keys: list[tuple[str, str]]  # (name, definition): those it holds to plain tables
    indexes: list[str]  # CREATE INDEX statements
    sequences: list[tuple[str, str]]  # (sequence, column) owned by the table


def _shape(conn: Connection, table: str, facts: set[str]) -> Shape:
    keys: list[tuple[str, str, list[str]]] = []
    foreign_keys: list[tuple[str, str]] = []
    constraints = conn.execute(
        text(
            "SELECT c.conname, c.contype, c.confrelid::regclass::text,"
            " pg_get_constraintdef(c.oid),"
            " ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)"
            "       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n"
            "       ORDER BY k.i)"
            " FROM pg_constraint c WHERE c.conrelid = CAST(:t AS regclass) ORDER BY c.conname"
        ),
        {"t": table},
    )
    for name, kind, referred, definition, columns in constraints:
        if kind in ("p", "u"):
            keys.append((name, "PRIMARY KEY" if kind == "p" else "UNIQUE", list(columns)))
        elif kind == "f" and referred not in facts:
            foreign_keys.append((name, definition))
    indexes = [
        r[0]
        for r in conn.execute(
            text(
                "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i"
                " WHERE i.indrelid = CAST(:t AS regclass) AND NOT EXISTS"
                " (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
            ),
            {"t": table},
        )
    ]
    sequences = [
        (r[0], r[1])
        for r in conn.execute(
            text(
                "SELECT s.relname, a.attname FROM pg_depend d"
                " JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
                " JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
                " WHERE d.refobjid = CAST(:t AS regclass) AND d.deptype = 'a'"
            ),
            {"t": table},
        )
    ]
    return Shape(keys, foreign_keys, indexes, sequences)


def _drop_foreign_keys_to(conn: Connection, facts: set[str]) -> None:
    rows = conn.execute(
        text(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint"
            " WHERE contype = 'f' AND confrelid::regclass::text = ANY(:facts)"
        ),
        {"facts": sorted(facts)},
    ).all()
    for table, name in rows:
        conn.exec_driver_sql(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')


def _partition(conn: Connection, table: str, shape: Shape, codes: dict[str, list[str]]) -> None:
    new = f"{table}__partitioned"
    conn.exec_driver_sql(
        f'CREATE TABLE "{new}" (LIKE "{table}" INCLUDING DEFAULTS INCLUDING GENERATED'
        f' INCLUDING COMMENTS) PARTITION BY LIST ("{PARTITION_COLUMN}")'
    )
    for province, held in codes.items():
        listed = ", ".join(f"'{code}'" for code in held)
        conn.exec_driver_sql(
            f'CREATE TABLE "{table}_p{province}" PARTITION OF "{new}" FOR VALUES IN ({listed})'
        )
    conn.exec_driver_sql(f'CREATE TABLE "{table}_pother" PARTITION OF "{new}" DEFAULT')
    conn.exec_driver_sql(f'INSERT INTO "{new}" SELECT * FROM "{table}"')
    for sequence, _column in shape.sequences:
        conn.exec_driver_sql(f'ALTER SEQUENCE "{sequence}" OWNED BY NONE')
    conn.exec_driver_sql(f'DROP TABLE "{table}"')
    conn.exec_driver_sql(f'ALTER TABLE "{new}" RENAME TO "{table}"')
    for sequence, column in shape.sequences:
        conn.exec_driver_sql(f'ALTER SEQUENCE "{sequence}" OWNED BY "{table}"."{column}"')
    for name, kind, columns in shape.keys:
        if PARTITION_COLUMN not in columns:
            columns = [*columns, PARTITION_COLUMN]
        listed = ", ".join(f'"{c}"' for c in columns)
        conn.exec_driver_sql(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {kind} ({listed})')
    for statement in shape.indexes:
        conn.exec_driver_sql(statement)
    for name, definition in shape.foreign_keys:
        conn.exec_driver_sql(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


def partition_by_province(conn: Connection) -> list[str]:
    """Partition every fact table not yet partitioned (PostgreSQL only); the names it did."""
    if conn.dialect.name != "postgresql":
        raise ValueError("partitioning by province needs PostgreSQL")
    facts = {t.name for t in fact_tables()}
    done = partitioned_tables(conn)
    todo = [t.name for t in fact_tables() if t.name not in done]
    if not todo:
        return []
    shapes = {name: _shape(conn, name, facts) for name in todo}
    _drop_foreign_keys_to(conn, facts)
    codes = provinces(conn)
    for name in todo:
        _partition(conn, name, shapes[name], codes)
    return todo


def upsert_target(conn: Connection, table: Table) -> str:
    """The ``ON CONFLICT`` target of an upsert on ``table``'s primary key: by its constraint's
    name on PostgreSQL (the same, partitioned or not), by its columns on SQLite."""
    if conn.dialect.name == "postgresql":
        return f'ON CONSTRAINT "{table.primary_key.name}"'
    return "(" + ", ".join(c.name for c in table.primary_key.columns) + ")"
