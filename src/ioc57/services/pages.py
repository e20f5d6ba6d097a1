"""The pages of the Decision 766 index: a unit's panel (``/services``) and the ranking of a
province's communes or agencies, or of the provinces (``/services/ranking``).

Both read what the JSON API reads, with its scope checks (an officer sees its own unit's
subtree); the panel updates itself from ``/api/v1/services/index`` when dossiers land
(``services/static/index766.js``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal
from ioc57.core.clock import today
from ioc57.core.http import read_conn
from ioc57.core.i18n import N_, day, number, translations
from ioc57.core.pages import page_lang, render, require_login
from ioc57.core.periods import Period
from ioc57.core.problems import Problem
from ioc57.ingest.tables import records
from ioc57.services.index import COUNTRY, Target, index_of, ranking, target, trend
from ioc57.services.index_api import PeriodParam, ranking_of, readable_target, window
from ioc57.services.provenance import simulated_dossiers
from ioc57.services.scoring import spec
from ioc57.units.queries import unit_at, valid_at
from ioc57.units.tables import units

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(require_login("services.read"))]
UnitQuery = Annotated[str | None, Query(max_length=40)]
TREND_MONTHS = 12
HEADINGS = {
    "commune": N_("Ranking of communes"),
    "agency": N_("Ranking of agencies"),
    "province": N_("Ranking of provinces"),
}


def period_label(period: Period, lang: str) -> str:
    _ = translations(lang).gettext
    start = period.start
    if period.type == "month":
        return f"{start:%m/%Y}"
    if period.type == "quarter":
        return _("Quarter %(quarter)s/%(year)s") % {
            "quarter": (start.month + 2) // 3,
            "year": start.year,
        }
    if period.type == "year":
        return _("Year %(year)s") % {"year": start.year}
    return f"{day(period.start)} – {day(period.end)}"


def period_choices(chosen: Period, now: date, lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The picker's options, by kind: the last 24 months, 8 quarters and 3 years (and the period
    shown, when it is none of those)."""
    _ = translations(lang).gettext
    month = now.year * 12 + now.month - 1
    months = [f"{(month - k) // 12}{(month - k) % 12 + 1:02d}" for k in range(24)]
    quarter = now.year * 4 + (now.month - 1) // 3
    quarters = [f"{(quarter - k) // 4}Q{(quarter - k) % 4 + 1}" for k in range(8)]
    years = [str(now.year - k) for k in range(3)]
    groups = [(_("Month"), months), (_("Quarter"), quarters), (_("Year"), years)]
    known = {code for _label, codes in groups for code in codes}
    if chosen.code not in known:
        groups.insert(0, (_("Period"), [chosen.code]))
    return [
        (label, [(code, period_label(window(code), lang)) for code in codes])
        for label, codes in groups
    ]


def first_unit(conn: Connection, principal: Principal) -> str | None:
    """The unit a panel opens on: the person's own, or the first province whose dossiers came
    through the gate."""
    if principal.unit_code:
        return principal.unit_code
    query = select(records.c.province_code).where(records.c.type == "dossier").limit(1)
    return conn.execute(query).scalar()


def may_read(conn: Connection, principal: Principal, code: str) -> bool:
    try:
        readable_target(conn, principal, code, "unit")
    except Problem:
        return False
    return True


def provinces(conn: Connection) -> list[Any]:
    query = select(units.c.code, units.c.name).where(units.c.level == "province", valid_at(today()))
    return list(conn.execute(query.order_by(units.c.name)))


def province_rank(conn: Connection, goal: Target, span: Period) -> dict[str, Any] | None:
    """A province's place among the provinces (only its own rank is shown)."""
    if goal.level != "province":
        return None
    country = target(conn, COUNTRY, today())
    items = ranking(conn, "province", country, span, today())
    mine = next((i for i in items if i["unit"] == goal.code), None)
    if mine is None or mine["rank"] is None:
        return None
    return mine | {"of": sum(1 for i in items if i["rank"] is not None)}


def trend_bars(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The monthly totals as bars of a 360 × 120 drawing (100 points = 90 units high)."""
    bars = []
    for k, item in enumerate(items):
        total = item["total"]
        height = 0.0 if total is None else max(1.0, 0.9 * total)
        bars.append(
            item
            | {
                "x": 4 + 30 * k,
                "y": 100 - height,
                "height": height,
                "label": f"{item['period'][4:]}/{item['period'][2:4]}",
            }
        )
    return bars


@router.get("/services")
def panel_page(
    request: Request,
    principal: Reader,
    conn: Annotated[Connection, Depends(read_conn)],
    unit: UnitQuery = None,
    period: PeriodParam = None,
):
    lang = page_lang(request)
    span = window(period)
    code = unit or first_unit(conn, principal)
    context: dict[str, Any] = {
        "num": number(lang),
        "period": span,
        "period_label": period_label(span, lang),
        "dates": f"{day(span.start)} – {day(span.end)}",
        "choices": period_choices(span, today(), lang),
        "provinces": provinces(conn) if principal.unit_id is None else [],
    }
    if not code:
        return render(request, "index766.html", goal=None, **context)
    goal = readable_target(conn, principal, code, "unit")
    result = index_of(conn, goal, span, today())
    province = goal.scopes[0].province_code if goal.level in ("commune", "agency") else None
    province_row = unit_at(conn, province, today()) if province else None
    return render(
        request,
        "index766.html",
        goal=goal,
        index=result,
        groups={g["code"]: g for g in result["groups"]},
        rank=province_rank(conn, goal, span),
        trend=trend_bars(trend(conn, goal, span, today(), TREND_MONTHS)),
        simulated=simulated_dossiers(conn, [s.id for s in goal.scopes]),
        basis=spec()["basis"],
        province=province_row if province and may_read(conn, principal, province) else None,
        **context,
    )


@router.get("/services/ranking")
def ranking_page(
    request: Request,
    principal: Reader,
    conn: Annotated[Connection, Depends(read_conn)],
    level: Annotated[Literal["province", "commune", "agency"], Query()] = "commune",
    parent: UnitQuery = None,
    period: PeriodParam = None,
):
    lang = page_lang(request)
    span = window(period)
    if level != "province" and not parent:  # the province of the person's unit
        mine = first_unit(conn, principal)
        own = target(conn, mine, today()) if mine else None
        parent = own.scopes[0].province_code if own else None
    result = ranking_of(conn, principal, level, parent, span)
    goal = target(conn, result["parent"], today())
    return render(
        request,
        "ranking766.html",
        level=level,
        heading=HEADINGS[level],
        parent=goal,
        items=result["items"],
        simulated=goal is not None and simulated_dossiers(conn, [s.id for s in goal.scopes]),
        num=number(lang),
        period=span,
        period_label=period_label(span, lang),
        dates=f"{day(span.start)} – {day(span.end)}",
        choices=period_choices(span, today(), lang),
        groups=spec()["groups"],
    )
