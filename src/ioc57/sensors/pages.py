"""The sensors' pages: the live map of stations (``/sensors``) and a station's chart
(``/sensors/{code}``).

The map is drawn by its script from the API (``/api/v1/stations`` and the firing alerts of
``/api/v1/alerts``) and read again when the event stream announces readings or a change of an
alert, so that the page and the API never disagree. A station's chart is drawn from the readings
here (``chart.py``); its table says the same figures to a page without scripts.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ioc57.core.access import Principal, may
from ioc57.core.clock import LOCAL_TZ, now, stored_utc
from ioc57.core.http import read_conn
from ioc57.core.i18n import N_, number, translations
from ioc57.core.pages import page_lang, render, require_login
from ioc57.sensors.chart import RANGES, forecast_of, ms, series
from ioc57.sensors.crops import catalogue, strictest
from ioc57.sensors.queries import READ, station_in_scope
from ioc57.sensors.tables import latest
from ioc57.sensors.thresholds import SALINITY, own_thresholds

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(require_login(READ))]
UOM = {"salinity": "‰"}  # the unit each metric is drawn in (the others as the readings give)
# what a person reads for each metric a station may measure (others: as the station names it)
METRIC_NAMES = {
    "salinity": N_("Salinity"),
    "water_level": N_("Water level"),
    "rainfall": N_("Rainfall"),
    "temperature": N_("Temperature"),
}


@router.get("/sensors")
def sensors_map(request: Request, principal: Reader):
    return render(
        request,
        "sensors_map.html",
        may_ack=may(principal, "alerts.respond"),
        may_read_alerts=may(principal, "alerts.read"),
    )


def latest_of(conn: Connection, station_id: int, metric: str) -> Any:
    query = select(latest.c.value, latest.c.observed_at).where(
        latest.c.station_id == station_id, latest.c.metric == metric
    )
    return conn.execute(query).first()


def thresholds_drawn(conn: Connection, row: Any, metric: str, lang: str) -> list[dict[str, Any]]:
    """The lines drawn across the chart: the station's own limit of ``metric`` and, for salinity,
    the strictest of its commune's main crops (named); ``effective`` marks the one its alerts
    hold it to (its own, when it has one)."""
    own = own_thresholds(row.thresholds).get(metric)
    lines = []
    if own is not None:
        lines.append({"kind": "station", "value": own, "effective": True})
    crops = strictest(conn, row.unit_id) if metric == SALINITY else None
    if crops is not None:
        known = catalogue()
        names = [known[k].name if lang == "vi" else known[k].name_en for k in crops.crops]
        lines.append(
            {"kind": "crops", "value": crops.limit, "effective": own is None, "crops": names}
        )
    return lines


@router.get("/sensors/{code}")
def station_page(
    request: Request,
    code: str,
    principal: Reader,
    conn: Annotated[Connection, Depends(read_conn)],
    metric: Annotated[str | None, Query(max_length=40)] = None,
    span: Annotated[str, Query(alias="range", max_length=10)] = "24h",
):
    row = station_in_scope(conn, principal, code)
    metrics = json.loads(row.metrics or "[]") or ["salinity"]
    chosen_metric: str = metric if metric is not None and metric in metrics else metrics[0]
    chosen = RANGES.get(span, RANGES["24h"])
    lang = page_lang(request)
    _ = translations(lang).gettext
    end = now()
    horizon = ms(end + timedelta(hours=chosen.forecast_h))
    points = series(conn, row.id, chosen_metric, chosen, end)
    forecast = forecast_of(conn, row.id, chosen_metric)
    last = latest_of(conn, row.id, chosen_metric)
    thresholds = thresholds_drawn(conn, row, chosen_metric, lang)
    uom = UOM.get(chosen_metric, "")
    chart = {
        "points": points,
        "start": ms(end - chosen.span),
        "end": ms(end),
        "every": chosen.every_s,
        "forecast": [p for p in (forecast["points"] if forecast else []) if p[0] <= horizon],
        "thresholds": thresholds,
        "uom": uom,
        "labels": {
            "mean": _("Reading") if not chosen.every_s else _("Mean"),
            "max": _("Highest"),
            "forecast": _("Forecast"),
            "band": _("Forecast band (95 %)"),
            "station": _("Station threshold"),
            "crops": _("Crops' threshold"),
            "gap": _("no data"),
        },
    }
    return render(
        request,
        "station.html",
        station=row,
        metrics=metrics,
        metric=chosen_metric,
        ranges=RANGES.values(),
        chosen=chosen,
        chart=chart,
        table=[p for p in points if p[1] is not None],
        gaps=sum(1 for p in points if p[1] is None),
        forecast=forecast,
        latest=last,
        latest_at=stored_utc(last.observed_at).astimezone(LOCAL_TZ) if last else None,
        thresholds=thresholds,
        uom=uom,
        metric_names=METRIC_NAMES,
        num=number(lang),
        local=local_time,
        local_tz=LOCAL_TZ,
    )


def local_time(value: int) -> str:
    """A chart point's time as the table writes it: ``dd/mm/yyyy HH:MM`` in Việt Nam's time."""
    return datetime.fromtimestamp(value / 1000, UTC).astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")
