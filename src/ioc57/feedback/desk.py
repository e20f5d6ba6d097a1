"""The staff desk's fixed pages: the queue of reports (``/feedback``), with the form an operator
fills while taking a call on hotline 1022, and the routes of categories to agencies
(``/feedback/routes``, admins). One report's page is ``deskreport`` (``/feedback/{id}``), mounted
after every fixed ``/feedback/...`` page.

The pages read what the JSON API reads, with its scope; their forms post JSON to the API
(``/api/v1/feedback/reports``, ``/api/v1/feedback/routes``) with the session's CSRF header
(``static/desk.js``), and show a refusal beside the field it names, in the person's language.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import today
from ioc57.core.http import MAX_OFFSET, read_conn
from ioc57.core.i18n import N_, day, moment, translations
from ioc57.core.pages import link, page_lang, pager, render, require_login
from ioc57.core.problems import Problem
from ioc57.feedback import labels
from ioc57.feedback.access import ADMIN, READ, TRIAGE
from ioc57.feedback.categories import categories
from ioc57.feedback.deskqueue import STATUS_CHOICES, Filters, communes_of, queue
from ioc57.feedback.routes import agencies_of, home_province
from ioc57.feedback.routes_api import province_row, shown_routes
from ioc57.units.queries import subtree_ids, unit_by_id, valid_at
from ioc57.units.tables import units

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(require_login(READ))]
Admin = Annotated[Principal, Depends(require_login(ADMIN))]
PAGE = 50  # reports of a page
PageNumber = Annotated[int, Query(ge=1, le=MAX_OFFSET // PAGE)]
Code = Annotated[str | None, Query(max_length=40)]
StatusChoice = Literal[STATUS_CHOICES]  # type: ignore[valid-type]
FlagChoice = Literal["", "near", "late"]

# what a person reads beside a field the API refused (the API's own words follow, in English)
HINTS = {
    "channel": N_("Choose how the report came in."),
    "category": N_("Choose a category."),
    "text": N_("Write what the citizen reports (at most 20,000 characters)."),
    "unit": N_("Choose a commune of the province."),
    "commune": N_("Choose a commune of the province."),
    "address": N_("At most 500 characters."),
    "contact.name": N_("At most 200 characters."),
    "contact.phone": N_("A phone number of at most 40 characters."),
    "contact.email": N_("An email address of at most 200 characters."),
    "agency": N_("Choose an agency of the province."),
    "note": N_("Give the reason (at most 2,000 characters)."),
    "answer": N_("Write the answer."),
    "duplicate_of": N_("Give the id of another report, such as PA251202-ABCDEF."),
    "satisfaction": N_("Choose satisfied or not satisfied."),
    "step": N_("This step is no longer possible: the report has moved on. Reload the page."),
    "routes": N_("Choose a current agency of the province."),
    "province": N_("Choose a province."),
}


def day_of(iso: str) -> str:
    """A day the API gives (``YYYY-MM-DD``) as a page writes it: ``dd/mm/yyyy``."""
    return day(date.fromisoformat(iso))


def form_words(lang: str) -> dict[str, Any]:
    """The words the forms' script writes (translated here: the script holds none)."""
    say = translations(lang).gettext
    return {
        "hints": {k: say(v) for k, v in HINTS.items()},
        "failed": say(N_("Nothing was saved: %(why)s")),
        "offline": say(N_("Nothing was saved: the server could not be reached. Try again.")),
        "fields": say(N_("Nothing was saved: correct the fields marked below.")),
        "saved": say(N_("Saved.")),
        "sending": say(N_("Sending…")),
    }


def choices(conn: Connection, principal: Principal, lang: str) -> dict[str, Any]:
    """What the filters and the call form offer: categories, the province's agencies and
    communes (the person's province)."""
    province = home_province(conn, principal)
    agencies = agencies_of(conn, province) if province else []
    own = unit_by_id(conn, principal.unit_id) if principal.unit_id is not None else None
    if own is not None:  # an officer filters among the agencies of its own subtree
        mine = set(subtree_ids(conn, own))
        agencies = [a for a in agencies if a.id in mine]
    return {
        "categories": [(c.code, c.label(lang)) for c in categories().values()],
        "agencies": agencies,
        "communes": communes_of(conn, province, today()),
        "statuses": labels.STATUS,
        "channels": {k: v for k, v in labels.CHANNEL.items() if k != "open311"},
    }


@router.get("/feedback", response_class=HTMLResponse)
def queue_page(
    request: Request,
    principal: Reader,
    conn: Annotated[Connection, Depends(read_conn)],
    status: StatusChoice = "open",
    category: Code = None,
    agency: Code = None,
    commune: Code = None,
    flag: FlagChoice = "",
    page: PageNumber = 1,
):
    lang = page_lang(request)
    chosen = Filters(status, category or None, agency or None, commune or None, flag or None)
    errors: dict[str, str] = {}
    try:
        items, total = queue(conn, principal, chosen, today(), PAGE, (page - 1) * PAGE)
    except Problem as exc:  # a unit code no current unit has: said beside its filter
        errors = {str(e["loc"][-1]): HINTS[str(e["loc"][-1])] for e in exc.errors}
        items, total = [], 0
    return render(
        request,
        "desk.html",
        status_code=422 if errors else 200,
        items=items,
        total=total,
        simulated=any(i["simulated"] for i in items),
        pager=pager(request, page, total, PAGE),
        chosen=chosen,
        errors=errors,
        choices=choices(conn, principal, lang),
        labels=labels,
        may_take=may(principal, TRIAGE),
        may_route=may(principal, ADMIN),
        words=form_words(lang),
        day_of=day_of,
        moment=moment,
        link=link,
    )


@router.get("/feedback/routes", response_class=HTMLResponse)
def routes_page(
    request: Request,
    principal: Admin,
    conn: Annotated[Connection, Depends(read_conn)],
    province: Code = None,
):
    lang = page_lang(request)
    listed = [] if principal.unit_id is not None else _provinces(conn)
    # a fresh install (no report yet) opens on the first province listed
    code = province or home_province(conn, principal) or (listed[0].code if listed else None)
    row = province_row(conn, principal, ADMIN, code)
    return render(
        request,
        "routes.html",
        shown=shown_routes(conn, row, lang),
        provinces=listed,
        words=form_words(lang),
    )


def _provinces(conn: Connection) -> list[Any]:
    query = select(units.c.code, units.c.name).where(units.c.level == "province", valid_at(today()))
    return list(conn.execute(query.order_by(units.c.name)))
