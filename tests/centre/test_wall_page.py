"""``/wall``: the wall's own full-screen page for anyone who reads the centre (a leader, a viewer
— as a wall display is), with the live-state markers of the DOM contract; the panels whose module
offers nothing here are left out and the others fill the page; ``?page=N`` pins a page."""

from __future__ import annotations

import re

import orjson
from sqlalchemy import insert

from ioc57.centre.tables import wall_layouts
from ioc57.core.clock import now

from ..support.http import auth

SMALL = {
    "title": "Small",
    "pages": [
        {
            "title": "First",
            "rows": 1,
            "panels": [{"kind": "concerns", "cols": 6}, {"kind": "feed", "cols": 6}],
        },
        {"title": "Second", "seconds": 10, "panels": [{"kind": "concerns", "cols": 4}]},
    ],
}


def test_the_wall_shows_a_leader_and_a_viewer_its_pages(centre_client, centre_api):
    for username, role in (("wall-leader", "leader"), ("wall-watcher", "viewer")):
        r = centre_client.get("/wall", headers=auth(centre_api.user(username, role)))
        assert r.status_code == 200, r.text
        page = r.text
        assert 'data-live="connecting"' in page and 'id="live-status"' in page
        assert re.search(r'<time id="last-updated" datetime="[^"]+\+07:00">', page)
        assert 'class="top"' not in page  # not the site's page: no navigation, no width limit
        assert '<ol class="concerns"' in page
        titles = re.findall(
            r'class="wall-page" data-page="\d" data-seconds="\d+"\s+data-title="([^"]+)"', page
        )
        # the shipped layout's pages (those whose tiles have no figure on an empty database, left out)
        assert titles[:3] == [  # in Vietnamese, the pages' first language
            "Cần chú ý hôm nay",
            "Dịch vụ công và phản ánh, kiến nghị",
            "Quan trắc và cảnh báo",
        ]
        assert 'data-tile="feedback.open"' in page and 'class="wall-map"' in page


def test_panels_of_modules_gone_are_left_out_and_the_rest_fill_the_page(
    centre_app, centre_client, centre_api
):
    """A layout saved while a module was installed, that module since removed: its tile is
    left out, the concerns beside it take the whole page."""
    spec = {
        "title": "Old",
        "pages": [
            {
                "title": "Then",
                "rows": 2,
                "panels": [
                    {"kind": "concerns", "cols": 6, "rows": 2},
                    {"kind": "tile", "tile": "gone.tile", "cols": 6, "rows": 2},
                ],
            },
            {"title": "Gone", "panels": [{"kind": "map", "layers": ["gone.layer"]}]},
        ],
    }
    with centre_app.state.engine.begin() as conn:
        conn.execute(
            insert(wall_layouts).values(
                name="old", title="Old", spec=orjson.dumps(spec).decode(), updated_at=now()
            )
        )
    page = centre_client.get("/wall/old", headers=auth(centre_api.user("wall-old", "viewer"))).text
    assert page.count('class="wall-page"') == 1  # the page with nothing left is not shown
    assert "grid-column: 1 / span 12; grid-row: 1 / span 2" in page
    assert "gone.tile" not in page


def test_a_named_layout_and_a_pinned_page(centre_client, centre_api):
    operator = auth(centre_api.user("wall-arranger", "operator"))
    assert (
        centre_client.put("/api/v1/centre/layouts/small", json=SMALL, headers=operator).status_code
        == 201
    )
    page = centre_client.get("/wall/small?page=2", headers=operator).text
    assert 'data-pinned="2"' in page
    assert re.search(r'data-page="1" data-seconds="30"\s+data-title="First"[^>]*hidden>', page)
    assert re.search(r'data-page="2" data-seconds="10"\s+data-title="Second"[^>]*>', page)
    assert 'data-fragment="/centre/feed?limit=12"' in page  # the alert feed, swapped on its own
    feed = centre_client.get("/centre/feed?limit=5", headers=operator)
    assert feed.status_code == 200
    assert feed.text.startswith('<ol class="concerns"') and "/centre/feed?limit=5" in feed.text
    assert centre_client.get("/wall/nowhere", headers=operator).status_code == 404
    assert centre_client.get("/wall/small?page=0", headers=operator).status_code == 422


def test_a_visitor_is_sent_to_log_in(centre_client):
    r = centre_client.get("/wall", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/wall")
    assert centre_client.get("/centre/feed").status_code == 401
