"""``feedback``: a citizen report (phản ánh, kiến nghị), from hotline 1022, the web, apps or Open311."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from ioc57.core.clock import LOCAL_TZ
from ioc57.core.i18n import N_
from ioc57.core.messages import message
from ioc57.core.workdays import working_days_between
from ioc57.feedback import readback
from ioc57.feedback.categories import category
from ioc57.ingest.metrics import REPORTS_ON_PROCEDURES
from ioc57.ingest.types.base import (
    Code,
    PastTime,
    Places,
    RecordId,
    RecordModel,
    RecordType,
    Unit,
    invalid,
    local_day,
)

DUPLICATE_OF_ITSELF = message(
    "feedback.duplicate_of_itself", N_("a report cannot be a duplicate of itself")
)
MERGED_WITHOUT_ORIGINAL = message(
    "feedback.merged_without_original", N_("a merged report names the report it duplicates")
)
ANSWERED_BEFORE_RECEIVED = message(
    "feedback.answered_before_received", N_("answered_at is before received_at")
)


class Contact(BaseModel):
    """Private: never published."""

    name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)


Status = Literal[
    "received",  # taken in, not yet triaged
    "refused",  # not taken up (with a reason)
    "forwarded",  # sent to the responsible agency
    "in_progress",  # the agency works on it
    "info_requested",  # the agency or the operator asked the citizen for more
    "answered",  # the agency answered
    "published",  # the answer is public
    "closed",  # done (rated, or closed by the operator)
    "reopened",  # the citizen was not satisfied: back to the agency
    "merged",  # a duplicate of another report (``duplicate_of``)
]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]


class Feedback(RecordModel):
    channel: Literal["phone", "web", "app", "zalo", "email", "open311"]
    received_at: PastTime
    category: Code
    """A service code (Open311 `service_code`)."""
    text: str = Field(min_length=1, max_length=20_000)
    """The citizen's report, as written."""
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    address: str | None = Field(default=None, max_length=500)
    unit: Code | None = None
    """Derived from lat/lon or address when absent."""
    agency: Code | None = None
    status: Status
    answered_at: PastTime | None = None
    published_at: PastTime | None = None
    satisfaction: Literal["satisfied", "unsatisfied"] | None = None
    repeated: bool = False
    """The same citizen reported the same thing before."""
    about_procedure: bool = False
    """A report about an administrative procedure (it counts in the Decision 766 index)."""
    contact: Contact | None = None
    """The citizen's name, phone and email: private, never published."""
    # the agency's answer (published, with personal data redacted, once the report is published)
    answer: str | None = Field(default=None, max_length=20_000)
    # why the last step was taken: a refusal's reason, the information asked for, why the citizen
    # was not satisfied (the report's timeline keeps every step's)
    note: str | None = Field(default=None, max_length=2_000)
    duplicate_of: RecordId | None = Field(
        default=None, validate_default=True
    )  # the report this one was merged into (status merged)
    photos: list[Code] = Field(default_factory=list, max_length=5)  # ids of stored photos
    # the citizen's code to follow the report and rate its answer: private, as the contact
    tracking: str | None = Field(default=None, min_length=8, max_length=40)

    @field_validator("duplicate_of")
    @classmethod
    def _merged_into_another(cls, value: str | None, info: ValidationInfo):
        if value is not None and value == info.data.get("id"):
            raise invalid(DUPLICATE_OF_ITSELF)
        if value is None and info.data.get("status") == "merged":
            raise invalid(MERGED_WITHOUT_ORIGINAL)
        return value

    @field_validator("answered_at")
    @classmethod
    def _answered_after_received(cls, value: datetime | None, info: ValidationInfo):
        received = info.data.get("received_at")
        if value is not None and received is not None and value < received:
            raise invalid(ANSWERED_BEFORE_RECEIVED)
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


# the panel's figures month by month, with no breakdown (``stats``): a province's two years are 24
# rows a figure, its communes' a few thousand, however many reports
MONTHLY = {
    "feedback.received": "feedback.month.received",
    "feedback.answered": "feedback.month.answered",
    "feedback.published": "feedback.month.published",
    "feedback.satisfaction": "feedback.month.satisfaction",
}


def month_of(day: date) -> date:
    return day.replace(day=1)


def contributions(data: dict):
    """A report's share of the rollups, on the commune it was placed in: received (by channel, by
    category, by answering agency), answered (on time or not, the working days taken as the sum),
    published, the citizen's rating, and the 766 index's reports about procedures; the first four
    also month by month (``MONTHLY``, dated the month's first day). A report merged into another
    counts as received only."""
    received = local_day(data["received_at"])
    agency = f"agency={data.get('agency') or 'none'}"
    yield ("feedback.received", received, f"channel={data['channel']}", 1, 0.0)
    yield ("feedback.month.received", month_of(received), "", 1, 0.0)
    yield ("feedback.category", received, f"category={data['category']}", 1, 0.0)
    yield ("feedback.agency", received, agency, 1, 0.0)
    if data["status"] == "merged":
        return
    # a report about a procedure: flagged by its sender, or in a category about procedures (a
    # system that pushes its records need not know which of ours are)
    about_procedure = data["about_procedure"] or category(data["category"]).about_procedure
    if about_procedure:
        yield ("feedback.received.about_procedure", received, "", 1, 0.0)
    if data["repeated"]:
        yield ("feedback.received.repeated", received, "", 1, 0.0)
    if data["answered_at"]:
        answered = local_day(data["answered_at"])
        days = working_days_between(received, answered)
        limit = category(data["category"]).deadlines["answer"]
        on_time = f"on_time={'yes' if days <= limit else 'no'}"
        yield ("feedback.answered", answered, f"{agency}|{on_time}", 1, float(days))
        yield ("feedback.month.answered", month_of(answered), on_time, 1, float(days))
    if data.get("published_at"):
        published = local_day(data["published_at"])
        yield ("feedback.published", published, agency, 1, 0.0)
        yield ("feedback.month.published", month_of(published), "", 1, 0.0)
    if data["satisfaction"]:
        value = f"value={data['satisfaction']}"
        yield ("feedback.satisfaction", received, f"{agency}|{value}", 1, 0.0)
        yield ("feedback.month.satisfaction", month_of(received), value, 1, 0.0)
    if about_procedure:
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
    label=N_("Citizen report"),
    model=Feedback,
    as_of=received_day,
    contributions=contributions,
    unit_required=False,
    derive_unit=place,
    private=("contact", "tracking"),
    shown=readback.shown,  # read back whole by those with contact rights, redacted for others
    # filed by people through the module (the public form, hotline 1022's operators, Open311)
    entered=True,
    write_action="feedback.triage",
)
