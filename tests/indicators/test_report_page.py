"""An officer reports a few figures on the report page: the navigation leads there, their unit
and its due periods are chosen, the form sends values with their source and evidence, the errors
say their code, and the leader's review shows the period as people say it and the share."""

from __future__ import annotations

import re

from sqlalchemy import select

from ioc57.core.clock import today
from ioc57.core.i18n import gettext
from ioc57.core.periods import spoken
from ioc57.indicators.due import due_list, last_ended
from ioc57.ingest.tables import batches, raw_payloads
from ioc57.units.tables import units

from ..support.http import login
from ..support.indicators import obs
from .test_template import person, stored

CITED = "Báo cáo số 7/BC-UBND ngày 05/10/2025"
MONTH = last_ended("month", today()).code
YEAR = last_ended("year", today()).code
RATE = f"online_dossier_rate.{MONTH}"


def nav(page: str) -> str:
    return page.split('aria-label="Điều hướng chính"', 1)[1].split("</nav>", 1)[0]


def send(browser, csrf, fields: dict, evidence=None):
    files = {"evidence": evidence} if evidence else {"evidence": ("", b"", "application/pdf")}
    return browser.post(
        "/indicators/report",
        data={"csrf_token": csrf, "unit": "82", **fields},
        files=files,
        headers={"Accept": "text/html"},
        follow_redirects=False,
    )


def due_row(page: str, key: str) -> str:
    return page.split(f'<tr data-key="{key}">', 1)[1].split("</tr>", 1)[0]


def test_the_navigation_leads_those_who_report_and_only_them(client, api):
    for username, role, unit, shown in (
        ("bao.cao", "officer", "82", True),
        ("lanh.dao", "leader", None, True),
        ("nguoi.xem", "viewer", None, False),
        ("van.hanh", "operator", None, False),
    ):
        browser, _, _ = person(api, username, role, unit)
        links = nav(browser.get("/").text)
        assert ('href="/indicators/report"' in links) is shown, role
        assert 'href="/scorecard"' in links  # the others stay for everyone
    # the page is "Report figures", not also "Indicators" whose address begins its own
    browser = api.client()
    login(browser, "bao.cao", "password-57")
    links = nav(browser.get("/indicators/report").text)
    assert re.findall(r'href="([^"]+)" aria-current="page"', links) == ["/indicators/report"]
    links = nav(browser.get("/indicators/online_dossier_rate").text)
    assert re.findall(r'href="([^"]+)" aria-current="page"', links) == ["/indicators"]


def test_the_officer_sees_their_unit_and_what_is_due_for_which_period(client, api):
    browser, _, _ = person(api, "bao.cao", "officer", "82")
    page = browser.get("/indicators/report").text  # no unit, no period: theirs, the due ones
    assert re.search(r'<option value="82" selected>', page)
    monthly, yearly = due_row(page, RATE), due_row(page, f"patent_applications.{YEAR}")
    assert spoken(MONTH, "vi") in monthly and spoken(YEAR, "vi") in yearly
    assert spoken(MONTH, "vi") != MONTH  # as people say it, not the code
    assert "Chưa báo cáo" in monthly or "Not reported yet" in monthly
    # the form opens on a value still to report; a ratio asks for its two parts
    page = browser.get("/indicators/report", params={"pick": RATE}).text
    assert f'name="numerator.{RATE}"' in page and f'name="denominator.{RATE}"' in page
    assert 'class="figure share" data-factor="100.0"' in page
    assert f'name="value.{RATE}"' not in page


def test_an_officer_sends_one_value_with_its_evidence_and_the_leader_sees_its_share(
    client, api, app
):
    browser, csrf, token = person(api, "bao.cao", "officer", "82")
    fields = {"source": CITED, f"numerator.{RATE}": "45", f"denominator.{RATE}": "60"}
    r = send(browser, csrf, fields, ("bien-ban.pdf", b"%PDF-1.4 evidence", "application/pdf"))
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/indicators/report?unit=82&sent=1"
    value = stored(client, token)["online_dossier_rate"]
    assert (value["numerator"], value["denominator"], value["status"]) == (45, 60, "submitted")
    assert value["citation"] == CITED and value["period"] == MONTH
    with app.state.engine.connect() as conn:  # the evidence is kept with the value's batch
        kept = conn.execute(
            select(batches.c.filename, raw_payloads.c.content_type, raw_payloads.c.size)
            .join(raw_payloads, raw_payloads.c.batch_id == batches.c.id)
            .where(batches.c.filename == "bien-ban.pdf")
        ).all()
    assert kept == [("bien-ban.pdf", "application/pdf", len(b"%PDF-1.4 evidence"))]
    page = browser.get(r.headers["location"]).text
    assert 'id="sent"' in page
    assert "75" in due_row(page, RATE)  # the share of what it reported, with its status

    api.user("lanhdao.82", "leader", unit="82")
    leader = api.client()
    login(leader, "lanhdao.82", "password-57")
    review = leader.get("/indicators/review").text
    # the leader is led there: the entry counts the values waiting for them; the officer has none
    count = re.search(
        r'href="/indicators/review"[^>]*>[^<]*<span class="badge"[^>]*>.*?'
        r'class="badge-count">(\d+)<',
        nav(review),
        re.S,
    )
    assert count is not None and count[1] == "1", nav(review)
    assert 'href="/indicators/review"' not in nav(page)
    row = review.split('id="waiting"', 1)[1]
    # the evidence opens from the review, as it was sent; for the reviewer only
    link = re.search(r'href="(/indicators/review/\d+/file)"', row)
    assert link is not None, row
    sent = leader.get(link[1])
    assert sent.status_code == 200 and sent.content == b"%PDF-1.4 evidence"
    assert sent.headers["content-type"] == "application/pdf"
    assert 'filename="bien-ban.pdf"' in sent.headers["content-disposition"]
    assert browser.get(link[1]).status_code == 403  # the officer does not review
    assert f'data-period="{MONTH}">{spoken(MONTH, "vi")}</td>' in row
    assert re.search(r'class="figure">75 ', row)  # 45 / 60 × 100, not "—"


def test_the_form_says_what_is_wrong_with_a_code(client, api):
    browser, csrf, token = person(api, "bao.cao", "officer", "82")
    r = send(
        browser, csrf, {"source": CITED, f"numerator.{RATE}": "bốn", f"denominator.{RATE}": "6"}
    )
    assert r.status_code == 422 and 'data-code="indicators.not_a_number"' in r.text
    assert 'value="bốn"' in r.text  # what was typed stays
    r = send(browser, csrf, {f"numerator.{RATE}": "4", f"denominator.{RATE}": "6"})
    assert r.status_code == 422 and 'data-code="indicators.source_missing"' in r.text
    r = send(browser, csrf, {"source": CITED})
    assert r.status_code == 422 and 'data-code="indicators.nothing_filled"' in r.text
    # the gate's own check of a percentage: more than the whole
    r = send(browser, csrf, {"source": CITED, f"numerator.{RATE}": "7", f"denominator.{RATE}": "6"})
    assert r.status_code == 422 and 'data-code="indicators.over_denominator"' in r.text
    assert stored(client, token) == {}


def test_a_unit_outside_the_officers_scope_is_refused(client, api):
    browser, csrf, token = person(api, "bao.cao", "officer", "82")
    page = browser.get("/indicators/report", params={"unit": "01"})
    assert page.status_code == 403 and 'data-code="indicators.out_of_scope"' in page.text
    r = browser.post(
        "/indicators/report",
        data={
            "csrf_token": csrf,
            "unit": "01",
            "source": CITED,
            f"value.hotline_1022_reports.{MONTH}": "3",
        },
        files={"evidence": ("", b"", "application/pdf")},
        headers={"Accept": "text/html"},
        follow_redirects=False,
    )
    assert r.status_code == 403 and stored(client, token) == {}
    page = browser.get("/indicators/report", params={"unit": "82", "period": "2025W37"})
    assert page.status_code == 422 and 'data-code="indicators.period_short"' in page.text
    page = browser.get("/indicators/report", params={"unit": "82", "period": "2025-09"})
    assert page.status_code == 422 and 'data-code="indicators.period_invalid"' in page.text


def test_an_indicator_error_through_the_api_carries_its_code(client, api, officer):
    answer = officer.report(obs("online_dossier_rate", "82", MONTH, numerator=7.0, denominator=6.0))
    [rejected] = answer["rejected"]
    [error] = rejected["errors"]
    assert error["code"] == "indicators.over_denominator" and error["loc"] == ["numerator"]


def test_an_officers_overview_and_scorecard_speak_of_their_own_unit(client, api):
    with api.app.state.engine.connect() as conn:
        ward = conn.execute(
            select(units.c.code)
            .where(units.c.level.in_(("ward", "commune")), units.c.valid_to.is_(None))
            .order_by(units.c.code)
        ).scalar()
    browser, _, _ = person(api, "bao.cao", "officer", ward)
    home = browser.get("/").text
    due = gettext("vi", "Figures your unit still has to report")
    assert f'<a href="/indicators/report">{due}</a>' in home
    count = home.split(due, 1)[1].split('class="figure">', 1)[1].split("<", 1)[0]
    assert int(count) == len(due_list_of(api, ward))
    page = browser.get("/scorecard", params={"unit": ward}).text
    label = page.split('<form class="search"', 1)[1].split("<select", 1)[0]
    assert gettext("vi", "Commune or ward") in label and gettext("vi", "Province") not in label


def due_list_of(api, code):
    with api.app.state.engine.connect() as conn:
        unit = conn.execute(select(units.c.id).where(units.c.code == code)).scalar()
        return [d for d in due_list(conn, unit, today()) if d.stored is None]


def test_the_entry_page_offers_units_by_name_and_periods_as_people_say_them(client, api):
    browser, _, _ = person(api, "bao.cao", "officer", "82")
    page = browser.get("/indicators/entry").text  # their unit and last month, chosen
    assert re.search(r'<option value="82" selected>[^<\d]+</option>', page)
    assert f'<option value="{MONTH}" selected>{spoken(MONTH, "vi")}</option>' in page
    assert f"{spoken(MONTH, 'vi')}." in page.split('id="choice"', 1)[1].split("</p>", 1)[0]
