"""The scorecard pages: a province's tiles, the catalogue, and one indicator's series and comparison.

Approved values are published figures, so these pages are public; drafts never show here. Every
chart has its table beside it, and every table has its CSV and XLSX download (``downloads.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.engine import Connection, Row

from ioc57.core.clock import today
from ioc57.core.http import read_conn
from ioc57.core.i18n import N_, number, translations
from ioc57.core.pages import page_lang, render
from ioc57.indicators import status as statuses
from ioc57.indicators.api import indicator_or_404, unit_or_422
from ioc57.indicators.catalogue import catalogue
from ioc57.indicators.centre import scorecard_unit
from ioc57.indicators.latest import (
    indicator_years,
    latest_period,
    year_choices,
    years_with_values,
)
from ioc57.indicators.progress import BASE_YEAR
from ioc57.indicators.provincemap import province_map
from ioc57.indicators.scorecard import (
    card,
    compare,
    related_units,
    scorecard,
    series,
    series_items,
)
from ioc57.indicators.seriesview import chart, citations, projected
from ioc57.units.queries import valid_at
from ioc57.units.tables import units

router = APIRouter(include_in_schema=False)
# words the templates translate from the catalogue's values
VOCABULARY = (
    N_("year"),
    N_("quarter"),
    N_("month"),
    N_("sum"),
    N_("ratio"),
    N_("none"),
    N_("national"),
    N_("provincial"),
    N_("billion VND"),
    N_("per 10,000 people"),
    N_("rank"),
)
YearParam = Annotated[int | None, Query(ge=2000, le=2100)]
GroupParam = Annotated[str | None, Query(max_length=30)]


def common(request: Request) -> dict:
    lang = page_lang(request)
    _ = translations(lang).gettext
    return {
        "uom": lambda u: "" if u == "count" else _(u),  # a count needs no unit after it
        "num": number(lang),
        "status_label": statuses.label,
        "status_colour": statuses.colour,
        "statuses": statuses.STATUS,
        "groups": catalogue().groups,
        "ind_name": (lambda ind: ind.name if lang == "vi" else ind.name_en),
        "projected": projected,
        "catalogue": catalogue(),
    }


def provinces(conn: Connection) -> Sequence[Row[Any, Any]]:
    query = select(units.c.code, units.c.name).where(units.c.level == "province", valid_at(today()))
    return conn.execute(query.order_by(units.c.name)).all()


def _unit(conn: Connection, request: Request, code: str | None) -> Any | None:
    """The unit asked for, else the person's own (a province's leader: the province)."""
    if code:
        return unit_or_422(conn, code)
    principal = request.app.state.authenticate(request)
    return scorecard_unit(conn, principal, today()) if principal else None


def _when(asked: int | None, years: list[int], this_year: int) -> dict:
    """The year a page shows (the one asked for, else the latest with values) and its choices."""
    year = asked or (years[0] if years else this_year)
    # nothing known yet (no unit chosen, or none with values): the years since the base year
    offered = years or list(range(this_year, BASE_YEAR - 1, -1))
    return {
        "year": year,
        "years": year_choices(offered, year, this_year),
        "latest_year": years[0] if years else None,
        "asked": asked is not None,
    }


@router.get("/scorecard")
def scorecard_page(
    request: Request,
    conn: Annotated[Connection, Depends(read_conn)],
    unit: Annotated[str | None, Query(max_length=40)] = None,
    year: YearParam = None,
    group: GroupParam = None,
):
    row = _unit(conn, request, unit)
    this_year = today().year
    context = common(request) | {"provinces": provinces(conn), "group": group}
    if row is None:
        when = _when(year, [], this_year)
        return render(request, "scorecard.html", unit=None, items=[], **context, **when)
    when = _when(year, years_with_values(conn, row, this_year), this_year)
    year = when["year"]
    items = [i for i in scorecard(conn, row, year) if not group or i["group"] == group]
    # a tile for each indicator with a value this year or a status from the years before: what
    # has a status is never hidden among the indicators without data
    tiles = [i for i in items if i["value"] is not None or i["status"] != "not_available"]
    tiles.sort(
        key=lambda i: (statuses.WORST_FIRST.index(i["status"]), i["score"] or 0.0, i["indicator"])
    )
    empty = [i for i in items if i not in tiles]
    return render(
        request,
        "scorecard.html",
        unit=row,
        items=tiles,
        empty=empty,
        counts=Counter(i["status"] for i in tiles),  # the status bar counts the tiles
        period=latest_period(conn, row, year),
        **context,
        **when,
    )


@router.get("/indicators")
def catalogue_page(request: Request, group: GroupParam = None):
    items = [i for i in catalogue().indicators if not group or i.group == group]
    return render(request, "indicators.html", items=items, group=group, **common(request))


@router.get("/indicators/{code}")
def indicator_page(
    code: str,
    request: Request,
    conn: Annotated[Connection, Depends(read_conn)],
    unit: Annotated[str | None, Query(max_length=40)] = None,
    year: YearParam = None,
):
    ind = indicator_or_404(code[:60])
    row = _unit(conn, request, unit)
    this_year = today().year
    if ind.until is not None:  # an abolished level's indicator: its last year is its "now"
        this_year = min(this_year, ind.until.year)
    years = indicator_years(conn, ind, row, this_year)
    if not years and row is not None:  # none for the unit: where the provinces have some
        years = indicator_years(conn, ind, None, this_year)
    when = _when(year, years, this_year)
    year = when["year"]
    context = common(request) | {"ind": ind, "provinces": provinces(conn)} | when
    tile, points, cited, period = None, [], [], None
    if row is not None:
        period = latest_period(conn, row, year, ind.code)
        related = related_units(conn, row)
        yearly = series(conn, ind, row, last=year)
        tile = card(conn, ind, row, year, yearly)
        points = series_items(conn, ind, row, last=year, yearly=yearly)
        cited = citations(conn, ind, [r.id for r in related])
    ranking = sorted(
        compare(conn, ind, year, with_status=True),
        key=lambda r: (r["rank"] is None, r["rank"] or 0, r["name"]),
    )
    shown = [r for r in ranking if r["value"] is not None]
    if len(shown) < 2:
        for r in ranking:
            r["rank"] = None  # first of one is no rank
    fmt = context["num"]
    map_points = province_map(
        ranking,
        lambda code: f"/indicators/{ind.code}?unit={code}&year={year}",
        fmt,
        context["uom"](ind.unit_of_measure),
        mine=row.code if row is not None else None,
    )
    return render(
        request,
        "indicator.html",
        unit=row,
        tile=tile,
        points=points,
        cited=cited,
        period=period,
        ranking=ranking,
        chart=chart(ind, points, tile) | {"unit": context["uom"](ind.unit_of_measure)},
        map_points=map_points,
        compare_chart={
            "labels": [r["name"] for r in shown],
            "values": [r["value"] for r in shown],
            "colours": [statuses.colour(r["status"]) for r in shown],
            "unit": context["uom"](ind.unit_of_measure),
        },
        **context,
    )
