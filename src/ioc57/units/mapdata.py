"""What a unit's page draws on its map (``web/static/unitmap.js`` reads it).

- markers: the units under it (communes, agencies), each coloured by its kind and labelled;
- areas: how far the unit reaches, each commune as a circle of its own area (``units.extent``):
  a province's communes together show the province's extent; a commune is drawn among the other
  communes of its province, so that a commune with one agency (one point) is a place on a map and
  not a dot on a grey box. The unit itself is the ``focus``: the map opens on it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from ioc57.units.extent import area_km2
from ioc57.units.queries import children, unit_by_id


def _label(unit: dict[str, Any]) -> str:
    return unit.get("short_name") or unit["name"]


def _marker(unit: dict[str, Any], at: date) -> dict[str, Any]:
    return {
        "lat": unit["lat"],
        "lon": unit["lon"],
        "code": unit["code"],
        "name": unit["name"],
        "label": _label(unit),
        "kind": "agency" if unit["level"] == "agency" else unit["type"],
        "href": f"/units/{unit['code']}?at={at.isoformat()}",
    }


def _area(unit: dict[str, Any]) -> dict[str, Any] | None:
    km2 = area_km2(unit)
    if km2 is None or unit["lat"] is None:
        return None
    return {
        "lat": unit["lat"],
        "lon": unit["lon"],
        "code": unit["code"],
        "label": _label(unit),
        "km2": km2,
    }


def unit_map(
    conn: Connection, row: Any, kids: list[dict[str, Any]], at: date
) -> dict[str, Any] | None:
    """The map of the unit ``row`` whose children are ``kids``; None when there is nothing to
    draw (no child with a point, and no extent of its own)."""
    markers = [_marker(k, at) for k in kids if k["lat"] is not None]
    focus = None
    if row.level == "commune":
        parent = unit_by_id(conn, row.parent_id) if row.parent_id else None
        around = children(conn, parent, level="commune") if parent is not None else []
        if not any(u["code"] == row.code for u in around):
            around.append(dict(row._mapping))
        areas = [_area(u) for u in around]
        focus = row.code
    else:
        areas = [_area(k) for k in kids if k["level"] == "commune"]
    drawn = [a for a in areas if a is not None]
    if focus is not None and not any(a["code"] == focus for a in drawn):
        focus = None  # a commune before 2025: no known area
    if not markers and focus is None:
        return None
    return {"markers": markers, "areas": drawn, "focus": focus}
