"""The IOC panel of citizen reports (``/feedback/panel``): a unit's reports received, answered, on
time and rated over a span, open and late now, by agency, by commune and month by month, and a map
of the reports open now.

The page reads what ``/api/v1/feedback/stats`` answers (``panel_data.figures``), with its scope
checks, and writes every figure itself, so that it says everything without scripts; its script
(``static/panel.js``) draws the chart and the map, and reads the page again when the event stream
announces reports at the gate or a deadline passing.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import local_iso, now, today
from ioc57.core.http import read_conn
from ioc57.core.i18n import N_, day, moment, number
from ioc57.core.pages import link, page_lang, render, require_login
from ioc57.feedback import panel_data, stats
from ioc57.feedback.access import READ
from ioc57.feedback.stats_api import unit_and_span
from ioc57.units.queries import subtree_ids, unit_at, unit_by_id
from ioc57.units.tables import units

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(require_login(READ))]
DayQuery = Annotated[date | None, Query()]


def spans(today_: date) -> list[tuple[str, date, date]]:
    """The spans offered beside the panel: the last 12 months (the default), this month, this
    quarter, this year and the year before."""
    quarter = date(today_.year, 3 * ((today_.month - 1) // 3) + 1, 1)
    start, _ = stats.last_months(today_)
    return [
        (N_("Last 12 months"), start, today_),
        (N_("This month"), today_.replace(day=1), today_),
        (N_("This quarter"), quarter, today_),
        (N_("This year"), date(today_.year, 1, 1), today_),
        (N_("Last year"), date(today_.year - 1, 1, 1), date(today_.year - 1, 12, 31)),
    ]


def span_links(unit: str | None, start: date, end: date, today_: date) -> list[tuple]:
    """The spans as links, the one shown marked (the first that matches: in December, the last
    12 months are this year)."""
    links, marked = [], False
    for label, a, b in spans(today_):
        current = not marked and (a, b) == (start, end)
        marked = marked or current
        links.append((label, link("/feedback/panel", unit=unit, **{"from": a, "to": b}), current))
    return links


def commune_points(conn: Connection, row: Any) -> list[dict[str, Any]]:
    """The communes of the unit's province, drawn faintly under the reports (the map has no
    tiles: they give it its shape), each with its name; the commune shown is marked."""
    province = row if row.level != "commune" else unit_at(conn, row.province_code, today())
    return [
        {"name": c.name, "lat": c.lat, "lon": c.lon, "shown": c.id == row.id}
        for c in (panel_data.communes(conn, province, today()) if province is not None else [])
        if c.lat is not None and c.lon is not None
    ]


def readable_codes(conn: Connection, principal: Principal) -> set[str] | None:
    """The codes of the units a person may open the panel of (None: every unit), so that a row
    of a table links only where the link opens."""
    if principal.unit_id is None:
        return None
    own = unit_by_id(conn, principal.unit_id)
    if own is None:
        return set()
    ids = subtree_ids(conn, own)
    return set(conn.execute(select(units.c.code).where(units.c.id.in_(ids))).scalars())


def percent(lang: str):
    """A fraction as a page writes a share: ``87,5%`` in Vietnamese; None is ``—``."""
    num = number(lang)

    def fmt(rate: float | None) -> str:
        return "—" if rate is None else f"{num(100 * rate, 1)}%"

    return fmt


def month_label(code: str) -> str:
    return f"{code[4:]}/{code[:4]}"


def chart_data(months: list[dict[str, Any]]) -> dict[str, Any]:
    """The month-by-month chart's series (the page's table says the same)."""
    return {
        "labels": [month_label(m["month"]) for m in months],
        "received": [m["received"] for m in months],
        "answered": [m["answered"] for m in months],
        "on_time": [
            None if m["on_time_rate"] is None else round(100 * m["on_time_rate"], 1) for m in months
        ],
    }


def parent_of(conn: Connection, principal: Principal, row: Any) -> Any | None:
    """The province above a commune or an agency, when the person may read it (a way back up)."""
    if row.level == "province":
        return None
    province = unit_at(conn, row.province_code, today())
    if province is None or province.id == row.id:
        return None
    if principal.unit_id is not None and principal.unit_id != province.id:
        return None
    return province


@router.get("/feedback/panel")
def panel_page(
    request: Request,
    principal: Reader,
    conn: Annotated[Connection, Depends(read_conn)],
    unit: Annotated[str | None, Query(max_length=40)] = None,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
):
    lang = page_lang(request)
    row, start, end = unit_and_span(conn, principal, unit, start, end)
    day_ = today()
    context: dict[str, Any] = {
        "num": number(lang),
        "pct": percent(lang),
        "day": day,
        "start": start,
        "end": end,
        "spans": span_links(unit, start, end, day_),
        "provinces": panel_data.provinces_with_reports(conn, day_) if not principal.unit_id else [],
        "updated": moment(local_iso(now())),
        "may_open": may(principal, READ),
    }
    if row is None:
        return render(request, "panel.html", unit=None, **context)
    figures = panel_data.figures(conn, row, start, end, panel_data.SPLITS, day_)
    here = {"from": start.isoformat(), "to": end.isoformat()}
    readable = readable_codes(conn, principal)
    return render(
        request,
        "panel.html",
        unit=row,
        figures=figures,
        chart=chart_data(figures["by_month"]),
        places=commune_points(conn, row),
        queue=panel_data.queue_link(row),
        queue_late=panel_data.queue_link(row, late=True),
        month_label=month_label,
        parent=parent_of(conn, principal, row),
        here=here,
        drill=lambda code: link("/feedback/panel", unit=code, **here),
        may_drill=lambda code: readable is None or code in readable,
        **context,
    )
