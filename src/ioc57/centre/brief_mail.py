"""The daily brief by email: to each subscriber with an email address, the brief of their own
scope (their unit) as text and HTML, its DOCX and PDF attached, through the app's SMTP server.

One row of ``brief_deliveries`` per (day, subscriber), inserted before the mail is handed over
(whoever inserts it sends it): a round killed and run again sends no brief twice. A mail the
server refused keeps its error on the row and is tried again by the next round; a row with
neither error nor time sent (a round killed while sending) is left alone, since the mail may
have gone."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from html import escape
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, Engine

from ioc57.accounts.tables import users
from ioc57.centre import brief as content
from ioc57.centre.brief_docx import docx_bytes, marks
from ioc57.centre.brief_pdf import pdf_bytes
from ioc57.centre.tables import brief_deliveries, brief_subscriptions
from ioc57.core import mail
from ioc57.core.access import Principal
from ioc57.core.db import insert_once
from ioc57.core.settings import Settings
from ioc57.units.tables import units

log = logging.getLogger(__name__)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Round:
    sent: int = 0
    failed: int = 0
    skipped: int = 0  # sent before, or being sent by another round


def filename(day: date, ext: str) -> str:
    return f"ban-tin-dieu-hanh-{day.isoformat()}.{ext}"


def text_of(brief: content.Brief, href: str) -> str:
    say = brief.say
    lines = [brief.title, brief.subject, "", say("intro"), *brief.notes, "", say("attention")]
    if not brief.attention:
        lines.append(say("nothing"))
    for n, x in enumerate(brief.attention, 1):
        owner = f" — {x.owner}" if x.owner else ""
        lines.append(f"{n}. {x.kind}{marks(brief, x)}: {x.title}. {x.why} ({x.since}){owner}")
    if brief.more:
        lines.append(say("more").format(count=brief.more))
    lines += ["", say("figures")]
    lines += [f"- {f.title}: {f.value} ({f.caption}) {f.change}".rstrip() for f in brief.figures]
    if not brief.figures:
        lines.append(say("no_figures"))
    lines += ["", say("changes")]
    for kind, items in brief.changes:
        lines.append(f"- {kind}: {len(items)}")
    if not brief.changes:
        lines.append(say("no_changes"))
    lines += ["", say("made").format(made=brief.made), say("unsubscribe").format(href=href)]
    return "\n".join(lines)


def html_of(text: str) -> str:
    paragraphs = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in text.split("\n\n"))
    return f'<!doctype html><html><body style="font-family:serif">{paragraphs}</body></html>'


def message(
    brief: content.Brief, to: str, settings: Settings, docx: bytes, pdf: bytes
) -> EmailMessage:
    out = EmailMessage(policy=mail.MAIL_POLICY)
    out["Subject"] = brief.say("subject_mail").format(day=brief.subject)
    out["From"] = settings.smtp_from
    out["To"] = to
    text = text_of(brief, settings.url.rstrip("/") + "/brief")
    out.set_content(text)
    out.add_alternative(html_of(text), subtype="html")
    maintype, subtype = DOCX.split("/")
    out.add_attachment(docx, maintype, subtype, filename=filename(brief.day, "docx"))
    out.add_attachment(pdf, "application", "pdf", filename=filename(brief.day, "pdf"))
    return out


def subscribers(conn: Connection) -> list[Any]:
    """The enabled subscribers who have an email address, with their unit's code."""
    query = (
        select(users, units.c.code.label("unit_code"))
        .join(brief_subscriptions, brief_subscriptions.c.user_id == users.c.id)
        .outerjoin(units, units.c.id == users.c.unit_id)
        .where(users.c.disabled.is_(False), func.coalesce(users.c.email, "") != "")
        .order_by(users.c.id)
    )
    return list(conn.execute(query))


def _claim(conn: Connection, day: date, user_id: int) -> bool:
    """Whether this round sends the brief of ``day`` to the user: a new row, or one whose mail
    was refused (its error cleared, compared and set: two rounds do not both take it)."""
    new = insert_once(conn, brief_deliveries, ["day", "user_id"]).values(day=day, user_id=user_id)
    if conn.execute(new.returning(brief_deliveries.c.id)).first() is not None:
        return True
    d = brief_deliveries.c
    row = conn.execute(select(d.error, d.sent_at).where(d.day == day, d.user_id == user_id)).first()
    if row is None or row.sent_at is not None or row.error is None:
        return False
    retry = update(brief_deliveries).where(d.day == day, d.user_id == user_id, d.error == row.error)
    return conn.execute(retry.values(error=None)).rowcount == 1


def send_round(engine: Engine, settings: Settings, day: date, at: datetime) -> Round:
    """Send the brief of ``day`` (made at ``at``) to every subscriber not sent it yet."""
    with engine.connect() as conn:
        people = subscribers(conn)
    done = Round()
    for person in people:
        with engine.begin() as conn:
            claimed = _claim(conn, day, person.id)
        if not claimed:
            done = Round(done.sent, done.failed, done.skipped + 1)
            continue
        error = _send(engine, settings, person, day, at)
        d = brief_deliveries.c
        values = {"error": error[:500]} if error else {"sent_at": at, "error": None}
        with engine.begin() as conn:
            where = (d.day == day, d.user_id == person.id)
            conn.execute(update(brief_deliveries).where(*where).values(**values))
        ok = error is None
        done = Round(done.sent + ok, done.failed + (not ok), done.skipped)
    return done


def _send(engine: Engine, settings: Settings, person: Any, day: date, at: datetime) -> str | None:
    """Make and send one brief; the reason it was not sent, or None."""
    principal = Principal(
        person.id, person.username, person.role, person.unit_id, person.unit_code, "brief"
    )
    try:
        with engine.connect() as conn:
            brief = content.make(conn, principal, day, at, settings.default_lang)
        docx, pdf = docx_bytes(brief), pdf_bytes(brief, settings.brief_font_dir)
        mail.send(settings, message(brief, person.email, settings, docx, pdf))
    except mail.NotSent as exc:
        return str(exc)
    except Exception as exc:  # a brief that cannot be made: recorded, the round goes on
        log.exception("the brief of %s for user %s could not be made", day, person.id)
        return f"{type(exc).__name__}: {exc}"
    return None
