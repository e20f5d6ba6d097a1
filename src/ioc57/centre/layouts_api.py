"""``/api/v1/centre/layouts``: the wall's named layouts, read by anyone who reads the centre, saved
and removed by those who may arrange the wall (``centre.layouts``), each change audited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from sqlalchemy.engine import Connection

from ioc57.centre import layouts
from ioc57.core import audit
from ioc57.core.access import Principal, require
from ioc57.core.clock import now
from ioc57.core.http import client_address, read_conn, write_conn
from ioc57.core.problems import Problem

router = APIRouter(prefix="/api/v1/centre", tags=["centre"])

Name = Annotated[str, Path(pattern=layouts.NAME, description="the layout's name")]


def public(item: dict[str, Any]) -> dict[str, Any]:
    updated = item["updated_at"]
    return {
        "name": item["name"],
        "source": item["source"],  # "shipped" (layouts.toml) or "saved"
        "updated_at": updated.isoformat() if updated else None,
        **item["layout"].model_dump(),
    }


@router.get("/layouts")
def layouts_list(
    conn: Annotated[Connection, Depends(read_conn)],
    _: Annotated[Principal, Depends(require("centre.read"))],
):
    return {"layouts": [public(item) for item in layouts.every(conn)], "default": layouts.DEFAULT}


@router.get("/layouts/{name}")
def layouts_get(
    name: Name,
    conn: Annotated[Connection, Depends(read_conn)],
    _: Annotated[Principal, Depends(require("centre.read"))],
):
    item = layouts.find(conn, name)
    if item is None:
        raise Problem(404, f"No wall layout named {name!r}.")
    return public(item)


@router.put("/layouts/{name}")
def layouts_put(
    name: Name,
    layout: layouts.Layout,
    request: Request,
    response: Response,
    conn: Annotated[Connection, Depends(write_conn)],
    principal: Annotated[Principal, Depends(require("centre.layouts"))],
):
    layouts.unknown_names(layout)
    before = layouts.saved(conn).get(name)
    created = layouts.save(conn, name, layout, principal.id, now())
    audit.record(
        conn,
        actor=principal.username,
        action="centre.layout.save",
        object_type="wall_layout",
        object_id=name,
        before=_audited(before),
        after={"title": layout.title, "spec": layout.model_dump()},
        address=client_address(request),
    )
    response.status_code = 201 if created else 200
    item = layouts.find(conn, name)
    assert item is not None
    return public(item)


@router.delete("/layouts/{name}", status_code=204)
def layouts_delete(
    name: Name,
    request: Request,
    conn: Annotated[Connection, Depends(write_conn)],
    principal: Annotated[Principal, Depends(require("centre.layouts"))],
):
    before = layouts.saved(conn).get(name)
    if before is None:
        shipped = name in layouts.shipped()
        why = "it is shipped with ioc57 and cannot be removed" if shipped else "none is saved"
        raise Problem(404, f"No saved wall layout named {name!r}: {why}.")
    layouts.remove(conn, name)
    audit.record(
        conn,
        actor=principal.username,
        action="centre.layout.remove",
        object_type="wall_layout",
        object_id=name,
        before=_audited(before),
        address=client_address(request),
    )
    return Response(status_code=204)


def _audited(row: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if row is None else {"title": row["title"], "spec": row["spec"]}
