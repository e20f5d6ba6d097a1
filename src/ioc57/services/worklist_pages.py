"""The operator's pages: the work list of a unit (``/services/dossiers``), one dossier
(``/services/dossiers/{id}``) and the procedure catalogue (``/services/procedures``).

They read what the JSON API reads (``worklist_api``), with its scope checks: an officer sees its
own unit's subtree, another unit is 403 and a dossier outside it 404, as if it were not there.
The work list refreshes its table when dossiers land (``services/static/worklist766.js``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import today
from ioc57.core.http import MAX_OFFSET, LongId, read_conn
from ioc57.core.i18n import N_, day, moment, number
from ioc57.core.pages import link, page_lang, pager, render
from ioc57.core.problems import Problem
from ioc57.services.dossier import on_time
from ioc57.services.pages import (
    Reader,
    UnitQuery,
    first_unit,
    period_choices,
    period_label,
    provinces,
)
from ioc57.services.procedures import catalogue
from ioc57.services.provenance import simulated_dossiers
from ioc57.services.worklist import dossier_detail, state_counts, worklist
from ioc57.services.worklist_api import READ, State, period_or_422, unit_in_scope
from ioc57.units.queries import valid_at
from ioc57.units.tables import units

router = APIRouter(include_in_schema=False)
PAGE = 50  # rows of a page
PageNumber = Annotated[int, Query(ge=1, le=MAX_OFFSET // PAGE)]
Code = Annotated[str, Query(max_length=40)]
# the work list's tabs, most urgent first
TABS = (
    ("overdue", N_("Overdue")),
    ("due_soon", N_("Due soon")),
    ("supplement", N_("Awaiting papers")),
    ("suspended", N_("Suspended")),
    ("processing", N_("Processing")),
    ("received", N_("Newly received")),
    ("open", N_("All")),
)
STATUSES = {
    "received": N_("Received"),
    "supplement": N_("Awaiting papers"),
    "suspended": N_("Suspended"),
    "processing": N_("Processing"),
    "finished": N_("Finished"),
    "returned": N_("Returned"),
    "cancelled": N_("Cancelled"),
}
CHANNELS = {"online": N_("Online"), "direct": N_("In person"), "postal": N_("By post")}
ONLINE_LEVELS = {
    "full": N_("Fully online"),
    "partial": N_("Partly online"),
    "none": N_("Not online"),
}
FLAGS = {
    "synced_national": N_("Synced with the national portal"),
    "paid_online": N_("Fee paid online"),
    "digitized": N_("Papers digitized"),
    "data_reused": N_("Data reused"),
    "population_data_used": N_("Population data used"),
    "result_electronic": N_("Result issued electronically"),
    "certified_copy_electronic": N_("Electronic certified copy"),
    "synced_personal_store": N_("Synced to the personal data store"),
    "complaint": N_("Complaint"),
}
LABELS = {
    "statuses": STATUSES,
    "channels": CHANNELS,
    "online_levels": ONLINE_LEVELS,
    "flags": FLAGS,
}


def unit_choices(conn: Connection, principal: Principal, row: Any) -> list[Any]:
    """The units a picker offers: the provinces (for a person without a unit), the person's own
    unit or the unit shown's province, and the units right under it."""
    top = principal.unit_code or row.province_code or row.code
    query = select(units.c.id, units.c.code, units.c.name).where(valid_at(today()))
    own = conn.execute(query.where(units.c.code == top)).first()
    chosen: list[Any] = [] if principal.unit_id is not None else provinces(conn)
    if own is not None:
        under = query.where(units.c.parent_id == own.id).order_by(units.c.level, units.c.name)
        chosen += [own, *conn.execute(under)]
    unique: dict[str, Any] = {}
    for choice in [*chosen, row]:  # once each, the shown one too
        unique.setdefault(choice.code, choice)
    return list(unique.values())


def shown_unit(conn: Connection, principal: Principal, unit: str | None) -> Any | None:
    """The unit a page shows (the person's own, or the first province with dossiers, when none is
    named), once the person may read it."""
    code = unit or first_unit(conn, principal)
    return unit_in_scope(conn, principal, code) if code else None


@router.get("/services/dossiers")
def worklist_page(
    request: Request,
    principal: Reader,
    conn: Annotated[Connection, Depends(read_conn)],
    unit: UnitQuery = None,
    state: State = "open",
    procedure: Annotated[str | None, Query(max_length=40)] = None,
    page: PageNumber = 1,
):
    lang = page_lang(request)
    row = shown_unit(conn, principal, unit)
    context: dict[str, Any] = {"state": state, "procedure": procedure or "", "tabs": TABS}
    context["link"] = link
    if row is None:
        return render(request, "worklist766.html", unit=None, **context)
    body = worklist(conn, row, state, PAGE, (page - 1) * PAGE, procedure=procedure or None)
    return render(
        request,
        "worklist766.html",
        unit=row,
        units=unit_choices(conn, principal, row),
        counts=state_counts(conn, row, procedure=procedure or None),
        items=body["items"],
        total=body["total"],
        simulated=any(i["simulated"] for i in body["items"]),
        pager=pager(request, page, body["total"], PAGE),
        num=number(lang),
        moment=moment,
        labels=LABELS,
        **context,
    )


@router.get("/services/dossiers/{dossier_id}")
def dossier_page(
    request: Request,
    dossier_id: LongId,
    principal: Reader,
    conn: Annotated[Connection, Depends(read_conn)],
):
    found = dossier_detail(conn, dossier_id)
    if found is None or not may(principal, READ, found[1]):
        raise Problem(404, f"No dossier {dossier_id}.")
    item = found[0]
    timely = on_time(item) if item["status"] == "finished" and item["finished_at"] else None
    return render(
        request,
        "dossier766.html",
        item=item,
        timely=timely,
        moment=moment,
        labels=LABELS,
    )


@router.get("/services/procedures")
def catalogue_page(
    request: Request,
    principal: Reader,
    conn: Annotated[Connection, Depends(read_conn)],
    unit: UnitQuery = None,
    online: Literal["", "full", "partial", "none"] = "",
    fee: Literal["", "true", "false"] = "",
    q: Annotated[str, Query(max_length=100)] = "",
    period: Annotated[str | None, Query(max_length=10)] = None,
    page: PageNumber = 1,
):
    lang = page_lang(request)
    span = period_or_422(period)
    row = shown_unit(conn, principal, unit)
    context: dict[str, Any] = {
        "period": span,
        "period_label": period_label(span, lang),
        "dates": f"{day(span.start)} – {day(span.end)}",
        "choices": period_choices(span, today(), lang),
        "filters": {"online": online, "fee": fee, "q": q},
        "labels": LABELS,
        "link": link,
    }
    if row is None:
        return render(request, "catalogue766.html", unit=None, **context)
    body = catalogue(
        conn,
        row,
        span,
        online=online or None,
        fee=None if not fee else fee == "true",
        q=q.strip() or None,
        limit=PAGE,
        offset=(page - 1) * PAGE,
    )
    return render(
        request,
        "catalogue766.html",
        unit=row,
        units=unit_choices(conn, principal, row),
        simulated=simulated_dossiers(conn, [row.id]),
        items=body["items"],
        total=body["total"],
        pager=pager(request, page, body["total"], PAGE),
        num=number(lang),
        **context,
    )
