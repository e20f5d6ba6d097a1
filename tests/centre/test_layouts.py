"""Wall layouts as data: the shipped ones are valid and fill their pages; a layout that is not
well formed is refused naming what is wrong; panels left out leave no hole in the grid."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ioc57.centre.layouts import COLUMNS, SHIPPED_TITLES, Layout, Panel, placed, shipped


def cells(spots, rows: int) -> list[list[int]]:
    """How many panels cover each cell of the grid."""
    grid = [[0] * COLUMNS for _ in range(rows)]
    for col, row, w, h in spots:
        for r in range(row - 1, row - 1 + h):
            for c in range(col - 1, col - 1 + w):
                grid[r][c] += 1
    return grid


def test_the_shipped_layouts_fill_every_page_without_overlap():
    assert "dieu-hanh" in shipped() and len(shipped()["dieu-hanh"].pages) == 4
    for layout in shipped().values():
        for page in layout.pages:
            spots = placed(page.panels, page.rows)
            assert spots is not None
            assert all(n == 1 for row in cells(spots, page.rows) for n in row), page.title


def test_panels_left_out_leave_no_hole():
    """A page of four tiles beside a map, three of the tiles' modules missing: the one left
    grows right and down into the cells of the others."""
    panels = [
        Panel(kind="map", layers=["a"], cols=6, rows=2),
        Panel(kind="tile", tile="one", cols=3),
    ]
    spots = placed(panels, 2)
    assert spots is not None
    assert all(n == 1 for row in cells(spots, 2) for n in row)
    assert spots == [(1, 1, 6, 2), (7, 1, 6, 2)]


def test_a_layout_that_does_not_fit_or_is_incomplete_is_refused():
    page = {"title": "t", "rows": 1, "panels": [{"kind": "concerns", "cols": 8}] * 2}
    with pytest.raises(ValidationError, match="do not fit|more than"):
        Layout.model_validate({"title": "x", "pages": [page]})
    with pytest.raises(ValidationError) as caught:
        Layout.model_validate(
            {"title": "x", "pages": [{"title": "t", "panels": [{"kind": "tile"}]}]}
        )
    assert "names its tile" in str(caught.value)
    with pytest.raises(ValidationError):
        Layout.model_validate(
            {"title": "x", "pages": [{"title": "t", "panels": [{"kind": "map"}]}]}
        )
    with pytest.raises(ValidationError):  # an unknown field is a mistake, not ignored
        Layout.model_validate(
            {"title": "x", "pages": [{"title": "t", "panels": [{"kind": "feed", "colour": 1}]}]}
        )


def test_every_shipped_title_is_in_the_catalogue():
    """The TOML is not extracted for translation: its titles are named in ``SHIPPED_TITLES``."""
    titles = {
        t for layout in shipped().values() for t in (layout.title, *(p.title for p in layout.pages))
    }
    assert titles <= set(SHIPPED_TITLES), titles - set(SHIPPED_TITLES)
