"""The example file of a record type (``/ingest/import/{type}/example.csv`` or ``.xlsx``): a row of
headings, every column of the type, and one example row the gate takes for the chosen source
(``columns.example_row``), ready to be filled in and imported."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal
from ioc57.core.clock import today
from ioc57.core.export import table_file
from ioc57.core.http import read_conn
from ioc57.core.messages import entry
from ioc57.core.pages import require_login
from ioc57.core.problems import Problem
from ioc57.ingest.columns import columns, example_row
from ioc57.ingest.importchoices import choices
from ioc57.ingest.readback import NO_SOURCE, record_type
from ioc57.units.queries import subtree_ids, unit_at, valid_at
from ioc57.units.tables import units

router = APIRouter(include_in_schema=False)


def example_unit(conn: Connection, code: str, level: str | None) -> str:
    """The code the example names: the first unit of ``level`` in force within the source's unit
    ``code`` (the source's unit itself when it is of that level, or none is)."""
    unit = unit_at(conn, code, today())
    if level is None or unit is None or unit.level == level:
        return code
    within = subtree_ids(conn, unit)
    first = conn.execute(
        select(units.c.code)
        .where(units.c.id.in_(within), units.c.level == level, valid_at(today()))
        .order_by(units.c.code)
        .limit(1)
    ).scalar()
    return first or code


Importer = Annotated[Principal, Depends(require_login("ingest.import"))]


@router.get("/ingest/import/{type_name}/example.{fmt}")
def example_file(
    type_name: Annotated[str, Path(max_length=20)],
    fmt: Annotated[str, Path(max_length=4)],
    principal: Importer,
    conn: Annotated[Connection, Depends(read_conn)],
    source: Annotated[str, Query(max_length=60)] = "",
) -> Response:
    """The example for ``source`` (its first unit); the person's first source that sends the
    type when none is named."""
    rtype = record_type(type_name)
    offered = choices(conn, principal)
    chosen = [c for c in offered if c.name == source] if source else offered
    fitting = [c for c in chosen if type_name in c.types] or chosen
    if not fitting:
        raise Problem(
            404,
            NO_SOURCE,
            errors=[entry(NO_SOURCE, ["query", "source"], value=source)],
            value=source,
        )
    row = example_row(rtype, example_unit(conn, fitting[0].unit, rtype.example_level))
    heads = [(c.name, c.name) for c in columns(rtype)]
    return table_file(f"{type_name}-example", heads, [row], fmt)
