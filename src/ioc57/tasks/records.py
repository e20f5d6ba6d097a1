"""``programme`` and ``task``: an action programme and the tasks it assigns, as records at the gate.

A provincial system pushes them with its source token, an XLSX import sends them row by row, and
people write them through the API as the people-entry source; sending one again updates it. The
gate resolves a task's lead ``agency`` (an agency unit's code) and its province; ``plan.project``
keeps ``tasks_programmes`` and ``tasks_tasks`` current with them.

A task has a deadline (a date) or a recurrence (yearly, half-yearly, quarterly, monthly, ongoing),
never both. Units are read as they are today: a programme is planned for the units that exist.
"""

from __future__ import annotations

from datetime import date

from pydantic import AliasChoices, Field, ValidationInfo, field_validator, model_validator

from ioc57.core.i18n import N_
from ioc57.core.messages import message
from ioc57.ingest.types.base import (
    Code,
    Day,
    Name,
    RecordId,
    RecordModel,
    RecordType,
    Text,
    invalid,
    named_today,
    no_contributions,
)
from ioc57.tasks.example import programme_example, task_example
from ioc57.tasks.status import RECURRENCES

NOT_A_RECURRENCE = message("tasks.not_a_recurrence", N_("one of {expected}"))
NO_DEADLINE = message(
    "tasks.no_deadline", N_("give a deadline (a date) or a recurrence ({expected})")
)
DEADLINE_AND_RECURRENCE = message(
    "tasks.deadline_and_recurrence",
    N_("a task with a recurrence has no deadline: give one or the other"),
)

# bounds beyond any real programme: a task's text, the lists it holds
MAX_CONTENT = 5_000
MAX_AGENCIES = 50
MAX_INDICATORS = 50


def default_id(data, *parts: str) -> dict:
    """``data`` with its id made of ``parts`` (joined by ':') when it has none."""
    if isinstance(data, dict) and not data.get("id") and all(data.get(p) for p in parts):
        data = dict(data)
        data["id"] = ":".join(str(data[p]).strip() for p in parts)
    return data


class Programme(RecordModel):
    # filled in by ``_default_id`` before the field is validated, when the source sends none
    id: RecordId | None = None  # type: ignore[assignment]
    code: Code  # its number and symbol, e.g. 144/CTHĐ-TU
    title: Text
    issued_by: str = Field(min_length=1, max_length=200)
    issued_date: Day
    unit: Code  # the issuing province
    legal_basis: Text | None = None
    parent: Code | None = None  # the programme it carries out, by code

    @model_validator(mode="before")
    @classmethod
    def _default_id(cls, data):
        return default_id(data, "code")


class Task(RecordModel):
    id: RecordId | None = None  # type: ignore[assignment]  # as ``Programme.id``
    programme: Code  # its programme's code
    code: Code
    content: str = Field(min_length=1, max_length=MAX_CONTENT)
    agency: Code = Field(validation_alias=AliasChoices("agency", "lead_agency"))  # the lead
    unit: Code | None = None  # the province (the lead agency's by default)
    cooperating_agencies: list[Code] = Field(default=[], max_length=MAX_AGENCIES)
    leader: str | None = Field(default=None, min_length=1, max_length=200)
    output: Text | None = None  # the expected product: a decision, a report, a system
    recurrence: str | None = None
    # after ``recurrence``: its check reads it
    deadline: Day | None = Field(default=None, validate_default=True)
    indicators: list[Name] = Field(default=[], max_length=MAX_INDICATORS)

    @model_validator(mode="before")
    @classmethod
    def _default_id(cls, data):
        return default_id(data, "programme", "code")

    @field_validator("recurrence")
    @classmethod
    def _recurrence(cls, value: str | None) -> str | None:
        if value is not None and value not in RECURRENCES:
            raise invalid(NOT_A_RECURRENCE, expected=", ".join(RECURRENCES))
        return value

    @field_validator("deadline")
    @classmethod
    def _deadline_or_recurrence(cls, value: date | None, info: ValidationInfo) -> date | None:
        if "recurrence" not in info.data:  # the recurrence is wrong: its own error says so
            return value
        recurrence = info.data["recurrence"]
        if value is None and recurrence is None:
            raise invalid(NO_DEADLINE, expected=", ".join(RECURRENCES))
        if value is not None and recurrence is not None:
            raise invalid(DEADLINE_AND_RECURRENCE)
        return value


PROGRAMME = RecordType(
    name="programme",
    label=N_("Action programme"),
    model=Programme,
    as_of=named_today,
    contributions=no_contributions,
    write_action="tasks.plan",
    entered=True,
    example=programme_example,  # the import page's example file
)


TASK = RecordType(
    name="task",
    label=N_("Programme task"),
    model=Task,
    as_of=named_today,
    contributions=no_contributions,
    write_action="tasks.plan",
    entered=True,
    example=task_example,  # the import page's example file
    example_level="agency",  # its lead agency
)
