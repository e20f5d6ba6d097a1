"""How far a unit reaches, where no boundary is at hand: its area in km².

No well-kept package ships the boundaries of the 34 provinces and 3,321 communes in force since
2025-07-01 (``vietnam-provinces`` has names and codes, ``vietnamadminunits`` a point and the area of
each commune; world outlines on npm draw the country without Hoàng Sa and Trường Sa), and the IOC
runs on a closed network: nothing is fetched. So a map draws each unit as a circle of its own area
around its point, said as such in the legend: a clear extent, not a boundary.

``vietnamadminunits`` gives the area of each current commune; a province's is the sum of its
communes'. A commune is found by its coordinates, which ``units.source`` copied from the same
package's row (unique, and unlike its codes, not renumbered). Its database file is read directly,
read-only: importing the package would load its address parser (~2 s) on the first map.
"""

from __future__ import annotations

import importlib.util
import sqlite3
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from ioc57.units.source import REORGANISED


def _dataset() -> Path | None:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "data" / "dataset.db"
    return path if path.exists() else None


@lru_cache(maxsize=1)
def _areas() -> tuple[dict[tuple[float, float], float], dict[str, float]]:
    """(commune area by (lat, lon), province area by province code), in km²."""
    path = _dataset()
    if path is None:
        return {}, {}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT provinceCode, wardLat, wardLon, wardAreaKm2 FROM admin_units"
            " WHERE wardAreaKm2 > 0"
        ).fetchall()
    communes: dict[tuple[float, float], float] = {}
    provinces: dict[str, float] = defaultdict(float)
    for province, lat, lon, area in rows:
        communes[(lat, lon)] = area
        provinces[province] += area
    # a sum of communes' areas to the hundredth of a km² (as the package gives them), not a
    # float's tail (5647.967100000001) on a page
    return communes, {code: round(total, 2) for code, total in provinces.items()}


def province_area(code: str) -> float | None:
    """The area of a province in force since 2025-07-01."""
    return _areas()[1].get(code)


def area_km2(unit: Any) -> float | None:
    """The area of a province or commune in force since 2025-07-01 (a row or a dict with ``level``,
    ``code``, ``lat``, ``lon``, ``valid_from``); None for the units before (codes were reused) and
    for agencies."""

    def get(key: str) -> Any:
        return unit[key] if isinstance(unit, dict) else getattr(unit, key)

    since = get("valid_from")
    if since is None or str(since) < REORGANISED.isoformat():
        return None
    if get("level") == "province":
        return province_area(get("code"))
    if get("level") == "commune" and get("lat") is not None:
        return _areas()[0].get((get("lat"), get("lon")))
    return None
