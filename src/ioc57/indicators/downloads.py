"""Every table of the scorecard pages as CSV or XLSX: the scorecard, a series, the comparison."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.engine import Connection

from ioc57.core.clock import today
from ioc57.core.export import check_format, table_file
from ioc57.core.http import read_conn
from ioc57.core.i18n import N_, translations
from ioc57.core.pages import page_lang
from ioc57.indicators import status as statuses
from ioc57.indicators.api import indicator_or_404, unit_or_422
from ioc57.indicators.catalogue import catalogue
from ioc57.indicators.scorecard import compare, scorecard, series_items

router = APIRouter(include_in_schema=False)
YearParam = Annotated[int | None, Query(ge=2000, le=2100)]
SIMULATED = N_("simulated data")

FIGURES = [
    ("value", N_("Value")),
    ("numerator", N_("Numerator")),
    ("denominator", N_("Denominator")),
]
SCORECARD = [
    ("indicator", N_("Code")),
    ("name", N_("Indicator")),
    ("unit_of_measure", N_("Unit of measure")),
    ("year", N_("Year")),
    *FIGURES,
    ("target", N_("Target")),
    ("target_year", N_("Target year")),
    ("status_text", N_("Status")),
    ("score", N_("Score")),
    ("projected_value", N_("Projected value")),
    ("projected_year", N_("Projected year")),
    ("rank", N_("Rank")),
    ("of", N_("Of")),
    ("note", N_("Note")),
    ("data", N_("Data")),
]
SERIES = [
    ("period", N_("Year")),
    *FIGURES,
    ("target", N_("Target")),
    ("target_year", N_("Target year")),
    ("status_text", N_("Status")),
    ("note", N_("Note")),
]
COMPARISON = [
    ("rank", N_("Rank")),
    ("code", N_("Code")),
    ("name", N_("Province")),
    *FIGURES,
    ("target", N_("Target")),
    ("status_text", N_("Status")),
    ("note", N_("Note")),
]


def _localised(request: Request, columns, rows: list[dict]):
    _ = translations(page_lang(request)).gettext
    for row in rows:
        if "status" in row:
            row["status_text"] = _(statuses.label(row["status"]))
        if row.get("simulated"):
            row["data"] = _(SIMULATED)  # dữ liệu mô phỏng, in the file as on the page
    return [(key, _(heading)) for key, heading in columns], rows


@router.get("/scorecard.{fmt}")
def scorecard_file(
    fmt: str,
    request: Request,
    conn: Annotated[Connection, Depends(read_conn)],
    unit: Annotated[str, Query(max_length=40)],
    year: YearParam = None,
    group: Annotated[str | None, Query(max_length=30)] = None,
):
    check_format(fmt)
    row = unit_or_422(conn, unit)
    year = year or today().year
    items = [i for i in scorecard(conn, row, year) if not group or i["group"] == group]
    if page_lang(request) == "en":
        for item in items:
            item["name"] = item["name_en"]
    columns, items = _localised(request, SCORECARD, items)
    title = f"{row.name} · {year}"
    return table_file(f"ioc57-scorecard-{unit}-{year}", columns, items, fmt, title)


@router.get("/indicators/{code}/series.{fmt}")
def series_file(
    code: str,
    fmt: str,
    request: Request,
    conn: Annotated[Connection, Depends(read_conn)],
    unit: Annotated[str, Query(max_length=40)],
):
    check_format(fmt)
    ind = indicator_or_404(code[:60])
    row = unit_or_422(conn, unit)
    columns, items = _localised(request, SERIES, series_items(conn, ind, row))
    title = f"{ind.name} · {row.name} ({ind.unit_of_measure})"
    return table_file(f"ioc57-{ind.code}-{unit}", columns, items, fmt, title)


@router.get("/indicators/{code}/compare.{fmt}")
def comparison_file(
    code: str,
    fmt: str,
    request: Request,
    conn: Annotated[Connection, Depends(read_conn)],
    year: YearParam = None,
):
    check_format(fmt)
    ind = indicator_or_404(code[:60])
    year = year or today().year
    items = sorted(
        compare(conn, ind, year, with_status=True),
        key=lambda r: (r["rank"] is None, r["rank"] or 0, r["name"]),
    )
    columns, items = _localised(request, COMPARISON, items)
    title = f"{ind.name} · {year} ({ind.unit_of_measure})"
    return table_file(f"ioc57-{ind.code}-34-provinces-{year}", columns, items, fmt, title)


@router.get("/indicators.{fmt}")
def catalogue_file(fmt: str, request: Request):
    check_format(fmt)
    keys = ["code", "group", "name", "name_en", "unit_of_measure", "kind", "aggregation"]
    keys += ["period_type", "direction", "source", "legal_basis", "description"]
    rows = []
    for ind in catalogue().indicators:
        row = ind.model_dump(include=set(keys))
        row["targets"] = "; ".join(f"{t.year}: {t.value:g}" for t in ind.targets)
        rows.append(row)
    columns = [(k, k) for k in [*keys, "targets"]]
    return table_file("ioc57-indicators", columns, rows, fmt)
