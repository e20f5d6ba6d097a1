"""``procedure``: an administrative procedure (TTHC) in force in a province or commune."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from ioc57.ingest.types.base import Code, Day, RecordModel, RecordType, Text

# a procedure is amended a few times in its life; a hundred changes is beyond any real one
MAX_CHANGES = 100


class Change(BaseModel):
    changed_date: Day
    published_date: Day | None = None


class Procedure(RecordModel):
    name: Text
    unit: Code
    agency: Code | None = None
    level: Literal["province", "commune"]
    online: Literal["full", "partial", "none"]
    fee: bool
    payment_online: bool
    population_db: bool
    effective_date: Day
    published_date: Day | None = None
    full_content: bool
    changes: list[Change] = Field(default=[], max_length=MAX_CHANGES)


FLAGS = ("fee", "payment_online", "population_db", "full_content")


def effective_day(record: Procedure) -> date:
    return record.effective_date


def contributions(data: dict):
    day = date.fromisoformat(data["effective_date"])
    yield ("procedure.in_force", day, f"online={data['online']}", 1, 0.0)
    for flag in FLAGS:
        if data[flag]:
            yield (f"procedure.{flag}", day, "", 1, 0.0)


PROCEDURE = RecordType(
    name="procedure",
    model=Procedure,
    as_of=effective_day,
    contributions=contributions,
)
