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
from ioc57.indicators.catalogue import Indicator, catalogue
from ioc57.indicators.provincemap import province_map
from ioc57.indicators.scorecard import (
    card,
    compare,
    related_units,
    scorecard,
    series,
    series_items,
)
from ioc57.indicators.tables import indicator_values
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
SEVERITY = [
    "deterioration",
    "limited_progress",
    "needs_acceleration",
    "on_track",
    "target_achieved",
    "not_available",
]


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


@router.get("/scorecard")
def scorecard_page(
    request: Request,
    conn: Annotated[Connection, Depends(read_conn)],
    unit: Annotated[str | None, Query(max_length=40)] = None,
    year: YearParam = None,
    group: GroupParam = None,
):
    principal = request.app.state.authenticate(request)
    unit = unit or (principal.unit_code if principal else None)
    year = year or today().year
    context = common(request) | {"provinces": provinces(conn), "year": year, "group": group}
    if not unit:
        return render(request, "scorecard.html", unit=None, items=[], **context)
    row = unit_or_422(conn, unit)
    items = [i for i in scorecard(conn, row, year) if not group or i["group"] == group]
    items.sort(key=lambda i: SEVERITY.index(i["status"]))  # what slips comes first
    counts = Counter(i["status"] for i in items)
    return render(request, "scorecard.html", unit=row, items=items, counts=counts, **context)


@router.get("/indicators")
def catalogue_page(request: Request, group: GroupParam = None):
    items = [i for i in catalogue().indicators if not group or i.group == group]
    return render(request, "indicators.html", items=items, group=group, **common(request))


def _citations(conn: Connection, ind: Indicator, unit_ids: list[int]) -> list[dict]:
    query = (
        select(
            indicator_values.c.period,
            indicator_values.c.citation,
            indicator_values.c.simulated,
        )
        .where(
            indicator_values.c.indicator == ind.code,
            indicator_values.c.unit_id.in_(unit_ids),
            indicator_values.c.status == "approved",
        )
        .order_by(indicator_values.c.period)
        .limit(500)
    )
    cited: dict[str, dict] = {}  # one line per citation, with the periods it gave
    for r in conn.execute(query):
        entry = cited.setdefault(
            r.citation, {"citation": r.citation, "periods": [], "simulated": r.simulated}
        )
        if r.period not in entry["periods"]:
            entry["periods"].append(r.period)
    return list(cited.values())


@router.get("/indicators/{code}")
def indicator_page(
    code: str,
    request: Request,
    conn: Annotated[Connection, Depends(read_conn)],
    unit: Annotated[str | None, Query(max_length=40)] = None,
    year: YearParam = None,
):
    ind = indicator_or_404(code[:60])
    year = year or today().year
    principal = request.app.state.authenticate(request)
    unit = unit or (principal.unit_code if principal else None)
    context = common(request) | {"ind": ind, "year": year, "provinces": provinces(conn)}
    row = unit_or_422(conn, unit) if unit else None
    tile, points, cited = None, [], []
    if row is not None:
        related = related_units(conn, row)
        yearly = series(conn, ind, row, last=year)
        tile = card(conn, ind, row, year, yearly)
        points = series_items(conn, ind, row, last=year, yearly=yearly)
        cited = _citations(conn, ind, [r.id for r in related])
    ranking = sorted(
        compare(conn, ind, year, with_status=True),
        key=lambda r: (r["rank"] is None, r["rank"] or 0, r["name"]),
    )
    shown = [r for r in ranking if r["value"] is not None]
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
        ranking=ranking,
        chart=_chart(ind, points, tile) | {"unit": context["uom"](ind.unit_of_measure)},
        map_points=map_points,
        compare_chart={
            "labels": [r["name"] for r in shown],
            "values": [r["value"] for r in shown],
            "colours": [statuses.colour(r["status"]) for r in shown],
            "unit": context["uom"](ind.unit_of_measure),
        },
        **context,
    )


def projected(ind: Indicator, tile: dict | None) -> float | None:
    """The value at the target year on the observed trend; a share cannot pass 100%."""
    value = tile["projected_value"] if tile else None
    if value is None:
        return None
    return min(value, 100.0) if ind.unit_of_measure == "%" else value


def _chart(ind: Indicator, points: list[dict], tile: dict | None) -> dict:
    """The data of the series chart: values, the target line and the trend to the target year."""
    values = {int(p["period"]): p["value"] for p in points if p["value"] is not None}
    target = tile and tile["target"]
    target_year = tile and tile["target_year"]
    last = max([*values, target_year or 0], default=today().year)
    first = min(values, default=min(last, today().year))
    years = list(range(first, last + 1))
    trend: list[float | None] = [None] * len(years)
    end = tile["projected_value"] if tile else None
    if values and target_year and end is not None and target_year > max(values):
        # the same compound growth the status is computed with, year by year, up to the target year
        t0 = max(values)
        y0 = values[t0]
        for t in range(t0, target_year + 1):
            y = y0 * (end / y0) ** ((t - t0) / (target_year - t0)) if y0 else end
            trend[years.index(t)] = min(y, 100.0) if ind.unit_of_measure == "%" else y
    return {
        "years": years,
        "values": [values.get(y) for y in years],
        "target": [target for _ in years] if target is not None else [],
        "projection": trend,
        "unit": ind.unit_of_measure,
    }
