"""``dossier``: an application (hồ sơ) received for a procedure, through to its result."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import ValidationInfo, field_validator, model_validator

from ioc57.core.clock import LOCAL_TZ
from ioc57.core.i18n import N_
from ioc57.core.messages import message
from ioc57.core.workdays import add_working_days, working_days_between
from ioc57.ingest.types.base import (
    MAX_DUE_AFTER,
    Code,
    Count,
    PastTime,
    RecordModel,
    RecordType,
    Time,
    invalid,
    local_day,
)
from ioc57.services.procedure import yes

DUE_BEFORE_RECEIVED = message("services.due_before_received", N_("due_at is before received_at"))
DUE_TOO_LATE = message(
    "services.due_too_late", N_("due_at is more than {days} days after received_at")
)
FINISHED_BEFORE_RECEIVED = message(
    "services.finished_before_received", N_("finished_at is before received_at")
)
FINISHED_WITHOUT_TIME = message(
    "services.finished_without_time", N_("a finished dossier needs finished_at")
)


class Dossier(RecordModel):
    procedure: Code
    """A procedure id of the same source."""
    unit: Code
    """The commune or province where it was received, read as of received_at."""
    agency: Code | None = None
    """The agency that handles it."""
    channel: Literal["online", "direct", "postal"]
    received_at: PastTime
    due_at: Time
    """The promised time of its result."""
    finished_at: PastTime | None = None
    status: Literal[
        "received", "supplement", "suspended", "processing", "finished", "returned", "cancelled"
    ]
    suspended_days: Count = 0
    """Working days spent waiting on the applicant."""
    supplement_requests: Count = 0
    """Times the applicant was asked for additional papers."""
    synced_national: bool = False
    """Synchronised to the national public service portal."""
    paid_online: bool = False
    digitized: bool = False
    """Digitised on receipt."""
    result_electronic: bool = False
    certified_copy_electronic: bool = False
    data_reused: bool = False
    synced_personal_store: bool = False
    population_data_used: bool = False
    complaint: bool = False

    @field_validator("due_at")
    @classmethod
    def _due_after_received(cls, value: datetime, info: ValidationInfo) -> datetime:
        received = info.data.get("received_at")
        if received is not None:
            if value < received:
                raise invalid(DUE_BEFORE_RECEIVED)
            if value > received + MAX_DUE_AFTER:
                raise invalid(DUE_TOO_LATE, days=MAX_DUE_AFTER.days)
        return value

    @field_validator("finished_at")
    @classmethod
    def _finished_after_received(cls, value: datetime | None, info: ValidationInfo):
        received = info.data.get("received_at")
        if value is not None and received is not None and value < received:
            raise invalid(FINISHED_BEFORE_RECEIVED)
        return value

    @model_validator(mode="after")
    def _finished_has_a_time(self):
        if self.status == "finished" and self.finished_at is None:
            raise invalid(FINISHED_WITHOUT_TIME)
        return self


RECEIVED_FLAGS = (
    "synced_national",
    "digitized",
    "paid_online",
    "data_reused",
    "population_data_used",
)
FINISHED_FLAGS = (
    "result_electronic",
    "certified_copy_electronic",
    "synced_personal_store",
    "complaint",
)


def effective_due(data: dict) -> datetime:
    """The promised time moved forward by the working days the dossier was suspended (local)."""
    due = datetime.fromisoformat(data["due_at"]).astimezone(LOCAL_TZ)
    return add_working_days(due, data["suspended_days"])


def on_time(data: dict) -> bool:
    """Finished by the promised day, plus the working days suspended; asked for papers at most once."""
    if data["supplement_requests"] > 1:
        return False
    finished = datetime.fromisoformat(data["finished_at"]).astimezone(LOCAL_TZ)
    return finished <= effective_due(data)


def received_day(record: Dossier) -> date:
    return record.received_at.astimezone(LOCAL_TZ).date()


def contributions(data: dict):
    """What a dossier adds to its units' rollups: totals by channel and by outcome, each flag of
    the 766 index, and the same per procedure (which procedures received an online dossier or an
    online payment, and each procedure's counts in the catalogue)."""
    received = local_day(data["received_at"])
    procedure = f"procedure={data['procedure']}"
    channel = f"channel={data['channel']}"
    yield ("dossier.received", received, channel, 1, 0.0)
    paid = f"paid_online={yes(data['paid_online'])}"
    yield ("dossier.procedure.received", received, f"{procedure}|{channel}|{paid}", 1, 0.0)
    # the same by month (its first day), which a ranking of whole months reads 30 times fewer
    # rows of
    yield (
        "dossier.procedure.month",
        received.replace(day=1),
        f"{procedure}|{channel}|{paid}",
        1,
        0.0,
    )
    for flag in RECEIVED_FLAGS:
        if data[flag]:
            yield (f"dossier.received.{flag}", received, "", 1, 0.0)
    if data["status"] == "finished" and data["finished_at"]:
        finished = local_day(data["finished_at"])
        days = float(working_days_between(received, finished))
        timely = f"on_time={yes(on_time(data))}"
        yield ("dossier.finished", finished, timely, 1, days)
        yield ("dossier.procedure.finished", finished, f"{procedure}|{timely}", 1, days)
        for flag in FINISHED_FLAGS:
            if data[flag]:
                yield (f"dossier.finished.{flag}", finished, "", 1, 0.0)


DOSSIER = RecordType(
    name="dossier",
    label=N_("Administrative dossier"),
    model=Dossier,
    as_of=received_day,
    contributions=contributions,
)
