"""The Decision 766 pages through the ASGI client, on the hand-computed fixture of
``test_index.py`` (commune 28261 of province 82, September 2025)."""

from __future__ import annotations

import re

import pytest

from ..support.http import login


def signed_in(api, username, role, unit=None):
    """A browser-like client logged in as a new user of this role."""
    api.user(username, role, unit=unit)
    browser = api.client()
    browser.headers["accept"] = "text/html"
    login(browser, username, "password-57")
    return browser


def row(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</tr>", start)]


def test_a_leader_reads_a_communes_panel_with_every_figure(api, lgsp):
    leader = signed_in(api, "lanhdao", "leader")
    r = leader.get("/services", params={"unit": "28261", "period": "202509"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert 'id="gauge-total">46,42<' in html  # the total, as Vietnamese writes it
    assert 'stroke-dasharray="46.42 100"' in html
    assert "01/09/2025 – 30/09/2025" in html
    # a group bar against its maximum: TDGQ 10 of 20
    group = html[html.index('data-group="TDGQ"') :]
    assert 'style="width: 50.0%"' in group[:400] and '<b class="score">10</b> / 20' in group
    # an indicator with its numerator, denominator, rate and score: 2.1 is 2 of 4, 10 of 20
    two_one = row(html, 'data-indicator="2.1"')
    assert '"num">2<' in two_one and '"den">4<' in two_one and "50 %" in two_one
    assert '"score">10<' in two_one
    assert 'id="stake">5,333<' in html  # points lost per dossier finished late
    # the drill-down: up to the province, and the slot of the work list
    assert 'href="/services?unit=82&period=202509"' in html
    assert 'href="/services/dossiers?unit=28261"' in html
    assert "Hồ sơ cần xử lý" in html
    # the fixture's source is not simulated
    assert "dữ liệu mô phỏng" not in html


def test_what_cannot_be_assessed_is_never_shown_as_zero(api, lgsp):
    leader = signed_in(api, "lanhdao", "leader")
    html = leader.get("/services", params={"unit": "28249", "period": "202509"}).text
    two_one = row(html, 'data-indicator="2.1"')
    assert "không đánh giá được" in two_one and '"score">0<' not in two_one
    assert '"den">0<' in two_one  # the denominator is a count: 0 dossiers finished
    group = html[html.index('data-group="TDGQ"') :]
    assert '<b class="score">không đánh giá được</b>' in group[:600]


def test_the_province_panel_shows_its_rank_trend_and_links_to_its_rankings(api, lgsp):
    admin = api.client()
    admin.headers["accept"] = "text/html"
    login(admin, "admin", "admin-password-57")
    html = admin.get("/services", params={"unit": "82", "period": "202509"}).text
    assert re.search(r'id="province-rank"><b>1</b>/\d+', html)
    # twelve months up to September: only September had dossiers, so only its bar is drawn (the
    # others would score just their procedures and the "max if none" points), marked as shown
    assert html.count("<rect ") == 1 and html.count('class="current"') == 1
    assert html.count(": không có hồ sơ trong tháng</title>") == 11
    assert "<title>10/24: " in html and "<title>09/25: 45,84</title>" in html
    assert 'href="/services/ranking?level=commune&parent=82&period=202509"' in html
    assert 'href="/services/ranking?level=agency&parent=82&period=202509"' in html


def test_the_ranking_page_links_each_unit_to_its_panel(api, lgsp):
    leader = signed_in(api, "lanhdao", "leader")
    r = leader.get(
        "/services/ranking", params={"level": "commune", "parent": "82", "period": "202509"}
    )
    assert r.status_code == 200
    first = row(r.text, 'data-unit="28261"')
    assert 'href="/services?unit=28261&period=202509"' in first
    assert "<b>1</b>" in first and "46,42" in first
    # no dossier in August: no rank then
    assert 'title="không đổi">' not in first and 'title="lên">' not in first
    other = row(r.text, 'data-unit="28249"')  # no dossier: not ranked
    assert "<b>—</b>" in other and "không có hồ sơ trong kỳ" in other


def test_an_officer_sees_its_own_commune_and_a_translated_403_for_another(api, lgsp):
    officer = signed_in(api, "canbo.xa", "officer", unit="28261")
    r = officer.get("/services", params={"period": "202509"})  # its own unit by default
    assert r.status_code == 200 and 'id="gauge-total">46,42<' in r.text
    # the province is outside its subtree: no link up to it
    assert 'href="/services?unit=82&' not in r.text
    for path, params in (
        ("/services", {"unit": "28249"}),
        ("/services", {"unit": "82"}),
        ("/services/ranking", {"level": "commune", "parent": "82"}),
        ("/services/ranking", {"level": "commune"}),  # its province's, by default
    ):
        r = officer.get(path, params=params)
        assert r.status_code == 403, (path, params)
        assert r.headers["content-type"].startswith("text/html")
        assert "403 · Không có quyền truy cập" in r.text


@pytest.mark.parametrize(
    "path, params",
    [
        ("/services", {"unit": "nowhere"}),
        ("/services", {"unit": "82", "period": "2025Q5"}),
        ("/services", {"unit": "82", "period": "x" * 30}),
        ("/services", {"unit": "8" * 50}),
        ("/services/ranking", {"level": "district", "parent": "82"}),
        ("/services/ranking", {"level": "commune", "parent": "28261"}),
        ("/services/ranking", {"level": "province", "parent": "82"}),
        ("/services/ranking", {"level": "commune", "parent": "82", "period": "202513"}),
    ],
)
def test_bad_input_gets_a_4xx_page(api, path, params):
    admin = api.client()
    admin.headers["accept"] = "text/html"
    login(admin, "admin", "admin-password-57")
    r = admin.get(path, params=params)
    assert 400 <= r.status_code < 500, r.text
    assert r.headers["content-type"].startswith("text/html")


def test_the_pages_need_a_login_and_the_overview_shows_the_total(client, api, lgsp):
    r = client.get("/services", params={"unit": "82"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/services")
    leader = signed_in(api, "lanhdao", "leader")
    html = leader.get("/").text
    assert "Chỉ số 766" in html and "/services?unit=82&amp;period=" in html
    # an officer sees its own unit's: Hà Nội has no dossier nor report, only 5.1 and 5.2 (their
    # max when there is no report) count
    own = signed_in(api, "canbo.hn", "officer", unit="01").get("/").text
    panels = own[own.index('<div class="panels">') :]  # below the centre's tiles on the home
    panel = panels[panels.index("/services?unit=01&amp;") :]
    assert "12,00" in panel[: panel.index("</div>")]
