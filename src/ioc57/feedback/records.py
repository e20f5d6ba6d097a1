"""``feedback``: a citizen report (phản ánh, kiến nghị), from hotline 1022, the web, apps or Open311."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from ioc57.core.clock import LOCAL_TZ
from ioc57.core.workdays import working_days_between
from ioc57.ingest.metrics import REPORTS_ON_PROCEDURES
from ioc57.ingest.types.base import (
    Code,
    PastTime,
    Places,
    RecordModel,
    RecordType,
    Unit,
    local_day,
)


class Contact(BaseModel):
    """Private: never published."""

    name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)


class Feedback(RecordModel):
    channel: Literal["phone", "web", "app", "zalo", "email", "open311"]
    received_at: PastTime
    category: Code
    text: str = Field(min_length=1, max_length=20_000)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    address: str | None = Field(default=None, max_length=500)
    unit: Code | None = None
    agency: Code | None = None
    status: Literal[
        "received", "refused", "forwarded", "in_progress", "answered", "published", "closed"
    ]
    answered_at: PastTime | None = None
    published_at: PastTime | None = None
    satisfaction: Literal["satisfied", "unsatisfied"] | None = None
    repeated: bool = False
    about_procedure: bool = False
    contact: Contact | None = None

    @field_validator("answered_at")
    @classmethod
    def _answered_after_received(cls, value: datetime | None, info: ValidationInfo):
        received = info.data.get("received_at")
        if value is not None and received is not None and value < received:
            raise ValueError("answered_at is before received_at")
        return value


def received_day(record: Feedback) -> date:
    return record.received_at.astimezone(LOCAL_TZ).date()


def place(record: Feedback, places: Places) -> Unit | None:
    """The commune of a report that names no unit: nearest its coordinates, or by its address."""
    if record.lat is not None and record.lon is not None:
        return places.near(record.lat, record.lon)
    if record.address:
        return places.at_address(record.address)
    return None


def contributions(data: dict):
    received = local_day(data["received_at"])
    yield ("feedback.received", received, f"channel={data['channel']}", 1, 0.0)
    if data["about_procedure"]:
        yield ("feedback.received.about_procedure", received, "", 1, 0.0)
    if data["repeated"]:
        yield ("feedback.received.repeated", received, "", 1, 0.0)
    if data["answered_at"]:
        answered = local_day(data["answered_at"])
        yield ("feedback.answered", answered, "", 1, float((answered - received).days))
    if data["satisfaction"]:
        yield ("feedback.satisfaction", received, f"value={data['satisfaction']}", 1, 0.0)
    if data["about_procedure"]:
        yield (REPORTS_ON_PROCEDURES, received, procedure_dims(data, received), 1, 0.0)


def procedure_dims(data: dict, received: date) -> str:
    """A report about a procedure, as the 766 index weighs it (satisfaction group): whether it
    repeats an earlier one, the citizen's satisfaction, and the working days taken to answer it
    (``answer_days=none`` while unanswered), so that the index sets its own deadline."""
    days = "none"
    if data["answered_at"]:
        days = str(working_days_between(received, local_day(data["answered_at"])))
    satisfaction = data["satisfaction"] or "none"
    repeated = "yes" if data["repeated"] else "no"
    return f"repeated={repeated}|satisfaction={satisfaction}|answer_days={days}"


FEEDBACK = RecordType(
    name="feedback",
    model=Feedback,
    as_of=received_day,
    contributions=contributions,
    unit_required=False,
    derive_unit=place,
    private=("contact",),
)
