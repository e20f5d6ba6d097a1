"""Pages of the gate: the data sources, one source with its recent batches, and the admin's form."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, authorize, check_csrf, may
from ioc57.core.clock import LOCAL_TZ, today
from ioc57.core.http import read_conn
from ioc57.core.pages import render, require_login
from ioc57.core.problems import Problem, field_error
from ioc57.ingest import sources as service
from ioc57.ingest.sources import PULL_FORMATS
from ioc57.ingest.tables import batches, sources
from ioc57.ingest.types import RECORD_TYPES
from ioc57.units.queries import unit_at

router = APIRouter(include_in_schema=False)

RECENT_BATCHES = 50


def local_time(value: datetime | None) -> str:
    """A stored time as people in Việt Nam read it."""
    if value is None:
        return ""
    if value.tzinfo is None:  # SQLite gives back UTC without its offset
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


def type_labels() -> dict[str, str]:
    """Each record type's label (English, translated where shown), by its name."""
    return {name: rtype.title for name, rtype in RECORD_TYPES.items()}


Reader = Annotated[Principal, Depends(require_login("sources.read"))]


def _view(conn: Connection, row: Any, last_batch: Any = None) -> dict[str, Any]:
    item = service.public_source(row)
    day = today()
    units = []
    for code in item["units"]:
        unit = unit_at(conn, code, day)
        units.append({"code": code, "name": unit.name if unit is not None else ""})
    item |= {
        "unit_list": units,
        "last_pulled": local_time(row.last_pulled_at),
        "last_error_when": local_time(row.last_error_at),
        "next_pull": local_time(row.pull_next_at) if row.pull_url else "",
        "last_batch": local_time(last_batch) if last_batch else "",
    }
    return item


def _last_batches(conn: Connection) -> dict[int, datetime]:
    latest = select(func.max(batches.c.id)).group_by(batches.c.source_id).scalar_subquery()
    query = select(batches.c.source_id, batches.c.started_at).where(batches.c.id.in_(latest))
    return {r.source_id: r.started_at for r in conn.execute(query)}


def _list_page(
    request: Request,
    conn: Connection,
    principal: Principal,
    status_code: int = 200,
    form: dict[str, Any] | None = None,
    errors: dict[str, dict[str, Any]] | None = None,  # a field's error entry, by field
) -> HTMLResponse:
    last = _last_batches(conn)
    rows = conn.execute(select(sources).order_by(sources.c.name)).all()
    items = [_view(conn, row, last.get(row.id)) for row in rows]
    return render(
        request,
        "sources.html",
        status_code=status_code,
        items=items,
        can_write=may(principal, "sources.write"),
        record_types=list(RECORD_TYPES),
        type_labels=type_labels(),
        pull_formats=PULL_FORMATS,
        form=form or {"types": [], "units": ""},
        errors=errors or {},
    )


@router.get("/sources")
def sources_page(
    request: Request, principal: Reader, conn: Annotated[Connection, Depends(read_conn)]
) -> Response:
    return _list_page(request, conn, principal)


@router.post("/sources")
def sources_create(
    request: Request,
    name: Annotated[str, Form(max_length=60)] = "",
    title: Annotated[str, Form(max_length=200)] = "",
    types: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies defaults
    units: Annotated[str, Form(max_length=2000)] = "",
    trusted: Annotated[str, Form()] = "",
    simulated: Annotated[str, Form()] = "",
    pull_url: Annotated[str, Form(max_length=1000)] = "",
    pull_type: Annotated[str, Form(max_length=20)] = "",
    pull_format: Annotated[str, Form(max_length=10)] = "",
    pull_interval_s: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    principal = authorize(request.app.state.authenticate(request), "sources.write")
    check_csrf(request, csrf_token)
    form: dict[str, Any] = {
        "name": name.strip(),
        "title": title.strip(),
        "types": types,
        "units": units,
        "trusted": bool(trusted),
        "simulated": bool(simulated),
        "pull_url": pull_url.strip(),
        "pull_type": pull_type,
        "pull_format": pull_format,
        "pull_interval_s": pull_interval_s.strip(),
    }
    engine = request.app.state.engine
    try:
        interval = None
        if form["pull_interval_s"]:
            if not form["pull_interval_s"].isdigit():
                raise field_error("pull_interval_s", service.NOT_SECONDS)
            interval = int(form["pull_interval_s"])
        elif form["pull_url"]:
            interval = 300
        with engine.begin() as conn:
            item, token = service.create_source(
                conn,
                actor=principal.username,
                name=form["name"],
                title=form["title"],
                types=types,
                units=[u.strip() for u in units.replace(";", ",").split(",") if u.strip()],
                today=today(),
                trusted=form["trusted"],
                simulated=form["simulated"],
                pull_url=form["pull_url"] or None,
                pull_type=form["pull_type"] or None,
                pull_format=form["pull_format"] or None,
                pull_interval_s=interval,
            )
    except Problem as problem:
        if problem.status not in (409, 422):
            raise
        errors = {str(e["loc"][-1]): e for e in problem.errors if e.get("loc")}
        with engine.connect() as conn:
            return _list_page(
                request, conn, principal, status_code=problem.status, form=form, errors=errors
            )
    with engine.connect() as conn:
        return _source_page(request, conn, principal, item["name"], token=token, status_code=201)


def _source_page(
    request: Request,
    conn: Connection,
    principal: Principal,
    name: str,
    token: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    row = service.get_row(conn, name[:60])
    if row is None:
        raise Problem(404, f"No source '{name}'.")
    recent = [
        dict(b._mapping)
        | {"started": local_time(b.started_at), "finished": local_time(b.finished_at)}
        for b in conn.execute(
            select(batches)
            .where(batches.c.source_id == row.id)
            .order_by(batches.c.id.desc())
            .limit(RECENT_BATCHES)
        )
    ]
    return render(
        request,
        "source.html",
        status_code=status_code,
        source=_view(conn, row, recent[0]["started_at"] if recent else None),
        batches=recent,
        token=token,
        can_write=may(principal, "sources.write"),
        type_labels=type_labels(),
    )


@router.get("/sources/{name}")
def source_page(
    name: str, request: Request, principal: Reader, conn: Annotated[Connection, Depends(read_conn)]
) -> Response:
    return _source_page(request, conn, principal, name)


@router.post("/sources/{name}/pull")
def source_pull(
    name: str, request: Request, csrf_token: Annotated[str, Form()] = ""
) -> RedirectResponse:
    """Pull now (admin); the outcome shows on the source's page."""
    from ioc57.ingest.pull import Puller

    authorize(request.app.state.authenticate(request), "sources.write")
    check_csrf(request, csrf_token)
    Puller(request.app.state.engine, request.app.state.gate).pull(name[:60])
    return RedirectResponse(f"/sources/{quote(name[:60])}", status_code=303)
