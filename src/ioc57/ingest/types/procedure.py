"""``procedure``: an administrative procedure (TTHC) in force in a province or commune."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel

from ioc57.ingest.types.base import Code, RecordModel, RecordType


class Change(BaseModel):
    changed_date: date
    published_date: date | None = None


class Procedure(RecordModel):
    name: str
    unit: Code
    agency: Code | None = None
    level: Literal["province", "commune"]
    online: Literal["full", "partial", "none"]
    fee: bool
    payment_online: bool
    population_db: bool
    effective_date: date
    published_date: date | None = None
    full_content: bool
    changes: list[Change] = []


FLAGS = ("fee", "payment_online", "population_db", "full_content")


def contributions(data: dict):
    day = date.fromisoformat(data["effective_date"])
    yield ("procedure.in_force", day, f"online={data['online']}", 1, 0.0)
    for flag in FLAGS:
        if data[flag]:
            yield (f"procedure.{flag}", day, "", 1, 0.0)


PROCEDURE = RecordType(
    name="procedure",
    model=Procedure,
    as_of=lambda r: r.effective_date,
    contributions=contributions,
)
