"""The IOC panel's figures (``/api/v1/feedback/stats``, read from the gate's rollups): received,
answered and on time within the category's deadline in working days (across a weekend and the
30/4–1/5 holidays), the citizens' ratings, month by month, by agency and by commune (whose sum is
the province's), the reports open and late now, an officer's scope and the errors that name
their field.

Each test reads a span of days that only its own reports fall in (the module's app is shared)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ioc57.core.clock import LOCAL_TZ, now, today
from ioc57.core.workdays import add_working_days

from ..support.feedback import report
from ..support.http import auth
from ..support.sensors import PROVINCE

AGENCY = "STN-T82"


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), LOCAL_TZ)


def answered(commune: str, received: date, answered_on: date, **fields) -> dict:
    """A report received on ``received`` and answered by the agency on ``answered_on``."""
    return report(
        commune,
        at=at(received),
        status="answered",
        agency=AGENCY,
        answered_at=at(answered_on, 15).isoformat(),
        updated_at=at(answered_on, 15).isoformat(),
        **fields,
    )


def stats(feedback, headers=None, expect=200, **params) -> dict:
    r = feedback.client.get(
        "/api/v1/feedback/stats", params=params, headers=headers or feedback.admin
    )
    assert r.status_code == expect, r.text
    return r.json()


def make_agency(feedback) -> None:
    body = {"code": AGENCY, "name": "Sở Tài nguyên thử nghiệm", "parent": PROVINCE, "type": "sở"}
    r = feedback.client.post("/api/v1/units", json=body, headers=feedback.admin)
    assert r.status_code in (201, 409), r.text


def test_on_time_counts_working_days_across_a_weekend_and_the_holidays(feedback):
    make_agency(feedback)
    received = date(2026, 4, 20)  # a Monday; 30/4 and 1/5 are days off, and two weekends
    last_day = add_working_days(received, 15)  # the answer deadline of the category
    assert last_day > received + timedelta(days=21)  # the holidays pushed it past 3 weeks
    late_day = add_working_days(last_day, 1)
    c = feedback.communes[0]
    feedback.push(
        [
            answered(c, received, last_day, satisfaction="satisfied"),
            answered(c, received, last_day, satisfaction="unsatisfied"),
            answered(c, received, late_day),
            report(c, at=at(received)),  # not answered
        ]
    )
    span = {"unit": c, "from": "2026-04-01", "to": "2026-05-31"}
    t = stats(feedback, **span)["totals"]
    assert t["received"] == 4
    assert (t["answered"], t["answered_on_time"]) == (3, 2)
    assert t["on_time_rate"] == 2 / 3
    assert (t["satisfied"], t["unsatisfied"], t["satisfaction_rate"]) == (1, 1, 0.5)
    # month by month: received in April, answered in May (on the day of the answer)
    months = {m["month"]: m for m in stats(feedback, by="month", **span)["by_month"]}
    assert list(months) == ["202604", "202605"]
    assert (months["202604"]["received"], months["202604"]["answered"]) == (4, 0)
    assert (months["202605"]["received"], months["202605"]["answered"]) == (0, 3)
    assert months["202605"]["answered_on_time"] == 2
    # by agency: the three answered are the agency's, the last one waits for an agency
    agencies = {a["code"]: a for a in stats(feedback, by="agency", **span)["by_agency"]}
    assert agencies[AGENCY]["received"] == 3 and agencies[AGENCY]["name"].startswith("Sở")
    assert agencies[None]["received"] == 1 and agencies[None]["answered"] == 0


def test_an_answer_pushed_later_moves_the_figures(feedback):
    c = feedback.communes[1]
    first = report(c, at=at(date(2026, 2, 3)))
    feedback.push([first])
    span = {"unit": c, "from": "2026-02-01", "to": "2026-03-31"}
    before = stats(feedback, **span)["totals"]
    assert (before["received"], before["answered"], before["on_time_rate"]) == (1, 0, None)
    make_agency(feedback)
    again = first | {
        "status": "answered",
        "agency": AGENCY,
        "answered_at": at(date(2026, 2, 5)).isoformat(),
        "updated_at": at(date(2026, 2, 5)).isoformat(),
    }
    feedback.push([again])
    after = stats(feedback, **span)["totals"]
    assert (after["received"], after["answered"], after["on_time_rate"]) == (1, 1, 1.0)


def test_the_communes_add_up_to_the_province(feedback):
    make_agency(feedback)
    day = date(2026, 7, 6)
    records = [report(c, at=at(day)) for c in feedback.communes for _ in range(2)]
    records += [answered(feedback.communes[2], day, day + timedelta(days=2))]
    feedback.push(records)
    span = {"unit": PROVINCE, "from": "2026-07-01", "to": "2026-07-31"}
    whole = stats(feedback, by=["unit", "agency", "month"], **span)
    assert whole["unit"]["code"] == PROVINCE and whole["unit"]["level"] == "province"
    assert whole["totals"]["received"] == 7
    communes = {c["code"]: c for c in whole["by_unit"]}
    assert len(communes) > 3  # every commune of the province, most without a report
    for key in ("received", "answered", "answered_on_time"):
        assert sum(c[key] for c in whole["by_unit"]) == whole["totals"][key]
        assert sum(a[key] for a in whole["by_agency"]) == whole["totals"][key]
    assert whole["unplaced"] is None
    assert [communes[c]["received"] for c in feedback.communes] == [2, 2, 3]
    assert whole["by_unit"][0]["code"] == feedback.communes[2]  # the most reports first
    assert [m["month"] for m in whole["by_month"]] == ["202607"]
    # an agency's reports by the commune they come from
    agency = stats(feedback, by=["unit"], **(span | {"unit": AGENCY}))
    assert agency["totals"]["received"] == 1
    assert [c["code"] for c in agency["by_unit"] if c["received"]] == [feedback.communes[2]]
    assert sum(c["answered"] for c in agency["by_unit"]) == agency["totals"]["answered"] == 1


def test_open_and_late_now(feedback):
    c = feedback.communes[0]
    before = stats(feedback, unit=c)["now"]
    late = now() - timedelta(days=20)  # triage within 2 working days: long past
    feedback.push([report(c, at=late), report(c), report(c, at=late, status="refused")])
    after = stats(feedback, unit=c)["now"]
    assert after["open"] - before["open"] == 2
    assert after["late"] - before["late"] == 1


def test_the_default_span_is_the_last_12_months_and_the_unit_the_persons(feedback, api):
    body = stats(feedback)
    assert body["unit"]["code"] == PROVINCE  # an admin: the first province with reports
    assert body["to"] == today().isoformat()
    start = date.fromisoformat(body["from"])
    assert start.day == 1 and (today() - start).days < 366
    officer = api.user("canbo-xa-stats", "officer", unit=feedback.communes[0])
    mine = stats(feedback, headers=auth(officer))
    assert mine["unit"]["code"] == feedback.communes[0]
    stats(feedback, headers=auth(officer), unit=PROVINCE, expect=403)
    stats(feedback, headers=auth(officer), unit=feedback.communes[1], expect=403)
    r = feedback.client.get("/api/v1/feedback/stats")
    assert r.status_code == 401


def test_a_simulated_source_is_labelled_with_its_share(feedback):
    spec = {"name": "mo-phong-1022", "types": ["feedback"], "units": [PROVINCE], "simulated": True}
    r = feedback.client.post("/api/v1/sources", json=spec, headers=feedback.admin)
    assert r.status_code == 201, r.text
    c = feedback.communes[1]
    day = date(2026, 9, 14)
    feedback.push([report(c, at=at(day))])
    r = feedback.client.post(
        "/api/v1/ingest/feedback",
        json=[report(c, at=at(day)) for _ in range(3)],
        headers=auth(r.json()["token"]),
    )
    assert r.status_code == 200 and r.json()["accepted"] == 3, r.text
    body = stats(feedback, unit=c, **{"from": "2026-09-01", "to": "2026-09-30"})
    assert body["simulated"] == {"count": 3, "share": 0.75}


def test_bad_input_names_its_field(feedback):
    for params, field in (
        ({"unit": "NO-SUCH"}, "unit"),
        ({"from": "2026-05-01", "to": "2026-04-01"}, "to"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "to"),
        ({"from": "01/05/2026"}, "from"),
        ({"from": "0001-01-01", "to": "0001-12-31"}, "from"),
        ({"by": "district"}, "by"),
    ):
        body = stats(feedback, expect=422, **params)
        assert field in str(body["errors"][0]["loc"]), body


def test_whole_months_read_from_the_monthly_rollups_add_up_as_the_days_do(feedback):
    from ioc57.feedback import stats as figures
    from ioc57.units.queries import unit_at

    # reports over a past year's months (no other test's), answered and rated
    make_agency(feedback)
    base = date(2019, 3, 1)
    records = []
    for n in range(24):
        received = base + timedelta(days=11 * n)
        late = received + timedelta(days=30 if n % 3 == 0 else 2)
        records.append(
            answered(feedback.communes[n % 2], received, late, satisfaction="satisfied")
            | {"published_at": at(late, 16).isoformat(), "updated_at": at(late, 16).isoformat()}
        )
    answer = feedback.push(records)
    assert answer["accepted"] == len(records), answer
    with feedback.api.app.state.engine.connect() as conn:
        province = unit_at(conn, PROVINCE, date(2019, 1, 1)).id  # Tiền Giang, before 2025
        spans = [
            (date(2019, 3, 1), date(2019, 12, 31)),  # whole months
            (date(2019, 3, 17), date(2019, 11, 5)),  # ragged at both ends
            (date(2019, 4, 3), date(2019, 4, 20)),  # inside one month
            (date(2019, 2, 1), date(2020, 1, 31)),
        ]
        for start, end in spans:
            by_month = figures.totals(conn, province, start, end)
            by_day = figures.Totals()
            for _u, metric, dims, _m, count in figures._rows(
                conn, [province], start, end, figures.METRICS, monthly=False
            ):
                by_day.add(metric, dims, count)
            assert by_month == by_day, (start, end)
            assert by_month.received > 0
        # Đồng Tháp of today counts the reports of the Tiền Giang it succeeded
        since = unit_at(conn, PROVINCE, today()).id
        assert province in figures.lineage(conn, since)
        assert figures.totals(conn, since, *spans[3]) == figures.totals(conn, province, *spans[3])
        months = figures.by_month(conn, province, date(2019, 3, 10), date(2019, 6, 30))
        assert (
            sum(t.received for t in months.values())
            == figures.totals(conn, province, date(2019, 3, 10), date(2019, 6, 30)).received
        )
