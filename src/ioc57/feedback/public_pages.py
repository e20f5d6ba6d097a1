"""The public page of published answers (no login, Vietnamese first, read on a phone):
``/phan-anh/cong-khai`` lists the published reports, newest first, by category and commune, a page
at a time; ``/phan-anh/cong-khai/{report_id}`` shows one: the citizen's text and the agency's
answer with personal data removed, the commune, the dates (dd/mm/yyyy) and the public photos.

Everything shown comes from ``published`` (``queries.public_report``); a report that is not
published is a 404 page. A filter that names nothing (an old link) says so and lists everything
rather than failing. The pages use no script: the filters are a plain form.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy.engine import Connection

from ioc57.core.clock import LOCAL_TZ
from ioc57.core.http import MAX_OFFSET, read_conn
from ioc57.core.i18n import N_, number
from ioc57.core.pages import link, page_lang, pager, render
from ioc57.feedback.categories import categories
from ioc57.feedback.published import (
    PAGE_SIZE,
    UnknownUnit,
    communes_published,
    published_one,
    published_page,
)

router = APIRouter(include_in_schema=False)
PAGE_CACHE = "public, max-age=60"
EXCERPT = 280  # characters of a report's text in the list
Conn = Annotated[Connection, Depends(read_conn)]
Code = Annotated[str | None, Query(max_length=40)]
PageNumber = Annotated[int, Query(ge=1, le=MAX_OFFSET // PAGE_SIZE)]
NOT_FOUND = N_("This report does not exist or its answer has not been published.")


def day_of(value: str | None) -> str:
    """An API time (ISO with its offset) as the day a person reads: ``dd/mm/yyyy``."""
    if not value:
        return "—"
    return datetime.fromisoformat(value).astimezone(LOCAL_TZ).strftime("%d/%m/%Y")


def excerpt(text: str | None, size: int = EXCERPT) -> str:
    """The start of a text, cut at a word, for the list."""
    text = " ".join((text or "").split())
    if len(text) <= size:
        return text
    return text[:size].rsplit(" ", 1)[0] + "…"


def _cached(response: Response) -> Response:
    response.headers["Cache-Control"] = PAGE_CACHE
    response.headers["Vary"] = "Cookie"  # the language
    return response


@router.get("/phan-anh/cong-khai")
def public_list_page(
    request: Request,
    conn: Conn,
    category: Code = None,
    unit: Code = None,
    page: PageNumber = 1,
) -> Response:
    lang = page_lang(request)
    known = categories()
    unknown = []
    if category and category not in known:
        unknown.append(N_("No category has this code; all categories are shown."))
        category = None
    try:
        found = published_page(conn, category, unit, PAGE_SIZE, (page - 1) * PAGE_SIZE, lang)
    except UnknownUnit:
        unknown.append(N_("No commune has this code; all communes are shown."))
        unit = None
        found = published_page(conn, category, None, PAGE_SIZE, (page - 1) * PAGE_SIZE, lang)
    response = render(
        request,
        "public_list.html",
        items=found.items,
        total=found.total,
        more=found.more,
        pager=pager(request, page, found.total, PAGE_SIZE),
        categories=[(c.code, c.label(lang)) for c in known.values()],
        communes=communes_published(conn),
        chosen={"category": category or "", "unit": unit or ""},
        unknown=unknown,
        day_of=day_of,
        excerpt=excerpt,
        num=number(lang),
        clear=link(request.url.path),
    )
    return _cached(response)


@router.get("/phan-anh/cong-khai/{report_id}")
def public_report_page(
    request: Request,
    conn: Conn,
    report_id: Annotated[str, Path(min_length=1, max_length=200)],
) -> Response:
    shown = published_one(conn, report_id, page_lang(request))
    if shown is None:  # the page says so in the citizen's words, with the way back to the list
        return render(
            request, "public_report.html", status_code=404, report=None, missing=NOT_FOUND
        )
    return _cached(render(request, "public_report.html", report=shown, day_of=day_of))
