"""``/api/v1/feedback/public``: the published answers for anyone (no login), in the one public
shape (``queries.public_report``): redacted text and answer, the commune, a rounded place, public
photos; never a contact, an address or a tracking code.

The list is newest published first, by ``category`` and ``unit`` (a commune's code: its reports,
those of the communes it succeeded too), ``limit``/``offset``; an unknown category or unit is a
422 naming it. A report that is not published (or does not exist) is a 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy.engine import Connection

from ioc57.core.http import Offset, read_conn
from ioc57.core.problems import field_error
from ioc57.feedback.access import not_found
from ioc57.feedback.categories import categories
from ioc57.feedback.published import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    UnknownUnit,
    published_one,
    published_page,
)

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"])

PUBLIC_CACHE = "public, max-age=60"  # a newly published answer shows within a minute
Conn = Annotated[Connection, Depends(read_conn)]
Code = Annotated[str | None, Query(max_length=40)]


def _lang(request: Request) -> str:
    return getattr(request.state, "lang", "vi")


@router.get("/public")
def public_list(
    request: Request,
    response: Response,
    conn: Conn,
    category: Code = None,
    unit: Code = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The published reports, the most recently published first (public)."""
    if category and category not in categories():
        raise field_error("query.category", "unknown category")
    try:
        page = published_page(conn, category, unit, limit, offset, _lang(request))
    except UnknownUnit:
        raise field_error("query.unit", f"no current unit has code {unit!r}") from None
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return {
        "items": page.items,
        "total": page.total,  # at most 10,000: "more" says there are more
        "more": page.more,
        "limit": limit,
        "offset": offset,
    }


@router.get("/public/{report_id}")
def public_get(
    request: Request,
    response: Response,
    conn: Conn,
    report_id: Annotated[str, Path(min_length=1, max_length=200)],
) -> dict[str, Any]:
    """One published report (public); 404 while it is not published."""
    shown = published_one(conn, report_id, _lang(request))
    if shown is None:
        raise not_found(report_id)
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return shown
