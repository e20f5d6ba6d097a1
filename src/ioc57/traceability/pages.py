"""The IOC's page of product traceability (``/traceability``): products and lots traced by place
and by category, certificates about to expire, the events of each of the last 30 days as a chart
(with its table), the latest events and lots with their public pages, and a link to the log.

A person who sees every province chooses one (or reads the country, a line per province); an
officer reads its unit's subtree. The page reads the same summary as the API
(``views_api.summary``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy.engine import Connection

from ioc57.core.clock import today
from ioc57.core.http import read_conn
from ioc57.core.i18n import day, moment, number, translations
from ioc57.core.pages import page_lang, render
from ioc57.traceability.views import CERTIFICATES_SHOWN, EXPIRING_DAYS
from ioc57.traceability.views_api import summary
from ioc57.traceability.viewscope import Code, Reader, Scope, province_choices, scope_of

router = APIRouter(include_in_schema=False)


def title_of(scope: Scope, lang: str) -> str:
    """The scope as a person reads it: a unit, a province, or the country."""
    if scope.unit is not None:
        return scope.unit.name
    if scope.province is not None:
        return scope.province.name
    return translations(lang).gettext("The whole country")


def chart_of(per_day: list[dict], lang: str) -> dict:
    """The events-per-day chart's data (the page's script draws it; the table says the same)."""
    return {
        "labels": [d["day"].strftime("%d/%m") for d in per_day],
        "values": [d["events"] for d in per_day],
        "label": translations(lang).gettext("Events"),
    }


@router.get("/traceability")
def traceability_page(
    request: Request,
    principal: Reader,
    conn: Annotated[Connection, Depends(read_conn)],
    province: Code = None,
):
    scope = scope_of(conn, principal, province, "province", provinces_only=True)
    lang = page_lang(request)
    found = summary(conn, scope, today())
    return render(
        request,
        "traceability.html",
        scope=scope,
        title=title_of(scope, lang),
        provinces=province_choices(conn, principal),
        s=found,
        chart=chart_of(found["events_per_day"], lang),
        expiring_days=EXPIRING_DAYS,
        certificates_shown=CERTIFICATES_SHOWN,
        num=number(lang),
        day=day,
        moment=moment,
        as_of=day(today()),
    )
