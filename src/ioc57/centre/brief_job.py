"""Sending the daily brief on schedule: each working day at ``IOC57_BRIEF_AT`` (07:00, Việt Nam's
time), the brief of the working day before goes to every subscriber.

The brief sent on the morning of working day D is that of the previous working day P; its span
(``brief.span``) runs from P's start to D's start, so that Monday's mail covers Friday and the
weekend, and briefs sent one after the other cover every hour once. What needs attention and the
key figures are as they stand when it is sent. Nothing is sent on a day off.

The job looks every minute; past the hour, a round sends what was not sent yet (a subscriber who
joins at 10:00 receives that morning's brief at 10:01; a mail the server refused is tried again).
``ioc57 brief send`` runs a round at once. With no SMTP server set the job does nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy.engine import Engine

from ioc57.centre.brief_mail import Round, send_round
from ioc57.core.clock import LOCAL_TZ
from ioc57.core.clock import now as clock_now
from ioc57.core.periodic import Periodic
from ioc57.core.settings import Settings
from ioc57.core.workdays import is_working_day

EVERY_S = 60.0


def previous_working_day(day: date) -> date:
    before = day - timedelta(days=1)
    while not is_working_day(before) and day - before < timedelta(days=62):
        before -= timedelta(days=1)
    return before


def due_day(at: datetime, brief_at: str) -> date | None:
    """The day whose brief is due at ``at`` (aware): the working day before, on a working day
    from ``brief_at`` on; else None."""
    local = at.astimezone(LOCAL_TZ)
    if not is_working_day(local.date()) or local.time() < time.fromisoformat(brief_at):
        return None
    return previous_working_day(local.date())


def send_due(engine: Engine, settings: Settings, at: datetime) -> Round | None:
    """Send the brief due at ``at`` to whoever was not sent it yet; None when none is due."""
    day = due_day(at, settings.brief_at)
    if day is None or not settings.smtp_host:
        return None
    return send_round(engine, settings, day, at)


class BriefJob(Periodic):
    """Looks every minute, on a daemon thread, whether a brief is due and sends it."""

    def __init__(self, engine: Engine, settings: Settings, every: float = EVERY_S) -> None:
        super().__init__("ioc57-brief", every, self._round)
        self.engine, self.settings = engine, settings

    def _round(self) -> None:
        send_due(self.engine, self.settings, clock_now())
