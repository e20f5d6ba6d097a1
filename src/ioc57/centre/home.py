"""The leader's home at ``/``: what needs attention today (ranked across modules), the key
figures with their trend, and the modules' overview panels; and the fragments the live script
swaps in when an event says a part may have changed (``/centre/concerns``,
``/centre/tiles/{name}``). A visitor, or a person without ``centre.read``, gets the overview as
it always was."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.engine import Connection

from ioc57.centre import board, registry, shown
from ioc57.core.access import Principal, authorize, may, optional_principal
from ioc57.core.clock import now
from ioc57.core.http import read_conn
from ioc57.core.pages import page_lang, render

router = APIRouter(include_in_schema=False)

HOME_LIMIT = 12  # the home's first screen; "show more" asks for more
MORE_LIMIT = 200
ConcernLimit = Annotated[int, Query(ge=1, le=200)]
TileName = Annotated[str, Path(max_length=80)]
Conn = Annotated[Connection, Depends(read_conn)]


def concerns_context(
    conn: Connection, principal: Principal, words: shown.Words, limit: int
) -> dict[str, Any]:
    """What ``_concerns.html`` shows: the ranked list, whether a source could not be read, and
    the events after which it is read again."""
    at = now()
    found, failed = registry.concerns(conn, principal, at, limit + 1)  # one more: is there more?
    return {
        "concerns": [shown.concern(c, at, words) for c in found[:limit]],
        "failed": len(failed),
        "events": board.concern_events(),
        "limit": limit,
        "more": f"/?limit={MORE_LIMIT}#concerns" if len(found) > limit else None,
    }


def fragment(request: Request, template: str, **context: Any) -> HTMLResponse:
    """A part of a page, without the page's frame (nor its navigation's counts)."""
    words = shown.Words(page_lang(request))
    html = request.app.state.templates.get_template(template).render(
        lang=words.lang, _=words.tr, ngettext=words.trans.ngettext, **context
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


@router.get("/")
def home(request: Request, conn: Conn, limit: ConcernLimit = HOME_LIMIT):
    principal = request.app.state.authenticate(request)
    panels = [
        p for p in (panel(conn, principal) for panel in request.app.state.overview_panels) if p
    ]
    if not may(principal, board.READ):
        return render(request, "overview.html", panels=panels)
    words = shown.Words(page_lang(request))
    at = now()
    return render(
        request,
        "centre_home.html",
        panels=panels,
        unit_name=board.unit_name(conn, principal),
        tiles=[shown.tile(t, data, words) for t, data in board.tiles(conn, principal, at)],
        rendered_at=shown.iso(at),
        rendered=shown.local_time(at),
        **concerns_context(conn, principal, words, limit),
    )


@router.get("/centre/concerns")
def concerns_fragment(
    request: Request,
    conn: Conn,
    principal: Annotated[Principal | None, Depends(optional_principal)],
    limit: ConcernLimit = HOME_LIMIT,
):
    principal = authorize(principal, board.READ)
    words = shown.Words(page_lang(request))
    return fragment(request, "_concerns.html", **concerns_context(conn, principal, words, limit))


@router.get("/centre/tiles/{name}")
def tile_fragment(
    request: Request,
    name: TileName,
    conn: Conn,
    principal: Annotated[Principal | None, Depends(optional_principal)],
):
    principal = authorize(principal, board.READ)
    tile, data = board.one_tile(conn, principal, now(), name)
    words = shown.Words(page_lang(request))
    return fragment(request, "_tile.html", tile=shown.tile(tile, data, words))
