"""The map of the 34 provinces on an indicator's page (``web/static/unitmap.js`` draws it): each
province a marker coloured and sized by its value, labelled with its name and value; the provinces
without a value are there too, hollow, so that one province with a value is still a place in the
country (not a dot on a grey box); each province's extent is a circle of its area
(``units.extent``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ioc57.units.extent import province_area

PREFIXES = ("Thành phố ", "Tỉnh ")


def short_name(name: str) -> str:
    """``Đồng Tháp`` for ``Tỉnh Đồng Tháp``: a label on a map of provinces."""
    for prefix in PREFIXES:
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def province_map(
    ranking: list[dict[str, Any]],
    href: Callable[[str], str],
    fmt: Callable[[float | None], str],
    uom: str,
    mine: str | None = None,
) -> dict[str, Any]:
    """``ranking``: the rows of ``scorecard.compare``; ``href(code)``: where a marker leads;
    ``fmt``: the page's number format; ``uom``: the unit of measure as the page writes it;
    ``mine``: the province the page is about, ringed and labelled first."""
    placed = [r for r in ranking if r["lat"] is not None]
    markers = []
    for r in placed:
        shown = None if r["value"] is None else f"{fmt(r['value'])} {uom}".strip()
        markers.append(
            {
                "lat": r["lat"],
                "lon": r["lon"],
                "code": r["code"],
                "name": f"{r['name']}: {shown or fmt(None)}",
                "label": short_name(r["name"]),
                "value": r["value"],
                "shown": shown,
                "href": href(r["code"]),
            }
        )
    areas = [
        {
            "lat": r["lat"],
            "lon": r["lon"],
            "code": r["code"],
            "label": short_name(r["name"]),
            "km2": km2,
        }
        for r in placed
        if (km2 := province_area(r["code"])) is not None
    ]
    return {"markers": markers, "areas": areas, "focus": None, "mine": mine, "uom": uom}
