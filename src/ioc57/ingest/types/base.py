"""What every record type shares: field types, time handling, and the ``RecordType`` description."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Generic, Protocol, TypeVar

import orjson
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

from ioc57.core.clock import LOCAL_TZ, now, today
from ioc57.core.i18n import N_
from ioc57.core.messages import Message, message

# The times and dates a record may hold. Each bound is a data limit: a row outside it is rejected
# naming its field, and no row within them costs more than a bounded amount of work (working days
# are counted over a span of at most ``MAX_DUE_AFTER`` plus ``Count`` working days).
# Times of events (received, finished, observed, updated): from 1990, the years of the first
# provincial IT systems (and well before any record a province keeps online), to a day from now.
EARLIEST_TIME = datetime(1990, 1, 1, tzinfo=LOCAL_TZ)
# Promised times (a dossier's due_at): no later than 2100, and at most ten years after the
# dossier was received (the longest statutory time of any procedure is a matter of months).
LATEST_TIME = datetime(2100, 12, 31, 23, 59, 59, tzinfo=LOCAL_TZ)
MAX_DUE_AFTER = timedelta(days=3653)
# Calendar dates of legal acts (a procedure's effective and publication dates): from the founding
# of the state in 1945, before which no procedure in force can have been enacted, to 2100 (a
# procedure may be published ahead of the day it takes effect).
EARLIEST_DAY = date(1945, 1, 1)
LATEST_DAY = date(2100, 12, 31)


def invalid(msg: Message, **params: Any) -> PydanticCustomError:
    """The error a record's validator raises: pydantic's, with the declared message's code and
    English text, so that the gate's row error carries ``code`` and ``params`` and a page shows
    it translated (``core.messages``)."""
    return PydanticCustomError(msg.code, msg.text, params)


NOT_BETWEEN = message("record.not_between", N_("must lie between {earliest} and {latest}"))
NOT_FINITE = message("record.not_finite", N_("must be a finite number"))
IN_FUTURE = message("record.in_future", N_("is more than a day in the future"))


def to_utc(value: datetime) -> datetime:
    """A time without an offset is read as Asia/Ho_Chi_Minh; every time is stored in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    if not EARLIEST_TIME <= value <= LATEST_TIME:  # compared before a conversion could overflow
        raise invalid(
            NOT_BETWEEN,
            earliest=EARLIEST_TIME.date().isoformat(),
            latest=LATEST_TIME.date().isoformat(),
        )
    return value.astimezone(UTC)


def moment(info: ValidationInfo | None) -> datetime:
    """The time a record is validated at: the gate's for its whole batch (``AT`` in the
    validation context, read once for thousands of rows: the clock costs a system call on some
    virtual machines), else the clock's."""
    context = info.context if info is not None else None
    return context[AT] if context and AT in context else now()


AT = "at"  # the key of the batch's time in the validation context (``Validator.validate``)


def not_future(value: datetime, info: ValidationInfo) -> datetime:
    if value > moment(info) + timedelta(days=1):
        raise invalid(IN_FUTURE)
    return value


def in_days(value: date) -> date:
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise invalid(NOT_BETWEEN, earliest=EARLIEST_DAY.isoformat(), latest=LATEST_DAY.isoformat())
    return value


Time = Annotated[datetime, AfterValidator(to_utc)]
PastTime = Annotated[datetime, AfterValidator(to_utc), AfterValidator(not_future)]
Day = Annotated[date, AfterValidator(in_days)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
RecordId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Count = Annotated[int, Field(ge=0, le=10_000)]
# A line of free text, longer than any real one: a procedure's full name, a citation (a citizen's
# report and an address have their own bounds, in ``feedback``)
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1_000)]


class RecordModel(BaseModel):
    """A record as a provincial system sends it. Unknown fields are kept (and reported as warnings)."""

    # a docstring under a field is its description (the OpenAPI document, docs/records.md)
    model_config = ConfigDict(
        extra="allow", str_strip_whitespace=True, use_attribute_docstrings=True
    )

    id: RecordId
    """The record's id, unique within its source."""
    updated_at: PastTime | None = None
    """When the source last changed the record: the newer version wins; absent means now."""


def local_day(iso: str) -> date:
    """The Vietnamese calendar day of a stored UTC time."""
    return datetime.fromisoformat(iso).astimezone(LOCAL_TZ).date()


# (metric, day, dims, count, sum): one record's share of the rollups, for each unit it counts in
Contribution = tuple[str, date, str, int, float]


class Unit(Protocol):
    """A unit as the gate knows it (``ingest.unitcache.UnitInfo``)."""

    @property
    def code(self) -> str: ...


class Places(Protocol):
    """What the gate offers a record type that derives a record's unit from where it happened."""

    def near(self, lat: float, lon: float) -> Unit | None:
        """The current commune whose centre is nearest, within about 50 km."""

    def at_address(self, address: str) -> Unit | None:
        """The unit an address names (its best match), today."""


def named_today(_record: RecordModel) -> date:
    """``as_of`` of master data (a station, a product, a task): its units are named as they are
    today."""
    return today()


def no_contributions(_data: dict[str, Any]) -> Iterator[Contribution]:
    """``contributions`` of a type that adds nothing to the gate's rollups: its module keeps its
    own tables."""
    return iter(())


M = TypeVar("M", bound=RecordModel)


@dataclass(frozen=True)
class RecordType(Generic[M]):
    name: str
    model: type[M]
    # the day unit codes of the record are read at (codes were reused in 2025)
    as_of: Callable[[M], date]
    contributions: Callable[[dict[str, Any]], Iterable[Contribution]]
    unit_required: bool = True
    # the unit of a record that names none, from where it happened (a report's place); the gate
    # stores it as ``unit`` with ``unit_derived``
    derive_unit: Callable[[M, Places], Unit | None] | None = None
    # fields that hold a person's details (feedback: contact): kept with the record, never
    # published, and never kept or shown with a rejected row
    private: tuple[str, ...] = ()
    # a stored record's data as a reader may see it (``ingest.readback``): the module that knows
    # what in it is personal decides; None: the data without its private fields, for everyone
    shown: Callable[[dict[str, Any], Any], dict[str, Any]] | None = None
    # a row of this type the gate takes, for a source of the given unit (an official code) at the
    # given moment: the import page's example file (``ingest.columns``); None: made from the schema
    example: Callable[[str, datetime], dict[str, Any]] | None = None
    # the level of the unit the example names ("agency": a task's lead agency; "commune": where
    # a farm lies), picked within the source's unit; None: the source's own unit
    example_level: str | None = None
    # the access action a person needs to write records of this type (``core.access.POLICY``);
    # a source's own system token writes the types the source was given
    write_action: str = "ingest.write"
    # people write records of this type themselves (the module's API, pages, templates), as the
    # built-in people-entry source (``ingest.entry``)
    entered: bool = False
    # the action of those whose values are approved on arrival, for a type whose values wait for
    # a review (None: a type without review)
    review_action: str | None = None
    # what people call a record of this type (English, marked ``N_``; pages translate it):
    # pages name a type by its label, the API and files by its ``name``
    label: str = ""

    @property
    def title(self) -> str:
        return self.label or self.name

    def shown_to(self, data: dict[str, Any], principal: Any) -> dict[str, Any]:
        """``data`` (a stored record) as ``principal`` may read it back."""
        if self.shown is not None:
            return self.shown(data, principal)
        shown: dict[str, Any] = self.without_private(data)
        return shown

    def is_private(self, key: Any) -> bool:
        return isinstance(key, str) and key.strip().lower() in self.private

    def without_private(self, row: Any) -> Any:
        """``row`` without its private fields (however a source spells their names)."""
        if not self.private or not isinstance(row, dict):
            return row
        return {k: v for k, v in row.items() if not self.is_private(k)}

    def public_row(self, text: str | None) -> str:
        """A rejected row as stored (JSON text, cut at 10,000 characters) without its private
        fields; rows stored before they were left out are cleaned as they are read. A row that
        cannot be read back and may hold one is withheld whole."""
        if not text or not self.private:
            return text or ""
        try:
            row = orjson.loads(text)
        except orjson.JSONDecodeError:
            names = "|".join(map(re.escape, self.private))
            if re.search(rf'"\s*(?:{names})\s*"', text, re.IGNORECASE):
                return WITHHELD
            return text
        if not isinstance(row, dict):
            return text
        return orjson.dumps(self.without_private(row), default=str).decode()


WITHHELD = "(withheld: the row holds private fields)"
