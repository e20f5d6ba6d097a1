"""The crops' salinity limits (``crops.toml``) and the main crops of each commune.

A station warns against the water its commune's farms draw: the strictest limit among the
commune's main crops (durian at 1‰ before rice at 2‰) is the line its salinity is held to, unless
the station has a threshold of its own. The limits are data, each with its source cited in the
file, so that an agronomist corrects a figure without touching the code.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from ioc57.sensors.tables import commune_crops

CROPS_FILE = Path(__file__).resolve().parent / "crops.toml"


@dataclass(frozen=True)
class Crop:
    key: str
    name: str  # Vietnamese
    name_en: str
    limit: float  # ‰: above it the water harms the crop
    said: str  # the threshold as the guidance writes it ("≤ 1‰", "2–3‰")
    source: str  # the cited document's title


@dataclass(frozen=True)
class Strictest:
    """The strictest salinity limit of a commune's crops, and the crops that set it."""

    limit: float
    crops: tuple[str, ...]  # keys of ``crops.toml``, the strictest first, then by name


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Crop]:
    """The crops of ``crops.toml`` by key."""
    data = tomllib.loads(CROPS_FILE.read_text(encoding="utf-8"))
    sources = data["sources"]
    return {
        key: Crop(
            key,
            c["name"],
            c["name_en"],
            float(c["limit"]),
            c["said"],
            sources[c["source"]]["title"],
        )
        for key, c in data["crops"].items()
    }


def public_crop(crop: Crop) -> dict[str, Any]:
    return {
        "crop": crop.key,
        "name": crop.name,
        "name_en": crop.name_en,
        "limit": crop.limit,
        "said": crop.said,
        "source": crop.source,
    }


def strictest_of(keys: Iterable[str]) -> Strictest | None:
    """The strictest limit among the crops ``keys`` (unknown keys ignored); None for none."""
    known = catalogue()
    crops = sorted((known[k] for k in set(keys) if k in known), key=lambda c: (c.limit, c.key))
    if not crops:
        return None
    limit = crops[0].limit
    return Strictest(limit, tuple(c.key for c in crops if c.limit == limit))


def crops_of(conn: Connection, unit_ids: Iterable[int]) -> dict[int, list[str]]:
    """The main crops of each commune among ``unit_ids`` (communes without any: absent)."""
    ids = sorted(set(unit_ids))
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    query = (
        select(commune_crops.c.unit_id, commune_crops.c.crop)
        .where(commune_crops.c.unit_id.in_(ids))
        .order_by(commune_crops.c.unit_id, commune_crops.c.crop)
    )
    for row in conn.execute(query):
        found.setdefault(row.unit_id, []).append(row.crop)
    return found


def strictest_by_unit(conn: Connection, unit_ids: Iterable[int]) -> dict[int, Strictest]:
    """``strictest`` of each commune among ``unit_ids``, in one query."""
    out: dict[int, Strictest] = {}
    for unit_id, keys in crops_of(conn, unit_ids).items():
        found = strictest_of(keys)
        if found is not None:
            out[unit_id] = found
    return out


def strictest(conn: Connection, unit_id: int) -> Strictest | None:
    """The strictest salinity limit of the commune's main crops (None: no crops known)."""
    return strictest_by_unit(conn, [unit_id]).get(unit_id)


def set_crops(
    conn: Connection, unit_id: int, province_code: str, keys: list[str], *, simulated: bool
) -> None:
    """Make ``keys`` the commune's main crops (in the caller's transaction)."""
    conn.execute(delete(commune_crops).where(commune_crops.c.unit_id == unit_id))
    if keys:
        conn.execute(
            insert(commune_crops),
            [
                {
                    "unit_id": unit_id,
                    "crop": key,
                    "province_code": province_code,
                    "simulated": simulated,
                }
                for key in sorted(set(keys))
            ],
        )
