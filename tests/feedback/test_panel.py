"""The IOC panel of citizen reports: the page (``/feedback/panel``) writes the figures as
Vietnamese write them, the map (``/api/v1/feedback/map``) gives the open reports' places rounded,
flagged and scoped, and the overview's panel shows the person's figures linked to the page."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta

from ioc57.core.clock import LOCAL_TZ, now
from ioc57.core.workdays import add_working_days

from ..support.feedback import report
from ..support.http import auth
from ..support.sensors import PROVINCE

AGENCY = "SXD-T82"


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), LOCAL_TZ)


def page(feedback, headers=None, expect=200, **params):
    r = feedback.client.get(
        "/feedback/panel",
        params=params,
        headers=headers or feedback.admin,
        follow_redirects=False,
    )
    assert r.status_code == expect, r.text[:500]
    return r.text


def make_agency(feedback) -> None:
    body = {"code": AGENCY, "name": "Sở Xây dựng thử nghiệm", "parent": PROVINCE, "type": "sở"}
    r = feedback.client.post("/api/v1/units", json=body, headers=feedback.admin)
    assert r.status_code in (201, 409), r.text


def test_the_page_writes_the_figures_as_vietnamese_write_them(feedback):
    make_agency(feedback)
    received = date(2026, 3, 2)
    on_time, late = add_working_days(received, 15), add_working_days(received, 16)
    c = feedback.communes[0]
    feedback.push(
        [
            report(
                c,
                at=at(received),
                status="answered",
                agency=AGENCY,
                answered_at=at(day).isoformat(),
                updated_at=at(day).isoformat(),
            )
            for day in (on_time, on_time, late)
        ]
    )
    html = page(feedback, unit=PROVINCE, **{"from": "2026-03-01", "to": "2026-04-30"})
    assert "Phản ánh, kiến nghị: bảng điều hành" in html
    assert "01/03/2026 – 30/04/2026" in html
    assert "66,7%" in html  # two of three answers on time
    assert "Sở Xây dựng thử nghiệm" in html
    assert "Reports received" not in html and "Open now" not in html  # every word translated
    chart = json.loads(re.search(r'id="fb-chart-data">(.*?)</script>', html).group(1))
    assert chart["labels"] == ["03/2026", "04/2026"]
    assert chart["received"] == [3, 0] and chart["answered"] == [3, 0]
    assert chart["on_time"] == [66.7, None]
    for script in ("chartjs/chart.umd.min.js", "markercluster/leaflet.markercluster.js"):
        assert f"/static/vendor/{script}" in html
    assert "/static/modules/feedback/panel.js" in html
    assert feedback.client.get("/static/modules/feedback/panel.js").status_code == 200


def test_the_map_gives_open_reports_rounded_flagged_and_scoped(feedback, api):
    c0, c1 = feedback.communes[0], feedback.communes[1]
    old = now() - timedelta(days=20)
    late = report(c0, at=old, lat=10.3601234, lon=106.3654321, text="Đèn đường hỏng")
    fresh = report(c1, lat=10.41, lon=106.21)
    unplaced = report(c1)  # no coordinates: drawn at its commune's point
    done = report(c0, lat=10.2, lon=106.2, status="refused")
    feedback.push([late, fresh, unplaced, done])
    r = feedback.client.get("/api/v1/feedback/map", headers=feedback.admin)
    assert r.status_code == 200, r.text
    answer = r.json()
    items = {i["id"]: i for i in answer["items"]}
    assert done["id"] not in items
    shown = items[late["id"]]
    assert (shown["lat"], shown["lon"]) == (10.36, 106.365)
    assert shown["flag"] == "late" and shown["status"] == "received"
    assert shown["category_name"] == "Môi trường"
    assert "text" not in shown and "contact" not in shown and "Đèn" not in r.text
    assert items[fresh["id"]]["approximate"] is False
    assert items[unplaced["id"]]["approximate"] is True
    assert answer["total"] >= 3 and answer["rest"] == 0
    # the most urgent first, and the rest counted
    one = feedback.client.get("/api/v1/feedback/map?limit=1", headers=feedback.admin).json()
    assert len(one["items"]) == 1 and one["rest"] == answer["total"] - 1
    # an officer of a commune sees its own
    officer = api.user("canbo-xa-map", "officer", unit=c1)
    mine = feedback.client.get("/api/v1/feedback/map", headers=auth(officer)).json()
    assert {fresh["id"], unplaced["id"]} <= {i["id"] for i in mine["items"]}
    assert late["id"] not in {i["id"] for i in mine["items"]}
    r = feedback.client.get(f"/api/v1/feedback/map?unit={c0}", headers=auth(officer))
    assert r.status_code == 403


def test_an_officer_reads_the_panel_of_its_own_unit_only(feedback, api):
    c = feedback.communes[2]
    officer = api.user("canbo-xa-panel", "officer", unit=c)
    html = page(feedback, headers=auth(officer))
    assert f'data-unit="{c}"' in html
    page(feedback, headers=auth(officer), expect=403, unit=PROVINCE)
    r = feedback.client.get("/feedback/panel", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    # an agency's officer: where its reports come from, the communes named but not linked (their
    # panels are not the officer's to open)
    make_agency(feedback)
    feedback.new(2, agency=AGENCY, status="forwarded")
    officer = api.user("canbo-so-panel", "officer", unit=AGENCY)
    html = page(feedback, headers=auth(officer))
    assert f'data-unit="{AGENCY}"' in html and 'id="fb-communes"' in html
    assert f"unit={c}&" not in html
    assert f"unit={c}&" in page(feedback, unit=AGENCY)  # the admin may open it
    page(feedback, headers=auth(officer), expect=403, unit=c)


def test_the_overview_shows_the_persons_figures_linked_to_the_panel(feedback):
    feedback.new()
    r = feedback.client.get("/", headers=feedback.admin)
    assert r.status_code == 200
    assert "Phản ánh, kiến nghị 12 tháng qua" in r.text
    assert f'href="/feedback/panel?unit={PROVINCE}"' in r.text
    assert 'href="/feedback?flag=late"' in r.text
