"""The centre's API answers: concerns, tiles and map layers as JSON (English messages beside
machine codes, times as ISO with their offset), and their documented shapes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel

from ioc57 import modules
from ioc57.centre.shown import as_number, filled, iso

Number = float | int


class ConcernOut(BaseModel):
    key: str  # "<module>:<what>:<id>", stable
    code: str  # what kind of concern, for machines: "<module>:<what>"
    module: str
    kind: str  # English
    title: str
    why: str  # English, its fields filled from ``args``
    why_id: str  # the message id, with its ``{fields}``
    args: dict[str, Any]
    since: str  # ISO with offset
    severity: int  # 3 critical, 2 high, 1 to watch
    href: str
    owner: str | None
    unit_code: str | None
    points: Number | None
    simulated: bool
    source: str


class Unread(BaseModel):
    code: Literal["source_unreadable"]
    watch: str
    message: str


class ConcernsOut(BaseModel):
    at: str
    concerns: list[ConcernOut]
    unread: list[Unread]  # the sources that could not be read: the list may miss theirs


class TileRow(BaseModel):
    label: str
    value: Any = None
    href: str | None = None


class TileOut(BaseModel):
    name: str
    module: str
    title: str
    events: list[str]
    value: Number | None
    uom: str | None
    caption: str | None  # English, its fields filled from ``args``
    caption_id: str | None  # the message id, with its ``{fields}``
    args: dict[str, Any]
    trend: list[tuple[str, Number | None]]
    delta: Number | None
    good: Literal["up", "down"] | None
    status: Literal["ok", "watch", "bad"] | None
    updated_at: str | None
    source: str | None
    simulated: bool
    href: str | None
    rows: list[TileRow]
    unit: str | None


class TilesOut(BaseModel):
    at: str
    tiles: list[TileOut]


class LayerPoint(BaseModel):
    lat: float
    lon: float
    label: str
    value: Number | None = None
    level: Literal["ok", "watch", "bad", "none"]
    href: str | None = None


class LayerOut(BaseModel):
    name: str
    module: str
    title: str
    events: list[str]
    points: list[LayerPoint]
    legend: list[tuple[str, str]]
    updated_at: str | None
    simulated: bool
    source: str | None


def plain(value: Any) -> Any:
    """``value`` as JSON holds it: times and days as ISO."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str | bool) or value is None:
        return value
    figure = as_number(value)
    return figure if figure is not None else str(value)


def concern(c: modules.Concern) -> dict[str, Any]:
    module, what = (c.key.split(":") + ["", ""])[:2]
    return {
        "key": c.key,
        "code": f"{module}:{what}",
        "module": module,
        "kind": c.kind,
        "title": c.title,
        "why": filled(c.why, c.args),
        "why_id": c.why,
        "args": {k: plain(v) for k, v in c.args.items()},
        "since": iso(c.since),
        "severity": c.severity,
        "href": c.href,
        "owner": c.owner,
        "unit_code": c.unit_code,
        "points": as_number(c.points),
        "simulated": c.simulated,
        "source": c.source,
    }


def tile(t: modules.Tile, data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": t.name,
        "module": t.name.split(".")[0],
        "title": t.title,
        "events": list(t.events),
        "value": as_number(data.get("value")),
        "uom": data.get("uom"),
        "caption": filled(data.get("caption") or "", data.get("args")) or None,
        "caption_id": data.get("caption"),
        "args": {k: plain(v) for k, v in (data.get("args") or {}).items()},
        "trend": [[str(plain(d)), as_number(v)] for d, v in (data.get("trend") or [])],
        "delta": as_number(data.get("delta")),
        "good": data.get("good") if data.get("good") in ("up", "down") else None,
        "status": data.get("status") if data.get("status") in ("ok", "watch", "bad") else None,
        "updated_at": plain(data.get("updated_at")),
        "source": data.get("source"),
        "simulated": bool(data.get("simulated")),
        "href": data.get("href"),
        "rows": [
            {
                "label": str(r.get("label", "")),
                "value": plain(r.get("value")),
                "href": r.get("href"),
            }
            for r in (data.get("rows") or [])
        ],
        "unit": data.get("unit"),
    }


def _placed(point: Mapping[str, Any]) -> bool:
    return as_number(point.get("lat")) is not None and as_number(point.get("lon")) is not None


def _point(point: Mapping[str, Any]) -> dict[str, Any]:
    level = point.get("level")
    return {
        "lat": as_number(point["lat"]),
        "lon": as_number(point["lon"]),
        "label": str(point.get("label", "")),
        "value": as_number(point.get("value")),
        "level": level if level in ("ok", "watch", "bad") else "none",
        "href": point.get("href"),
    }


def layer(lay: modules.Layer, data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": lay.name,
        "module": lay.name.split(".")[0],
        "title": lay.title,
        "events": list(lay.events),
        "points": [_point(p) for p in (data.get("points") or []) if _placed(p)],
        "legend": [list(pair) for pair in (data.get("legend") or [])],
        "updated_at": plain(data.get("updated_at")),
        "simulated": bool(data.get("simulated")),
        "source": data.get("source"),
    }
