"""``bulk.insert_rows`` stores what ``conn.execute(insert(table), rows)`` stores, on each
database: JSON read back as the same values (text that is not ASCII, keys that are not text,
numbers that are not finite or over 64 bits), dates, and a column filled with the id of a row
inserted just before (``IdOf``). A value the column's own processor refuses is refused too."""

from __future__ import annotations

import math
from datetime import date
from enum import StrEnum

import pytest
from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    select,
)

from ioc57.ingest.bulk import IdOf, insert_rows

meta = MetaData()
parents = Table(
    "bulk_parents",
    meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(20), nullable=False, unique=True),
    Column("region", String(4), nullable=False),
)
children = Table(
    "bulk_children",
    meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("parent", Integer, ForeignKey("bulk_parents.id")),
    Column("doc", JSON),
    Column("day", Date),
)


class Colour(StrEnum):
    RED = "đỏ"


DOCS = [
    {"tên": "Cà Mau", "values": [1, 2.5, None, True], "nested": {"k": "ệ"}},
    {1: "a key that is a number", "x": 0.1 + 0.2},
    {"big": 2**70, "small": -(2**70)},
    {"colour": Colour.RED},
    ["a list", {"of": None}],
    None,
    "a string",
    12.75,
]


def _read(conn) -> list[tuple]:
    rows = conn.execute(select(children.c.doc, children.c.day).order_by(children.c.id)).all()
    return [(doc, day) for doc, day in rows]


def test_what_it_stores_reads_back_as_an_insert_stores_it(engine):
    meta.create_all(engine)
    rows = [{"doc": doc, "day": date(2025, 7, 1 + i)} for i, doc in enumerate(DOCS)]
    with engine.begin() as conn:
        insert_rows(conn, children, rows)
        fast = _read(conn)
        conn.execute(children.delete())
        conn.execute(insert(children), rows)
        plain = _read(conn)
    assert fast == plain
    assert fast[1][0] == {"1": "a key that is a number", "x": 0.1 + 0.2}
    assert fast[2][0] == {"big": 2**70, "small": -(2**70)}


@pytest.mark.parametrize("number", [math.nan, math.inf])
def test_a_number_that_is_not_finite_is_stored_as_the_insert_stores_it(engine, number):
    meta.create_all(engine)
    rows = [{"doc": {"value": number, "note": None}}]
    outcomes = []
    for write in (
        lambda conn: insert_rows(conn, children, rows),
        lambda conn: conn.execute(insert(children), rows),
    ):
        try:
            with engine.begin() as conn:
                write(conn)
                (doc,) = conn.execute(select(children.c.doc)).scalars()
                conn.execute(children.delete())
            outcomes.append(repr(doc["value"]))  # never null: NaN is not None
        except Exception as exc:  # a database that takes no such JSON refuses both ways
            outcomes.append(type(exc).__name__)
    assert outcomes[0] == outcomes[1]
    assert outcomes[0] != "None"


def test_a_value_json_cannot_hold_is_refused_as_the_insert_refuses_it(engine):
    meta.create_all(engine)
    rows = [{"doc": {"when": date(2025, 7, 1)}}]
    with pytest.raises(TypeError), engine.begin() as conn:
        insert_rows(conn, children, rows)
    with pytest.raises(Exception, match="not JSON serializable"), engine.begin() as conn:
        conn.execute(insert(children), rows)


def test_a_column_filled_by_id_of_takes_the_id_of_the_row_inserted_before(engine):
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(parents), [{"code": "x", "region": "01"}])  # ids do not start at 1
        insert_rows(
            conn, parents, [{"code": c, "region": r} for c, r in (("a", "82"), ("b", "01"))]
        )
        insert_rows(
            conn,
            children,
            [{"parent": ("b", "01"), "doc": {"n": 1}}, {"parent": ("a", "82"), "doc": {"n": 2}}],
            ids=IdOf(parents, ("code", "region")),
        )
        ids = dict(conn.execute(select(parents.c.code, parents.c.id)).all())
        got = conn.execute(select(children.c.parent, children.c.doc).order_by(children.c.id)).all()
    assert [tuple(r) for r in got] == [(ids["b"], {"n": 1}), (ids["a"], {"n": 2})]
