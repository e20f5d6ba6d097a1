"""Named wall layouts as data: those shipped in ``layouts.toml`` and those saved in ``wall_layouts``
(a saved layout of a shipped one's name overrides it). A layout is pages shown in turn, each a
grid of panels (a tile, the ranked concerns, the map with its layers, the alert feed) on 12 columns
and ``rows`` rows; ``placed`` packs the panels that have something to show so the grid fills."""

from __future__ import annotations

import tomllib
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from ioc57.centre.registry import offered
from ioc57.centre.tables import wall_layouts
from ioc57.core.i18n import N_
from ioc57.core.problems import field_error

SHIPPED = Path(__file__).resolve().parent / "layouts.toml"
COLUMNS = 12
NAME = r"^[a-z0-9][a-z0-9-]{0,59}$"
DEFAULT = "dieu-hanh"  # the layout of ``/wall``
# the titles of the shipped layouts and their pages, for the catalogue (the TOML is not extracted;
# tests/centre/test_layouts.py checks that each title there is here)
SHIPPED_TITLES = (
    N_("Operations centre"),
    N_("What needs attention today"),
    N_("Public services and citizen reports"),
    N_("Sensors and alerts"),
    N_("Traced farms and the data coming in"),
    N_("Alerts and sensors"),
)


class Panel(BaseModel):
    """One panel: ``cols`` × ``rows`` cells of its page's grid."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["tile", "concerns", "map", "feed"]
    tile: str | None = Field(None, max_length=60)  # kind "tile": the tile's name
    layers: list[str] = Field(default_factory=list, max_length=8)  # kind "map": layer names
    cols: int = Field(4, ge=1, le=COLUMNS)
    rows: int = Field(1, ge=1, le=8)

    @model_validator(mode="after")
    def _complete(self) -> Panel:
        if self.kind == "tile" and not self.tile:
            raise ValueError("a tile panel names its tile")
        if self.kind != "tile" and self.tile:
            raise ValueError("only a tile panel names a tile")
        if self.kind == "map" and not self.layers:
            raise ValueError("a map panel names at least one layer")
        if self.kind != "map" and self.layers:
            raise ValueError("only a map panel has layers")
        return self


class Page(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)  # a message id, translated where it shows
    seconds: int = Field(30, ge=5, le=3600)  # how long it shows before the next
    rows: int = Field(3, ge=1, le=8)
    panels: list[Panel] = Field(min_length=1, max_length=24)

    @model_validator(mode="after")
    def _fits(self) -> Page:
        if sum(p.cols * p.rows for p in self.panels) > COLUMNS * self.rows:
            raise ValueError(f"the panels need more than {COLUMNS} × {self.rows} cells")
        if placed(self.panels, self.rows) is None:
            raise ValueError(f"the panels do not fit on {COLUMNS} columns × {self.rows} rows")
        return self


class Layout(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    pages: list[Page] = Field(min_length=1, max_length=12)


def placed(panels: list[Panel], rows: int) -> list[tuple[int, int, int, int]] | None:
    """Each panel's (column, row, column span, row span), 1-based: packed in order into the first
    free place (as CSS's dense flow), then each grown right and down into cells left empty, so
    the grid fills; None when they do not fit."""
    free = [[True] * COLUMNS for _ in range(rows)]
    spots: list[list[int]] = []
    for panel in panels:
        first = _first_free(free, panel.cols, panel.rows)
        if first is None:
            return None
        spots.append([first[0], first[1], panel.cols, panel.rows])
        _take(free, *spots[-1])
    for spot in spots:  # grow right, then down, while the cells are empty
        col, row, w, h = spot
        while col + w < COLUMNS and all(free[r][col + w] for r in range(row, row + h)):
            _take(free, col + w, row, 1, h)
            w += 1
        while row + h < rows and all(free[row + h][c] for c in range(col, col + w)):
            _take(free, col, row + h, w, 1)
            h += 1
        spot[2:] = [w, h]
    return [(c + 1, r + 1, w, h) for c, r, w, h in spots]


def _first_free(free: list[list[bool]], w: int, h: int) -> tuple[int, int] | None:
    for row in range(len(free) - h + 1):
        for col in range(COLUMNS - w + 1):
            if all(free[r][c] for r in range(row, row + h) for c in range(col, col + w)):
                return col, row
    return None


def _take(free: list[list[bool]], col: int, row: int, w: int, h: int) -> None:
    for r in range(row, row + h):
        for c in range(col, col + w):
            free[r][c] = False


def unknown_names(layout: Layout) -> None:
    """422 naming the first panel's field whose tile or layer no installed module offers."""
    there = offered()
    for i, page in enumerate(layout.pages):
        for j, panel in enumerate(page.panels):
            where = f"body.pages.{i}.panels.{j}"
            if panel.tile and there.tile(panel.tile) is None:
                raise field_error(f"{where}.tile", f"no module offers a tile {panel.tile!r}")
            for k, name in enumerate(panel.layers):
                if there.layer(name) is None:
                    raise field_error(f"{where}.layers.{k}", f"no module offers a layer {name!r}")


@cache
def shipped() -> dict[str, Layout]:
    with SHIPPED.open("rb") as handle:
        data = tomllib.load(handle)
    return {name: Layout.model_validate(spec) for name, spec in data.items()}


def saved(conn: Connection) -> dict[str, dict[str, Any]]:
    rows = conn.execute(select(wall_layouts).order_by(wall_layouts.c.name))
    return {row.name: dict(row._mapping) for row in rows}


def every(conn: Connection) -> list[dict[str, Any]]:
    """Every named layout: name, title, pages, where it comes from and when it was saved."""
    found = {
        n: {"layout": lay, "source": "shipped", "updated_at": None} for n, lay in shipped().items()
    }
    for name, row in saved(conn).items():
        found[name] = {
            "layout": Layout.model_validate_json(row["spec"]),
            "source": "saved",
            "updated_at": row["updated_at"],
        }
    return [{"name": name} | found[name] for name in found]


def find(conn: Connection, name: str) -> dict[str, Any] | None:
    return next((item for item in every(conn) if item["name"] == name), None)


def save(conn: Connection, name: str, layout: Layout, user_id: int | None, at: datetime) -> bool:
    """Store ``layout`` as ``name``; True when it is new (no saved layout of that name)."""
    values = {
        "title": layout.title,
        "spec": orjson.dumps(layout.model_dump()).decode(),
        "updated_at": at,
        "updated_by": user_id or None,
    }
    done = conn.execute(update(wall_layouts).where(wall_layouts.c.name == name).values(**values))
    if done.rowcount:
        return False
    conn.execute(insert(wall_layouts).values(name=name, **values))
    return True


def remove(conn: Connection, name: str) -> bool:
    return bool(conn.execute(delete(wall_layouts).where(wall_layouts.c.name == name)).rowcount)
