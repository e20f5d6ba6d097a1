"""The leader on the scorecard: where it opens, what it counts, what comes first, what it ranks."""

import re

import pytest

from ioc57.core.clock import today
from ioc57.indicators.progress import progress

from ..support.indicators import card, obs


@pytest.fixture
def en(client):
    client.cookies.set("lang", "en")  # the words of this issue are not in the vi catalogue yet
    return client


def _tiles(html: str) -> list[tuple[str, str]]:
    """(indicator, status) of each tile, in page order."""
    tiles = html[html.index('id="tiles"') : html.index("</ul>", html.index('id="tiles"'))]
    found = re.findall(r'data-status="(\w+)"[^>]*>\s*<a href="/indicators/(\w+)\?', tiles)
    return [(code, status) for status, code in found]


def _bar(html: str) -> dict[str, int]:
    bar = html[
        html.index('id="status-counts"') : html.index("</p>", html.index('id="status-counts"'))
    ]
    return {k: int(n) for k, n in re.findall(r'data-status="(\w+)"[^<]*<b>(\d+)</b>', bar)}


def _no_value(html: str) -> list[str]:
    if 'id="no-value"' not in html:
        return []
    part = html[html.index('id="no-value"') : html.index("</details>", html.index('id="no-value"'))]
    return re.findall(r'href="/indicators/(\w+)\?', part)


def test_the_scorecard_opens_on_the_latest_year_with_values_and_says_which(en, leader):
    last = today().year - 2  # nothing this year nor the year before
    leader.report(
        obs("online_dossiers", "82", str(last - 1), value=900),
        obs("online_dossiers", "82", str(last), value=1000),
    )
    html = en.get("/scorecard", params={"unit": "82"}).text
    assert f"Showing {last}, the latest year with approved values." in html
    assert f'<option value="{last}" selected>{last} (latest with values)' in html
    assert f'<option value="{last - 1}">' in html  # another year to pick
    assert [code for code, _ in _tiles(html)] == ["online_dossiers"]

    # another year asked for: shown, with the way back to the latest
    html = en.get("/scorecard", params={"unit": "82", "year": last - 1}).text
    assert f"Showing {last - 1}." in html and f"year={last}" in html

    # the indicator page opens on the same year
    html = en.get("/indicators/online_dossiers", params={"unit": "82"}).text
    assert f"Showing {last}, the latest year with approved values." in html


def test_the_latest_period_reported_is_said_as_people_say_it(en, leader):
    leader.report(obs("mobile_base_stations", "82", "202505", value=2211))
    html = en.get("/scorecard", params={"unit": "82", "year": 2025}).text
    assert "Latest period reported: <b>Month 05/2025</b>" in html
    html = en.get("/indicators/mobile_base_stations", params={"unit": "82", "year": 2025}).text
    assert "<b>Month 05/2025</b>: test: a figure reported in a test" in html  # the citation
    assert "<td>Year 2025</td>" in html  # the series table
    assert "<td>2025</td>" not in html


def test_an_indicator_with_a_status_is_a_tile_first_when_off_track_and_the_bar_counts_tiles(
    en, leader
):
    leader.report(
        # deteriorating up to 2024, nothing yet in 2025: still a tile, first of all
        obs("online_payment_rate", "82", "2023", numerator=60, denominator=100),
        obs("online_payment_rate", "82", "2024", numerator=40, denominator=100),
        # on track in 2025
        obs("online_dossier_rate", "82", "2023", numerator=20, denominator=100),
        obs("online_dossier_rate", "82", "2025", numerator=60, denominator=100),
        # one value, no target: not enough data, a tile of its own year
        obs("online_dossiers", "82", "2025", value=1000),
        # one value of an earlier year only: no status, nothing this year
        obs("online_meetings", "82", "2023", value=10),
    )
    html = en.get("/scorecard", params={"unit": "82", "year": 2025}).text
    tiles = _tiles(html)
    assert tiles == [
        ("online_payment_rate", "deterioration"),
        ("online_dossier_rate", "on_track"),
        ("online_dossiers", "not_available"),
    ]
    assert "Latest value: Year 2024; none yet for 2025" in html  # the tile says which year
    bar = _bar(html)
    assert sum(bar.values()) == len(tiles)
    assert bar["deterioration"] == 1 and bar["on_track"] == 1 and bar["not_available"] == 1
    empty = _no_value(html)
    assert "online_meetings" in empty and "online_payment_rate" not in empty
    assert f"No value: <b>{len(empty)}</b>" in html


def test_a_rank_only_when_another_province_has_a_value(en, leader):
    leader.report(obs("online_payment_rate", "82", "2025", numerator=60, denominator=100))
    html = en.get("/scorecard", params={"unit": "82", "year": 2025}).text
    tiles = html[html.index('id="tiles"') : html.index("</ul>", html.index('id="tiles"'))]
    assert "online_payment_rate" in tiles and "· Rank" not in tiles
    assert card(en, "82", 2025, "online_payment_rate")["rank"] is None
    page = en.get("/indicators/online_payment_rate", params={"unit": "82", "year": 2025}).text
    assert "nothing to rank it against" in page
    table = page[page.index('id="compare-table"') :]
    assert "<td>1</td>" not in table

    leader.report(obs("online_payment_rate", "01", "2025", numerator=70, denominator=100))
    html = en.get("/scorecard", params={"unit": "82", "year": 2025}).text
    assert "Rank 2/2" in html


def test_a_value_at_its_target_has_reached_it():
    assert progress({2024: 80}, "positive", 80, 2030).status == "target_achieved"
    assert progress({2024: 20}, "negative", 25, 2030).status == "target_achieved"
    assert progress({2024: 60}, "positive", 80, 2030).status == "not_available"
    # a share where higher is better cannot pass 100 %: at 100 there is nothing left to reach
    assert progress({2025: 100}, "positive", ceiling=100).status == "target_achieved"
    assert progress({2025: 99}, "positive", ceiling=100).status == "not_available"
    p = progress({2021: 70, 2024: 85}, "positive", 80, 2030)
    assert p.status == "target_achieved" and p.base_year == 2021 and p.projected_year == 2024


def test_a_share_at_100_percent_shows_as_target_achieved(en, leader):
    leader.report(obs("communes_fibre_broadband_rate", "82", "202505", value=100))
    assert card(en, "82", 2025, "communes_fibre_broadband_rate")["status"] == "target_achieved"
    html = en.get("/scorecard", params={"unit": "82", "year": 2025}).text
    assert ("communes_fibre_broadband_rate", "target_achieved") in _tiles(html)


def test_an_indicator_of_an_abolished_level_shows_only_for_the_years_it_applied(en, leader):
    leader.report(obs("district_iocs", "82", "2024", value=11))
    html = en.get("/scorecard", params={"unit": "82", "year": 2024}).text
    assert "district_iocs" in html
    later = max(2026, today().year)
    leader.report(obs("online_dossiers", "82", str(later), value=5))
    html = en.get("/scorecard", params={"unit": "82", "year": later}).text
    assert "district_iocs" not in html and "online_dossiers" in html
    codes = [
        i["indicator"] for i in en.get(f"/api/v1/scorecard?unit=82&year={later}").json()["items"]
    ]
    assert "district_iocs" not in codes and "work_files_online_rate_district_level" not in codes

    # its own page opens on its last year with a value, and says up to when it applied
    page = en.get("/indicators/district_iocs", params={"unit": "82"}).text
    assert "Showing 2024, the latest year with approved values." in page
    assert "it applied up to 30/06/2025" in page
    catalogue = en.get("/indicators").text
    assert "Applied up to 30/06/2025" in catalogue
