"""The partials the home, the fragments and the wall share follow the page's DOM contract, and
say a figure as a page in its language writes it: a tile with its value, change (good or bad),
trend, status, time of update, source and the simulated label; a concern with why, since when and
how long ago, whose, the points at stake and the link to act.

A tile and a concern are given as a module's manifest gives them (``ioc57.modules``)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from ioc57.centre import shown
from ioc57.modules import Concern, Tile

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10:00 in Việt Nam
TILE = Tile(
    "services.received",
    "Dossiers received",
    render="unused:render",
    order=1,
    events=("ingest.batch:dossier",),
)
DATA = {
    "value": 12345,
    "uom": "count",
    "caption": "{quiet} of {total} quiet in {year}",
    "args": {"quiet": 1, "total": 1500, "year": 2026},
    "trend": [["2026-02-28", 10], ["2026-03-01", None], ["2026-03-02", 30]],
    "delta": -4,
    "good": "up",
    "status": "watch",
    "updated_at": NOW - timedelta(minutes=5),
    "source": "Online public services (LGSP)",
    "simulated": True,
    "href": "/services",
    "rows": [{"label": "Xã A", "value": 2.5, "href": "/services?unit=1"}],
}


def render(app, template: str, lang: str = "vi", **context) -> str:
    words = shown.Words(lang)
    page = app.state.templates.get_template(template)
    return page.render(lang=lang, _=words.tr, ngettext=words.trans.ngettext, **context)


def test_a_tile_follows_the_contract_in_vietnamese(centre_app):
    html = render(centre_app, "_tile.html", tile=shown.tile(TILE, DATA, shown.Words("vi")))
    assert re.match(
        r'<section class="tile centre-tile status-watch" data-tile="services.received" '
        r'data-events="ingest.batch:dossier"',
        html,
    )
    assert '<span class="tile-value">12.345</span>' in html
    assert "1 of 1.500 quiet in 2026" in html
    assert 'class="tile-delta delta-bad"' in html and "−4" in html  # fewer, and up is good
    assert (
        '<time class="tile-updated" datetime="2026-03-02T09:55:00+07:00">02/03/2026 09:55' in html
    )
    assert re.search(r'<polyline points="0\.0,26\.0 100\.0,2\.0"', html)  # the gap left out
    assert 'class="simulated"' in html and "/services?unit=1" in html and "2,5" in html


def test_a_tile_without_figures_says_so_plainly(centre_app):
    bare = {"value": None, "uom": "percent", "updated_at": None, "trend": [], "delta": None}
    html = render(centre_app, "_tile.html", tile=shown.tile(TILE, bare, shown.Words("en")))
    assert '<span class="tile-value">—</span>' in html
    assert "<svg" not in html and "tile-delta" not in html and "simulated" not in html
    assert '<time class="tile-updated">—</time>' in html


def test_figures_by_their_unit():
    vi, en = shown.Words("vi"), shown.Words("en")
    assert vi.figure(46.42, "percent") == "46,4 %" and en.figure(46.42, "percent") == "46.4 %"
    assert vi.figure(1.25, "g/l") == "1,25 g/l" and vi.figure(1234.5, "points") == "1.234,5"
    good = shown.delta({"delta": -3, "good": "down", "uom": "count"}, en)
    assert good == {"text": "−3", "mood": "good"}
    assert shown.delta({"delta": 2.5, "good": None}, en) == {"text": "+2.5", "mood": "flat"}


def test_a_concern_in_rank_order_with_why_since_and_whose(centre_app):
    late = Concern(
        key="services:late:agency-7",
        kind="Dossiers late",
        title="Sở Tư pháp",
        why="{count} dossiers late, {points} points at stake",
        since=NOW - timedelta(hours=3, minutes=10),
        severity=3,
        href="/services/dossiers?late=1",
        owner="Sở Tư pháp",
        args={"count": 1200, "points": 2.5},
        points=2.5,
        simulated=True,
    )
    quiet = Concern(
        key="ingest:quiet:lgsp",
        kind="Source gone quiet",
        title="LGSP",
        why="No batch since {last}",
        since=NOW - timedelta(days=3),
        severity=1,
        href="/sources/lgsp",
        args={"last": NOW - timedelta(days=3), "unknown": object()},
    )
    words = shown.Words("en")
    items = [shown.concern(c, NOW, words) for c in (late, quiet)]
    html = render(
        centre_app, "_concerns.html", "en", concerns=items, failed=1, events="a b", limit=50
    )
    keys = re.findall(r'<li class="concern [^"]*" data-key="([^"]+)" data-severity="(\d)"', html)
    assert keys == [("services:late:agency-7", "3"), ("ingest:quiet:lgsp", "1")]
    assert "1,200 dossiers late, 2.5 points at stake" in html
    assert (
        '<time datetime="2026-03-02T06:50:00+07:00">02/03/2026 06:50</time> (3 hours ago)' in html
    )
    assert "No batch since 27/02/2026 10:00" in html and "(3 days ago)" in html
    assert "Points at stake: 2.5" in html and 'href="/services/dossiers?late=1"' in html
    assert "1 source could not be read just now" in html
    assert "Nothing needs attention" not in html
    empty = render(centre_app, "_concerns.html", "en", concerns=[], failed=0, events="", limit=5)
    assert "Nothing needs attention" in empty and "could not be read" not in empty


def test_figures_from_postgresql_numerics_are_numbers():
    vi = shown.Words("vi")
    assert vi.figure(Decimal("1234.50"), "points") == "1.234,5"
    assert vi.arg(Decimal("1200")) == "1.200"
    assert shown.spark([["2026-03-01", Decimal("1")], ["2026-03-02", Decimal("2")]]) is not None
    assert shown.delta({"delta": Decimal("-1.5"), "good": "down"}, vi)["mood"] == "good"
