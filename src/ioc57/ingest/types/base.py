"""What every record type shares: field types, time handling, and the ``RecordType`` description."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from ioc57.core.http import LOCAL_TZ


def to_utc(value: datetime) -> datetime:
    """A time without an offset is read as Asia/Ho_Chi_Minh; every time is stored in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(UTC)


def not_future(value: datetime) -> datetime:
    if value > datetime.now(UTC) + timedelta(days=1):
        raise ValueError("is more than a day in the future")
    return value


Time = Annotated[datetime, AfterValidator(to_utc)]
PastTime = Annotated[datetime, AfterValidator(to_utc), AfterValidator(not_future)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
RecordId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Count = Annotated[int, Field(ge=0, le=10_000)]


class RecordModel(BaseModel):
    """A record as a provincial system sends it. Unknown fields are kept (and reported as warnings)."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    id: RecordId
    updated_at: PastTime | None = None


def local_day(iso: str) -> date:
    """The Vietnamese calendar day of a stored UTC time."""
    return datetime.fromisoformat(iso).astimezone(LOCAL_TZ).date()


# (metric, day, dims, count, sum): one record's share of the rollups, for each unit it counts in
Contribution = tuple[str, date, str, int, float]


@dataclass(frozen=True)
class RecordType:
    name: str
    model: type[RecordModel]
    # the day unit codes of the record are read at (codes were reused in 2025)
    as_of: Callable[[RecordModel], date]
    contributions: Callable[[dict], Iterable[Contribution]]
    unit_required: bool = True
    default_id: Callable[[dict], str] | None = None
    # the access action a person needs to write records of this type (``core.access.POLICY``);
    # a source's own system token writes the types the source was given
    write_action: str = "ingest.write"
    # the action of those whose values are approved on arrival, for a type whose values wait for
    # a review (None: a type without review)
    review_action: str | None = None
