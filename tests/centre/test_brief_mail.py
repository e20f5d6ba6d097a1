"""The daily brief by email, through a real local SMTP server: a subscriber receives the brief of
their scope with the DOCX and PDF attached, once per day whatever the rounds; a refused mail is
recorded and sent by a later round; on a day off the job sends nothing."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import pytest
from docx import Document
from sqlalchemy import select

from ioc57.centre import brief_job
from ioc57.centre.brief_mail import send_round
from ioc57.centre.tables import brief_deliveries
from ioc57.core.clock import LOCAL_TZ, now, today
from ioc57.core.workdays import is_working_day

from ..support.receivers import mail_sink
from ..support.servers import free_port


def settings(app, sink=None, **more):
    smtp = {"smtp_host": sink.host, "smtp_port": sink.port} if sink else {}
    return app.state.settings.model_copy(update=smtp | more)


def deliveries(app, day: date) -> list:
    with app.state.engine.connect() as conn:
        query = select(brief_deliveries).where(brief_deliveries.c.day == day)
        return list(conn.execute(query))


@pytest.fixture(scope="module")
def subscriber(centre_client, leader):
    r = centre_client.post("/api/v1/centre/brief/subscription", headers=leader)
    assert r.status_code == 200, r.text
    return r.json()["email"]


def at_local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), LOCAL_TZ)


def last(weekday: int, working: bool) -> date:
    """The latest day before today of that weekday (0 Monday) that is (or is not) worked."""
    day = today() - timedelta(days=1)
    while day.weekday() != weekday or is_working_day(day) != working:
        day -= timedelta(days=1)
    return day


def test_a_subscriber_receives_the_brief_once_with_both_files(centre_app, subscriber):
    day = today() - timedelta(days=3)
    with mail_sink() as sink:
        done = send_round(centre_app.state.engine, settings(centre_app, sink), day, now())
        assert (done.sent, done.failed) == (1, 0)
        (mail,) = sink.wait_for(1)
        assert mail["X-Envelope-To"] == subscriber
        assert day.strftime("%d/%m/%Y") in mail["Subject"]
        files = {p.get_filename(): p.get_content() for p in mail.iter_attachments()}
        assert set(files) == {f"ban-tin-dieu-hanh-{day}.docx", f"ban-tin-dieu-hanh-{day}.pdf"}
        doc = Document(io.BytesIO(files[f"ban-tin-dieu-hanh-{day}.docx"]))
        assert "UBND TỈNH ĐỒNG THÁP" in doc.tables[0].rows[0].cells[0].text
        assert files[f"ban-tin-dieu-hanh-{day}.pdf"].startswith(b"%PDF-")
        body = mail.get_body(("plain",)).get_content()
        assert "BẢN TIN ĐIỀU HÀNH HẰNG NGÀY" in body and "/brief" in body
        assert mail.get_body(("html",)) is not None

        again = send_round(centre_app.state.engine, settings(centre_app, sink), day, now())
        assert (again.sent, again.skipped) == (0, 1)
        assert len(sink.wait_for(2, timeout=0.5)) == 1
    (row,) = deliveries(centre_app, day)
    assert row.sent_at is not None and row.error is None


def test_a_refused_mail_is_recorded_and_sent_by_a_later_round(centre_app, subscriber):
    day = today() - timedelta(days=4)
    closed = settings(centre_app, smtp_host="127.0.0.1", smtp_port=free_port())
    done = send_round(centre_app.state.engine, closed, day, now())
    assert done.failed == 1
    (row,) = deliveries(centre_app, day)
    assert row.sent_at is None and "ConnectionRefused" in row.error
    with mail_sink() as sink:
        done = send_round(centre_app.state.engine, settings(centre_app, sink), day, now())
        assert done.sent == 1 and len(sink.wait_for(1)) == 1
    (row,) = deliveries(centre_app, day)
    assert row.sent_at is not None and row.error is None


def test_on_a_sunday_the_job_sends_nothing(centre_app, subscriber):
    sunday = last(6, working=False)
    with mail_sink() as sink:
        used = settings(centre_app, sink)
        assert brief_job.send_due(centre_app.state.engine, used, at_local(sunday, 9)) is None
        assert sink.wait_for(1, timeout=0.3) == []


def test_on_a_working_morning_the_job_sends_the_previous_working_day(centre_app, subscriber):
    monday = last(0, working=True)
    friday = brief_job.previous_working_day(monday)
    assert friday < monday - timedelta(days=1)  # the weekend is between: part of Friday's span
    with mail_sink() as sink:
        used = settings(centre_app, sink, brief_at="07:00")
        engine = centre_app.state.engine
        assert brief_job.send_due(engine, used, at_local(monday, 6)) is None  # not yet
        done = brief_job.send_due(engine, used, at_local(monday, 7))
        assert done is not None and done.sent == 1
        (mail,) = sink.wait_for(1)
    assert friday.strftime("%d/%m/%Y") in mail["Subject"]
    assert [r.user_id for r in deliveries(centre_app, friday)] != []
