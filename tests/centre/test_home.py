"""The leader's home at ``/``: what needs attention, the key figures and the overview panels for a
person who may read the centre, scoped to their unit; the overview as it was for anyone else; and
the fragments the live script swaps in."""

from __future__ import annotations

import re

from ioc57.core.clock import today
from ioc57.units.queries import unit_at

from ..support.http import auth

COMMUNE = "28261"  # Phường Mỹ Tho: the officer's (conftest.py)


def test_a_visitor_gets_the_overview_as_before(centre_client):
    centre_client.cookies.set("lang", "en")
    page = centre_client.get("/")
    assert page.status_code == 200
    assert "<h1>Overview</h1>" in page.text
    assert 'class="panels"' in page.text
    assert 'class="concerns"' not in page.text and "live.js" not in page.text


def test_a_leader_sees_what_needs_attention_the_figures_and_the_panels(people):
    page = people.browser("leader1").get("/")
    assert page.status_code == 200
    html = page.text
    assert re.search(r'<h1 id="concerns-heading">Needs attention today</h1>', html)
    concerns = re.search(r'<ol class="concerns" data-events="[^"]*"[^>]*>(.*?)</ol>', html, re.S)
    assert concerns, html
    items = re.findall(r'<li class="concern [^"]*" data-key="([^"]+)" data-severity="(\d)"', html)
    if not items:  # no module offers a concern to this fresh database yet: the empty state
        assert "Nothing needs attention" in concerns.group(1)
    assert 'id="figures-heading"' in html and 'class="panels"' in html
    assert "<body" in html and 'id="live-status"' in html
    assert re.search(r'<time id="last-updated" datetime="[^"]+\+07:00">', html)
    assert 'src="/static/modules/centre/live.js"' in html
    assert 'href="/wall"' in html and 'href="/brief"' in html


def test_an_officer_sees_its_commune_in_the_heading(people):
    with people.api.app.state.engine.connect() as conn:
        name = unit_at(conn, COMMUNE, today()).name
    page = people.browser("officer1").get("/")
    assert f"Needs attention today — {name}</h1>" in page.text


def test_the_live_script_and_stylesheet_are_served(centre_client):
    script = centre_client.get("/static/modules/centre/live.js")
    assert script.status_code == 200 and "ioc57Live" in script.text
    assert centre_client.get("/static/modules/centre/centre.css").status_code == 200


def test_the_concerns_fragment_is_the_list_alone(people):
    fragment = people.browser("leader1").get("/centre/concerns", params={"limit": 5})
    assert fragment.status_code == 200
    assert fragment.headers["content-type"].startswith("text/html")
    assert fragment.text.startswith('<ol class="concerns"')
    assert fragment.text.rstrip().endswith("</ol>")
    assert "<header" not in fragment.text  # no page frame around it


def test_fragments_need_a_reader(centre_client, people):
    anonymous = people.api.client()
    r = anonymous.get("/centre/concerns")
    assert r.status_code == 401
    r = anonymous.get("/centre/tiles/services.received")
    assert r.status_code == 401


def test_the_concerns_fragment_refuses_a_limit_out_of_range(people):
    client = people.browser("leader1")
    for bad in ("0", "201", "many"):
        r = client.get("/centre/concerns", params={"limit": bad})
        assert r.status_code == 422, (bad, r.text)
        assert r.json()["errors"][0]["loc"] == ["query", "limit"]


def test_an_unknown_tile_is_a_404_problem(people):
    r = people.browser("leader1").get("/centre/tiles/no.such-tile")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert "no.such-tile" in r.json()["detail"]


def test_a_bearer_without_centre_read_gets_the_overview(people):
    source = people.api.client()
    token = people.api.token("admin")
    r = source.post(
        "/api/v1/sources",
        json={"name": "centre-src", "types": ["dossier"], "units": ["82"]},
        headers=auth(token),
    )
    assert r.status_code == 201, r.text
    page = source.get("/", headers=auth(r.json()["token"]) | {"cookie": "lang=en"})
    assert "<h1>Overview</h1>" in page.text and 'class="concerns"' not in page.text
