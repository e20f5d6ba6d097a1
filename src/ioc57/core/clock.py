"""The one clock of ioc57: the time now in UTC, today's date in Việt Nam, and the conversions
between a time as stored (UTC) and as a person in Việt Nam means it (Asia/Ho_Chi_Minh).

Every module asks this file for the time, so that there is one place to read what "now" means.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Việt Nam."""
    return datetime.now(LOCAL_TZ).date()


def to_utc(value: datetime) -> datetime:
    """``value`` in UTC; a time without an offset is read as Việt Nam's local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(UTC)


def stored_utc(value: datetime) -> datetime:
    """A time read back from the database in UTC: SQLite returns it without its offset."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local_iso(value: datetime | None) -> str | None:
    """A time read back from the database as the API gives it: Việt Nam's time, ISO with its
    offset; None stays None."""
    return stored_utc(value).astimezone(LOCAL_TZ).isoformat() if value is not None else None
