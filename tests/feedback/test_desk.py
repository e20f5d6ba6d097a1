"""The staff desk's pages: the queue (an operator sees every report, an agency's officer its own),
its filters, the call form, one report's page with the forms of the steps the person may take
now, and the count of reports past their deadline beside the navigation's entry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from ioc57.core.clock import now, today
from ioc57.feedback.deadlines import flag
from ioc57.feedback.tables import reports
from ioc57.feedback.workflow import STEPS
from ioc57.ingest.sources import simulated_source

from ..support.feedback import report
from ..support.http import auth
from .test_life import make_agency, step

AGENCY, OTHER = "DESK-A82", "DESK-B82"


@pytest.fixture(scope="module")
def desk(feedback, api):
    """Two agencies, an officer of the first, an operator and a viewer; a report forwarded to
    each agency long ago (past its deadline), and one just received."""
    make_agency(feedback, AGENCY)
    make_agency(feedback, OTHER)
    people = {
        "officer": api.user("desk-officer", "officer", unit=AGENCY),
        "operator": api.user("desk-operator", "operator"),
        "viewer": api.user("desk-viewer", "viewer"),
    }
    old = now() - timedelta(days=40)
    late_mine = feedback.new(0, received_at=old.isoformat(), category="giao-thong")
    late_other = feedback.new(1, received_at=old.isoformat())
    step(feedback, late_mine.record_id, step="forward", agency=AGENCY)
    step(feedback, late_other.record_id, step="forward", agency=OTHER)
    fresh = feedback.new(2, category="do-thi")
    return {
        "simulated": simulated_report(feedback),
        "people": people,
        "mine": late_mine.record_id,
        "other": late_other.record_id,
        "fresh": fresh.record_id,
    }


def simulated_report(feedback) -> str:
    """A report a demo's simulated source sent (labelled wherever it shows)."""
    app = feedback.api.app
    source, principal = simulated_source(
        app.state.engine, "desk-sim", "Mô phỏng", ["feedback"], ["82"], today()
    )
    record = report(feedback.communes[1])
    result = app.state.gate.ingest(
        source, "feedback", [(0, record)], principal=principal, via="push"
    )
    assert not result.rejected, result.rejected
    return record["id"]


def page(feedback, token, path, expect=200, **params):
    r = feedback.client.get(path, params=params, headers=auth(token))
    assert r.status_code == expect, r.text[:500]
    return r.text


def test_an_operator_sees_every_report_and_an_officer_only_its_agencys(feedback, desk):
    people = desk["people"]
    seen = page(feedback, people["operator"], "/feedback", status="all")
    assert all(f'data-report="{desk[k]}"' in seen for k in ("mine", "other", "fresh"))
    assert 'id="call-form"' in seen and "Nhận cuộc gọi" in seen  # the operator takes calls
    mine = page(feedback, people["officer"], "/feedback", status="all")
    assert f'data-report="{desk["mine"]}"' in mine
    assert f'data-report="{desk["other"]}"' not in mine
    assert f'data-report="{desk["fresh"]}"' not in mine
    assert 'id="call-form"' not in mine
    assert f'<option value="{AGENCY}"' in mine and f'<option value="{OTHER}"' not in mine
    page(feedback, people["officer"], f"/feedback/{desk['other']}", expect=403)
    page(feedback, people["officer"], "/feedback/NO-SUCH-REPORT", expect=404)


def test_the_queue_filters_by_status_category_agency_commune_and_deadline(feedback, desk):
    token = desk["people"]["operator"]

    def shown(**params):
        text = page(feedback, token, "/feedback", **params)
        return {k for k in ("mine", "other", "fresh") if f'data-report="{desk[k]}"' in text}

    assert shown(status="received") == {"fresh"}
    assert shown(status="forwarded") == {"mine", "other"}
    assert shown(status="all", category="giao-thong") == {"mine"}
    assert shown(status="all", agency=OTHER) == {"other"}
    assert shown(status="all", commune=feedback.communes[2]) == {"fresh"}
    assert shown(status="all", flag="late") == {"mine", "other"}
    assert "fresh" not in shown(flag="late") and not {"mine", "other"} & shown(flag="near")
    bad = page(feedback, token, "/feedback", expect=422, commune="NO-SUCH")
    assert 'id="filter-commune-error"' in bad
    page(feedback, token, "/feedback", expect=422, status="nonsense")


def test_near_deadlines_are_those_of_the_last_working_day(feedback, desk):
    token = desk["people"]["operator"]
    made = {}
    for days in range(5):
        at = now() - timedelta(days=days)
        row = feedback.new(2, received_at=at.isoformat(), category="dien-nuoc")
        made[row.record_id] = flag(row.due_on, today())
    text = page(feedback, token, "/feedback", flag="near", category="dien-nuoc")
    listed = {rid for rid in made if f'data-report="{rid}"' in text}
    assert listed == {rid for rid, f in made.items() if f == "near"}
    if listed:
        assert 'class="flag flag-near"' in text and "Sắp đến hạn" in text


def test_the_rows_show_deadline_flag_channel_and_simulated_label(feedback, desk):
    text = page(feedback, desk["people"]["operator"], "/feedback", status="all", agency=AGENCY)
    row = text.split(f'data-report="{desk["mine"]}"', 1)[1].split("</tr>", 1)[0]
    assert 'class="flag flag-late"' in row and "Tổng đài 1022" in row
    assert "/20" in row  # a day written dd/mm/yyyy
    assert "dữ liệu mô phỏng" not in row
    text = page(feedback, desk["people"]["operator"], "/feedback", commune=feedback.communes[1])
    row = text.split(f'data-report="{desk["simulated"]}"', 1)[1].split("</tr>", 1)[0]
    assert "dữ liệu mô phỏng" in row
    one = page(feedback, feedback_token(desk), f"/feedback/{desk['simulated']}")
    assert "dữ liệu mô phỏng" in one


def feedback_token(desk):
    return desk["people"]["operator"]


def test_each_step_form_shows_only_when_the_person_may_take_it(feedback, desk):
    people = desk["people"]

    def forms(token, rid):
        text = page(feedback, token, f"/feedback/{rid}")
        return {s for s in STEPS if f'data-step="{s}"' in text}

    assert forms(people["operator"], desk["fresh"]) == {"forward", "refuse", "merge"}
    assert forms(people["viewer"], desk["fresh"]) == set()
    # forwarded to the officer's agency: the officer starts, asks, answers; triage is the IOC's
    assert forms(people["officer"], desk["mine"]) == {"start", "request_info", "answer"}
    assert forms(people["operator"], desk["mine"]) == {"merge", "start", "request_info", "answer"}


def test_forward_preselects_the_routes_agency_and_the_contact_shows_to_who_may_call(feedback, desk):
    admin = feedback.admin
    r = feedback.client.put(
        "/api/v1/feedback/routes",
        json={"province": "82", "routes": {"do-thi": OTHER}},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    text = page(feedback, desk["people"]["operator"], f"/feedback/{desk['fresh']}")
    form = text.split('data-step="forward"', 1)[1].split("</form>", 1)[0]
    assert f'<option value="{OTHER}" selected>' in form
    assert 'id="contact"' in text and "0912345678" in text
    viewer = page(feedback, desk["people"]["viewer"], f"/feedback/{desk['fresh']}")
    assert 'id="contact"' not in viewer and "0912345678" not in viewer


def test_the_navigation_counts_the_reports_past_deadline_in_the_persons_scope(feedback, desk):
    people = desk["people"]
    badges = feedback.client.get("/api/v1/badges", headers=auth(people["officer"])).json()
    assert badges["badges"]["/feedback"] == 1
    # an answer not published in time is late too: the operator's default queue shows it
    received, answered = (now() - timedelta(days=d) for d in (40, 30))
    unpublished = feedback.new(
        1,
        at=received,
        status="answered",
        answer="Đã xử lý.",
        answered_at=answered.isoformat(),
    )
    assert unpublished.due_step == "publish"
    late = feedback.client.get(
        "/api/v1/feedback/reports", params={"flag": "late"}, headers=auth(people["operator"])
    ).json()["total"]
    badges = feedback.client.get("/api/v1/badges", headers=auth(people["operator"])).json()
    assert badges["badges"]["/feedback"] == late >= 3
    queue = page(feedback, people["operator"], "/feedback", flag="late")
    assert f'<span id="queue-total">{late}</span>' in queue
    assert f'data-report="{unpublished.record_id}"' in queue
    text = page(feedback, people["officer"], "/feedback")
    assert 'data-badge="/feedback"' in text and 'class="badge-count">1<' in text


def test_a_suggestion_shows_only_when_the_report_has_one_and_preselects_without_a_route(
    feedback, desk
):
    token = desk["people"]["operator"]
    row = feedback.new(0, category="y-te")  # no route for health in the province
    text = page(feedback, token, f"/feedback/{row.record_id}")
    assert 'id="suggestion"' not in text
    with feedback.api.app.state.engine.begin() as conn:
        conn.execute(
            update(reports)
            .where(reports.c.id == row.id)
            .values(suggested_category="moi-truong", suggested_agency=AGENCY)
        )
    text = page(feedback, token, f"/feedback/{row.record_id}")
    assert f'data-url="/api/v1/feedback/reports/{row.record_id}/suggestion"' in text
    form = text.split('data-step="forward"', 1)[1].split("</form>", 1)[0]
    assert f'<option value="{AGENCY}" selected>' in form


def test_a_reports_photos_show_as_thumbnails_of_the_staff_photo_address(feedback, desk):
    row = feedback.new(0, photos=["ph-one", "ph-two"])
    text = page(feedback, desk["people"]["operator"], f"/feedback/{row.record_id}")
    for photo in ("ph-one", "ph-two"):
        assert f'src="/api/v1/feedback/reports/{row.record_id}/photos/{photo}"' in text
    plain = page(feedback, desk["people"]["operator"], f"/feedback/{desk['fresh']}")
    assert 'class="photos"' not in plain
