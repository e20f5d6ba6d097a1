"""``procedure``: an administrative procedure (TTHC) in force in a province or commune."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from ioc57.core.i18n import N_
from ioc57.core.workdays import working_days_between
from ioc57.ingest.types.base import Code, Day, RecordModel, RecordType, Text

# a procedure is amended a few times in its life; a hundred changes is beyond any real one
MAX_CHANGES = 100


class Change(BaseModel):
    changed_date: Day
    published_date: Day | None = None


class Procedure(RecordModel):
    name: Text
    """The procedure's name (thủ tục hành chính)."""
    unit: Code
    """The province or commune where it applies."""
    agency: Code | None = None
    """The agency that resolves it."""
    level: Literal["province", "commune"]
    online: Literal["full", "partial", "none"]
    """Online end to end, partly, or not online."""
    fee: bool
    """Fee-bearing."""
    payment_online: bool
    """Integrated with online payment."""
    population_db: bool
    """Connected to the national population database."""
    effective_date: Day
    """The day it takes effect."""
    published_date: Day | None = None
    """The day it was published."""
    full_content: bool
    """Published with its full content."""
    changes: list[Change] = Field(default=[], max_length=MAX_CHANGES)
    """Its amendments, each with the day it changed and the day that was published."""


FLAGS = ("fee", "population_db", "full_content")
# Decision 766: a procedure is published on time at least 5 working days before it takes effect,
# and a change within 5 working days of it
PUBLISH_LEAD = 5
CHANGE_PUBLISHED_WITHIN = 5


def effective_day(record: Procedure) -> date:
    return record.effective_date


def yes(flag: bool) -> str:
    return "yes" if flag else "no"


def published_on_time(data: dict) -> bool:
    if not data["published_date"]:
        return False
    published = date.fromisoformat(data["published_date"])
    effective = date.fromisoformat(data["effective_date"])
    return published <= effective and working_days_between(published, effective) >= PUBLISH_LEAD


def change_on_time(change: dict) -> bool:
    if not change["published_date"]:
        return False
    changed = date.fromisoformat(change["changed_date"])
    published = date.fromisoformat(change["published_date"])
    return working_days_between(changed, published) <= CHANGE_PUBLISHED_WITHIN


def contributions(data: dict):
    """What a procedure adds to its units' rollups, on the day it takes effect, by level (a commune
    runs the province's commune-level procedures); its changes on the day they were made."""
    day = date.fromisoformat(data["effective_date"])
    level = f"level={data['level']}"
    yield ("procedure.in_force", day, f"{level}|online={data['online']}", 1, 0.0)
    if published_on_time(data):
        yield ("procedure.published_on_time", day, level, 1, 0.0)
    for flag in FLAGS:
        if data[flag]:
            yield (f"procedure.{flag}", day, level, 1, 0.0)
    if data["fee"] and data["payment_online"]:
        yield ("procedure.fee.payment_online", day, level, 1, 0.0)
    for change in data["changes"]:
        changed = date.fromisoformat(change["changed_date"])
        yield (
            "procedure.change",
            changed,
            f"{level}|on_time={yes(change_on_time(change))}",
            1,
            0.0,
        )


PROCEDURE = RecordType(
    name="procedure",
    label=N_("Administrative procedure"),
    model=Procedure,
    as_of=effective_day,
    contributions=contributions,
)
